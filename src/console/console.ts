import { createInterface } from "node:readline";
import type { BotRequest, BotResponse, Dispatched } from "../bot/dispatcher.ts";
import type { BotContext, Command, Invocation } from "../bot/types.ts";
import { missingRequired, type Options, parseLine } from "./parse.ts";
import { type Choice, renderReply } from "./render.ts";
import { consoleChannel } from "./roundup-port.ts";
import type { Screen } from "./screen.ts";

export interface ConsoleOptions {
  context: BotContext;
  /** The dispatcher the Discord bot uses, so the console answers exactly as the bot does. */
  dispatch: (request: BotRequest) => Promise<Dispatched>;
  commands: readonly Command[];
  input: NodeJS.ReadableStream;
  /** Where replies go, shared with the console's roundups. */
  screen: Screen;
  /** Show a `> ` prompt before each line (for a terminal; off for piped input). */
  prompt: boolean;
  /** ANSI bold and dim; by default when the output is a terminal. */
  color?: boolean;
}

/** An autocomplete suggestion: choosing it runs the command with that value. */
interface Suggestion {
  kind: "suggestion";
  label: string;
  command: Command;
  subcommand?: string;
  options: Options;
  optionName: string;
  value: string;
}

type Pickable = Choice | Suggestion;

/**
 * Shown under /help's reply, which is written for Discord: there a list appears as one types
 * and channels are picked from the server's, neither of which the console has.
 */
const consoleGuide = [
  "In this console:",
  "  Options are typed as name: value, like /search query: graph mamba limit: 3.",
  "  End a value with ? to see its suggestions, then type a number: /paper paper: graph mamba?",
  "  Type a number to press a button or open a result, next or prev to turn pages.",
  `  The one channel is ${consoleChannel}: /subscribe channel: ${consoleChannel} topics: graph mamba`,
  "  exit (or Ctrl-D) leaves.",
].join("\n");

const user = { id: "console", name: "console" };
// The console's user runs the bot, so it may do what a server's admins may.
const where = {
  user,
  guildId: consoleChannel,
  channelId: consoleChannel,
  canManageGuild: true,
} satisfies Omit<Invocation, "options">;

/**
 * Paperboy without Discord: reads slash commands line by line, answers through
 * the bot's own dispatcher and prints the replies as text. A reply's buttons
 * and menu options are numbered; type a number (or `next`/`prev`) to use them.
 * Resolves at the end of input, on `exit`, or once the output is closed.
 */
