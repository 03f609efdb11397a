/**
 * Unicode's explicit direction controls (embeddings, overrides, isolates), as
 * src/text/normalize.ts takes them out of paper text: U+202A–U+202E and U+2066–U+2069.
 */
const directionControls = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];

/** A GLOB pattern for text with a direction control in it. */
const anyDirectionControl = "*[\u202a-\u202e\u2066-\u2069]*";

/**
 * SQL for `column` with each of the characters `codes` a space, then each run of spaces one
 * space (every space followed by \x01, each "\x01 " dropped, then the last \x01: such text has
 * no control characters to be mistaken for it), trimmed.
 */
function spacedOut(column: string, codes: readonly number[]): string {
  const spaced = codes.reduce((text, code) => `replace(${text}, char(${code}), ' ')`, column);
  const collapsed = `replace(replace(replace(${spaced}, ' ', ' ' || char(1)), char(1) || ' ', ''), char(1), '')`;
  return `trim(${collapsed}, ' ')`;
}

/**
 * SQL for `column` as normalizeWhitespace now leaves text it had left as it was before it
 * took direction controls out: each becomes a space, then runs of spaces one (`spacedOut`).
 */
const tidied = (column: string): string => spacedOut(column, directionControls);

/**
 * The double quote marks a topic's words are quoted by since migration 12 (straight, “ ” „ « »),
 * as src/text/quotes.ts had them then: a migration does not change with that file.
 */
const topicQuoteMarks = [0x22, 0x201c, 0x201d, 0x201e, 0xab, 0xbb];

