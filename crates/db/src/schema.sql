-- weft snapshot schema. One text for SQLite (`.weft/graph.db`) and Cloudflare
-- D1 (`weft snapshot export --d1`): plain tables and indexes, no PRAGMAs, no
-- triggers. Readers need neither salsa nor tree-sitter: every question of the
-- read API is a query over these tables.
--
-- Conventions:
--   * Symbol ids are the 16-hex-digit ids of `weft --json` stored as 64-bit
--     INTEGERs (two's complement); `printf('%016x', id)` gives the text form.
--     JavaScript readers (D1) must select them through printf: a JS number
--     holds only 53 bits.
--   * Positions are 0-based lines and UTF-8 byte columns, like SCIP.
--   * Enumerations (symbol kind, reference role, resolution) are stored as
--     small integers; the `enums` table names them with the words of the
--     JSON output (`JOIN enums e ON e.type = 'role' AND e.code = r.role`).
--   * A reference's `source` and `caller` are definitions of the same file,
--     stored by their `ord` (join `symbols` on `file` and `ord`).
--   * `revision` columns record the snapshot revision that last wrote a row,
--     so a replica can be brought up to date with the rows changed since.

CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- Names of the enumeration codes: (type, code) -> name.
CREATE TABLE IF NOT EXISTS enums (
  type TEXT NOT NULL,
  code INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (type, code)
);

-- One row per indexed source file. The count columns make `stats` a SUM.
CREATE TABLE IF NOT EXISTS files (
  id            INTEGER PRIMARY KEY,
  path          TEXT NOT NULL UNIQUE,
  lang          TEXT NOT NULL,
  hash          TEXT NOT NULL,   -- blake3 of the file's bytes, hex
  size          INTEGER NOT NULL,
  mtime_ns      INTEGER NOT NULL,
  revision      INTEGER NOT NULL,
  rows_hash     TEXT NOT NULL,   -- blake3 of this file's rows: unchanged rows are not rewritten
  syntax_errors INTEGER NOT NULL,
  n_symbols     INTEGER NOT NULL,
  n_refs        INTEGER NOT NULL, -- references that are not calls
  n_calls       INTEGER NOT NULL,
  n_inherits    INTEGER NOT NULL,
  n_imports     INTEGER NOT NULL,
  n_scoped      INTEGER NOT NULL, -- references (calls included) by resolution
  n_heuristic   INTEGER NOT NULL,
  n_external    INTEGER NOT NULL,
  n_unresolved  INTEGER NOT NULL,
  n_compiler    INTEGER NOT NULL
);

-- Files removed, for replicas catching up (`--since`).
CREATE TABLE IF NOT EXISTS removed_files (
  path     TEXT PRIMARY KEY,
  revision INTEGER NOT NULL
);

-- Definitions. `ord` is the definition's index within its file (source order).
-- Rows go in in file order (SQLite's own rowid) and are found by id through
-- `symbols_id`: keyed by the id itself, a first index would insert every row
-- at a random place in a table far bigger than the page cache (the Linux
-- kernel's 5 M symbols).
CREATE TABLE IF NOT EXISTS symbols (
  id             INTEGER NOT NULL,
  file           INTEGER NOT NULL,
  ord            INTEGER NOT NULL,
  name           TEXT NOT NULL,
  qualified_name TEXT NOT NULL,
  kind           INTEGER NOT NULL,
  line           INTEGER NOT NULL,
  col            INTEGER NOT NULL,
  end_line       INTEGER NOT NULL,
  end_col        INTEGER NOT NULL,
  full_line      INTEGER NOT NULL,
  full_col       INTEGER NOT NULL,
  full_end_line  INTEGER NOT NULL,
  full_end_col   INTEGER NOT NULL,
  container      INTEGER,
  exported       INTEGER NOT NULL,
  signature      TEXT NOT NULL,
  doc            TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS symbols_id ON symbols(id);
CREATE INDEX IF NOT EXISTS symbols_file ON symbols(file, ord);
-- Symbol search, and qualified-name lookup (by the last segment, then the
-- full name).
CREATE INDEX IF NOT EXISTS symbols_name ON symbols(name COLLATE NOCASE);

-- Lexical search (`weft search`, `/v1/search`): each symbol's words, keyed
-- by its id (`rowid`), one column per searched field. weft cuts and folds
-- the words itself (`weft_db::search::words`: camelCase, snake_case,
-- acronyms and digits split, the whole identifier kept too); the `ascii`
-- tokenizer only splits them at the spaces, so SQLite, D1 and the engine
-- count the same words. Rank with `bm25(search, 4.0, 2.0, 1.0, 1.0)`.
-- Contentless: the index keeps the words, not a second copy of the text
-- (`symbols` has it), so a row gives back its `rowid` and rank only;
-- `weft_db::search::columns` recomputes a symbol's words from `symbols`.
-- Deleting by rowid needs SQLite 3.43 (`contentless_delete`). A D1 export
-- keeps the words (`weft_db::schema::d1_statements`).
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
  name, qualified, signature, doc,
  tokenize = ascii, content = '', contentless_delete = 1
);

-- References (calls included, role = 'call'): every name occurrence the
-- extractor found, unresolved ones too (`target` NULL), so a replica can
-- say what any name denotes, in file order (`seq`).
-- `source` is the `ord` of the innermost enclosing definition; `caller`,
-- for calls, the `ord` of the innermost enclosing function (NULL at module
-- level). A reference is one name on one line: it ends on `line`. Rows are
-- clustered by file, so a file's references (its callees) are one range.
CREATE TABLE IF NOT EXISTS refs (
  file       INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  line       INTEGER NOT NULL,
  col        INTEGER NOT NULL,
  end_col    INTEGER NOT NULL,
  role       INTEGER NOT NULL,
  source     INTEGER,
  caller     INTEGER,
  resolution INTEGER NOT NULL,
  target     INTEGER,
  name       TEXT NOT NULL,
  module     TEXT,
  PRIMARY KEY (file, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS refs_target ON refs(target) WHERE target IS NOT NULL;

-- `class A(B)`, `extends`/`implements`, Rust `impl Trait for Type`, Go embedding.
CREATE TABLE IF NOT EXISTS inherits (
  file       INTEGER NOT NULL,
  line       INTEGER NOT NULL,
  col        INTEGER NOT NULL,
  end_line   INTEGER NOT NULL,
  end_col    INTEGER NOT NULL,
  sub        INTEGER NOT NULL,
  resolution INTEGER NOT NULL,
  target     INTEGER,
  name       TEXT NOT NULL,
  module     TEXT
);
CREATE INDEX IF NOT EXISTS inherits_file ON inherits(file);
CREATE INDEX IF NOT EXISTS inherits_sub ON inherits(sub);
CREATE INDEX IF NOT EXISTS inherits_target ON inherits(target) WHERE target IS NOT NULL;

-- What each file depends on, as `deps` answers it: `kind` 0 = a file of
-- the tree (`name` is its path; sorted by path), 1 = an external module
-- (sorted), 2 = an import specifier that did not resolve (in import order).
-- Imports of a multi-file module (a Go package) list every file.
CREATE TABLE IF NOT EXISTS file_deps (
  file INTEGER NOT NULL,
  seq  INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  name TEXT NOT NULL,
  PRIMARY KEY (file, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS file_deps_name ON file_deps(name) WHERE kind = 0;

-- Import statements; `target_file` is the file a specifier resolved to.
CREATE TABLE IF NOT EXISTS imports (
  file        INTEGER NOT NULL,
  line        INTEGER NOT NULL,
  col         INTEGER NOT NULL,
  end_line    INTEGER NOT NULL,
  end_col     INTEGER NOT NULL,
  module      TEXT NOT NULL,
  resolution  INTEGER NOT NULL,
  target_file INTEGER,
  names       TEXT NOT NULL   -- local names bound, comma-separated
);
CREATE INDEX IF NOT EXISTS imports_file ON imports(file);
CREATE INDEX IF NOT EXISTS imports_target ON imports(target_file) WHERE target_file IS NOT NULL;

-- What extraction found in each distinct file content, keyed by the blake3
-- of the text: postcard behind a format byte, zstd-compressed. A warm start
-- takes facts from here instead of parsing. Native snapshots only; the D1
-- export leaves it empty. `revision` is when the blob was last referenced.
CREATE TABLE IF NOT EXISTS facts (
  hash     TEXT PRIMARY KEY,
  revision INTEGER NOT NULL,
  data     BLOB NOT NULL,
  words    BLOB             -- the text's words, a Bloom filter (weft_db::word_filter), for `weft grep`
);

-- What an imported compiler-grade index (`weft index --scip`) says about a
-- file's references, for the content it was computed on (`hash`, as in
-- `files`): postcard behind a format byte, zstd-compressed. A file whose
-- content changed falls back to weft's own resolution and loses its row.
-- Native snapshots only, like `facts`.
CREATE TABLE IF NOT EXISTS compiler_refs (
  path TEXT PRIMARY KEY,
  hash TEXT NOT NULL,
  data BLOB NOT NULL
);
