import { joinBrokenWords } from "./line-breaks.ts";

/**
 * Control characters: archive text is shown in terminals, where an escape sequence in a title
 * would retitle the window or clear the screen. And Unicode's explicit direction controls
 * (embeddings, overrides, isolates; not the marks that Arabic or Hebrew text uses): a title
 * with a right-to-left override (U+202E) turned the rest of its line around where Discord
 * shows it, the reasons after it in `/roundup preview` too. All in the BMP: no `u` flag.
 */
const controls = "\\x00-\\x1f\\x7f-\\x9f\\u202a-\\u202e\\u2066-\\u2069";
const untidy = new RegExp(`[\\s${controls}]+`, "g");
/**
 * White space other than a single space, or a control character: with a space at either end,
 * exactly what `normalizeWhitespace` changes. Most text is clean already (50 MB of abstracts
 * at 41k papers), and testing is several times faster than rewriting it.
 */
const untidySpot = new RegExp(`[^\\S ]| {2}|[${controls}]`);

/**
 * Collapses every run of white space (arXiv line wraps, tabs, NBSP) or control characters
 * to one space, and trims.
 */
export function normalizeWhitespace(text: string): string {
  const untidyText = untidySpot.test(text) || text.startsWith(" ") || text.endsWith(" ");
  return untidyText ? text.replace(untidy, " ").trim() : text;
}

/**
 * The ligatures of Latin letters ("ﬁ", "ﬂ", "ﬃ"…), which text copied out of PDFs has: 615
 * abstracts of the 41k corpus, "classiﬁcation" or "ﬁne-tuning" among their words. Kept, the
 * index's tokenizer took them for letters of their own: none of those words was found by what
 * anyone types, nor highlighted, nor an acronym's definition with one counted.
 */
export const latinLigatures = "\ufb00-\ufb06";
const ligature = new RegExp(`[${latinLigatures}]`, "g");

/** `text` with its ligatures as the letters they join: "classiﬁcation" as "classification". */
const ligaturesAsLetters = (text: string): string =>
  text.replace(ligature, (joined) => joined.normalize("NFKC"));

/**
 * Characters that show nothing and are no white space either: zero-width spaces, word joiners,
 * soft hyphens and byte order marks (not the zero-width joiners that emoji and some scripts
 * need). Copied from web pages, "Graph\u200bMamba" looked like "GraphMamba" yet was another
 * title (two papers) and two words no one could search for.
 */
export const invisibles = "\u00ad\u200b\u2060\ufeff";
/**
 * The invisible characters, and the white space after a soft hyphen: where one is followed by
 * some, it marked where a word was broken across lines ("prob\u00ad lems"), and the word is one.
 */
export const invisibleCharacters = new RegExp(`\u00ad\\s*|[${invisibles}]`, "g");

/**
 * What PDF text extraction writes for a glyph it has no character for, "(cid:12)", and the
 * characters the ones the 41k corpus has most mean (1,601 of its abstracts have some): a soft
 * hyphen breaking a word across lines ("prob(cid:173) lems"), TeX's ligatures before a letter
 * ("classi(cid:12)cation", "e(cid:14)cient", another font's "(cid:2)rst") and quotation
 * marks. Kept, a word broken so was two words no one searches for, and readers saw the codes.
 * Others (one code is "−" in one font and "μ" in another) stay as they are.
 */
const glyphCodes: Readonly<Record<string, string>> = {
  173: "\u00ad",
  2: "fi",
  3: "fl",
  11: "ff",
  12: "fi",
  13: "fl",
  14: "ffi",
  15: "ffl",
  147: "\u201c",
  148: "\u201d",
};
/** Ligature codes are read so before a lower-case letter only: "(cid:15)-tube" is an epsilon's. */
const glyphCode = /\(cid:(173|147|148)\)|\(cid:(2|3|1[1-5])\)(?=\p{Ll})/gu;

/** `text` with the glyph codes of `glyphCodes` as their characters. */
const glyphCodesAsCharacters = (text: string): string =>
  text.includes("(cid:")
    ? text.replace(glyphCode, (_, other, ligature) => glyphCodes[other ?? ligature] as string)
    : text;

/**
 * A paper's text as the archive keeps it: PDF glyph codes and ligatures as letters, no
 * invisible characters, words broken across lines whole, white space normalised.
 */
export const tidyText = (text: string): string =>
  normalizeWhitespace(
    joinBrokenWords(
      ligaturesAsLetters(glyphCodesAsCharacters(text)).replace(invisibleCharacters, ""),
    ),
  );

const nonAscii = /[\u0080-\uffff]/;
const asciiNonWord = /[^a-z0-9]+/g;

/** Lower case, accents removed, and every run of non-alphanumerics folded to one space. */
export function foldText(text: string): string {
  // ASCII needs no decomposition: the same result, several times faster.
  if (!nonAscii.test(text)) return text.toLowerCase().replace(asciiNonWord, " ").trim();
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** `text` with its accents removed, and for each of its code units the span of `original` it came from. */
export interface Unaccented {
  text: string;
  /** The index in `original` of the character each code unit of `text` comes from. */
  starts: number[];
  /** The index in `original` of that character's last code unit, accents after it included. */
  ends: number[];
}

/**
 * `original` with its accents removed as `foldText` removes them ("Schrödinger" as
 * "Schrodinger"), case and everything else kept, and where each character came from: a
 * match in the text found as the index reads it, given back in the places of the text
 * shown. A character may become several ("ǆ" as "dz") or none (a combining accent, which
 * then belongs to the letter before it).
 */
export function unaccented(original: string): Unaccented {
  // Joined once at the end: a string built a character at a time was a chain of thousands of
  // pieces, which every regular expression run on it first had to copy (20 µs an abstract).
  const pieces: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  while (at < original.length) {
    let asciiEnd = at;
    while (asciiEnd < original.length && original.charCodeAt(asciiEnd) < 0x80) asciiEnd++;
    if (asciiEnd > at) {
      pieces.push(original.slice(at, asciiEnd));
      for (; at < asciiEnd; at++) {
        starts.push(at);
        ends.push(at);
      }
      continue;
    }
    const size = (original.codePointAt(at) as number) > 0xffff ? 2 : 1;
    const folded = original
      .slice(at, at + size)
      .normalize("NFKD")
      .replace(accents, "");
    if (folded.length === 0 && ends.length > 0) ends[ends.length - 1] = at + size - 1;
    for (let unit = 0; unit < folded.length; unit++) {
      starts.push(at);
      ends.push(at + size - 1);
    }
    pieces.push(folded);
    at += size;
  }
  return { text: pieces.join(""), starts, ends };
}

const accents = /\p{M}+/gu;

/**
 * A paper's identity when it has no arXiv id: its title folded, so that
 * "Graph-Mamba:  Towards…" on one page and "graph mamba towards…" in a dump
 * are the same paper.
 */
export const titleKey = foldText;
