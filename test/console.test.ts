import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { finished } from "node:stream/promises";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { commands } from "../commands/index.ts";
import { createBotContext } from "../src/bot/context.ts";
import { createDispatcher } from "../src/bot/dispatcher.ts";
import { paperUrl } from "../src/bot/render.ts";
import { sessionLifetimeMs } from "../src/bot/sessions.ts";
import type { Clock, Command } from "../src/bot/types.ts";
import { runConsole } from "../src/console/console.ts";
import { readable } from "../src/console/markdown.ts";
import { parseLine } from "../src/console/parse.ts";
import { renderReply } from "../src/console/render.ts";
import { createConsoleRoundupPort } from "../src/console/roundup-port.ts";
import { createScreen, type Screen } from "../src/console/screen.ts";
import { openPaperboy, type Paperboy } from "../src/paperboy.ts";
import { abstractAbout, archiveDir, arxivLine, ingestTime, tempDir } from "./helpers.ts";

let app: Paperboy;
beforeAll(() => {
  app = openPaperboy(":memory:");
  app.ingest([archiveDir], { now: () => ingestTime });
});
afterAll(() => app.close());

/** The bot's own dispatcher over the real commands, with a clock the test moves. */
function bot(extraCommands: Command[], screen: Screen, on = app) {
  let now = ingestTime.getTime();
  const clock: Clock = { now: () => now, schedule: () => ({ cancel() {} }) };
  const port = createConsoleRoundupPort(screen);
  const context = createBotContext({ app: on, clock, log: pino({ level: "silent" }), port });
  const all = [...commands, ...extraCommands];
  return {
    context,
    commands: all,
    dispatch: createDispatcher(all, context),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Runs the console over piped input (no prompt) and returns everything it printed. */
async function pipe(text: string, options: { color?: boolean } = {}, on = app): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  const screen = createScreen(output);
  const { context, dispatch, commands: all } = bot([], screen, on);
  let printed = "";
  output.setEncoding("utf8").on("data", (chunk: string) => {
    printed += chunk;
  });
  input.end(text);
  await runConsole({ context, dispatch, commands: all, input, screen, prompt: false, ...options });
  output.end();
  await finished(output);
  return printed;
}

/**
 * A console session typed line by line: each `type` resolves with what that
 * line printed, once the next `> ` prompt shows (so nothing waits on time).
 */
function session(extraCommands: Command[] = []) {
  const input = new PassThrough();
  const output = new PassThrough();
  const screen = createScreen(output);
  const setup = bot(extraCommands, screen);
  let printed = "";
  output.setEncoding("utf8").on("data", (chunk: string) => {
    printed += chunk;
  });
  const done = runConsole({
    context: setup.context,
    dispatch: setup.dispatch,
    commands: setup.commands,
    input,
    screen,
    prompt: true,
  });

  function untilPrompt(from: number): Promise<string> {
    return new Promise((resolve) => {
      const check = () => {
        if (printed.length > from && printed.endsWith("> ")) {
          output.off("data", check);
          resolve(printed.slice(from, -2));
        }
      };
      output.on("data", check);
      check();
    });
  }
  const ready = untilPrompt(0);

  return {
    advance: setup.advance,
    async type(line: string): Promise<string> {
      await ready;
      const from = printed.length;
      input.write(`${line}\n`);
      return untilPrompt(from);
    },
    async end(): Promise<string> {
      await ready;
      input.end();
      await done;
      return printed;
    },
  };
}

/** The result lines of a search reply: "6. Title <url>" → "6. Title". */
function resultLines(text: string): string[] {
  return [...text.matchAll(/^(\d+\. .*?) <https:\/\/arxiv\.org\/.*>$/gm)].map((m) => m[1] ?? "");
}

const spraying = "Challenging the Need for Packet Spraying in Large-Scale Distributed Training";

describe("console: searching", () => {
  it("prints the results of a piped search, best first, and ends with the input", async () => {
    const printed = await pipe("/search query: packet sprayng\n");
    expect(printed.startsWith("Search: packet sprayng\n")).toBe(true);
    expect(resultLines(printed)[0]).toBe(`1. ${spraying}`);
    expect(printed).toContain("Page 1 of 1 · 1 result · read “sprayng” as “spraying”");
    expect(printed).not.toContain("> "); // no prompt when piped
  });

  it("reads a word in quotes as typed, and says how to keep one read as another", async () => {
    // No paper of the shipped archive has "surgical".
    const printed = await pipe(
      [
        "/search query: surgical robotics",
        '/search query: "surgical" robotics',
        '/search query: "surgical robotics"', // quoted whole: the quotes are the query's too
      ].join("\n"),
    );
    const [read, ...kept] = printed.split(/Search: "?surgical"? robotics"?\n/).slice(1);
    expect(kept).toHaveLength(2);
    expect(read).toContain(
      " · read “surgical” as “survival” (a word in quotes is kept as typed)\n",
    );
    for (const reply of kept) {
      expect(reply).not.toContain(" · read ");
      expect(reply).toContain(" · no paper has “surgical”\n");
    }
  });

  it("honours limit, coerced to a number", async () => {
    const printed = await pipe("/search query: graph mamba limit: 3\n");
    expect(resultLines(printed).map((line) => line.split(".")[0])).toEqual(["1", "2", "3"]);
    expect(printed).toContain("Page 1 of 1 · 3 results");
    expect(printed).toContain("[3] 3. ");
    expect(printed).toContain("[4] ◀ Prev (disabled)  [5] Next ▶ (disabled)");
    expect(printed).not.toContain("[6]");
    expect(await pipe("/search query: graph mamba limit: 1\n")).toContain(
      "Page 1 of 1 · 1 result\n",
    );
  });

  it("searches titles only with in: title", async () => {
    const printed = await pipe("/search query: packet sprayng in: title\n");
    expect(resultLines(printed)).toEqual([`1. ${spraying}`]);
    expect(printed).toMatch(/^matched in title$/m);
  });

  it("numbers the menu's results by their rank and the buttons after them", async () => {
    const printed = await pipe("/search query: graph neural networks\n");
    const titles = app.search("graph neural networks", { limit: 10 }).hits.map((h) => h.title);
    expect(printed).toContain("[6] ◀ Prev (disabled)  [7] Next ▶\nOpen a paper…\n[1] 1. ");
    expect(printed).toContain(`[1] 1. ${titles[0]}`);
    expect(printed).toContain(`[5] 5. ${(titles[4] ?? "").slice(0, 40)}`);
  });

  it("pages with next and prev, the numbers then refer to the new page", async () => {
    const titles = app.search("graph neural networks", { limit: 10 }).hits.map((h) => h.title);
    expect(titles).toHaveLength(10);
    const repl = session();
    const first = await repl.type("/search query: graph neural networks");
    expect(resultLines(first)).toEqual(titles.slice(0, 5).map((t, i) => `${i + 1}. ${t}`));
    expect(first).toContain("Page 1 of 2 · 10 results");

    const second = await repl.type("next");
    expect(resultLines(second)).toEqual(titles.slice(5).map((t, i) => `${i + 6}. ${t}`));
    expect(second).toContain("Page 2 of 2 · 10 results");
    // Results 6 to 10 are [6] to [10]; the buttons take the numbers left.
    expect(second).toContain("[1] ◀ Prev  [2] Next ▶ (disabled)");
    expect(second).toContain(`[6] 6. ${(titles[5] ?? "").slice(0, 40)}`);
    expect(await repl.type("next")).toBe("Next ▶ is disabled: there is no next page.\n\n");

    const opened = await repl.type("6");
    expect(opened.startsWith(`(only you) ${titles[5]} <https://arxiv.org/`)).toBe(true);

    const back = await repl.type("prev");
    expect(resultLines(back)).toEqual(titles.slice(0, 5).map((t, i) => `${i + 1}. ${t}`));
    expect(back).toContain("Page 1 of 2");
    expect(await repl.type("prev")).toBe("◀ Prev is disabled: there is no previous page.\n\n");
    await repl.end();
  });

  it("opens a paper's details from the menu by its number", async () => {
    const repl = session();
    await repl.type("/search query: packet sprayng");
    const detail = await repl.type("1");
    const paper = app.papers.get(app.suggestTitles(spraying, 1)[0]?.id ?? -1);
    expect(paper?.title).toBe(spraying);
    expect(detail).toContain(`(only you) ${spraying} <https://arxiv.org/`);
    expect(detail).toContain(paper?.abstract.slice(0, 120));
    expect(detail).toMatch(/^Authors: 3 authors$/m);
    expect(detail).toMatch(/^Date: 2024-06-29$/m);
    expect(detail).toContain("Found on:\n  001_d8c382fad536c030.txt (2026-03-11)\n");
    expect(detail).toContain(`Paperboy id ${paper?.id}`);
    await repl.end();
  });

  it("says when there is no Next button, or no such number", async () => {
    const repl = session();
    expect(await repl.type("next")).toBe("There is no Next button here.\n\n");
    expect(await repl.type("2")).toContain("There is nothing to choose: a number picks");
    await repl.type("/search query: qwzxv blorp");
    expect(await repl.type("1")).toContain("There is nothing to choose: a number picks");
    await repl.type("/search query: packet sprayng");
    expect(await repl.type("next")).toBe("Next ▶ is disabled: there is no next page.\n\n");
    expect(await repl.type("9")).toBe("There is no [9]; choose one of [1] [2] [3].\n\n");
    expect(await repl.type("2")).toBe("[2] ◀ Prev is disabled.\n\n");
    await repl.end();
  });

  it("gives the bot's expiry message for a page once the search is over 10 minutes old", async () => {
    const repl = session();
    await repl.type("/search query: graph neural networks");
    repl.advance(sessionLifetimeMs - 1);
    expect(await repl.type("next")).toContain("Page 2 of 2");
    repl.advance(2);
    expect(await repl.type("prev")).toBe(
      "(only you) This search is over: its buttons work for 10 minutes, for your 10 latest searches, and not after Paperboy restarts. Run /search again.\n\n",
    );
    // Opening a result needs no search kept in memory: its menu still works.
    expect(await repl.type("6")).toMatch(/^Paperboy id \d+$/m);
    await repl.end();
  });
});

describe("console: the other commands", () => {
  it("shows a paper by its title, the command's own best match", async () => {
    const printed = await pipe("/paper paper: packet spraying\n");
    expect(printed.startsWith(`${spraying} <https://arxiv.org/`)).toBe(true);
    expect(printed).toContain("Large-scale distributed training in production datacenters");
    expect(printed).toMatch(/^Date: 2024-06-29$/m);
  });

  it("shows where a paper was published, and its year alone for the venue's placeholder date", async () => {
    const dump = join(tempDir(), "neurips.jsonl");
    const attention = { title: "Attention Is All You Need", abstract: abstractAbout("attention") };
    writeFileSync(dump, arxivLine({ ...attention, venue: "NIPS 2017", update_date: "2017-01-01" }));
    const conference = openPaperboy(":memory:");
    conference.ingest([dump], { now: () => ingestTime });
    const printed = await pipe("/paper paper: attention is all you need\n", {}, conference);
    conference.close();
    expect(printed).toContain("Attention Is All You Need <https://arxiv.org/");
    expect(printed).toMatch(/^Date: 2017$/m);
    expect(printed).toMatch(/^Venue: NIPS 2017$/m);
  });

  it("names a listing's date as such for a paper without a date of its own", async () => {
    // A 2020 paper on a 2026 listing: "Date: 2026-07-04" said it was published then. The
    // earliest listing, not the first page by name (000_…, of 2026-07-04).
    const printed = await pipe("/paper paper: Benchmarking Graph Neural Networks\n");
    expect(printed).toMatch(/^Listed: 2026-05-08$/m);
    expect(printed).not.toMatch(/^Date:/m);
  });

  it("lists autocomplete suggestions for `?` and runs the command with the one chosen", async () => {
    const repl = session();
    const suggestions = await repl.type("/paper paper: packet spr?");
    expect(suggestions).toContain(
      `Suggestions for paper: (type a number to choose one)\n[1] ${spraying}`,
    );
    const detail = await repl.type("1");
    expect(detail.startsWith(`${spraying} <https://arxiv.org/`)).toBe(true);
    expect(await repl.type("/paper paper: zzqxv qqzx?")).toBe(
      "No suggestions for paper: “zzqxv qqzx”.\n\n",
    );
    // Not the paper suggested first for "packet spr" before.
    expect(await repl.type("1")).toContain("There is nothing to choose: a number picks");
    await repl.end();
  });

  it("drops the suggestions once a command is sent, as Discord's list goes with its box", async () => {
    const repl = session();
    expect(await repl.type("/paper paper: packet spr?")).toContain(`[1] ${spraying}`);
    expect(await repl.type("/stats")).toContain("Papers: 337");
    // It opened the paper suggested for another command's box, two replies before.
    expect(await repl.type("1")).toContain("There is nothing to choose: a number picks");
    await repl.type("/paper paper: packet spr?");
    expect((await repl.type("1")).startsWith(`${spraying} <https://arxiv.org/`)).toBe(true);
    expect(await repl.type("1")).toContain("There is nothing to choose: a number picks");
    // A reply's buttons still outlive replies without any, as older messages' do in Discord.
    await repl.type("/search query: graph neural networks");
    await repl.type("/stats");
    expect(resultLines(await repl.type("next"))[0]).toMatch(/^6\. /);
    await repl.end();
  });

  it("shows the archive's stats, with a fixed date for the last ingest", async () => {
    const printed = await pipe("/stats\n");
    expect(printed).toMatch(/^Paperboy archive\nPapers: 337\n/);
    expect(printed).toContain("Last ingest: 2026-11-20 12:00 UTC");
  });

  it("lists every command in /help, shown as only for you", async () => {
    const printed = await pipe("/help\n");
    expect(printed.startsWith("(only you) Paperboy: research papers, searchable\n")).toBe(true);
    for (const command of commands) expect(printed).toContain(`/${command.definition.name}`);
    expect(printed).toContain("/search query: graph mamba\n  Fuzzy search in titles");
    // Each command alone on its line, its text under it: no colon that reads as part of it.
    expect(printed).toContain(
      "\n/unsubscribe channel: #papers\n  Admins: stop a channel's roundup.",
    );
    expect(printed).toContain("\n/subscriptions\n  Admins: every roundup");
  });

  it("follows /help, written for Discord, with what differs here: `?`, numbers, the one channel", async () => {
    const printed = await pipe("/help\n");
    const guide = printed.slice(printed.indexOf("\n\nIn this console:\n") + 2);
    expect(guide.split("\n").slice(0, 7)).toEqual([
      "In this console:",
      "  Options are typed as name: value, like /search query: graph mamba limit: 3.",
      "  End a value with ? to see its suggestions, then type a number: /paper paper: graph mamba?",
      "  Type a number to press a button or open a result, next or prev to turn pages.",
      "  The one channel is console: /subscribe channel: console topics: graph mamba",
      "  exit (or Ctrl-D) leaves.",
      "",
    ]);
    // Its examples are lines the console reads as they say.
    expect(parseLine("/paper paper: graph mamba?", commands).kind).toBe("autocomplete");
    expect(parseLine("/subscribe channel: console topics: graph mamba", commands)).toMatchObject({
      kind: "command",
      options: { channel: "console", topics: "graph mamba" },
    });
  });
});

describe("console: mistakes and input handling", () => {
  it("answers mistakes with one clear line and keeps going", async () => {
    const repl = session();
    expect(await repl.type("/frobnicate")).toBe(
      "There is no /frobnicate command here; try /help.\n\n",
    );
    expect(await repl.type("/search")).toBe(
      "/search needs `query` (Words from the title or abstract, e.g. graph neural networks); type /search query: …\n\n",
    );
    expect(await repl.type("/search query:")).toContain("/search needs `query`");
    expect(await repl.type("/serch query: packets")).toBe(
      "There is no /serch command here (did you mean /search?); try /help.\n\n",
    );
    expect(await repl.type("/search qeury: packets")).toBe(
      "/search has no option “qeury” (did you mean query:?); its options are query, in, limit.\n\n",
    );
    expect(await repl.type("/search sort: new query: packets")).toBe(
      "/search has no option “sort”; its options are query, in, limit.\n\n",
    );
    expect(await repl.type("/search query: packets lmit: 3")).toContain(
      "/search has no option “lmit” (did you mean limit:?)",
    );
    expect(await repl.type("/search query: packets Limit: 3")).toContain(
      "/search has no option “Limit” (did you mean limit:?)",
    );
    expect(await repl.type("/search query: packets limit: lots")).toBe(
      "`limit` must be a whole number from 1 to 25.\n\n",
    );
    expect(await repl.type("/search query: packets in: everywhere")).toBe(
      "`in` must be one of: all, title, abstract.\n\n",
    );
    expect(await repl.type("/search packets")).toBe(
      "Name the option before its value, like /search query: packets\n\n",
    );
    expect(await repl.type("/stats please")).toBe("/stats takes no options.\n\n");
    expect(await repl.type("what is this")).toBe(
      "Commands start with a slash, like /search query: graph mamba; try /help, or exit to leave.\n\n",
    );
    expect(await repl.type("/paper paper: zzqxv qqzx")).toMatch(
      /^\(only you\) No paper matches “zzqxv qqzx”/,
    );
    // The number under a paper, typed as words of a title, is told how to open it.
    expect(await repl.type("/paper paper: 53")).toMatch(
      /^\(only you\) No title has “53”: .* Paperboy id 53 is “.+”: send `id:53` to open it\.\n\n$/,
    );
    expect(await repl.type("/paper paper: id:53")).toMatch(/^Paperboy id 53$/m);
    expect(await repl.type("/stats")).toContain("Papers: 337");
    await repl.end();
  });

  it("shows an unexpected failure as the bot does, with its reference, and keeps going", async () => {
    const broken: Command = {
      definition: { name: "broken", description: "Always fails" },
      run() {
        throw new Error("disk on fire");
      },
    };
    const repl = session([broken]);
    expect(await repl.type("/broken")).toMatch(
      /^\(only you\) Something went wrong on our side \(ref [0-9A-F]{6}\)\. Please try again later\.\n\n$/,
    );
    expect(await repl.type("/stats")).toContain("Papers: 337");
    await repl.end();
  });

  it("ignores blank lines, stops at exit, and prints a prompt only when asked", async () => {
    const piped = await pipe("\n   \n/stats\nexit\n/help\n");
    expect(piped).toContain("Papers: 337");
    expect(piped).not.toContain("Paperboy: research papers"); // after exit
    expect(piped).not.toContain("> ");

    const repl = session();
    expect(await repl.type("")).toBe("");
    expect(await repl.type("   ")).toBe("");
    const all = await repl.end();
    expect(all).toBe("> > > \n"); // one prompt per line read, a newline at the end of input
  });

  it("accepts quoted values, options without a space, and names of choices", () => {
    // Text keeps its quotes, as Discord's box does: they keep its words as typed.
    const parsed = parseLine('/search query: "graph limit: mamba" limit:3 in: Titles', commands);
    expect(parsed).toMatchObject({
      kind: "command",
      options: { query: '"graph limit: mamba"', limit: 3, in: "title" },
    });
    expect(
      parseLine('/topics add channel: "console" topic: “surgical robotics”', commands),
    ).toMatchObject({
      kind: "command",
      options: { channel: "console", topic: "“surgical robotics”" },
    });
    expect(parseLine("/search query: mamba: a survey", commands)).toMatchObject({
      kind: "command",
      options: { query: "mamba: a survey" },
    });
    // Quotes that do not wrap the whole value are text, as in Discord.
    expect(parseLine('/search query: "AND" NEAR( * limit: 2', commands)).toMatchObject({
      kind: "command",
      options: { query: '"AND" NEAR( *', limit: 2 },
    });
    expect(parseLine('/search query: "attention is all', commands)).toMatchObject({
      kind: "command",
      options: { query: '"attention is all' },
    });
    expect(parseLine("/search query: a query: b", commands)).toEqual({
      kind: "error",
      message: "`query` is given twice; give each option once.",
    });
    expect(parseLine("[4]", commands)).toEqual({ kind: "choose", number: 4 });
    expect(parseLine("QUIT", commands)).toEqual({ kind: "exit" });
  });

  it("names an unknown option after a channel, number or choice instead of reading it as the value", () => {
    // It was read as the channel "console tz: Europe/Paris": "The console has one channel, `console`".
    expect(parseLine("/subscribe channel: console tz: Europe/Paris", commands)).toEqual({
      kind: "error",
      message:
        "/subscribe has no option “tz”; its options are channel, topics, time, timezone, days, max, post_empty.",
    });
    expect(parseLine("/search query: graph limit: 3 count: 5", commands)).toEqual({
      kind: "error",
      message: "/search has no option “count”; its options are query, in, limit.",
    });
    expect(parseLine("/search query: graph in: title sort: new", commands)).toMatchObject({
      kind: "error",
      message: "/search has no option “sort”; its options are query, in, limit.",
    });
    // A slip for an option after a channel: quoting the channel would not make it one.
    expect(parseLine("/subscribe channel: console topcs: graph", commands)).toEqual({
      kind: "error",
      message:
        "/subscribe has no option “topcs” (did you mean topics:?); its options are channel, topics, time, timezone, days, max, post_empty.",
    });
    // Text keeps a colon of its own.
    expect(
      parseLine("/topics add channel: console topic: mamba: a survey", commands),
    ).toMatchObject({
      kind: "command",
      options: { channel: "console", topic: "mamba: a survey" },
    });
  });

  // It said "like /search query: query=graph limit=3", an example that searched for those words.
  it.each([
    [
      "/search query=graph limit=3",
      "Write an option as its name and a colon, like /search query: graph limit: 3",
    ],
    [
      "/search query : graph in: title",
      "Write an option as its name and a colon, like /search query: graph in: title",
    ],
    [
      "/topics add channel = console topic: x",
      "Write an option as its name and a colon, like /topics add channel: console topic: x",
    ],
    // Words that only start with an option's name are a value without its option, as before.
    [
      "/search query expansion",
      "Name the option before its value, like /search query: query expansion",
    ],
  ])(
    "shows an option named with = or a space before its colon as it is written: %s",
    (line, message) => {
      expect(parseLine(line, commands)).toEqual({ kind: "error", message });
    },
  );

  it("gives a mistyped subcommand's example with the one meant", () => {
    // It said "like /topics add …" to someone listing topics.
    expect(parseLine("/topics lst channel: console", commands)).toEqual({
      kind: "error",
      message: "/topics needs one of: add, remove, list; like /topics list channel: console",
    });
    expect(parseLine("/roundup prevew", commands)).toMatchObject({
      message: "/roundup needs one of: preview, now; like /roundup preview",
    });
    expect(parseLine("/topics channel: console", commands)).toMatchObject({
      message: "/topics needs one of: add, remove, list; like /topics add …",
    });
  });

  it("holds a value typed for suggestions to the option's limits, as Discord's box does", () => {
    // A 5,000-character paste was searched for titles and echoed whole in "No suggestions for …".
    expect(parseLine(`/paper paper: ${"x".repeat(301)}?`, commands)).toEqual({
      kind: "error",
      message: "`paper` can be at most 300 characters.",
    });
    expect(parseLine(`/paper paper: ${"x".repeat(300)}?`, commands)).toMatchObject({
      kind: "autocomplete",
      focused: { name: "paper", value: "x".repeat(300) },
    });
    expect(parseLine("/paper paper: ?", commands)).toMatchObject({
      kind: "autocomplete",
      focused: { name: "paper", value: "" },
    });
    // Said as the README says it, grouped in thousands.
    expect(parseLine(`/subscribe channel: console topics: ${"x".repeat(1001)}`, commands)).toEqual({
      kind: "error",
      message: "`topics` can be at most 1,000 characters.",
    });
  });
});

describe("console: Discord markdown as text", () => {
  it("shows paper text as written, without escaping backslashes", async () => {
    const printed = await pipe(
      "/paper paper: Performance Scaling via Optimal Transport\n/paper paper: Accelerate TarFlow Sampling with GS-Jacobi Iteration\n",
    );
    expect(printed).toContain("a novel *two-stage* performance inference process");
    expect(printed).toContain("a framework called <projektor>, which");
    expect(printed).toContain("https://github.com/encoreus/GS-Jacobi_for_TarFlow");
    expect(printed).not.toContain("\\");
  });

  it("drops bold markers and link syntax from search results, or uses ANSI bold on a terminal", async () => {
    const plain = await pipe("/search query: packet spraying\n");
    expect(plain).not.toMatch(/\*\*|\]\(|^-# /m);
    expect(plain).toContain("agreed that packet spraying is necessary");
    expect(plain).toMatch(/^matched in title and abstract$/m);

    const colored = await pipe("/search query: packet spraying\n", { color: true });
    expect(colored).toContain("agreed that \x1b[1mpacket\x1b[22m \x1b[1mspraying\x1b[22m is");
    expect(colored).toContain(`\x1b[1m1.\x1b[22m ${spraying} <https://arxiv.org/`);
  });

  it("reads escapes, links, subtext, headings, timestamps and channel mentions", () => {
    const style = { color: false };
    expect(readable("**1.** [A \\[b\\] \\*c\\*](https://x.org/a_(b))", style)).toBe(
      "1. A [b] *c* <https://x.org/a_(b)>",
    );
    expect(readable("-# small print\n## Heading\n\\# not a heading", style)).toBe(
      "small print\nHeading\n# not a heading",
    );
    expect(readable("last <t:0:R>, day <t:86400:d>, odd <t:x>", style)).toBe(
      "last 1970-01-01 00:00 UTC, day 1970-01-02, odd <t:x>",
    );
    expect(readable("`in` stays \\`code\\`", style)).toBe("`in` stays `code`");
    expect(readable("<#console> has no roundup; <#> and <#a b> are text", style)).toBe(
      "#console has no roundup; <#> and <#a b> are text",
    );
  });

  it("renders embeds, ephemeral replies and link buttons", () => {
    const rendered = renderReply(
      {
        ephemeral: true,
        content: "Hi **there**",
        embeds: [
          {
            title: "T",
            url: "https://t.org",
            description: "D",
            fields: [{ name: "Name", value: "value" }],
            footer: { text: "F" },
          },
        ],
        components: [
          {
            type: 1,
            components: [{ type: 2, style: 5, label: "Open", url: "https://o.org" }],
          },
        ],
      },
      { color: false },
    );
    expect(rendered.text).toBe(
      "(only you) Hi there\n\nT <https://t.org>\nD\nName: value\nF\n[1] Open <https://o.org>\n",
    );
    expect(rendered.choices).toEqual([
      { kind: "button", label: "Open", url: "https://o.org", disabled: false },
    ]);
  });
});

describe("console: output closed by its reader", () => {
  it("stops quietly, answering no more lines, as `paperboy start | head -1` closes it", async () => {
    let writes = 0;
    const output = new Writable({
      write(_chunk, _encoding, done) {
        writes += 1;
        done(writes > 1 ? Object.assign(new Error("write EPIPE"), { code: "EPIPE" }) : null);
      },
    });
    const screen = createScreen(output);
    const { context, dispatch, commands: all } = bot([], screen);
    let answered = 0;
    const counting: typeof dispatch = (request) => {
      answered += 1;
      return dispatch(request);
    };
    const input = new PassThrough();
    input.end("/help\n".repeat(50));
    await runConsole({ context, dispatch: counting, commands: all, input, screen, prompt: false });
    expect(screen.closed).toBe(true);
    expect(answered).toBeLessThan(5);
  });
});

/**
 * The console, prompting, on a terminal as readline sees one (keys in, ANSI out, 80 columns
 * wide); `done` once it ends.
 */
function consoleOnTerminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 80 });
  let shown = "";
  output.setEncoding("utf8").on("data", (chunk: string) => {
    shown += chunk;
  });
  const screen = createScreen(output);
  const { context, dispatch, commands: all } = bot([], screen);
  const done = runConsole({ context, dispatch, commands: all, input, screen, prompt: true });
  return { input, screen, shown: () => shown, done };
}

