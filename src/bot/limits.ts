import { escapeMarkdown } from "discord.js";

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

/** `text` cut to `max` characters, the cut marked with "…". */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
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