/** SQL for a topic `column` without its quote marks, each a space (see `spacedOut`). */
const unquoted = (column: string): string => spacedOut(column, topicQuoteMarks);

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

  -- Words worth correcting typos into (see src/search/typo-index.ts, which finds
  -- a misspelt word's neighbours among them in memory).
  CREATE TABLE terms (
    id   INTEGER PRIMARY KEY,
    term TEXT NOT NULL UNIQUE
  );

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
  /* 3: daily roundups — subscriptions, their outbox, and what each channel was sent */ `
  -- One subscription per channel; the guild owns it (created_by is only for the record).
  -- Discord snowflakes are TEXT: they overflow a double.
  CREATE TABLE subscriptions (
    id              INTEGER PRIMARY KEY,
    guild_id        TEXT NOT NULL,
    channel_id      TEXT NOT NULL UNIQUE,
    time            TEXT NOT NULL DEFAULT '09:00',  -- HH:MM, local to time_zone
    time_zone       TEXT NOT NULL DEFAULT 'UTC',    -- IANA name
    days            TEXT NOT NULL DEFAULT 'every' CHECK (days IN ('every', 'weekdays')),
    max_papers      INTEGER NOT NULL DEFAULT 10 CHECK (max_papers BETWEEN 1 AND 25),
    post_when_empty INTEGER NOT NULL DEFAULT 0 CHECK (post_when_empty IN (0, 1)),
    status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'disabled')),
    status_reason   TEXT,                           -- why it is paused or disabled
    status_since    TEXT,
    admins_told     INTEGER NOT NULL DEFAULT 0,     -- the guild was told of status_reason
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
  );
  CREATE INDEX subscriptions_guild ON subscriptions(guild_id);

  CREATE TABLE subscription_topics (
    subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    topic           TEXT NOT NULL COLLATE NOCASE,
    position        INTEGER NOT NULL,
    PRIMARY KEY (subscription_id, topic)
  ) WITHOUT ROWID;

  -- The outbox: one roundup per subscription and local date, planned (papers chosen,
  -- messages rendered) in one transaction, then sent message by message.
  CREATE TABLE roundups (
    id              INTEGER PRIMARY KEY,
    subscription_id INTEGER NOT NULL REFERENCES subscriptions(id) ON DELETE CASCADE,
    local_date      TEXT NOT NULL,                  -- YYYY-MM-DD in the subscription's zone
    window_start    TEXT NOT NULL,                  -- papers first seen after this …
    window_end      TEXT NOT NULL,                  -- … and up to this (ISO timestamps)
    status          TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'skipped', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    retry_at        TEXT,                           -- next attempt after a transient failure
    last_error      TEXT,
    planned_at      TEXT NOT NULL,
    finished_at     TEXT,
    UNIQUE (subscription_id, local_date)
  );
  CREATE INDEX roundups_status ON roundups(status);

  CREATE TABLE roundup_messages (
    roundup_id INTEGER NOT NULL REFERENCES roundups(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    body       TEXT NOT NULL,                       -- the message as JSON, frozen when planned
    paper_ids  TEXT NOT NULL,                       -- JSON array of the papers it carries
    message_id TEXT,                                -- Discord's id, set in the same transaction as posted_papers
    sent_at    TEXT,
    PRIMARY KEY (roundup_id, seq)
  ) WITHOUT ROWID;

  -- Every paper a channel was sent, so none is sent twice, whatever the subscription.
  CREATE TABLE posted_papers (
    channel_id TEXT NOT NULL,
    paper_id   INTEGER NOT NULL REFERENCES papers(id) ON DELETE CASCADE,
    roundup_id INTEGER REFERENCES roundups(id) ON DELETE SET NULL,
    posted_at  TEXT NOT NULL,
    PRIMARY KEY (channel_id, paper_id)
  ) WITHOUT ROWID;
  `,
  /* 4: the newest papers in order, for /paper before anything is typed (papers.recent) */ `
  -- Without it each ask sorted the whole table: 35–140 ms of the bot's event loop at 41k
  -- papers, again after any write. The columns are papers.recent's ORDER BY, exactly.
  CREATE INDEX papers_recent ON papers(published IS NULL, published DESC, upvotes DESC, id DESC);
  `,
  /* 5: when each channel last had its roundup, remembered past /unsubscribe */ `
  -- A roundup that reached the channel (papers, or "Nothing new") or had nothing to post:
  -- that day is done for the channel. Its roundups go with an /unsubscribe, and a day
  -- without papers leaves no posted_papers row, so a channel subscribed again for a later
  -- time that day got a second "Nothing new", or a second roundup. By channel, as
  -- posted_papers: Discord's channel ids are unique across servers.
  CREATE TABLE channel_served (
    channel_id TEXT PRIMARY KEY,
    served_at  TEXT NOT NULL                        -- ISO timestamp of the latest
  ) WITHOUT ROWID;
  INSERT INTO channel_served (channel_id, served_at)
    SELECT channel_id, max(at) FROM (
      SELECT channel_id, posted_at AS at FROM posted_papers
      UNION ALL
      -- planned_at if ever finished_at were missing: a NULL max broke the NOT NULL, and the
      -- whole migration with it.
      SELECT subscriptions.channel_id, coalesce(roundups.finished_at, roundups.planned_at)
        FROM roundups JOIN subscriptions ON subscriptions.id = roundups.subscription_id
        WHERE roundups.status IN ('sent', 'skipped')
    ) GROUP BY channel_id;
  `,
  /* 6: direction controls out of paper text stored before ingest dropped them */ `
  -- Ingest makes them spaces now (src/text/normalize.ts), but only in the files it reads
  -- again: a stored title with a right-to-left override still turned its line around.
  UPDATE papers SET
    title = ${tidied("title")},
    abstract = ${tidied("abstract")},
    authors = ${tidied("authors")}
  WHERE title GLOB '${anyDirectionControl}' OR abstract GLOB '${anyDirectionControl}'
    OR authors GLOB '${anyDirectionControl}';
  `,
  /* 7: roundup messages Discord refused as they were (AutoMod, an invalid body) */ `
  -- Why Discord refused the message for what it is (a 4xx that sending it again would only
  -- repeat: an AutoMod block raised another alert to the server's moderators each time).
  -- Such a message is done with, not sent: neither retried nor its papers counted as posted.
  ALTER TABLE roundup_messages ADD COLUMN refused TEXT;
  `,
  /* 8: the papers added or changed since the search index was last merged (meta.ts) */ `
  -- Before merges, every paper: a database from then has its index merged at its next ingest.
  INSERT INTO meta (key, value) SELECT 'index:unmerged-changes', count(*) FROM papers;
  `,
  /* 9: words of one paper become typo corrections too (src/search/typo-index.ts) */ `
  INSERT INTO terms (term) SELECT term FROM papers_vocab
  WHERE length(term) BETWEEN 4 AND 24 AND term NOT GLOB '*[^a-z]*' AND doc > 0
  AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.term = papers_vocab.term);
  `,
  /* 10: where each paper was published, a conference's or a journal's (src/archive/fields.ts) */ `
  ALTER TABLE papers ADD COLUMN venue TEXT;
  -- Only JSON holds venues. A file whose bytes have not changed is skipped by ingest, so the
  -- papers of one stored before would have none until it changed: it is read again, once.
  UPDATE sources SET sha256 = '' WHERE format IN ('jsonl', 'hf-json');
  `,
  /* 11: the channels sent papers \`paperboy forget\` took out (src/store/forgotten-posts.ts) */ `
  CREATE TABLE forgotten_posts (
    channel_id TEXT NOT NULL,
    arxiv_id   TEXT,                                -- the paper, as papers.find knows one
    title_key  TEXT NOT NULL,
    posted_at  TEXT NOT NULL
  );
  CREATE INDEX forgotten_posts_arxiv_id ON forgotten_posts(arxiv_id);
  CREATE INDEX forgotten_posts_title_key ON forgotten_posts(title_key);
  `,
  /* 12: quote marks out of the topics stored before they kept words as typed (src/text/quotes.ts) */ `
  -- They meant nothing then (taken off around a topic, left within it); a topic keeps to what it
  -- matched. Two of a channel's topics that become the same (\`"a" b\` and \`a b\`): the first stays.
  DELETE FROM subscription_topics AS later WHERE EXISTS (
    SELECT 1 FROM subscription_topics AS earlier
    WHERE earlier.subscription_id = later.subscription_id AND earlier.position < later.position
      AND ${unquoted("earlier.topic")} = ${unquoted("later.topic")} COLLATE NOCASE
  );
  UPDATE subscription_topics SET topic = ${unquoted("topic")}
  WHERE topic GLOB '*[${String.fromCodePoint(...topicQuoteMarks)}]*';
  `,
];
