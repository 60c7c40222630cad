//! Answers cut to a token budget: whole lines from a cursor on, with the
//! cursor of the next page. A cursor names the revision its answer was
//! computed at, so a page read after a change says the lines may have moved.

/// Where the next page of an answer starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub revision: u64,
    pub line: usize,
}

impl Cursor {
    pub fn parse(s: &str) -> Result<Cursor, String> {
        let bad = || {
            format!("`{s}` is not a cursor: pass the `cursor` value a cut answer's last line gives")
        };
        let (r, l) = s.trim().split_once(':').ok_or_else(bad)?;
        Ok(Cursor {
            revision: r.parse().map_err(|_| bad())?,
            line: l.parse().map_err(|_| bad())?,
        })
    }

    pub fn text(self) -> String {
        format!("{}:{}", self.revision, self.line)
    }
}

/// One page of an answer.
pub struct Page {
    pub text: String,
    /// The first line not shown, if any.
    pub next: Option<usize>,
    pub total_lines: usize,
}

/// The lines of `full` from line `start` on, as many whole lines as fit in
/// `budget` tokens. A first line alone over the budget is cut (and said so).
pub fn page(full: &str, start: usize, budget: usize, count: &dyn Fn(&str) -> usize) -> Page {
    let lines: Vec<&str> = full.lines().collect();
    let total_lines = lines.len();
    let mut text = String::new();
    let mut used = 0;
    let mut i = start.min(total_lines);
    while i < total_lines {
        let line = lines[i];
        let cost = count(line) + 1;
        if used + cost > budget {
            if text.is_empty() {
                // a single line longer than a page: its head, marked
                let mut end = (budget * 3).min(line.len());
                while !line.is_char_boundary(end) {
                    end -= 1;
                }
                text.push_str(&line[..end]);
                text.push_str(" [... line cut: over the page budget]\n");
                i += 1;
            }
            break;
        }
        used += cost;
        text.push_str(line);
        text.push('\n');
        i += 1;
    }
    Page {
        text,
        next: (i < total_lines).then_some(i),
        total_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> usize {
        s.split_whitespace().count()
    }

    #[test]
    fn pages_cover_every_line_once_in_order() {
        let full: String = (0..50).map(|i| format!("line {i} a b c\n")).collect();
        let mut seen = String::new();
        let mut start = 0;
        let mut pages = 0;
        loop {
            let p = page(&full, start, 20, &words);
            assert_eq!(
                p.text.lines().count().min(3),
                3.min(50 - start),
                "6 a line, 20 a page"
            );
            seen.push_str(&p.text);
            pages += 1;
            match p.next {
                Some(n) => start = n,
                None => break,
            }
        }
        assert_eq!(seen, full);
        assert_eq!(pages, 17);
    }

    #[test]
    fn a_line_over_the_budget_is_cut_not_skipped_or_looped_on() {
        let full = format!("{}\nnext\n", "é".repeat(10_000));
        let p = page(&full, 0, 100, &|s| s.len() / 4);
        assert!(p.text.contains("line cut"));
        assert_eq!(p.next, Some(1));
    }

    #[test]
    fn cursors_round_trip_and_bad_ones_say_what_to_pass() {
        let c = Cursor {
            revision: 7,
            line: 120,
        };
        assert_eq!(Cursor::parse(&c.text()), Ok(c));
        assert!(Cursor::parse("abc").unwrap_err().contains("cursor"));
    }
}
