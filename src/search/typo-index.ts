import type { Db } from "../store/db.ts";

/**
 * Words worth correcting typos into: letters only, not too short or long. A word of one paper
 * counts: most words of a small archive are (half of the 7,000 of data/archive's), and a typo
 * of one ("sprayng" for the one paper on packet spraying) found nothing. A typo is still read
 * as the more common of its neighbours (see `correct` in vocabulary.ts).
 */
const correctableShape = (term: string) =>
  `length(${term}) BETWEEN 4 AND 24 AND ${term} NOT GLOB '*[^a-z]*'`;
/** The tokenizer of papers_fts (migration 1): a batch's words are read as the index reads them. */
const indexTokenizer = "unicode61 remove_diacritics 2";
/**
 * Papers written at once up to which only their own words are looked at for new terms (see
 * `update`): beyond it, reading every word of the index once costs less.
 */
const batchLimit = 2_000;
const letters = "abcdefghijklmnopqrstuvwxyz";
/** After every term that starts with a given text: the character after "z" (terms are a-z). */
const afterLetters = "{";
const longestTerm = 24;

/**
 * The archive's words worth correcting typos into, and for a typed word those
 * one edit away: a word and a term are neighbours when leaving one letter out
 * of each (or of neither) makes them equal — a letter missing, extra, wrong,
 * or two swapped.
 *
 * The terms table lists the words; their neighbours are found in memory. A
 * term sharing a variant of the typed word (the word, or it without one
 * letter) is that variant or the variant with one letter more, so every letter
 * is tried at every place of every variant: a few thousand candidates for a
 * word, each looked up by a rolling hash and built as a string only when some
 * term has that hash, a tenth of a millisecond in all. Keeping a table of
 * every term's variants instead (380k rows at 41k papers) cost a third of a
 * large ingest.
 */
export function createTypoIndex(db: Db) {
  const insertNewWords = db.prepare(
    `INSERT INTO terms (term) SELECT term FROM papers_vocab
     WHERE ${correctableShape("papers_vocab.term")} AND doc > 0
     AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.term = papers_vocab.term)`,
  );
  const batch = lazyBatchStatements(db);
  const lastId = db.prepare("SELECT coalesce(max(id), 0) FROM terms").pluck();
  const termsBetween = db
    .prepare("SELECT term FROM terms WHERE id > ? AND id <= ? ORDER BY id")
    .pluck();
  const termsFrom = db
    .prepare("SELECT term FROM terms WHERE term >= ? AND term < ? ORDER BY term LIMIT ?")
    .pluck();
  /**
   * Every term and how old it is (0 for the first), read from the terms table as it grows:
   * terms are never removed, and a new one has a higher id than any before it.
   */
  const ages = new Map<string, number>();
  const hashes = new Set<number>();
  let loadedUpTo = 0;

  /** The terms, with any that other writers (or this one) added since the last look. */
  function load(): void {
    const last = lastId.get() as number;
    if (last <= loadedUpTo) return;
    for (const term of termsBetween.all(loadedUpTo, last) as string[]) {
      ages.set(term, ages.size);
      hashes.add(hashOf(term));
    }
    loadedUpTo = last;
  }

  return {
    /**
     * Adds the words that became correctable, given the text of each paper just indexed. Run in
     * the transaction that indexed them.
     *
     * A word becomes correctable when a paper that has it is indexed, so the papers' own
     * words are enough: read by the index's tokenizer from a scratch index of their text (the
     * text written to papers_fts). Reading every word of the index instead took 0.14 s at
     * 41k papers, for every file however small: most of ingesting a folder of daily pages.
     * New terms go in alphabetically either way, as the whole-index read adds them.
     */
    update(paperTexts: readonly string[]): void {
      const { insertText, insertNewBatchWords, clear } = batch();
      for (const text of paperTexts) insertText.run(text);
      insertNewBatchWords.run();
      clear.run();
    },

    /** Papers written at once beyond which `addEveryNewWord` costs less than `update`. */
    maxBatch: batchLimit,

    /** As `update`, for every paper of the index: reads every word of it once. */
    addEveryNewWord(): void {
      insertNewWords.run();
    },

    /**
     * Archive words one edit away from `word` (lower case; which may itself be one): for each
     * of the word's variants in order (itself and its forms without one letter, sorted), the
     * terms sharing that variant, oldest first, each once.
     */
    neighbours(word: string): string[] {
      load();
      return neighboursOf(word, ages, hashes);
    },

    /** The terms `start` begins, alphabetically, `limit` at most (the table's index finds them). */
    startingWith(start: string, limit: number): string[] {
      return termsFrom.all(start, start + afterLetters, limit) as string[];
    },
  };
}

