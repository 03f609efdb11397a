import type { APIEmbed } from "discord.js";
import { truncate } from "../text/format.ts";
import type { Reply } from "./types.ts";

/** Discord's documented limits, the ones Paperboy's replies can reach. */
export const limits = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  embedTotal: 6000,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  customId: 100,
  selectLabel: 100,
  selectDescription: 100,
  selectOptions: 25,
} as const;

/** The characters of an embed that count toward Discord's 6,000 a message. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

/**
 * A reply within Discord's message limits, whatever the command built (a channel's 25
 * topics of 100 characters, say), for Discord refuses a longer one outright: its text cut
 * to 2,000 characters, each embed's texts to their own limits (see withinEmbedLimits), and
 * its embeds to 6,000 in all (see shortened).
 */
export function withinMessageLimits(reply: Reply): Reply {
  const content = reply.content === undefined ? undefined : truncate(reply.content, limits.content);
  const embeds = reply.embeds?.map(withinEmbedLimits);
  const total = (embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0);
  return {
    ...reply,
    ...(content === undefined ? {} : { content }),
    ...(embeds
      ? {
          embeds: total > limits.embedTotal ? shortened(embeds, total - limits.embedTotal) : embeds,
        }
      : {}),
  };
}

/**
 * A copy of `embed` with each text within its own limit: escaping can double a text
 * (`*_*_` is `\*\_\*\_`), so 25 topics of 100 characters listed by /topics list made a
 * description of 5,000 that Discord refused, and the admin saw "did not respond".
 */
function withinEmbedLimits(embed: APIEmbed): APIEmbed {
  const { title, description, footer, fields } = embed;
  return {
    ...embed,
    ...(title === undefined ? {} : { title: truncate(title, limits.embedTitle) }),
    ...(description === undefined
      ? {}
      : { description: cutAtLine(description, limits.embedDescription) }),
    ...(footer ? { footer: { ...footer, text: truncate(footer.text, limits.footer) } } : {}),
    ...(fields
      ? {
          fields: fields.slice(0, limits.fields).map((field) => ({
            ...field,
            name: truncate(field.name, limits.fieldName),
            value: truncate(field.value, limits.fieldValue),
          })),
        }
      : {}),
  };
}

/**
 * Copies of `embeds`, `excess` characters shorter: the longest descriptions cut first, at a
 * line's end where one is near (a cut inside `**bold**` or a link shows its markup), then
 * footers, then field values.
 */
function shortened(embeds: readonly APIEmbed[], excess: number): APIEmbed[] {
  const copies = embeds.map((embed) => ({
    ...embed,
    ...(embed.footer ? { footer: { ...embed.footer } } : {}),
    ...(embed.fields ? { fields: embed.fields.map((field) => ({ ...field })) } : {}),
  }));
  /** Each text that may be cut, in the order they are, and how to put the cut one back. */
  const cuttable = [
    ...copies
      .filter((embed) => embed.description)
      .sort((a, b) => (b.description?.length ?? 0) - (a.description?.length ?? 0))
      .map((embed) => ({
        text: embed.description ?? "",
        cut: cutAtLine,
        put: (t: string) => (embed.description = t),
      })),
    ...copies.flatMap(({ footer }) =>
      footer?.text
        ? [{ text: footer.text, cut: truncate, put: (t: string) => (footer.text = t) }]
        : [],
    ),
    ...copies.flatMap(({ fields = [] }) =>
      fields.map((field) => ({
        text: field.value,
        cut: truncate,
        put: (t: string) => (field.value = t),
      })),
    ),
  ];
  let left = excess;
  for (const { text, cut, put } of cuttable) {
    if (left <= 0) break;
    const shorter = cut(text, Math.max(1, text.length - left));
    put(shorter);
    left -= text.length - shorter.length;
  }
  return copies;
}

/**
 * As many of `items` as fit in `max` characters, whole and in order, joined by `separator`,
 * then `more(rest)` for those left out. Cut at `max` instead, a list ended inside the markup
 * of its last item (a link, bold) and left the ones after it unsaid.
 */
