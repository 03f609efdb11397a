/**
 * Numbered schema migrations. Migration N brings a database from
 * `user_version` N-1 to N; each runs in its own transaction together with the
 * `user_version` bump, so a failed migration leaves the file as it was.
 * Append new migrations; never edit one that has shipped.
 */
export const migrations: readonly string[] = [
  /* 1: papers, their sources, and the search index */ `
  CREATE TABLE papers (
    id            INTEGER PRIMARY KEY,
    arxiv_id      TEXT UNIQUE,
    title_key     TEXT NOT NULL,          -- normalised title: identity when there is no arXiv id
    title         TEXT NOT NULL,
    abstract      TEXT NOT NULL,
    authors       TEXT,                   -- names joined by ', ' when a source lists them
    authors_count INTEGER,
    published     TEXT,                   -- ISO date (YYYY-MM-DD)
    upvotes       INTEGER,
    first_seen    TEXT NOT NULL,          -- ISO timestamp of the first ingest that saw it
    updated_at    TEXT NOT NULL
  );
  CREATE INDEX papers_title_key ON papers(title_key);
  CREATE INDEX papers_first_seen ON papers(first_seen);

  CREATE TABLE sources (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,     -- as given to ingest, resolved to an absolute path
    format      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    page_date   TEXT,                     -- the listing's own date, for Daily Papers pages
    ingested_at TEXT NOT NULL,
    papers      INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    warnings    INTEGER NOT NULL
  );

  CREATE TABLE paper_sources (
    paper_id  INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
    line      INTEGER NOT NULL,
    PRIMARY KEY (paper_id, source_id)
  ) WITHOUT ROWID;
  CREATE INDEX paper_sources_source ON paper_sources(source_id);

  -- Full-text index over title and abstract, plus the compound forms of
  -- src/text/tokens.ts appended. Contentless: the text lives in papers; rowid = papers.id.
  -- No stemmer: its vocabulary is the words as written, which typo correction needs;
  -- plurals are matched at query time.
  CREATE VIRTUAL TABLE papers_fts USING fts5(
    title, abstract,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
  );
  -- Every indexed word with the number of papers that have it.
  CREATE VIRTUAL TABLE papers_vocab USING fts5vocab(papers_fts, 'row');
  -- Titles alone, with prefix indexes, for autocomplete while someone types.
  CREATE VIRTUAL TABLE titles_fts USING fts5(
    title,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
  );

  -- Words worth correcting typos into (see src/search/typo-index.ts), and each
  -- word's one-deletion variants, so candidates are found with an index seek.
  CREATE TABLE terms (
    id   INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE
  );
  CREATE TABLE term_variants (
    variant TEXT NOT NULL,
    term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
    PRIMARY KEY (variant, term_id)
  ) WITHOUT ROWID;

  -- Acronyms the archive defines itself, e.g. "graph neural networks (GNNs)".
  CREATE TABLE acronyms (
    acronym   TEXT NOT NULL,
    expansion TEXT NOT NULL,              -- normalised words, space separated
    count     INTEGER NOT NULL,
    PRIMARY KEY (acronym, expansion)
  ) WITHOUT ROWID;
  CREATE INDEX acronyms_expansion ON acronyms(expansion);
  `,
  /* 2: small facts Paperboy remembers between runs, e.g. which commands it registered */ `
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
];
