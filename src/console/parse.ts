import { type APIApplicationCommandOption, ApplicationCommandOptionType } from "discord.js";
import type { Command, OptionValue } from "../bot/types.ts";
import { count } from "../text/format.ts";
import { meantName } from "../text/near-miss.ts";
import { consoleChannel, oneChannelOnly } from "./roundup-port.ts";

export type Options = Record<string, OptionValue>;

/** One line typed at the console, understood. */
export type ConsoleInput =
  | { kind: "empty" }
  | { kind: "exit" }
  | { kind: "page"; direction: "next" | "prev" }
  | { kind: "choose"; number: number }
  | { kind: "command"; command: Command; subcommand?: string; options: Options }
  /** A value ending in `?` on an autocompleted option: show the choices for it. */
  | {
      kind: "autocomplete";
      command: Command;
      subcommand?: string;
      options: Options;
      focused: { name: string; value: string };
    }
  | { kind: "error"; message: string };

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Reads a line the way Discord users type slash commands:
 * `/search query: graph mamba limit: 3`. A value runs until the next
 * `<option>:` the command knows; quote it whole (`query: "a limit: b"`) to take
 * it as written: text keeps its quotes, as in Discord (a search or topic keeps a
 * word in quotes as typed); a channel, number or choice is what is inside them.
 * Other quotes are part of the value.
 */
export function parseLine(line: string, commands: readonly Command[]): ConsoleInput {
  const text = line.trim();
  const word = text.toLowerCase();
  if (!text) return { kind: "empty" };
  if (["exit", "quit", "/exit", "/quit"].includes(word)) return { kind: "exit" };
  if (word === "next") return { kind: "page", direction: "next" };
  if (word === "prev" || word === "previous") return { kind: "page", direction: "prev" };
  const number = /^\[?(\d{1,4})\]?$/.exec(text);
  if (number) return { kind: "choose", number: Number(number[1]) };
  if (!text.startsWith("/")) {
    return error(
      "Commands start with a slash, like /search query: graph mamba; try /help, or exit to leave.",
    );
  }

  const [, name = "", rest = ""] = /^\/(\S*)\s*([\s\S]*)$/.exec(text) ?? [];
  if (!name) return error("Type a command after the slash, like /help.");
  const command = commands.find((c) => c.definition.name === name.toLowerCase());
  if (!command) {
    const meant = meantName(
      name,
      commands.map((c) => c.definition.name),
    );
    return error(
      `There is no /${name} command here${meant ? ` (did you mean /${meant}?)` : ""}; try /help.`,
    );
  }

  const chosen = chooseSubcommand(command, rest);
  if (!chosen.ok) return error(chosen.message);
  const { subcommand, definitions, rest: optionsText } = chosen.value;
  const sub = subcommand ? { subcommand } : {};
  const given = splitOptions(
    subcommand ? `${command.definition.name} ${subcommand}` : command.definition.name,
    definitions,
    optionsText,
  );
  if (!given.ok) return error(given.message);

  const options: Options = {};
  let focused: { name: string; value: string } | undefined;
  for (const { name: optionName, raw, quoted } of given.value) {
    const definition = definitions.find((d) => d.name === optionName);
    if (!definition) continue; // splitOptions only finds known names
    const autocompleted = "autocomplete" in definition && definition.autocomplete === true;
    if (!focused && !quoted && autocompleted && raw.endsWith("?")) {
      // Within the option's limits, as Discord would not let more be typed to complete.
      const typed = coerce(definition, raw.slice(0, -1).trim());
      if (!typed.ok) return error(typed.message);
      focused = { name: optionName, value: String(typed.value) };
      continue;
    }
    if (!raw) continue; // `query:` with nothing after it is not given
    const value = coerce(definition, raw);
    if (!value.ok) return error(value.message);
    options[optionName] = value.value;
  }
  if (focused) return { kind: "autocomplete", command, ...sub, options, focused };
  const missing = missingRequired(command, options, subcommand);
  if (missing) return error(missing);
  return { kind: "command", command, ...sub, options };
}

