import { foldText } from "./normalize.ts";

const nonAscii = /[^ -~\s]/; // anything outside printable ASCII and white space
const marks = /\p{M}+/gu;
const camelPart = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+/g;

/**
 * What a character is to the scan in `compoundForms`, as bits: white space (JavaScript's
 * `\s`), a letter or digit (`[\p{L}\p{N}]`), a lower-case letter or digit
 * (`[\p{Ll}\p{N}]`), an upper-case letter (`\p{Lu}`). Anything else glues words.
 */
const space = 1;
const word = 2;
const lowerOrDigit = 4;
const upper = 8;

function classify(char: string): number {
  if (/^\s$/u.test(char)) return space;
  if (/^\p{Lu}$/u.test(char)) return word | upper;
  if (/^[\p{Ll}\p{N}]$/u.test(char)) return word | lowerOrDigit;
  return /^\p{L}$/u.test(char) ? word : 0;
}

const asciiClasses = Uint8Array.from({ length: 128 }, (_, code) =>
  classify(String.fromCharCode(code)),
);
const otherClasses = new Map<number, number>();

function classOf(code: number): number {
  if (code < 128) return asciiClasses[code] as number;
  let found = otherClasses.get(code);
  if (found === undefined) {
    found = classify(String.fromCodePoint(code));
    otherClasses.set(code, found);
  }
  return found;
}

/** Lower-cased, accent-free alphanumeric words of `text`, in order. */
export function words(text: string): string[] {
  return foldText(text).split(" ").filter(Boolean);
}

/**
 * The extra forms people type for compound words, which the index holds after
 * the text itself: "pre-training" also as "pretraining", "M^3ViT" as "m3vit",
 * "FlashRNN" as "flash" and "rnn". The words themselves are split by FTS5.
 *
 * A compound is a run of two or more words glued by anything but white space,
 * all its letters and digits, lower-cased; a camel-case word is a word whose
 * first character after the first that is not a lower-case letter or digit is
 * an upper-case letter ("GFlowNets", "MoE"). Compounds come first, then the
 * camel parts, each in text order. This runs for every paper ingested: plain
 * ASCII text (nearly every paper) is searched only for the places where words
 * are glued or capitals follow letters, with native regex scans; other text is
 * read once, character by character.
 */
export function compoundForms(text: string): string[] {
  return nonAscii.test(text)
    ? scanForms(text.normalize("NFKD").replace(marks, ""))
    : asciiForms(text);
}

/** In ASCII text: anything but white space, letters and digits, which glues words. */
const asciiGlue = /[^\sA-Za-z0-9]+/g;
const asciiNonWord = /[^A-Za-z0-9]+/g;
/** A capital after a letter or digit: the word holding it is camel case (in ASCII). */
const asciiCamel = /[A-Za-z0-9][A-Z]/g;

/** `compoundForms` of text whose characters are printable ASCII or white space. */
function asciiForms(text: string): string[] {
  const forms: string[] = [];
  const length = text.length;
  // A glued run (a word, glue, a word…) is wherever glue has a letter or digit on both sides.
  asciiGlue.lastIndex = 0;
  for (let match = asciiGlue.exec(text); match; match = asciiGlue.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (start === 0 || end === length) continue;
    if (!(asciiClassOf(text.charCodeAt(start - 1)) & word)) continue;
    if (!(asciiClassOf(text.charCodeAt(end)) & word)) continue;
    let from = start - 1;
    while (from > 0 && !isAsciiTextSpace(text.charCodeAt(from - 1))) from--;
    let to = end + 1;
    while (to < length && !isAsciiTextSpace(text.charCodeAt(to))) to++;
    forms.push(text.slice(from, to).replace(asciiNonWord, "").toLowerCase());
    asciiGlue.lastIndex = to;
  }
  asciiCamel.lastIndex = 0;
  for (let match = asciiCamel.exec(text); match; match = asciiCamel.exec(text)) {
    let from = match.index;
    while (from > 0 && asciiClassOf(text.charCodeAt(from - 1)) & word) from--;
    let to = match.index + 2;
    while (to < length && asciiClassOf(text.charCodeAt(to)) & word) to++;
    for (const part of camelParts(text.slice(from, to))) forms.push(part);
    asciiCamel.lastIndex = to;
  }
  return forms;
}

/** In text that passed the ASCII test, a character past ASCII can only be white space. */
function asciiClassOf(code: number): number {
  return code < 128 ? (asciiClasses[code] as number) : space;
}

function isAsciiTextSpace(code: number): boolean {
  return (asciiClassOf(code) & space) !== 0;
}

/** `compoundForms` of any text (accents already removed), one character at a time. */
function scanForms(source: string): string[] {
  const forms: string[] = [];
  let camels: string[] | undefined;
  const length = source.length;
  /** The current glued run: where its first word starts and ends, how many words it has. */
  let gluedStart = -1;
  let firstEnd = -1;
  let gluedWords = 0;
  let pieces: string[] | undefined;
  /** The current word: its start, and whether it is camel case (undecided until its second character). */
  let wordStart = -1;
  let camel = 0; // 0 undecided, 1 camel case, 2 not
  let next = 0;
  for (let i = 0; i <= length; i = next) {
    let kind = space;
    next = i + 1;
    if (i < length) {
      let code = source.charCodeAt(i);
      if (code >= 0xd800 && code < 0xdc00) code = source.codePointAt(i) as number;
      if (code > 0xffff) next++;
      kind = classOf(code);
    }
    if (kind & word) {
      if (wordStart < 0) {
        wordStart = i;
        camel = 0;
        if (gluedStart < 0) gluedStart = i;
      } else if (camel === 0 && !(kind & lowerOrDigit)) {
        camel = kind & upper ? 1 : 2;
      }
      continue;
    }
    if (wordStart >= 0) {
      if (camel === 1) {
        camels ??= [];
        for (const part of camelParts(source.slice(wordStart, i))) camels.push(part);
      }
      if (gluedWords === 0) firstEnd = i;
      else if (gluedWords === 1)
        pieces = [source.slice(gluedStart, firstEnd), source.slice(wordStart, i)];
      else pieces?.push(source.slice(wordStart, i));
      gluedWords++;
      wordStart = -1;
    }
    if (kind & space && gluedStart >= 0) {
      if (gluedWords >= 2) forms.push((pieces as string[]).join("").toLowerCase());
      gluedStart = -1;
      gluedWords = 0;
    }
  }
  if (camels) for (const part of camels) forms.push(part);
  return forms;
}

/** `text` as the search index holds it: the text, then its compound forms. */
export function indexedText(text: string): string {
  const forms = compoundForms(text);
  return forms.length ? `${text} ${forms.join(" ")}` : text;
}

/** "GFlowNets" → ["flow", "nets"]: the parts long enough to be words of their own. */
function camelParts(word: string): string[] {
  const parts = word.match(camelPart) ?? [];
  if (parts.length < 2) return [];
  return parts.filter((part) => part.length >= 3).map((part) => part.toLowerCase());
}
