import type { Db } from "../store/db.ts";
import { sharedStart } from "../text/near-miss.ts";
import { slipsIn } from "../text/typing.ts";

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
 * or two swapped. And those two slips away (`twoSlipsFrom`), found otherwise.
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
  /** The terms in order, for `twoSlipsFrom`, and those loaded since they were put in order. */
  let sorted: SortedTerms = { forwards: [], backwards: [] };
  let unsorted: string[] = [];

  /** The terms loaded (`load`), and in order for `twoSlipsFrom`. */
  function loadInOrder(): void {
    load();
    if (unsorted.length > 0) {
      sorted = withTerms(sorted, unsorted);
      unsorted = [];
    }
  }

  /** The terms, with any that other writers (or this one) added since the last look. */
  function load(): void {
    const last = lastId.get() as number;
    if (last <= loadedUpTo) return;
    for (const term of termsBetween.all(loadedUpTo, last) as string[]) {
      ages.set(term, ages.size);
      hashes.add(hashOf(term));
      unsorted.push(term);
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

    /**
     * Archive words exactly two slips from `word` (letters only; see `slips` in vocabulary.ts:
     * a letter missing, extra or wrong, or two side by side swapped, twice), alphabetically.
     */
    twoSlipsFrom(word: string): string[] {
      loadInOrder();
      return twoSlipsAway(word, sorted);
    },

    /**
     * The starts of archive words one slip from `typed`, a word being typed that starts none
     * (letters only; see `slips` in vocabulary.ts), alphabetically: "intrinsi" of "itrinsi".
     */
    startsOneSlipFrom(typed: string): string[] {
      loadInOrder();
      // Each of the few hundred words one slip from it looked up in the sorted terms: a walk of
      // them as a trie that allowed a slip anywhere took 1-3 ms for a slip in the first letters.
      return slipsIn(typed, typed.length, letters)
        .filter((start) => {
          const at = firstFrom(sorted.forwards, start, 0);
          return sorted.forwards[at]?.startsWith(start) === true;
        })
        .sort();
    },

    /**
     * Reads the terms and puts them in order now, not at the first word that needs them: a
     * tenth of a second at 41k papers, that the first search with a typo waited, and under
     * load every search queued behind it.
     */
    prepare: loadInOrder,

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
 * The terms exactly two slips from `word`, alphabetically: the optimal string alignment
 * distance (what the damerau-levenshtein package counts). Terms are walked in order as a trie
 * (`termsWithin`), twice: two slips leave one half of the word with one at most. Either the
 * word's first half has one slip at most (walked forwards), or both are in it or at its end,
 * and the term ends as the rest of the word (walked backwards, among the terms reversed). Each
 * walk drops the terms that start too far from the word early; a single walk allowing two
 * slips all along went through most terms of four letters' starts, 5-10 ms at 41k papers.
 */
function twoSlipsAway(word: string, terms: SortedTerms): string[] {
  const half = Math.floor(word.length / 2) + 1;
  const found = new Set<string>();
  for (const [term, slips] of termsWithin(word, terms.forwards, (row) => (row < half ? 1 : 2)))
    if (slips === 2) found.add(term);
  const rest = word.length - half;
  for (const [term, slips] of termsWithin(reversed(word), terms.backwards, (row) =>
    row < rest ? 0 : 2,
  ))
    if (slips === 2) found.add(reversed(term));
  return [...found].sort();
}

interface SortedTerms {
  forwards: string[];
  /** Each term reversed, sorted. */
  backwards: string[];
}

const reversed = (word: string) => [...word].reverse().join("");

/**
 * The sorted terms with `added` put in place: the new words of an ingest merged in, where
 * sorting every term again (reversed too) took 75 ms at 41k papers.
 */
function withTerms(sorted: SortedTerms, added: string[]): SortedTerms {
  return {
    forwards: merged(sorted.forwards, added.toSorted()),
    backwards: merged(sorted.backwards, added.map(reversed).sort()),
  };
}

/** Two sorted lists as one. */
function merged(a: readonly string[], b: readonly string[]): string[] {
  const all: string[] = [];
  let [i, j] = [0, 0];
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as string) < (b[j] as string)))
      all.push(a[i++] as string);
    else all.push(b[j++] as string);
  }
  return all;
}

/**
 * The `sorted` terms at most two slips from `word`, with their slips, that at each of their
 * starts are no more than `most(length of the start)` from some start of the word. A term's
 * rows of slips are those of the term before it as far as they start alike; once the least
 * of a row is over what is allowed, no later row has less, and every term starting so is
 * skipped.
 */
function termsWithin(
  word: string,
  sorted: readonly string[],
  most: (row: number) => number,
): [string, number][] {
  const n = word.length;
  // rows[d][j]: slips from the term's first d letters to the word's first j.
  const rows = Array.from({ length: longestTerm + 1 }, () => new Int32Array(n + 1));
  for (let j = 0; j <= n; j++) (rows[0] as Int32Array)[j] = Math.min(j, tooFar);
  const found: [string, number][] = [];
  /** The start the rows are of, up to its length. */
  let rowsOf = "";
  let i = 0;
  while (i < sorted.length) {
    const term = sorted[i] as string;
    let depth = sharedStart(term, rowsOf);
    while (depth < term.length && nextRow(rows, depth, term, word) <= most(depth + 1)) depth++;
    if (depth < term.length) {
      rowsOf = term.slice(0, depth + 1);
      // No term with this start is near: on to the first without it.
      i = firstFrom(sorted, rowsOf + afterLetters, i + 1);
      continue;
    }
    rowsOf = term;
    const slips = (rows[term.length] as Int32Array)[n] as number;
    if (slips <= 2) found.push([term, slips]);
    i++;
  }
  return found;
}

/** More slips than a term may be from the word: every count past two is this. */
const tooFar = 3;

/**
 * Fills rows[depth + 1] for the term's letter at `depth` (see `termsWithin`), and gives its
 * least value. Only the cells two from the row's own at most: the others are `tooFar`, as a
 * start and a word's start whose lengths differ by three are.
 */
function nextRow(rows: Int32Array[], depth: number, term: string, word: string): number {
  const row = rows[depth + 1] as Int32Array;
  const above = rows[depth] as Int32Array;
  const twoAbove = rows[depth - 1];
  const letter = term.charCodeAt(depth);
  const previous = term.charCodeAt(depth - 1);
  const first = Math.max(1, depth - 1);
  const last = Math.min(word.length, depth + 3);
  row[first - 1] = first === 1 ? Math.min(depth + 1, tooFar) : tooFar;
  if (last < word.length) row[last + 1] = tooFar;
  let least = tooFar;
  for (let j = first; j <= last; j++) {
    const cost = letter === word.charCodeAt(j - 1) ? 0 : 1;
    let value = Math.min(
      (above[j] as number) + 1,
      (row[j - 1] as number) + 1,
      (above[j - 1] as number) + cost,
      tooFar,
    );
    // Two letters side by side swapped are one slip.
    if (
      twoAbove &&
      j > 1 &&
      letter === word.charCodeAt(j - 2) &&
      previous === word.charCodeAt(j - 1)
    )
      value = Math.min(value, (twoAbove[j - 2] as number) + cost);
    row[j] = value;
    if (value < least) least = value;
  }
  if (first === 1 && (row[0] as number) < least) least = row[0] as number;
  return least;
}

/** The first index from `from` on of a `sorted` term not before `text`. */
function firstFrom(sorted: readonly string[], text: string, from: number): number {
  let [low, high] = [from, sorted.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as string) < text) low = middle + 1;
    else high = middle;
  }
  return low;
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