/** `/topics add channel: …`: a command with subcommands takes one as its first word. */
function chooseSubcommand(
  command: Command,
  text: string,
): Parsed<{
  subcommand?: string;
  definitions: readonly APIApplicationCommandOption[];
  rest: string;
}> {
  const definitions = command.definition.options ?? [];
  const subcommands = definitions.filter((d) => d.type === ApplicationCommandOptionType.Subcommand);
  if (subcommands.length === 0) return { ok: true, value: { definitions, rest: text } };
  const [, word = "", rest = ""] = /^(\S*)\s*([\s\S]*)$/.exec(text) ?? [];
  const found = subcommands.find((d) => d.name === word.toLowerCase());
  const name = command.definition.name;
  if (!found) {
    const names = subcommands.map((d) => d.name);
    // A slip ("lst") gets the line with the subcommand meant; it was told "like /topics add …".
    const meant = meantName(word, names);
    const example = meant ? `${meant} ${rest}`.trimEnd() : `${names[0]} …`;
    return {
      ok: false,
      message: `/${name} needs one of: ${names.join(", ")}; like /${name} ${example}`,
    };
  }
  return { ok: true, value: { subcommand: found.name, definitions: found.options ?? [], rest } };
}

/** Says which required option is missing, and how to give it; undefined when none is. */
export function missingRequired(
  command: Command,
  options: Options,
  subcommand?: string,
): string | undefined {
  const top = command.definition.options ?? [];
  const nested = top.find(
    (d) => d.type === ApplicationCommandOptionType.Subcommand && d.name === subcommand,
  );
  const definitions = nested && "options" in nested ? (nested.options ?? []) : top;
  const missing = definitions.find(
    (d) => "required" in d && d.required && options[d.name] === undefined,
  );
  if (!missing) return undefined;
  const name = subcommand ? `${command.definition.name} ${subcommand}` : command.definition.name;
  return `/${name} needs \`${missing.name}\` (${missing.description}); type /${name} ${missing.name}: …`;
}

function error(message: string): ConsoleInput {
  return { kind: "error", message };
}

interface GivenOption {
  name: string;
  raw: string;
  quoted: boolean;
}

const optionLike = /(?<=^|\s)([-_\p{L}\p{N}]{1,32}):(?=\s|$)/gu;
const quotes: Record<string, string> = { '"': '"', "“": "”" };

function splitOptions(
  commandName: string,
  definitions: readonly APIApplicationCommandOption[],
  rest: string,
): Parsed<GivenOption[]> {
  const known = definitions.map((d) => d.name);
  const list = known.join(", ");
  const fail = (message: string): Parsed<GivenOption[]> => ({ ok: false, message });
  const noOption = (word: string, meant?: string, more = "") =>
    fail(
      `/${commandName} has no option “${word}”${meant ? ` (did you mean ${meant}:?)` : ""}; its options are ${list}.${more}`,
    );
  if (known.length === 0) {
    return rest.trim() ? fail(`/${commandName} takes no options.`) : { ok: true, value: [] };
  }

  const marker = new RegExp(`(?<=^|\\s)(${known.map(escapeRegExp).join("|")}):`, "g");
  let next = marker.exec(rest);
  const leading = rest.slice(0, next?.index ?? rest.length).trim();
  if (leading) {
    const unknown = new RegExp(optionLike.source, "u").exec(leading);
    if (unknown?.index === 0) {
      const word = unknown[1] ?? "";
      return noOption(word, meantName(word, known));
    }
    // `query=graph`, `query : graph` (French typography): the option is named, only its colon
    // is not where it goes. The example puts the colons right; it was the line as a value
    // without its option ("/search query: query=graph"), which searched for those words.
    const names = known.map(escapeRegExp).join("|");
    const misplacedColon = new RegExp(`(?<=^|\\s)(${names})(?:\\s*=|\\s+:)\\s*`, "gi");
    if (new RegExp(misplacedColon.source, "i").exec(leading)?.index === 0) {
      const written = rest
        .trim()
        .replace(misplacedColon, (_, name: string) => `${name.toLowerCase()}: `)
        .trimEnd();
      return fail(`Write an option as its name and a colon, like /${commandName} ${written}`);
    }
    return fail(`Name the option before its value, like /${commandName} ${known[0]}: ${leading}`);
  }

  const given: GivenOption[] = [];
  while (next) {
    const name = next[1] ?? "";
    if (given.some((g) => g.name === name)) {
      return fail(`\`${name}\` is given twice; give each option once.`);
    }
    let start = next.index + next[0].length;
    while (/\s/.test(rest[start] ?? "")) start += 1;
    // Text may hold a `word:` of its own ("Mamba: a survey"); a channel, number or choice
    // cannot, so there it is an option the command lacks: `channel: console tz: UTC` was
    // refused as a channel other than console. Nor is quoting one of those a way to keep it.
    const freeText = isFreeText(definitions.find((d) => d.name === name));
    const quoted = quotedValue(rest, start, marker);
    if (quoted) {
      next = quoted.next;
      // Text keeps its quotes, as Discord's box does: a word in them is kept as typed.
      given.push({ name, raw: freeText ? quoted.text : quoted.inside, quoted: true });
      continue;
    }
    marker.lastIndex = start;
    next = marker.exec(rest);
    const raw = rest.slice(start, next?.index ?? rest.length).trim();
    // `lmit: 3` inside a value is far more likely a mistyped option than words to search for.
    for (const [, word = ""] of raw.matchAll(optionLike)) {
      const meant = meantName(word, known);
      if (meant) {
        const asText = freeText ? ` To use “${word}:” as text, put the value in quotes.` : "";
        return noOption(word, meant, asText);
      }
      if (!freeText) return noOption(word);
    }
    given.push({ name, raw, quoted: false });
  }
  return { ok: true, value: given };
}

