import { lineAt } from "./lines.ts";

/** Where one element of a JSON array lies in its text, found before it is parsed. */
export interface Element {
  start: number;
  /** Just past its last character. */
  end: number;
  /** 1-based line where it starts. */
  line: number;
  /** False for an element the text ends inside of. */
  complete: boolean;
}

/**
 * Where each element of the top-level array lies, found by one pass that tracks only
 * string contents and nesting, and `end`, just past the array's closing bracket
 * (undefined when the text ends first). JSON strings cannot hold a raw line break, so
 * in broken JSON one ends a string that was never closed, and the next line is read afresh.
 */
export function arrayElements(text: string): { elements: Element[]; end?: number } {
  const elements: Element[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let current: { start: number; line: number } | undefined;
  const close = (end: number) => {
    if (current) elements.push({ ...current, end, complete: true });
    current = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "\n") line++;
    if (inString) {
      if (char === "\\") i++;
      else if (char === '"' || char === "\n") inString = false;
      continue;
    }
    if (char === "\n" || char === " " || char === "\t" || char === "\r") continue;
    // Just inside the top-level array, anything but a separator starts an element.
    if (depth === 1 && current === undefined && char !== "," && char !== "]") {
      current = { start: i, line };
    }
    if (char === '"') inString = true;
    else if (char === "[" || char === "{") depth++;
    else if (char === "]" || char === "}") {
      depth--;
      if (depth === 0) {
        close(i);
        return { elements, end: i + 1 };
      }
    } else if (char === "," && depth === 1) close(i);
  }
  if (current) elements.push({ ...current, end: text.length, complete: false });
  return { elements };
}

/**
 * Where each element lies in an array laid out in lines, as JSON.stringify(…, null, 2), jq
 * and Python's json.dump(…, indent=…) write one: each entry opens a line of its own with
 * `{`, all at the indentation of the first, and everything inside them is deeper.
 * Undefined for an array whose first element does not open a line (a file on one line).
 * `closing` is the place of the array's closing bracket, undefined in a text cut short.
 */
export function laidOutElements(text: string, closing?: number): Element[] | undefined {
  // Sticky: from the start of the text only.
  const indentation = /\s*\[\s*?^([ \t]*)\{/muy.exec(text)?.[1];
  if (indentation === undefined) return undefined;
  const opens = text.matchAll(new RegExp(`^${indentation}\\{`, "gmu"));
  const starts = Array.from(opens, (open) => open.index);
  return elementsAt(text, starts, closing);
}

/**
 * Where each element lies in an array whose entries open alike, as one program writes them:
 * with the text the first opens with, from its `{` to the colon after its first key
 * (`{"paper":` in the API's own file, on one line, where `laidOutElements` finds nothing).
 * Entries that differ in their first key are not told apart.
 */
export function alikeElements(text: string, closing?: number): Element[] | undefined {
  // Sticky: from the start of the text only.
  const opening = /\s*\[\s*(\{\s*"(?:[^"\\\n]|\\.)*"\s*:)/uy.exec(text)?.[1];
  if (opening === undefined) return undefined;
  const starts: number[] = [];
  for (let at = text.indexOf(opening); at !== -1; at = text.indexOf(opening, at + 1)) {
    starts.push(at);
  }
  return elementsAt(text, starts, closing);
}

/**
 * The elements that start at `starts`, each running to the next, or the last to the array's
 * closing bracket. Nothing inside them is read, so no mistake there (a bracket lost, a quote
 * missing, a raw line break in a string) moves a boundary, as it moves those of
 * `arrayElements`.
 */
function elementsAt(text: string, starts: number[], closing?: number): Element[] {
  const elements: Element[] = [];
  let line = 1;
  let counted = 0;
  starts.forEach((start, index) => {
    line = lineAt(text, start, counted, line);
    counted = start;
    const last = index === starts.length - 1;
    const next = last ? (closing ?? text.length) : (starts[index + 1] as number);
    // Up to its last character, without the comma before the next: a mistake found at its
    // end (a closing brace missing) is then said at a line of its own.
    const piece = text.slice(start, next).trimEnd();
    const end = start + (piece.endsWith(",") ? piece.slice(0, -1).trimEnd() : piece).length;
    elements.push({ start, end, line, complete: !last || closing !== undefined });
  });
  return elements;
}
