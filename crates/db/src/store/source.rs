//! The read API's rows from the native snapshot: the same SQL the edge
//! runs on D1, answered by rusqlite.

use rusqlite::types::ValueRef;

use super::Store;

/// The snapshot as a row source for the read API ([`crate::read`]): the
/// native replica. Each statement completes before the future is polled.
impl crate::read::RowSource for Store {
    async fn rows(
        &self,
        sql: &str,
        params: &[crate::read::Value],
    ) -> std::result::Result<Vec<Vec<crate::read::Value>>, crate::read::SourceError> {
        use crate::read::Value;
        use rusqlite::types::Value as Sql;
        let fail = |e: rusqlite::Error| crate::read::SourceError(e.to_string());
        let mut st = self.conn.prepare_cached(sql).map_err(fail)?;
        let bound: Vec<Sql> = params
            .iter()
            .map(|p| match p {
                Value::Null => Sql::Null,
                Value::Int(i) => Sql::Integer(*i),
                Value::Real(f) => Sql::Real(*f),
                Value::Text(t) => Sql::Text(t.clone()),
            })
            .collect();
        let n = st.column_count();
        let mut rows = st.query(rusqlite::params_from_iter(bound)).map_err(fail)?;
        let mut out = Vec::new();
        while let Some(r) = rows.next().map_err(fail)? {
            let mut row = Vec::with_capacity(n);
            for i in 0..n {
                row.push(match r.get_ref(i).map_err(fail)? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(i) => Value::Int(i),
                    ValueRef::Real(f) => Value::Real(f),
                    ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
                    ValueRef::Blob(_) => Value::Null,
                });
            }
            out.push(row);
        }
        Ok(out)
    }
}