describe("console: Ctrl-C on a terminal", () => {
  it("drops a half-typed line and keeps the console; on an empty line it ends it", async () => {
    const { input, shown, done } = consoleOnTerminal();
    input.write("/subscribe channel: con");
    await vi.waitFor(() => expect(shown()).toMatch(/con$/));
    input.write("\x03"); // Ctrl-C: it ended the console, the line with it
    input.write("/stats\r");
    await vi.waitFor(() => expect(shown()).toContain("Paperboy archive")); // /stats answered
    // The dropped line was not run: "/subscribe channel: con" answers with the one channel.
    expect(shown()).not.toContain("The console has one channel");
    input.write("\x03");
    await done;
  });
});

describe("console: a roundup due while someone types", () => {
  const roundup = { content: "Paper roundup · 2026-11-23" };

  it("goes above the prompt, which is drawn again with the half-typed line", async () => {
    const { input, screen, shown, done } = consoleOnTerminal();
    input.write("/sea");
    await vi.waitFor(() => expect(shown()).toMatch(/\/sea$/));
    const from = shown().length;
    await createConsoleRoundupPort(screen).send("console", roundup, "n1");
    // The prompt's row cleared (cursor to column 1, erase down), the roundup, the prompt
    // and "/sea" again, the cursor after it (column 7).
    expect(shown().slice(from)).toBe(
      "\x1b[1G\x1b[0JPaper roundup · 2026-11-23\n\n\x1b[1G\x1b[0J> /sea\x1b[7G",
    );
    input.write("rch query: packet sprayng\r");
    await vi.waitFor(() => expect(shown()).toContain(`1. ${spraying}`));
    input.end();
    await done;
  });

  it("keeps a line that wraps past the terminal's width whole", async () => {
    const { input, screen, shown, done } = consoleOnTerminal();
    const typed = `/search query: ${"x".repeat(90)}`; // 107 characters after "> ": two rows
    input.write(typed);
    await vi.waitFor(() => expect(shown()).toMatch(/x{10}$/));
    const from = shown().length;
    await createConsoleRoundupPort(screen).send("console", roundup, "n1");
    // Up a row to the prompt's first, both rows cleared; the line drawn again on two rows.
    expect(shown().slice(from)).toBe(
      `\x1b[1A\x1b[1G\x1b[0JPaper roundup · 2026-11-23\n\n\x1b[1G\x1b[0J> ${typed}\x1b[28G`,
    );
    input.end();
    await done;
  });

  it("prints as it is when no prompt waits (piped input, roundup --dry-run)", async () => {
    const output = new PassThrough();
    let shown = "";
    output.setEncoding("utf8").on("data", (chunk: string) => {
      shown += chunk;
    });
    await createConsoleRoundupPort(createScreen(output)).send("console", roundup, "n1");
    expect(shown).toBe("Paper roundup · 2026-11-23\n\n");
  });
});