/**
 * The statements over a scratch index of a batch's text, in the temp schema (never written to
 * the database file), tokenized as papers_fts is. The tables are made on every use: made in
 * the transaction of an ingest that then failed, they went with its rollback, and every later
 * ingest on the connection failed on "no such table".
 */
function lazyBatchStatements(db: Db) {
  let statements: ReturnType<typeof prepareBatchStatements> | undefined;
  return () => {
    db.exec(`
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.typo_batch USING fts5(
        text, content = '', detail = none, tokenize = '${indexTokenizer}'
      );
      CREATE VIRTUAL TABLE IF NOT EXISTS temp.typo_batch_words USING fts5vocab(temp, typo_batch, 'row');
    `);
    statements ??= prepareBatchStatements(db);
    return statements;
  };
}

function prepareBatchStatements(db: Db) {
  return {
    insertText: db.prepare("INSERT INTO temp.typo_batch (text) VALUES (?)"),
    insertNewBatchWords: db.prepare(
      `INSERT INTO terms (term) SELECT batch.term FROM temp.typo_batch_words AS batch
       WHERE ${correctableShape("batch.term")}
       AND NOT EXISTS (SELECT 1 FROM terms t WHERE t.term = batch.term)
       ORDER BY batch.term`,
    ),
    clear: db.prepare("INSERT INTO temp.typo_batch (typo_batch) VALUES ('delete-all')"),
  };
}

/** A word and every form of it with one letter left out. */
function typoVariants(word: string): Set<string> {
  const variants = new Set([word]);
  for (let i = 0; i < word.length; i++) variants.add(word.slice(0, i) + word.slice(i + 1));
  return variants;
}

function neighboursOf(word: string, ages: Map<string, number>, hashes: Set<number>): string[] {
  const found: string[] = [];
  const seen = new Set<string>();
  for (const variant of [...typoVariants(word)].sort()) {
    const sharing: [number, string][] = [];
    const consider = (term: string) => {
      const age = ages.get(term);
      if (age !== undefined && !seen.has(term)) {
        seen.add(term);
        sharing.push([age, term]);
      }
    };
    consider(variant);
    // No term is longer than 24 letters or has anything but a-z.
    if (variant.length < longestTerm && /^[a-z]*$/.test(variant)) {
      const hashed = new Hashes(variant);
      for (let at = 0; at <= variant.length; at++) {
        for (let letter = 1; letter <= 26; letter++) {
          if (hashes.has(hashed.withLetter(at, letter)))
            consider(variant.slice(0, at) + letters[letter - 1] + variant.slice(at));
        }
      }
    }
    sharing.sort((a, b) => a[0] - b[0]);
    for (const [, term] of sharing) found.push(term);
  }
  return found;
}

/**
 * A polynomial hash of a word in 32-bit arithmetic, cut to 30 bits (a small integer for
 * V8): a few chance matches among thousands of candidates, each ruled out by a lookup.
 */
const base = 31;
const hashBits = 0x3fffffff;
const powers = [1];
for (let i = 1; i <= longestTerm + 1; i++) powers.push(Math.imul(powers[i - 1] as number, base));

/** 1 to 26 for "a" to "z". */
function code(word: string, at: number): number {
  return word.charCodeAt(at) - 96;
}

function hashOf(term: string): number {
  let hash = 0;
  for (let i = 0; i < term.length; i++) hash = (Math.imul(hash, base) + code(term, i)) | 0;
  return hash & hashBits;
}

/** The hashes of a word's prefixes and suffixes, to hash it with a letter put in anywhere. */
class Hashes {
  /** hash(word[0, i)) and hash(word[i, end)), before the cut to 30 bits. */
  private readonly prefix: number[] = [0];
  private readonly suffix: number[];

  constructor(word: string) {
    const n = word.length;
    for (let i = 0; i < n; i++)
      this.prefix.push((Math.imul(this.prefix[i] as number, base) + code(word, i)) | 0);
    this.suffix = new Array<number>(n + 1).fill(0);
    for (let i = n - 1; i >= 0; i--) {
      this.suffix[i] =
        (Math.imul(code(word, i), powers[n - 1 - i] as number) + (this.suffix[i + 1] as number)) |
        0;
    }
  }

  /** hash(before + letter + after) = hash(before)·B^(|after|+1) + letter·B^|after| + hash(after). */
  withLetter(at: number, letter: number): number {
    const after = this.suffix.length - 1 - at;
    const high = Math.imul(this.prefix[at] as number, powers[after + 1] as number);
    const middle = Math.imul(letter, powers[after] as number);
    return ((high + middle + (this.suffix[at] as number)) | 0) & hashBits;
  }
}