/**
 * The value at `start` when quotes wrap all of it (`text`, and `inside` the quotes), with the
 * option after it; undefined when they do not. Then the quotes are text, as they are in
 * Discord's box: `"AND" NEAR(` and `"attention is all` are queries too.
 */
function quotedValue(
  rest: string,
  start: number,
  marker: RegExp,
): { text: string; inside: string; next: RegExpExecArray | null } | undefined {
  const close = quotes[rest[start] ?? ""];
  const end = close ? rest.indexOf(close, start + 1) : -1;
  if (end === -1) return undefined;
  marker.lastIndex = end + 1;
  const next = marker.exec(rest);
  if (rest.slice(end + 1, next?.index ?? rest.length).trim()) return undefined;
  return { text: rest.slice(start, end + 1), inside: rest.slice(start + 1, end), next };
}

function isFreeText(option: APIApplicationCommandOption | undefined): boolean {
  return (
    option?.type === ApplicationCommandOptionType.String &&
    !("choices" in option && option.choices?.length)
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The typed text as the option's type, within the limits Discord itself would enforce. */
function coerce(option: APIApplicationCommandOption, raw: string): Parsed<OptionValue> {
  const name = `\`${option.name}\``;
  const fail = (message: string): Parsed<OptionValue> => ({ ok: false, message });
  switch (option.type) {
    case ApplicationCommandOptionType.String: {
      if (option.choices?.length) {
        const wanted = raw.toLowerCase();
        const choice = option.choices.find(
          (c) => c.value.toLowerCase() === wanted || c.name.toLowerCase() === wanted,
        );
        if (!choice) {
          return fail(`${name} must be one of: ${option.choices.map((c) => c.value).join(", ")}.`);
        }
        return { ok: true, value: choice.value };
      }
      if (option.max_length !== undefined && raw.length > option.max_length) {
        return fail(`${name} can be at most ${count(option.max_length, "character")}.`);
      }
      if (option.min_length !== undefined && raw.length < option.min_length) {
        return fail(`${name} needs at least ${count(option.min_length, "character")}.`);
      }
      return { ok: true, value: raw };
    }
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const integer = option.type === ApplicationCommandOptionType.Integer;
      const value = Number(raw);
      const valid = integer ? /^[+-]?\d+$/.test(raw) : raw !== "" && Number.isFinite(value);
      const kind = integer ? "a whole number" : "a number";
      const min = option.min_value;
      const max = option.max_value;
      const range =
        min !== undefined && max !== undefined
          ? ` from ${min} to ${max}`
          : min !== undefined
            ? ` of at least ${min}`
            : max !== undefined
              ? ` of at most ${max}`
              : "";
      if (!valid || (min !== undefined && value < min) || (max !== undefined && value > max)) {
        return fail(`${name} must be ${kind}${range}.`);
      }
      if (option.choices?.length && !option.choices.some((c) => c.value === value)) {
        return fail(`${name} must be one of: ${option.choices.map((c) => c.value).join(", ")}.`);
      }
      return { ok: true, value };
    }
    case ApplicationCommandOptionType.Boolean: {
      const word = raw.toLowerCase();
      if (["true", "yes", "on"].includes(word)) return { ok: true, value: true };
      if (["false", "no", "off"].includes(word)) return { ok: true, value: false };
      return fail(`${name} must be true or false.`);
    }
    case ApplicationCommandOptionType.Channel: {
      // As Discord shows a channel (#console) or as the bot mentions it (<#console>); in any
      // case, as Discord's text channel names are lower case ("Console" named no roundup).
      const channel = raw
        .replace(/^<#(.*)>$/, "$1")
        .replace(/^#/, "")
        .toLowerCase();
      // Another one, taken, was a channel with no roundup, and the operator was sent to
      // /subscribe, which then said the console has one channel.
      return channel === consoleChannel ? { ok: true, value: channel } : fail(oneChannelOnly);
    }
    default:
      return { ok: true, value: raw }; // users and roles are ids, as typed
  }
}
