import { authorList } from "./authors.ts";
import { datePart } from "./dates.ts";
import { arxivId, count, type JsonObject, optional, paperText, readVenue } from "./fields.ts";
import type { PaperRecord } from "./types.ts";

/**
 * A record in the shape of the arXiv metadata snapshot: `id`, `title`, `abstract`, `authors`
 * ("A, B and C", or `authors_parsed`), `update_date`, and optionally `upvotes` and where it was
 * published (`venue`, as dumps of conference papers have it, or the snapshot's `journal-ref`);
 * other fields are ignored. A line of JSON Lines, or an entry of an array of them (`jq -s` makes one).
 * What is wrong with it goes to `warn`. `name` is what the warning that skips it calls it when
 * `warn` does not name it: "record", for a line of JSON Lines, whose line alone names it.
 */
export function readArxivRecord(
  value: JsonObject,
  line: number,
  warn: (message: string) => void,
  name?: string,
): PaperRecord | undefined {
  const text = paperText(value.title, value.abstract, (why) =>
    warn(`${name === undefined ? why : `${name} ${why}`}; skipped`),
  );
  if (text === undefined) return undefined;
  // The snapshot has both; `authors_parsed` alone is as good (or a list, from other tools).
  const listed = value.authors ?? value.authors_parsed;
  const authors = optional(listed, authorList, "authors", warn) ?? [];
  return {
    line,
    arxivId: arxivId(value.id),
    ...text,
    authors: authors.length > 0 ? authors : undefined,
    authorsCount: authors.length > 0 ? authors.length : undefined,
    published: optional(value.update_date, datePart, "update_date", warn),
    upvotes: optional(value.upvotes, count, "upvotes", warn),
    venue: readVenue(value, warn),
  };
}
