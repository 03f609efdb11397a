/**
 * Discord markdown shown as terminal text: escapes removed, `**bold**` as
 * plain text (or ANSI bold on a colour terminal), `[text](url)` as
 * `text <url>`, `-# ` subtext and `# ` headings as ordinary lines, and
 * `<t:…>` timestamps as UTC dates, `<#channel>` mentions as `#channel`. Code spans
 * are kept as written.
 */

export interface TextStyle {
  /** ANSI bold and dim, for a terminal. */
  color: boolean;
}

const ansi = { bold: "\x1b[1m", dim: "\x1b[2m", normal: "\x1b[22m" } as const;

/** `text` in bold when colour is on, as it is otherwise. */
export function bold(text: string, style: TextStyle): string {
  return style.color && text ? `${ansi.bold}${text}${ansi.normal}` : text;
}

function dim(text: string, style: TextStyle): string {
  return style.color && text ? `${ansi.dim}${text}${ansi.normal}` : text;
}

/** Every line of `markdown`, made readable. */
export function readable(markdown: string, style: TextStyle): string {
  return markdown
    .split("\n")
    .map((line) => readableLine(line, style))
    .join("\n");
}

function readableLine(line: string, style: TextStyle): string {
  const subtext = /^-# (.*)$/.exec(line);
  if (subtext) return dim(inline(subtext[1] ?? "", style), style);
  const heading = /^#{1,3} (.*)$/.exec(line);
  if (heading) return bold(inline(heading[1] ?? "", style), style);
  return inline(line, style);
}

/** Discord lets a backslash escape any ASCII punctuation. */
const escapable = /[!-/:-@[-`{-~]/;

function inline(text: string, style: TextStyle): string {
  let out = "";
  let strong = false;
  let i = 0;
  while (i < text.length) {
    const char = text[i] ?? "";
    const next = text[i + 1] ?? "";
    if (char === "\\" && escapable.test(next)) {
      out += next;
      i += 2;
    } else if (char === "*" && next === "*") {
      strong = !strong;
      if (style.color) out += strong ? ansi.bold : ansi.normal;
      i += 2;
    } else if ((char === "_" || char === "~") && next === char) {
      i += 2; // underline and strike-through: the text is what matters
    } else if (char === "`") {
      const end = text.indexOf("`", i + 1);
      const stop = end === -1 ? text.length : end + 1;
      out += text.slice(i, stop);
      i = stop;
    } else if (char === "[") {
      const link = maskedLink(text, i);
      if (link) {
        out += `${inline(link.text, style)} <${link.url}>`;
        i = link.end;
      } else {
        out += char;
        i += 1;
      }
    } else if (char === "<") {
      const mention = /^<(?:t:(-?\d+)(?::([tTdDfFR]))?|#([\w-]+))>/.exec(text.slice(i));
      const shown = mention?.[3]
        ? `#${mention[3]}`
        : mention && timestamp(Number(mention[1]), mention[2]);
      out += shown ?? char;
      i += shown && mention ? mention[0].length : 1;
    } else {
      out += char;
      i += 1;
    }
  }
  if (strong && style.color) out += ansi.normal;
  return out;
}

/** `[text](url)` starting at `start`: its text, url and where it ends; undefined when it is not one. */
function maskedLink(
  text: string,
  start: number,
): { text: string; url: string; end: number } | undefined {
  let depth = 0;
  let close = -1;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === "\\") i += 1;
    else if (char === "[") depth += 1;
    else if (char === "]" && --depth === 0) {
      close = i;
      break;
    }
  }
  if (close === -1 || text[close + 1] !== "(") return undefined;
  let parens = 0;
  for (let i = close + 1; i < text.length; i++) {
    const char = text[i] ?? "";
    if (/\s/.test(char)) return undefined;
    if (char === "(") parens += 1;
    else if (char === ")" && --parens === 0) {
      return { text: text.slice(start + 1, close), url: text.slice(close + 2, i), end: i + 1 };
    }
  }
  return undefined;
}

/** A Discord timestamp as a fixed UTC date, so the output never depends on when it is read. */
function timestamp(seconds: number, format = "f"): string | undefined {
  const when = new Date(seconds * 1000);
  if (Number.isNaN(when.getTime())) return undefined;
  const iso = when.toISOString();
  const date = iso.slice(0, 10);
  const time = `${iso.slice(11, 16)} UTC`;
  if (format === "d" || format === "D") return date;
  if (format === "t" || format === "T") return time;
  return `${date} ${time}`;
}