describe("console: roundups in the console's one channel", () => {
  it("subscribes, previews, posts now, and lists the subscription", async () => {
    const printed = await pipe(
      [
        "/subscribe channel: console topics: graph neural networks time: 08:30 timezone: europe/paris",
        "/topics add channel: #console topic: mixture of experts",
        // Capitalised as at the start of a sentence: the console's one channel all the same.
        "/topics add channel: Console topic: Mixture of Experts",
        "/roundup preview channel: <#console>",
        "/roundup now channel: console",
        "/subscriptions",
      ].join("\n"),
    );
    expect(printed).toContain("Subscribed. Daily roundup:");
    expect(printed).toContain("At 08:30 Europe/Paris, every day, up to 10 papers");
    expect(printed).toContain("Added “mixture of experts”. #console follows 2 topics.");
    expect(printed).toContain("That topic was already followed. #console follows 2 topics.");
    // The preview names each paper and why; the posted roundup then starts with the same paper.
    const first = /\n1\. (.+) — “graph neural networks” \(/.exec(printed)?.[1];
    expect(first).toMatch(/Graph Neural Network|GNN/);
    const posted = printed.slice(printed.indexOf("Paper roundup · "));
    // 39 matched: the preview and the roundup both say its 10 are the top ones.
    expect(printed).toContain("\nThe top 10 of 39 papers in 2 messages:\n");
    expect(posted).toMatch(
      /^Paper roundup · \d{4}-\d{2}-\d{2}\nThe top 10 of 39 new papers on this channel's topics, best match first\./,
    );
    expect(posted.split("\n")[4]).toBe(
      `${first} <${paperUrl({ arxivId: null, title: first as string })}>`,
    );
    expect(printed).toContain("Posted today's roundup");
    expect(printed).toMatch(/Last delivery: \d{4}-\d{2}-\d{2}/);
  });

  it("previews a roundup without topics, saying it has none yet", async () => {
    const printed = await pipe(
      [
        "/unsubscribe channel: console", // the tests above share this archive
        "/subscribe channel: console",
        "/roundup preview channel: console",
      ].join("\n"),
    );
    expect(printed).toContain("It has no topics yet: add some with /topics add.");
    expect(printed).toContain("No topics yet, so no roundup goes out: add some with /topics add.");
    expect(printed).toContain("Topics: none yet (/topics add)");
  });

  it("says how typos in topics are read, when they are", async () => {
    const printed = await pipe(
      [
        "/subscribe channel: console topics: diffusion modles, graph neural networks",
        "/topics add channel: console topic: grph mamba",
        "/topics add channel: console topic: packet spraying",
      ].join("\n"),
    );
    const lines = printed.split("\n");
    expect(lines).toContain(
      'Read “modles” as “models”; to keep it as typed, put it in quotes and add the topic again with /topics add: `diffusion "modles"`.',
    );
    expect(lines).toContain(
      'Read “grph” as “graph”; to keep it as typed, put it in quotes and add the topic again with /topics add: `"grph" mamba`.',
    );
    expect(printed.match(/^Read /gm)).toHaveLength(2);
  });

  it("keeps a topic's word in quotes as typed, given again in quotes or first so, and removes it typed either way", async () => {
    // No paper of the shipped archive has "surgical": unquoted, it is read as "survival".
    const printed = await pipe(
      [
        "/subscribe channel: console topics: surgical robotics",
        '/topics add channel: console topic: "surgical" robotics',
        "/topics list channel: console",
        "/topics remove channel: console topic: surgical robotics",
        "/topics add channel: console topic: “hacking” robots, graph mamba",
        "/topics add channel: console topic: surgical robotics, graph hacking",
      ].join("\n"),
    );
    const lines = printed.split("\n");
    expect(lines).toContain(
      'Read “surgical” as “survival”; to keep it as typed, put it in quotes and add the topic again with /topics add: `"surgical" robotics`.',
    );
    expect(printed).toContain(
      'Changed “surgical robotics” to “"surgical" robotics”. #console follows 1 topic.',
    );
    expect(lines).toContain(
      'No paper in the archive has “surgical” yet; “"surgical" robotics” will match papers that come in with it.',
    );
    expect(lines).toContain('1. "surgical" robotics');
    expect(printed).toContain(
      '#console no longer follows “"surgical" robotics”. It follows no topics now, so no roundup goes out until you add some with /topics add.',
    );
    expect(printed).toContain(
      'Added “"hacking" robots”, “graph mamba”. #console follows 2 topics.',
    );
    // Read as typed: no "lacking" or "packing" for the word kept so.
    const kept = printed.slice(printed.indexOf("Added ““hacking”"));
    expect(kept.slice(0, kept.indexOf("\n\n"))).not.toMatch(/lacking|packing/);
    expect(lines).toContain(
      'Read “surgical” as “survival”, “hacking” as “packing”; to keep a word as typed, put it in quotes and add its topic again with /topics add, like `"surgical" robotics`.',
    );
  });

  it("takes a time and zone quoted whole as what is inside the quotes", async () => {
    const printed = await pipe(
      '/subscribe channel: console topics: graph mamba time: "08:30" timezone: "Europe/Paris"',
    );
    expect(printed).toContain("At 08:30 Europe/Paris, every day, up to 10 papers\n");
  });

  it("says how to keep a word of a topic with a quote left open, in that topic's place", async () => {
    const printed = await pipe(
      [
        '/subscribe channel: console topics: "surgical robotics',
        '/topics add channel: console topic: "surgical" robotics',
        "/topics list channel: console",
      ].join("\n"),
    );
    expect(printed.split("\n")).toContain(
      'Read “surgical” as “survival”; to keep it as typed, put it in quotes and add the topic again with /topics add: `"surgical" robotics`.',
    );
    expect(printed).toContain(
      'Changed “"surgical robotics” to “"surgical" robotics”. #console follows 1 topic.',
    );
    expect(printed).toContain('follows 1 of at most 25 topics:\n1. "surgical" robotics\n');
  });

  it("says how the topics given to /subscribe are read as kept, the same words given twice once", async () => {
    const printed = await pipe(
      '/subscribe channel: console topics: surgical robotics, "surgical" robotics',
    );
    expect(printed).toContain('Topics: "surgical" robotics\n');
    expect(printed).not.toContain("Read “surgical”");
    expect(printed).toContain(
      'No paper in the archive has “surgical” yet; “"surgical" robotics” will match papers that come in with it.',
    );
  });

  it("says of a topic whose every word is in a great many papers that it is broad", async () => {
    const printed = await pipe(
      [
        "/subscribe channel: console topics: models",
        "/topics add channel: console topic: packet spraying",
      ].join("\n"),
    );
    // 232 of the archive's 337 papers have "model", 208 "models": a topic takes either.
    expect(printed).toContain(
      "Every word of “models” is in 68 % or more of the archive's papers: its roundups take the best of a great many; a word that says what it is about narrows it, like `graph neural networks`.",
    );
    expect(printed.match(/^Every word of /gm)).toHaveLength(1);
  });

  it("says so of several broad topics at once, its schedule kept in the reply", async () => {
    // A note each, twenty of them left no room for the roundup's schedule and next run.
    const broad = ["models", "performance", "training", "based", "propose", "large", "data"];
    const more = ["learning", "show", "methods", "results", "networks", "tasks", "neural"];
    const printed = await pipe(
      `/subscribe channel: console topics: ${[...broad, ...more, "efficient"].join(", ")}`,
    );
    expect(printed).toContain("Next run:");
    expect(printed.match(/^Every word of /gm)).toHaveLength(1);
    expect(printed).toContain(
      "Every word of “models”, “performance”, “training”, “based”, “propose”, “large”, “data”,",
    );
  });

  it("explains subscription mistakes as the bot does", async () => {
    const printed = await pipe(
      [
        "/subscribe channel: general",
        "/subscribe channel: console time: 25:00",
        "/subscribe channel: console",
        "/unsubscribe channel: console",
        "/topics list channel: console",
        "/topics",
      ].join("\n"),
    );
    expect(printed).toContain("The console has one channel, `console`");
    expect(printed).toContain("Time must be HH:MM on a 24-hour clock");
    expect(printed).toContain("gets no more roundups");
    expect(printed).toContain("That channel has no roundup; set one up with /subscribe.");
    expect(printed).toContain("/topics needs one of: add, remove, list");
  });

  it("names its one channel for any other, in every admin command", async () => {
    // "That channel has no roundup; set one up with /subscribe" sent the operator to /subscribe,
    // which then said the console has one channel.
    const printed = await pipe(
      [
        "/topics add channel: papers topic: graph mamba",
        "/roundup now channel: general",
        "/unsubscribe channel: #papers",
      ].join("\n"),
    );
    expect(
      printed.match(/The console has one channel, `console`: use channel: console\./g),
    ).toHaveLength(3);
    expect(printed).not.toContain("That channel has no roundup");
  });

  it("posts only its own channel's roundups, leaving a Discord server's on the same database to the bot", async () => {
    const output = new PassThrough();
    let printed = "";
    output.setEncoding("utf8").on("data", (chunk: string) => {
      printed += chunk;
    });
    const { subscriptions, outbox, runner } = bot([], createScreen(output)).context.roundups;
    const day = 24 * 60 * 60 * 1000;
    const settings = { topics: ["graph neural networks"], time: "09:00", postWhenEmpty: true };
    const setUp = { ...settings, by: "1", now: new Date(ingestTime.getTime() - day) };
    const server = { guild: "1100000000000000001", channel: "1100000000000000002" };
    const own = subscriptions.subscribe("console", "console", setUp).subscription;
    const discord = subscriptions.subscribe(server.guild, server.channel, setUp).subscription;
    const paused = subscriptions.subscribe(server.guild, "1100000000000000003", setUp).subscription;
    subscriptions.setStatus(paused.id, "paused", "Paperboy is missing Embed Links", ingestTime);
    try {
      await runner.tick(new Date(ingestTime.getTime() + day)); // every one of them is due
      expect(printed).toMatch(/^Paper roundup · 2026-11-21\n/);
      expect(printed.match(/Paper roundup/g)).toHaveLength(1);
      expect(outbox.latest(own.id)?.status).toBe("sent");
      // Not recorded as sent (Discord would never get it) and not disabled for not being `console`.
      expect(outbox.latest(discord.id)).toBeUndefined();
      expect(outbox.latest(paused.id)).toBeUndefined();
      expect(subscriptions.byId(paused.id)?.status).toBe("paused");
    } finally {
      subscriptions.unsubscribe("console", "console");
      subscriptions.unsubscribe(server.guild, server.channel);
      subscriptions.unsubscribe(server.guild, "1100000000000000003");
    }
  });
});
