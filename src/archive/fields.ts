import { truncate } from "../text/format.ts";
import { tidyText } from "../text/normalize.ts";
import { excerpt } from "./lines.ts";

/** Reading loosely typed JSON: fields are looked up by name, whatever the object holds. */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A string field tidied (`tidyText`: arXiv wraps lines, PDFs' ligatures), undefined when absent
 * or blank.
 */
function cleanText(value: unknown): string | undefined {
  return typeof value === "string" ? tidyText(value) || undefined : undefined;
}

// New style "2101.00001" (4 digits until 2014, then 5), old style "hep-th/9901001" or
// "math.CA/0611800", whose subject class (".CA") is no part of the id: arXiv calls that paper
// math/0611800, as its snapshot does. Either may carry a version ("v2") and an "arXiv:" prefix.
const arxivIdPattern =
  /^(?:arxiv:)?(?:(\d{4}\.\d{4,5})|([a-z][a-z-]*)(?:\.[a-z]{2})?\/(\d{7}))(?:v\d+)?$/iu;

/**
 * Links that name a paper by its arXiv id, which each captures: its arXiv pages
 * (/abs/2401.00001v2, /pdf/2401.00001.pdf, /html/…, also on www. and export.), its Hugging
 * Face paper page (huggingface.co/papers/2401.00001, hf.co/…), its arXiv DOI, as a doi.org link
 * or as citations write it ("10.48550/arXiv.2401.00001", "doi:10.48550/…"), and its pages on
 * the sites that show arXiv papers by their id (alphaxiv.org/abs/…, /overview/…; ar5iv's
 * /html/…; semanticscholar.org/arxiv/…): /paper said the archive had no paper of such a link.
 */
const paperLinks = [
  /^(?:https?:\/\/)?(?:www\.|export\.)?arxiv\.org\/(?:abs|pdf|html)\/([^?#\s]+?)(?:\.pdf)?\/?(?:[?#].*)?$/i,
  /^(?:https?:\/\/)?(?:www\.)?(?:huggingface|hf)\.co\/papers\/([^?#\s/]+)\/?(?:[?#].*)?$/i,
  /^(?:(?:https?:\/\/)?(?:dx\.)?doi\.org\/|doi:\s*)?10\.48550\/arxiv\.([^?#\s/]+)$/i,
  /^(?:https?:\/\/)?(?:www\.)?(?:alphaxiv\.org\/(?:abs|overview|pdf)|ar5iv(?:\.labs\.arxiv)?\.org\/(?:abs|html)|semanticscholar\.org\/arxiv)\/([^?#\s/]+?)(?:\.pdf)?\/?(?:[?#].*)?$/i,
];

/** Whether `text` is a link of `paperLinks`, to a paper or not (arxiv.org/abs/nonsense). */
export const isPaperLink = (text: string): boolean => paperLinks.some((link) => link.test(text));

/**
 * The arXiv id without its version, of an id or a link to the paper (`paperLinks`: the arXiv
 * API names papers by "http://arxiv.org/abs/2401.00001v1"), or undefined for anything else —
 * including the venue ids ("icml-2018-2485") that dumps of conference papers use.
 */
export function arxivId(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  const match =
    arxivIdPattern.exec(text) ??
    arxivIdPattern.exec(paperLinks.map((link) => link.exec(text)?.[1]).find(Boolean) ?? "");
  if (!match) return undefined;
  return match[1] ?? `${match[2]?.toLowerCase()}/${match[3]}`;
}

/**
 * A non-negative whole number, such as an upvote count: a JSON number, or digits in a string
 * ("12"), as spreadsheets and scrapers write them.
 */
export function count(value: unknown): number | undefined {
  const number = typeof value === "string" && /^\s*\d+\s*$/u.test(value) ? Number(value) : value;
  return Number.isSafeInteger(number) && (number as number) >= 0 ? (number as number) : undefined;
}

/**
 * The most characters a venue may have. The longest `journal-ref` of 200 records of the arXiv
 * snapshot has 179 (a proceedings' full name, pages and year), the corpus's `venue`s 12; longer
 * is some other text in its place, cut rather than shown whole under every paper.
 */
const maxVenueLength = 300;

/**
 * Where a paper was published, as a conference dump's `venue` ("NIPS 2017") or arXiv's
 * `journal-ref` ("Phys.Rev.D76:013009,2007") names it: tidied as other text, cut to
 * `maxVenueLength`. Undefined for anything but text.
 */
function venueText(value: unknown): string | undefined {
  const text = cleanText(value);
  return text === undefined ? undefined : truncate(text, maxVenueLength);
}

/**
 * The record's venue: `venue`, else `journal-ref`, each read by `venueText` and reported to
 * `warn` when unusable. Blank is as good as none (the snapshot writes null), and an unusable
 * `venue` leaves `journal-ref` to be read: `{"name": "ICML"}` hid "ICML 2018".
 */
export function readVenue(record: JsonObject, warn: (message: string) => void): string | undefined {
  const given = (value: unknown) =>
    typeof value === "string" && value.trim() === "" ? null : value;
  return (
    optional(given(record.venue), venueText, "venue", warn) ??
    optional(given(record["journal-ref"]), venueText, "journal-ref", warn)
  );
}

/**
 * Reads an optional field. Absent (undefined or null) is fine; present but
 * unusable is reported through `warn` and left out, so the rest of the record still loads.
 */
export function optional<T>(
  value: unknown,
  read: (value: unknown) => T | undefined,
  name: string,
  warn: (message: string) => void,
): T | undefined {
  if (value === undefined || value === null) return undefined;
  const result = read(value);
  if (result === undefined) {
    warn(`${name} ${excerpt(JSON.stringify(value) ?? String(value))} is not usable; left out`);
  }
  return result;
}

/**
 * The most characters a title may have. The longest of the 41k corpus has 206; one of
 * thousands is some other text in the title's place, and the words of a 100,000-character
 * "title" took every search matching them 40 ms more to re-rank.
 */
const maxTitleLength = 1000;

/**
 * A record's title and abstract, tidied; undefined when it cannot be kept (one missing, or a
 * title too long to be one), and why goes to `skip`, in words for the warning.
 */
export function paperText(
  rawTitle: unknown,
  rawAbstract: unknown,
  skip: (why: string) => void,
): { title: string; abstract: string } | undefined {
  const title = cleanText(rawTitle);
  const abstract = cleanText(rawAbstract);
  if (title === undefined && abstract === undefined) skip("has no title and no abstract");
  else if (title === undefined) skip("has no title");
  else if (abstract === undefined) skip("has no abstract");
  else if (title.length > maxTitleLength) {
    skip(`has a title of ${title.length} characters, more than any title (${maxTitleLength})`);
  } else return { title, abstract };
  return undefined;
}