export async function runConsole(options: ConsoleOptions): Promise<void> {
  const { context, dispatch, commands, input, screen, prompt } = options;
  const { output } = screen;
  const style = { color: options.color ?? screen.color };
  /** What the numbers refer to: the last message's components, or autocomplete suggestions. */
  let choices: Pickable[] = [];

  const write = (text: string) => screen.print(`${text}\n\n`);

  function show(response: BotResponse): void {
    if (response.kind === "choices") return;
    const rendered = renderReply(response.reply, style);
    write(rendered.text.trimEnd());
    // An update replaces the message and its components; a new reply without any leaves the old ones usable.
    if (response.kind === "update" || rendered.choices.length > 0) choices = rendered.choices;
  }

  async function runCommand(command: Command, values: Options, subcommand?: string): Promise<void> {
    const name = command.definition.name;
    const invocation = { ...where, ...(subcommand ? { subcommand } : {}), options: values };
    // Suggestions are for the command being typed, as Discord's list is for its box: once a
    // command is sent they are gone, and a number typed later picks from its reply, or nothing.
    if (choices.some((c) => c?.kind === "suggestion")) choices = [];
    show((await dispatch({ kind: "command", name, invocation })).response);
    if (name === "help") write(consoleGuide);
  }

  async function pick(choice: Pickable, number: number): Promise<void> {
    if (choice.kind === "suggestion") {
      const values = { ...choice.options, [choice.optionName]: choice.value };
      const missing = missingRequired(choice.command, values, choice.subcommand);
      if (missing) write(missing);
      else await runCommand(choice.command, values, choice.subcommand);
      return;
    }
    if (choice.disabled) {
      write(`[${number}] ${choice.label} is disabled.`);
      return;
    }
    if (choice.kind === "button" && !choice.customId) {
      write(choice.url ? `Open ${choice.url} in a browser.` : `[${number}] does nothing here.`);
      return;
    }
    const customId = choice.customId ?? "";
    const values = choice.kind === "option" ? [choice.value] : [];
    show(
      (await dispatch({ kind: "component", customId, invocation: { ...where, values } })).response,
    );
  }

  async function page(direction: "next" | "prev"): Promise<void> {
    const label = direction === "next" ? /\bnext\b/i : /\bprev(ious)?\b/i;
    const index = choices.findIndex((c) => c?.kind === "button" && label.test(c.label));
    const button = choices[index];
    if (button?.kind !== "button") {
      write(`There is no ${direction === "next" ? "Next" : "Prev"} button here.`);
    } else if (button.disabled) {
      write(
        `${button.label} is disabled: there is no ${direction === "next" ? "next" : "previous"} page.`,
      );
    } else await pick(button, index + 1);
  }

  async function autocomplete(
    command: Command,
    values: Options,
    focused: { name: string; value: string },
    subcommand?: string,
  ) {
    const name = command.definition.name;
    const sub = subcommand ? { subcommand } : {};
    const invocation = { ...where, ...sub, options: values };
    const { response } = await dispatch({ kind: "autocomplete", name, focused, invocation });
    const found = response.kind === "choices" ? response.choices : [];
    if (found.length === 0) {
      // The empty list replaces an earlier one, as in Discord: a number typed next must not
      // pick from the suggestions for other words.
      if (choices.some((c) => c?.kind === "suggestion")) choices = [];
      write(`No suggestions for ${focused.name}: “${focused.value}”.`);
      return;
    }
    choices = found.map((c) => ({
      kind: "suggestion",
      label: c.name,
      command,
      ...sub,
      options: values,
      optionName: focused.name,
      value: String(c.value),
    }));
    const lines = choices.map((c, i) => `[${i + 1}] ${c.label}`);
    write([`Suggestions for ${focused.name}: (type a number to choose one)`, ...lines].join("\n"));
  }

  /** Handles one line; false when the console should end. */
  async function handle(line: string): Promise<boolean> {
    const typed = parseLine(line, commands);
    switch (typed.kind) {
      case "empty":
        break;
      case "exit":
        return false;
      case "error":
        write(typed.message);
        break;
      case "command":
        await runCommand(typed.command, typed.options, typed.subcommand);
        break;
      case "autocomplete":
        await autocomplete(typed.command, typed.options, typed.focused, typed.subcommand);
        break;
      case "page":
        await page(typed.direction);
        break;
      case "choose": {
        const choice = choices[typed.number - 1];
        if (choice) await pick(choice, typed.number);
        else if (choices.length === 0) {
          // Also after replies with nothing to pick, as "No papers match": not "run a command first".
          write(
            "There is nothing to choose: a number picks from the buttons, menu or suggestions a reply lists, as /search query: graph mamba gives.",
          );
        } else {
          const numbers = choices.flatMap((c, i) => (c ? [`[${i + 1}]`] : []));
          write(`There is no [${typed.number}]; choose one of ${numbers.join(" ")}.`);
        }
        break;
      }
    }
    return true;
  }

  const terminal = prompt && isTerminal(input) && isTerminal(output);
  const lines = createInterface({
    input,
    output: prompt ? output : undefined,
    terminal,
    prompt: "> ",
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  // Ctrl-C drops a half-typed line, as a shell does, instead of ending the console with it;
  // on an empty line it still ends it (readline's own way, without this listener).
  lines.on("SIGINT", () => {
    if (!lines.line) return lines.close();
    lines.write(null, { ctrl: true, name: "e" }); // to the end of the line…
    lines.write(null, { ctrl: true, name: "u" }); // …and delete it all
  });
  screen.onClose((error) => {
    if (error) context.log.error({ err: error }, "console output failed");
    lines.close();
  });
  if (prompt) screen.ask(lines); // the caller greets; the console only asks
  let ended = true;
  for await (const line of lines) {
    screen.answered(); // Enter took the prompt's row: replies go below it
    let more = true;
    try {
      more = await handle(line);
    } catch (error) {
      context.log.error({ err: error, line }, "console failed");
      // As in Discord: no internals in the reply; the details are in the log line above.
      write("Something went wrong in the console; the log has the details.");
    }
    if (!more) {
      ended = false;
      break;
    }
    if (screen.closed) break; // nobody reads the answers to the lines still to come
    if (prompt) screen.ask(lines);
  }
  screen.answered();
  lines.close();
  if (prompt && ended) screen.print("\n");
}

function isTerminal(stream: NodeJS.ReadableStream | NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}
