import { type APIEmbed, escapeMarkdown } from "discord.js";
import { truncate } from "../text/format.ts";
import type { Reply } from "./types.ts";

/** Discord's documented limits, the ones Paperboy's replies can reach. */
export const limits = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
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
 * to 2,000 characters, and its embeds to 6,000 in all, the longest descriptions first.
 */
export function withinMessageLimits(reply: Reply): Reply {
  const content = reply.content === undefined ? undefined : truncate(reply.content, limits.content);
  const embeds = reply.embeds?.map((embed) => ({ ...embed }));
  let excess = (embeds ?? []).reduce((sum, e) => sum + embedLength(e), 0) - limits.embedTotal;
  const longestFirst = [...(embeds ?? [])].sort(
    (a, b) => (b.description?.length ?? 0) - (a.description?.length ?? 0),
  );
  for (const embed of longestFirst) {
    if (excess <= 0 || !embed.description) break;
    const before = embed.description.length;
    embed.description = truncate(embed.description, Math.max(1, before - excess));
    excess -= before - embed.description.length;
  }
  return {
    ...reply,
    ...(content === undefined ? {} : { content }),
    ...(embeds === undefined ? {} : { embeds }),
  };
}

/**
 * Text without any of these is returned by plain() unchanged, and most paper text has none:
 * what each escape of escapeMarkdown (with plain's options) and plain's own escapes need —
 * a backslash, backtick, `*`, `_`, `~`, `|`, `#`, bracket or `<` anywhere, or a line starting
 * (after spaces) with "- ", a number and a dot, ">" or "-#". escapeMarkdown runs a dozen
 * regular expressions over the text, with lookbehinds, whatever it holds; this is one.
 */
const markdownTrigger = /[\\`*_~|#[\]<]|^ *(?:- |\d+\.|>|-#)/m;

/**
 * Paper text shown as text: no bold, links, code, headings, lists, quotes or small text of
 * its own, and no mention, channel, emoji or timestamp pills (`<@…>`, `<#…>`, `<:…>`,
 * `<t:…>`), which escapeMarkdown leaves alone. (Mentions would not ping anyway:
 * `allowedMentions: { parse: [] }` is on every message.)
 */
export function plain(text: string): string {
  if (!markdownTrigger.test(text)) return text;
  return escapeMarkdown(text, {
    maskedLink: true,
    heading: true,
    bulletedList: true,
    numberedList: true,
  })
    .replace(/(?<!\\)[[\]]/g, "\\$&")
    .replace(/^( *)(>|-#)/gm, "$1\\$2")
    .replace(/<(?=[@#:]|[ta]:)/g, "\\<");
}