export function wholeItemsWithin(
  items: readonly string[],
  max: number,
  more: (rest: number) => string,
  separator = "\n",
): string {
  const text = (shown: number) => {
    const rest = items.length - shown;
    return [...items.slice(0, shown), ...(rest ? [more(rest)] : [])].join(separator);
  };
  let shown = items.length;
  while (shown > 0 && text(shown).length > max) shown--;
  return truncate(text(shown), max);
}

/** `text` within `max` characters, cut after its last whole line that fits when that keeps most of it. */
function cutAtLine(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = text.lastIndexOf("\n", max - 2);
  return end >= max / 2 ? `${text.slice(0, end)}\n…` : truncate(text, max);
}

/**
 * Text without any of these is returned by plain() unchanged, and most paper text has none:
 * what plain() escapes — a backslash, backtick, `*`, `_`, `~`, `|`, bracket or `<` anywhere,
 * a `#` (only one starting a line is escaped), or a line starting (after spaces) with "- ",
 * a number and a dot, ">" or "-#".
 */
const markdownTrigger = /[\\`*_~|#[\]<]|^ *(?:- |\d+\.|>|-#)/m;

/**
 * A bare link, as Discord finds one before it reads any markdown or escape (its own
 * pattern: a last `.`, `,`, `)` and the like is the sentence's, not the link's).
 */
const bareLink = /(https?:\/\/[^\s<]+[^<.,:;"')\]\s])/;

/** `bareLink`, for every link of a text (matchAll copies it, so it is never left mid-text). */
const bareLinks = new RegExp(bareLink.source, "g");

/** Where `text` has bare links, as [start, end) offsets: what Discord makes links of. */
export function bareLinkSpans(text: string): [number, number][] {
  return [...text.matchAll(bareLinks)].map((m) => [m.index, m.index + m[0].length]);
}

/** Markdown's own characters, each escaped wherever it is: in a run of them as much as alone. */
const markdownCharacter = /[\\`*_~|[\]]/g;

/**
 * In a bare link, only brackets: Discord reads no markdown in a link, and an escape there
 * is part of the link, changing where it goes (`https://www.cs.toronto.edu/~kriz/` went to
 * `/\~kriz/`). Brackets are escaped even there, or a title's
 * `https://x.y/](https://evil.example)` would end the `[title](url)` of a search result early
 * (and so is the "(" after one: see linkAddressStart).
 */
const markdownInLink = /[[\]]/g;

/**
 * Where a link's address starts, escaped "]" or not, for the link rule Discord's markdown comes
 * from (simple-markdown's): it reads a `[…]` on to the last "](" it can reach before a "[", so a
 * title's "A](https://evil.example) [B" in a search result's `[title](url)` made "A\" a link
 * there, and an abstract's "here](https://evil.example)" took the title's link there. Its "("
 * escaped (in a bare link too, as its brackets are), paper text has none.
 */
const linkAddressStart = /\]\(/g;

/** What starts a mention, channel, emoji, timestamp, command or server-page pill after `<`. */
const pill = /<(?=[@#:/]|[ta]:|id:)/g;

/** What makes a line a heading, list, quote or small text: "# ", "- ", "1. ", "> ", "-# ". */
const lineMarkup = /^( *)(#|-(?= |#)|>|\d+(?=\.))/gm;

/**
 * Paper text shown as text: no bold, links, code, headings, lists, quotes or small text of
 * its own, and no mention, channel, emoji, timestamp, command or server-page pills (`<@…>`,
 * `<#…>`, `<:…>`, `<t:…>`, `</name:id>`, `<id:customize>`). Every markdown character is
 * escaped, as Discord shows `\*` as `*`: escapeMarkdown, which pairs them up, left some of a
 * run raw (`****x****` showed *x* in italics, with a stray backslash). (Mentions would not
 * ping anyway: `allowedMentions: { parse: [] }` is on every message.)
 */
export function plain(text: string): string {
  if (!markdownTrigger.test(text)) return text;
  return text
    .split(bareLink)
    .map((part, i) =>
      i % 2
        ? part.replace(markdownInLink, "\\$&")
        : part.replace(markdownCharacter, "\\$&").replace(pill, "\\<"),
    )
    .join("")
    .replace(linkAddressStart, "]\\(")
    .replace(lineMarkup, (_, spaces: string, mark: string) =>
      /\d/.test(mark) ? `${spaces}${mark}\\` : `${spaces}\\${mark}`,
    );
}
