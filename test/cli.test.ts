/**
 * The `paperboy` CLI's read commands (search, show, stats), run in-process over a
 * database file made by `paperboy ingest`.
 */
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { open, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { basename, join } from "node:path";
import { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { migrations } from "../src/store/migrations.ts";
import {
  abstractAbout,
  archiveDir,
  archivePaperCount,
  arxivLine,
  arxivSample,
  canInjectFaults,
  canMountDisks,
  cleanEnv,
  kilobyteRecord,
  listingPage,
  modesCount,
  runCli,
  runNode,
  tempDir,
  watchStderr,
  writeLargeDump,
} from "./helpers.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
/** The executable, as `npx paperboy` runs it. */
const bin = join(root, "src", "bin", "paperboy.mjs");

/**
 * `paperboy …args` run by `script` (bash, given `scriptArgs` and then the command as its
 * arguments), in a mount namespace of its own: what it mounts is gone when it ends.
 */
function paperboyInOwnMounts(script: string, scriptArgs: string[], args: string[]) {
  return spawnSync(
    "unshare",
    [
      "-m",
      "--propagation",
      "private",
      "bash",
      "-c",
      script,
      "bash",
      ...scriptArgs,
      process.execPath,
      bin,
      ...args,
    ],
    { encoding: "utf8", timeout: 20_000 },
  );
}

const spraying = "Challenging the Need for Packet Spraying in Large-Scale Distributed Training";

describe("paperboy search, show and stats", () => {
  const db = join(tempDir(), "paperboy.db");
  beforeAll(async () => {
    const ingest = await runCli(["ingest", "--db", db, archiveDir, arxivSample]);
    expect(ingest.code).toBe(0);
  });

  it("search prints ranked results with where they matched", async () => {
    const query = ["packet", "sprayng", "distributed"];
    const run = await runCli(["search", "--db", db, ...query, "--limit", "2"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n");
    expect(lines[0]).toBe('(read "sprayng" as "spraying")');
    expect(lines[1]).toBe(
      " 1. Challenging the Need for *Packet* *Spraying* in Large-Scale *Distributed* Training",
    );
    expect(lines[2]).toMatch(/^ {4}2024-06-29 · id \d+ · matched in both · score 0\.\d{3}$/);
    expect(lines.filter((line) => /^ \d\. /.test(line))).toHaveLength(2);
  });

  it("search keeps a word in quotes as typed, as /search does", async () => {
    // No paper of the shipped archive has "surgical": unquoted, it is read as "survival".
    const read = await runCli(["search", "--db", db, "surgical", "robotics", "--limit", "1"]);
    expect(read.stdout.split("\n")[0]).toBe('(read "surgical" as "survival")');
    const kept = await runCli(["search", "--db", db, '"surgical" robotics', "--limit", "1"]);
    expect(kept.code).toBe(0);
    expect(kept.stdout.split("\n")[0]).toBe('(no paper has "surgical")');
    const json = await runCli(["search", "--db", db, "--json", "“surgical” robotics"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ corrections: [], unmatched: ["surgical"] });
  });

  it("search marks a glued query word where the abstract hyphenates it, as the bot does", async () => {
    const run = await runCli(["search", "--db", db, "multitask learning", "--limit", "1"]);
    expect(run.stdout.split("\n")[2]).toMatch(/^ {4}\*Multi-task\* \*learning\* \(MTL\) /);
  });

  it("search --limit gives up to 100 results, past the 60 it re-ranks by default", async () => {
    const json = async (limit: string) =>
      JSON.parse(
        (await runCli(["search", "--db", db, "--json", "--limit", limit, "model"])).stdout,
      );
    expect((await json("100")).results).toHaveLength(100);
    for (const limit of ["0", "101", "ten"]) {
      expect(await runCli(["search", "--db", db, "--limit", limit, "model"])).toMatchObject({
        code: 2,
        stderr: "paperboy: --limit: expected a whole number from 1 to 100\n",
      });
    }
  });

  it("search that finds nothing says so without echoing a long paste whole", async () => {
    const paste = `qwzxv ${"zzqy ".repeat(1000)}`;
    const run = await runCli(["search", "--db", db, paste]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`No papers match "${paste.slice(0, 99).trimEnd()}…".\n`);
  });

  it("search --json gives one stable object with scores and matched words", async () => {
    const run = await runCli([
      "search",
      "--db",
      db,
      "--json",
      "--limit",
      "3",
      "grph nueral netwrk",
    ]);
    const out = JSON.parse(run.stdout);
    expect(out.query).toBe("grph nueral netwrk");
    expect(out.corrections).toContainEqual({ from: "nueral", to: ["neural"] });
    expect(out.results).toHaveLength(3);
    expect(Object.keys(out.results[0])).toEqual([
      "id",
      "arxivId",
      "title",
      "score",
      "matchedIn",
      "matchedWords",
      "published",
      "upvotes",
      "venue",
    ]);
    expect(out.results[0].title).toMatch(/Graph Neural Network/);
    const diphoton = await runCli(["search", "--db", db, "--json", "--limit", "1", "diphoton"]);
    // Its `journal-ref`, from the paper: the search index knows nothing of venues.
    expect(JSON.parse(diphoton.stdout).results[0]).toMatchObject({
      arxivId: "0704.0001",
      venue: "Phys.Rev.D76:013009,2007",
    });
    const scores = out.results.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("search --stdin --json answers every input line in order, bad ones included", async () => {
    const run = await runCli(
      ["search", "--db", db, "--stdin", "--json", "--limit", "1"],
      'packet spraying\n\n"NEAR(" AND -*\n',
    );
    const lines = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.query)).toEqual(["packet spraying", "", '"NEAR(" AND -*']);
    expect(lines[0].results[0].title).toBe(spraying);
    expect(lines[1]).toEqual({
      query: "",
      corrections: [],
      unmatched: [],
      results: [],
      error: "Type a few words to search for, e.g. `graph neural networks`.",
    });
    expect(Array.isArray(lines[2].results)).toBe(true);
    expect(run.code).toBe(0);
  });

  it("search --stdin --json drops a byte order mark that starts the input, and only there", async () => {
    // Notepad and PowerShell start what they save or pipe with one.
    const run = await runCli(
      ["search", "--db", db, "--stdin", "--json", "--limit", "1"],
      "\uFEFFpacket spraying\n\uFEFFpacket spraying\n",
    );
    const lines = run.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => line.query)).toEqual(["packet spraying", "\uFEFFpacket spraying"]);
    expect(lines[0].results[0].title).toBe(spraying);
  });

  it("search --stdin refuses query words beside it, and needs --json, rather than drop the words or answer in JSON unasked", async () => {
    expect(
      await runCli(
        ["search", "--db", db, "--stdin", "--json", "graph", "mamba"],
        "packet spraying\n",
      ),
    ).toEqual({
      code: 2,
      stdout: "",
      stderr:
        'paperboy: search: the query comes from stdin with --stdin, one per line; "graph mamba" is not read then\n',
    });
    expect(await runCli(["search", "--db", db, "--stdin"], "packet spraying\n")).toEqual({
      code: 2,
      stdout: "",
      stderr: "paperboy: search --stdin: add --json, for one JSON line per input line\n",
    });
  });

  it("search --json of one bad query gives the same keys, with its error, and exits 2 as without --json", async () => {
    const stopWords =
      "Those words are in nearly every paper, or only ask (“can you tell me about …”); add one that says what the paper is about, e.g. `the transformer`.";
    const run = await runCli(["search", "--db", db, "--json", "AND"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      query: "AND",
      corrections: [],
      unmatched: [],
      results: [],
      error: stopWords,
    });
    expect(await runCli(["search", "--db", db, "AND"])).toMatchObject({
      code: 2,
      stderr: `paperboy: ${stopWords}\n`,
    });
    expect((await runCli(["search", "--db", db, "--json", ""])).code).toBe(2);
  });

  it("show prints one paper, found by its id, its arXiv id with a version, or its arXiv link", async () => {
    const byArxiv = await runCli(["show", "--db", db, "arXiv:0704.0001v2"]);
    expect(byArxiv.code).toBe(0);
    const lines = byArxiv.stdout.split("\n");
    expect(lines[0]).toBe(
      "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies",
    );
    expect(lines).toContain("arXiv:      0704.0001");
    expect(lines).toContain("venue:      Phys.Rev.D76:013009,2007"); // its `journal-ref`
    expect(lines.find((line) => line.startsWith("first seen:"))).toMatch(
      /^first seen: \d{4}-\d\d-\d\dT/,
    );
    const id = /^id: +(\d+)$/m.exec(byArxiv.stdout)?.[1];
    expect((await runCli(["show", "--db", db, String(id)])).stdout).toBe(byArxiv.stdout);
    expect((await runCli(["show", "--db", db, `id:${id}`])).stdout).toBe(byArxiv.stdout);
    for (const link of [
      "https://arxiv.org/abs/0704.0001v2",
      "arxiv.org/pdf/0704.0001.pdf",
      "http://www.arxiv.org/abs/0704.0001?context=hep-ph",
      "http://export.arxiv.org/abs/0704.0001",
      "https://arxiv.org/html/0704.0001v2",
      "https://huggingface.co/papers/0704.0001",
      "hf.co/papers/0704.0001",
      "https://doi.org/10.48550/arXiv.0704.0001",
    ])
      expect((await runCli(["show", "--db", db, link])).stdout, link).toBe(byArxiv.stdout);
    expect(await runCli(["show", "--db", db, "999999"])).toMatchObject({
      code: 2,
      stderr: "paperboy: show: no paper with id 999999; find one with `paperboy search <words>`\n",
    });
    // "no paper with id https://arxiv.org/abs/2502.00094" read as if a link were a Paperboy id,
    // and "no paper with id graph" sent words to look for elsewhere without saying where.
    expect(await runCli(["show", "--db", db, "https://arxiv.org/abs/2502.00094"])).toMatchObject({
      code: 2,
      stderr:
        'paperboy: show: no paper in the archive has the arXiv id or link "https://arxiv.org/abs/2502.00094"; find one with `paperboy search <words>`\n',
    });
    expect(await runCli(["show", "--db", db, "graph"])).toMatchObject({
      code: 2,
      stderr:
        'paperboy: show: "graph" is no paper id (a number, as `paperboy search` shows) nor an arXiv id or link; to find papers by their words: paperboy search graph\n',
    });
  });

  it("search given an arXiv id or link shows that paper, as show does; --json stays hits of words", async () => {
    const shown = (await runCli(["show", "--db", db, "0704.0001"])).stdout;
    for (const query of ["0704.0001", "https://arxiv.org/abs/0704.0001v2"]) {
      expect(await runCli(["search", "--db", db, query]), query).toEqual({
        code: 0,
        stdout: shown,
        stderr: "",
      });
      const json = JSON.parse((await runCli(["search", "--db", db, "--json", query])).stdout);
      expect(json).toMatchObject({ query, unmatched: expect.arrayContaining(["0704"]) });
    }
    // Among other words too, as /search reads it: "is 0704.0001 any good?" searched the id's
    // digits as words and said "(no paper has "0001")" of a paper in the archive.
    for (const query of ["is 0704.0001 any good?", "compare 2502.00094 with (0704.0001)"]) {
      expect(await runCli(["search", "--db", db, query]), query).toEqual({
        code: 0,
        stdout: shown,
        stderr: "",
      });
    }
    expect((await runCli(["search", "--db", db, "what about 2502.00094 then"])).stdout).toBe(
      'No paper in the archive has the id or link "2502.00094"; search looks for words of titles and abstracts, like graph neural networks.\n',
    );
    // Any other link is words, which an abstract may have.
    const github = await runCli(["search", "--db", db, "github.com/gnobitab/InstaFlow"]);
    expect(github.stdout).toMatch(/^ 1\. \*?InstaFlow/);
    expect(await runCli(["search", "--db", db, "2502.00094"])).toEqual({
      code: 0,
      stdout:
        'No paper in the archive has the id or link "2502.00094"; search looks for words of titles and abstracts, like graph neural networks.\n',
      stderr: "",
    });
  });

  it("search and show date a conference paper to its venue's year, not to its January 1st", async () => {
    const dump = join(tempDir(), "neurips.jsonl");
    const attention = { title: "Attention Is All You Need", abstract: abstractAbout("attention") };
    writeFileSync(dump, arxivLine({ ...attention, venue: "NIPS 2017", update_date: "2017-01-01" }));
    const conference = join(tempDir(), "conference.db");
    expect((await runCli(["ingest", "--db", conference, dump])).code).toBe(0);
    const found = (await runCli(["search", "--db", conference, "attention"])).stdout;
    expect(found).toMatch(/^ {4}2017 · id 1 · matched in/m);
    const show = (await runCli(["show", "--db", conference, "1"])).stdout;
    expect(show).toContain("\ndate:       2017\nvenue:      NIPS 2017\n");
  });

  it("show and stats count one author and one page in the singular", async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "page.txt"),
      listingPage([
        { title: "Solo Sprocket Networks", abstract: "Sprockets.", details: ["• 1 author"] },
      ]),
    );
    const one = join(dir, "one.db");
    expect((await runCli(["ingest", "--db", one, dir])).code).toBe(0);
    const show = (await runCli(["show", "--db", one, "1"])).stdout;
    expect(show).toContain("\nauthors:    1 author\n");
    expect((await runCli(["stats", "--db", one])).stdout).toContain(
      "\nsources:      1 (1 Daily Papers page)\n",
    );
    expect((await runCli(["stats", "--db", db])).stdout).toContain(
      "\nsources:      6 (5 Daily Papers pages)\n",
    );
  });

  it("refuses arguments a command does not take", async () => {
    for (const args of [
      ["stats", "extra"],
      ["show", "1", "2"],
      ["roundup", "--dry-run", "x"],
    ]) {
      expect(await runCli([...args, "--db", db])).toEqual({
        code: 2,
        stdout: "",
        stderr: `paperboy: unexpected argument "${args.at(-1)}"\n`,
      });
    }
  });

  it("takes an option's value wherever the option stands, before the command too", async () => {
    const after = await runCli(["search", "graph", "--limit", "3", "--field", "title", "--db", db]);
    expect(after.code).toBe(0);
    for (const args of [
      ["--limit", "3", "search", "graph", "--field", "title", "--db", db],
      ["--db", db, "--limit=3", "--field", "title", "search", "graph"],
    ]) {
      expect(await runCli(args), args.join(" ")).toEqual(after);
    }
    // The command's word is taken out where it stands: here it is also the query.
    expect((await runCli(["--db", db, "--limit", "1", "search", "search"])).stdout).toBe(
      (await runCli(["search", "--db", db, "--limit", "1", "search"])).stdout,
    );
    // Another command's option is that command's own to refuse.
    expect(await runCli(["--limit", "3", "stats", "--db", db])).toMatchObject({
      code: 2,
      stderr: "paperboy: unknown option --limit\n",
    });
    // An unknown one before the command takes no value: the number is not read as the command.
    expect((await runCli(["--limt", "3", "search", "graph", "--db", db])).stderr).toMatch(
      /^paperboy: unknown option --limt \(did you mean --limit\?\)\n\nUsage:/,
    );
  });

  it("names an unknown command or option, and the one it is likely a slip for", async () => {
    const serch = await runCli(["serch", "graphs", "--db", db]);
    expect(serch.code).toBe(2);
    expect(serch.stderr).toMatch(
      /^paperboy: unknown command "serch" \(did you mean search\?\)\n\nUsage:/,
    );
    expect((await runCli(["frobnicate"])).stderr).toMatch(
      /^paperboy: unknown command "frobnicate"\n\nUsage:/,
    );
    // The closest name, the one that starts most alike on a tie; the wrong case is a slip too.
    for (const [typed, meant] of [
      ["stat", "stats"],
      ["Stats", "stats"],
    ]) {
      expect((await runCli([typed as string])).stderr).toMatch(
        new RegExp(`^paperboy: unknown command "${typed}" \\(did you mean ${meant}\\?\\)`),
      );
    }
    // A letter missing, extra, swapped or wrong; letters left out, as names are shortened.
    for (const [typed, meant] of [
      ["serch", "search"],
      ["showw", "show"],
      ["ingset", "ingest"],
      ["forgot", "forget"],
      ["srch", "search"],
      ["frgt", "forget"],
      ["rndp", "roundup"],
      ["helpp", "help"], // `paperboy help [command]` is a command too
      ["hepl", "help"],
    ]) {
      expect((await runCli([typed as string])).stderr, typed).toMatch(
        new RegExp(`^paperboy: unknown command "${typed}" \\(did you mean ${meant}\\?\\)`),
      );
    }
    // Two letters wrong is another word; three letters left are as much of stats as of start.
    for (const typed of ["target", "forest", "reach", "arch", "sat"]) {
      expect((await runCli([typed])).stderr, typed).toMatch(
        new RegExp(`^paperboy: unknown command "${typed}"\n`),
      );
    }
    expect(await runCli(["search", "--lmit", "3", "graphs", "--db", db])).toMatchObject({
      code: 2,
      stderr: "paperboy: unknown option --lmit (did you mean --limit?)\n",
    });
    expect((await runCli(["stats", "--verbose", "--db", db])).stderr).toBe(
      "paperboy: unknown option --verbose\n",
    );
    // Before any command too, where it printed the usage alone, naming nothing wrong.
    for (const [args, named] of [
      [["--version"], "--version"],
      [["-v"], "-v"],
      [["--hlep"], "--hlep (did you mean --help?)"],
    ] as const) {
      expect(await runCli([...args]), named).toMatchObject({
        code: 2,
        stdout: "",
        stderr: expect.stringMatching(
          new RegExp(`^paperboy: unknown option ${named.replace(/[()?]/g, "\\$&")}\n\nUsage:`),
        ),
      });
    }
    expect(await runCli(["search", "graphs", "--db", db, "--limit"])).toMatchObject({
      code: 2,
      stderr:
        "paperboy: Option '--limit <value>' argument missing\nRun `paperboy --help` for usage.\n",
    });
    // One with the next option after it took that option as its value: `--limit --db x.db`
    // searched the default database, saying it had none, for "x.db".
    for (const [args, option, next] of [
      [["search", "graphs", "--limit", "--db", db], "--limit", "--db"],
      [["--db", "-h", "stats"], "--db", "-h"],
      [["deploy-commands", "--guild", "--remove-global"], "--guild", "--remove-global"],
    ] as const) {
      expect(await runCli([...args]), args.join(" ")).toEqual({
        code: 2,
        stdout: "",
        stderr: `paperboy: ${option}: expected a value after it, not the option ${next}\n`,
      });
    }
  });

  it("stats --json counts the papers and sources", async () => {
    const stats = JSON.parse((await runCli(["stats", "--db", db, "--json"])).stdout);
    expect(stats).toMatchObject({ papers: archivePaperCount + 10, sources: 6, pages: 5 });
  });
});

describe("a --db with no papers", () => {
  it("says so where search and show find nothing, and how to load some, not to try other words", async () => {
    const dir = tempDir();
    const db = join(dir, "paperboy.db");
    writeFileSync(join(dir, "empty.json"), "[]");
    expect((await runCli(["ingest", "--db", db, join(dir, "empty.json")])).code).toBe(0);
    const empty = `the archive in ${db} has no papers yet; load some with \`paperboy ingest <files or folders>\`, or check --db/PAPERBOY_DB`;
    expect(await runCli(["search", "graph", "--db", db])).toEqual({
      code: 0,
      stdout: `No papers match "graph": ${empty}.\n`,
      stderr: "",
    });
    expect((await runCli(["search", "2401.00001", "--db", db])).stdout).toBe(
      `No paper in the archive has the id or link "2401.00001"; ${empty}.\n`,
    );
    expect(await runCli(["show", "1", "--db", db])).toEqual({
      code: 2,
      stdout: "",
      stderr: `paperboy: show: no paper with id 1; ${empty}\n`,
    });
  });
});

describe("a --db that does not exist", () => {
  it("is refused by the commands that only read, and nothing is created", async () => {
    const folder = join(tempDir(), "typo");
    const db = join(folder, "paperboy.db");
    for (const args of [["search", "graphs"], ["show", "1"], ["stats"], ["roundup", "--dry-run"]]) {
      expect(await runCli([...args, "--db", db])).toEqual({
        code: 2,
        stdout: "",
        stderr: `paperboy: ${db}: no database here; check --db/PAPERBOY_DB, or create it with \`npm start\` or \`paperboy ingest\`\n`,
      });
    }
    expect(existsSync(folder)).toBe(false);
    expect((await runCli(["ingest", "--db", db, arxivSample])).code).toBe(0);
    expect(existsSync(db)).toBe(true);
  });
});

describe("paperboy ingest of paths none of which is there", () => {
  it("fails as any unreadable path does, and makes no database", async () => {
    const folder = join(tempDir(), "new");
    const missing = [join(tempDir(), "no-such-folder"), join(tempDir(), "no-such.txt")];
    expect(await runCli(["ingest", "--db", join(folder, "paperboy.db"), ...missing])).toEqual({
      code: 1,
      stdout: "",
      stderr:
        `${missing[0]}: no such file or folder\n${missing[1]}: no such file or folder\n` +
        "files: 0 read (0 unchanged), 2 failed · papers: 0 added, 0 updated, 0 unchanged · 0 duplicates merged · 0 warnings\n",
    });
    expect(existsSync(folder)).toBe(false);
  });
});

describe("a --db without a path", () => {
  it('is refused, not read as SQLite\'s throwaway temporary database (`--db "$DB"`, DB unset)', async () => {
    for (const args of [
      ["ingest", "--db", "", arxivSample],
      ["ingest", "--db=", arxivSample],
      ["ingest", "--db", " ", arxivSample],
    ]) {
      expect(await runCli(args), args.join(" ")).toEqual({
        code: 2,
        stdout: "",
        stderr: "paperboy: --db: the path is empty; expected a path to the SQLite database\n",
      });
    }
    expect(await runCli(["stats", "--db"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "paperboy: --db: expected a path to the SQLite database\n",
    });
  });
});

describe.skipIf(modesCount === undefined)("a --db this user may not write", () => {
  it("serves the commands that only read, and stops the others at once in one line", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777); // the folder writable by that user: SQLite's -wal and -shm go there
    const db = join(dir, "paperboy.db");
    expect((await runCli(["ingest", "--db", db, arxivSample])).code).toBe(0);
    chmodSync(db, 0o444);
    const run = (args: string[]) => runNode([bin, ...args], { cwd: root, user: modesCount });
    // Its owner's bot has it open (another user's database is read only then: see store.test.ts).
    const bot = new Database(db);
    bot.prepare("SELECT count(*) FROM papers").get();
    expect(await run(["stats", "--db", db])).toMatchObject({ code: 0, stderr: "" });
    bot.close();
    expect(await run(["forget", "--db", db, arxivSample])).toEqual({
      code: 2,
      stdout: "",
      stderr: `paperboy: ${db}: not writable by this user; give this user write permission on it, or point --db/PAPERBOY_DB at another file\n`,
    });
  });
});

describe.skipIf(modesCount === undefined)(
  "paperboy ingest of a folder this user may not list",
  () => {
    it("names it as it names a file it may not read, and reads the other paths", async () => {
      const dir = tempDir();
      chmodSync(dir, 0o777);
      const hidden = join(dir, "hidden");
      mkdirSync(hidden, { mode: 0o700 }); // this user's, not that one's
      copyFileSync(arxivSample, join(hidden, "sample.jsonl"));
      const db = join(dir, "paperboy.db");
      const run = await runNode([bin, "ingest", "--db", db, hidden, arxivSample], {
        cwd: root,
        user: modesCount,
      });
      // It was Node's own "EACCES: permission denied, scandir '…'".
      expect(run.stderr).toContain(`\n${hidden}: permission denied\n`);
      expect(run.stderr).toContain("files: 1 read (0 unchanged), 1 failed · papers: 10 added");
      expect(run.code).toBe(1);
    });
  },
);

describe.skipIf(process.platform === "win32")(
  "paperboy ingest stopped by Ctrl-C or SIGTERM",
  () => {
    /** A folder with a listing page of one paper in it. */
    const pageOfOnePaper = () => {
      const dir = tempDir();
      const page = join(dir, "page.txt");
      writeFileSync(
        page,
        listingPage([{ title: "Okapi Gaits", abstract: abstractAbout("okapis") }]),
      );
      return { dir, page };
    };

    it.each([
      ["SIGINT", "Ctrl-C", 130],
      ["SIGTERM", "SIGTERM", 143],
    ] as const)(
      "%s: says what it stored and what not, and that ingesting again goes on; exits 128 + its number",
      async (signal, spoken, exitCode) => {
        const { dir, page } = pageOfOnePaper();
        // A named pipe: its read waits for the test to write it, so Ctrl-C comes while it is read.
        const dump = join(dir, "dump.jsonl");
        expect(spawnSync("mkfifo", [dump]).status).toBe(0);
        const db = join(dir, "paperboy.db");
        const child = spawn(process.execPath, [bin, "ingest", "--db", db, page, dump, arxivSample]);
        onTestFinished(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
        });
        const exited = once(child, "exit");
        const stderr = watchStderr(child);
        await stderr.said(`[2/3] ${dump}\n`);
        child.kill(signal);
        await stderr.said("Stopping");
        await writeFile(dump, kilobyteRecord(1, "echidnas"));

        expect(await exited).toEqual([exitCode, null]);
        const said = stderr.text().split("\n");
        expect(said.slice(2, -1)).toEqual([
          `Stopping (${spoken}): the file being read will not be stored, unless it is being written already; the files stored before it are kept.`,
          "files: 1 read (0 unchanged), 0 failed · papers: 1 added, 0 updated, 0 unchanged · 0 duplicates merged · 0 warnings",
          `Stopped (${spoken}) while reading ${dump}: nothing of it is stored (a file is stored whole or not at all), nor of the 1 file after it.`,
          `Stored: 1 of 3 files: ${page}.`,
          "Run the same paperboy ingest again to go on: the files stored are skipped as unchanged.",
        ]);
        const again = await runCli(["ingest", "--db", db, page, arxivSample]);
        expect(again.stderr).toContain("files: 2 read (1 unchanged), 0 failed · papers: 10 added");
      },
    );

    it("says so when Ctrl-C came too late to stop it, the last file being written", async () => {
      // Pressed while the bar sat at 100 % (the index written, committed and merged): told the
      // file "will not be stored", the run then stored it, said nothing more and exited 0.
      const { dir, page } = pageOfOnePaper();
      const db = join(dir, "paperboy.db");
      const { main } = await import("../src/cli/main.ts");
      const before = new Set(process.listeners("SIGINT"));
      let said = "";
      // A terminal's stderr, Ctrl-C pressed as it shows the file read whole: the thread storing
      // it sent that once past the last point where it stops.
      const stderr = Object.assign(
        new Writable({
          write(chunk, _encoding, done) {
            said += String(chunk);
            if (String(chunk).endsWith("1 record, 100 %")) {
              for (const ctrlC of process.listeners("SIGINT").filter((l) => !before.has(l))) {
                ctrlC("SIGINT");
              }
            }
            done();
          },
        }),
        { isTTY: true, columns: 200 },
      );
      const code = await main(["ingest", "--db", db, page], {
        stdout: new Writable({ write: (_chunk, _encoding, done) => done() }),
        stderr,
        stdin: Readable.from([]),
      });
      expect(code).toBe(0);
      const lines = said.replaceAll("\r\x1b[K", "\n").split("\n").filter(Boolean);
      expect(lines.slice(-3)).toEqual([
        "Stopping (Ctrl-C): the file being read will not be stored, unless it is being written already; the files stored before it are kept.",
        "files: 1 read (0 unchanged), 0 failed · papers: 1 added, 0 updated, 0 unchanged · 0 duplicates merged · 0 warnings",
        "Ctrl-C came as the last file was being written: the run is whole, as said above.",
      ]);
    });
  },
);

describe.skipIf(process.platform === "win32")("npm start stopped during its first load", () => {
  it("by Ctrl-C: stops before the console, says what it stored and that npm start goes on; exits 130", async () => {
    const dir = tempDir();
    // A named pipe as the archive (a file, read as itself): its read waits for the test to
    // write it, so Ctrl-C comes while it is read.
    const dump = join(dir, "dump.jsonl");
    expect(spawnSync("mkfifo", [dump]).status).toBe(0);
    const env = cleanEnv({ PAPERBOY_DB: join(dir, "paperboy.db"), PAPERBOY_ARCHIVE: dump });
    const child = spawn(process.execPath, [bin, "start"], { cwd: dir, env });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    const exited = once(child, "exit");
    const stderr = watchStderr(child);
    // Opened for writing once the ingest thread has opened it to read.
    const writer = await open(dump, "w");
    child.kill("SIGINT");
    await stderr.said("Stopping");
    await writer.writeFile(kilobyteRecord(1, "echidnas"));
    await writer.close();

    expect(await exited).toEqual([130, null]);
    expect(stderr.text().split("\n")).toEqual([
      "Stopping (Ctrl-C): the file being read will not be stored, unless it is being written already; the files stored before it are kept.",
      `Stopped (Ctrl-C) while reading ${dump}: nothing of it is stored (a file is stored whole or not at all).`,
      "Stored: 0 of 1 file.",
      "Run npm start again to go on: the files stored are skipped as unchanged.",
      "",
    ]);
    rmSync(dump);
    writeFileSync(dump, kilobyteRecord(1, "echidnas"));
    const again = spawnSync(process.execPath, [bin, "start"], {
      cwd: dir,
      env,
      input: "",
      encoding: "utf8",
    });
    expect(again.stderr).toMatch(/^Offline console: 1 archive file, 1 paper\./);
    expect(again.status).toBe(0);
  });

  it("by Ctrl-C while it pulls the Hugging Face list: gives it up, reads no file, says so; exits 130", async () => {
    const dir = tempDir();
    // Hugging Face slow to answer (15 s before it is given up): the test is told when asked.
    let asked = () => {};
    const pulling = new Promise<void>((resolve) => {
      asked = resolve;
    });
    const slow = createServer(() => asked());
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    onTestFinished(() => {
      slow.closeAllConnections();
      slow.close();
    });
    const env = cleanEnv({
      PAPERBOY_DB: join(dir, "paperboy.db"),
      PAPERBOY_ARCHIVE: archiveDir,
      PAPERBOY_HF_DAILY: "on",
      PAPERBOY_HF_API_URL: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`,
    });
    const child = spawn(process.execPath, [bin, "start"], { cwd: dir, env });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    const exited = once(child, "exit");
    const stderr = watchStderr(child);
    await pulling;
    child.kill("SIGINT");

    expect(await exited).toEqual([130, null]);
    expect(stderr.text().split("\n")).toEqual([
      "Stopping (Ctrl-C): the file being read will not be stored, unless it is being written already; the files stored before it are kept.",
      "Stopped (Ctrl-C) with no file being read.",
      "Run npm start again to go on: the files stored are skipped as unchanged.",
      "",
    ]);
  });
});

describe("the paperboy executable", () => {
  it("runs by itself, as `npx paperboy` runs it (the file is executable, with its shebang)", () => {
    const run = spawnSync(bin, ["--help"], { encoding: "utf8", timeout: 20_000 });
    expect(run.error).toBeUndefined();
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: paperboy <command>/);
  });

  it("prints one command's usage for `paperboy <command> --help`, the whole list for `--help`", async () => {
    const search = await runCli(["search", "--help"]);
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^Usage: paperboy search \[options\]\n/);
    expect(search.stdout).toContain("  search --stdin --json ");
    expect(search.stdout).toContain("  --db PATH ");
    expect(search.stdout).not.toContain("ingest");
    const misspelt = await runCli(["srch", "--help"]);
    expect(misspelt.code).toBe(2);
    expect(misspelt.stdout).toBe("");
    expect(misspelt.stderr).toMatch(
      /^paperboy: unknown command "srch" \(did you mean search\?\)\n/,
    );
    // An object's own properties are no commands: `constructor --help` printed "undefined", exit 0.
    for (const args of [["constructor", "--help"], ["toString"]]) {
      const run = await runCli(args);
      expect(run.code, args[0]).toBe(2);
      expect(run.stderr, args[0]).toMatch(new RegExp(`^paperboy: unknown command "${args[0]}"`));
    }
    // `paperboy help [command]` is --help, as git and npm take it.
    expect(await runCli(["help", "search"])).toEqual(search);
    const all = await runCli(["--help"]);
    expect(await runCli(["help"])).toEqual(all);
    for (const command of [
      "start",
      "deploy-commands",
      "ingest",
      "forget",
      "search",
      "show",
      "stats",
      "roundup",
    ])
      expect(all.stdout).toContain(`\n  ${command} `);
  });

  /** Runs the executable, closing `stream` after its first output, as `| head -1` does. */
  async function runUntilReaderGoes(args: string[], stream: "stdout" | "stderr", input = "") {
    const child = spawn(process.execPath, [bin, ...args]);
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child[stream].once("data", () => child[stream].destroy());
    child.stdin.on("error", () => {}); // it may stop reading its input before the end
    child.stdin.end(input);
    const [code] = await once(child, "close");
    return { code, stderr };
  }

  /**
   * `paperboy ingest` whose files may grow to `kib` KiB at most, as on a disk that fills or
   * with a quota. XFSZ ignored, a write past the limit fails (EFBIG, which SQLite calls
   * SQLITE_IOERR) rather than killing the process.
   */
  function runWithFileLimit(kib: number, args: string[]) {
    const limited = `trap "" XFSZ; ulimit -f ${kib}; exec "$@"`;
    return spawnSync("bash", ["-c", limited, "bash", process.execPath, bin, ...args], {
      encoding: "utf8",
      timeout: 20_000,
    });
  }
  /** What a write past the file size limit is said to be: the limit, not a disk to free. */
  const overLimit = (db: string, limit: string) =>
    `paperboy: ${db}: SQLite could not write it (disk I/O error): this process may not write files past ${limit} (ulimit -f); raise or lift that limit (ulimit -f unlimited; LimitFSIZE= in a systemd unit), or point --db/PAPERBOY_DB at a file on another disk`;
  const ingestWithFileLimit = (db: string, path: string, kib: number) =>
    runWithFileLimit(kib, ["ingest", "--db", db, path]);

  it("says in one line, without a stack trace, that the database could not be written to", async () => {
    const dir = tempDir();
    const db = join(dir, "paperboy.db");
    const dump = writeLargeDump(join(dir, "dump.jsonl"));
    expect((await runCli(["ingest", "--db", db, archiveDir])).code).toBe(0);
    // Files may grow to 2 MiB at most (ulimit -f): the dump's papers take more.
    const run = ingestWithFileLimit(db, dump, 2048);
    expect(run.status).toBe(1);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines.at(-1)).toBe(
      `${overLimit(db, "2.0 MiB")}. What was being written when it failed was not kept.`,
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
    // What was stored before is still there; nothing of the dump is.
    const stats = await runCli(["stats", "--db", db, "--json"]);
    expect(JSON.parse(stats.stdout)).toMatchObject({ papers: archivePaperCount, sources: 5 });
  });

  it("stores a file and says so when only the index merge after it cannot be written", async () => {
    const dir = tempDir();
    const db = join(dir, "paperboy.db");
    expect((await runCli(["ingest", "--db", db, archiveDir])).code).toBe(0);
    // Many days' papers since the last merge: this ingest's ends by merging the index, which
    // writes it anew (hundreds of KiB) into the WAL, emptied here.
    const setUp = new Database(db);
    setUp.prepare("UPDATE meta SET value = '1000' WHERE key = 'index:unmerged-changes'").run();
    setUp.pragma("wal_checkpoint(TRUNCATE)");
    setUp.close();
    const day = join(dir, "day.jsonl");
    writeFileSync(day, [1, 2, 3].map((n) => kilobyteRecord(n, `day ${n}`)).join("\n"));
    // Room for the day's three papers, not for the merge: a file size limit (or a quota) is
    // SQLITE_IOERR to SQLite, not SQLITE_FULL, and statfs does not see it.
    const run = ingestWithFileLimit(db, day, 300);
    expect(run.stderr).not.toContain("could not read or write");
    expect(run.stderr).toContain("papers: 3 added, 0 updated");
    expect(run.status).toBe(0);
    const stats = await runCli(["stats", "--db", db, "--json"]);
    expect(JSON.parse(stats.stdout)).toMatchObject({ papers: archivePaperCount + 3, sources: 6 });
    // Not merged: the next ingest that changes papers tries again.
    const after = new Database(db, { readonly: true });
    const unmerged = after.prepare("SELECT value FROM meta WHERE key = 'index:unmerged-changes'");
    expect(Number(unmerged.pluck().get())).toBe(1003);
    after.close();
  });

  it("searches a database whose acronyms are due a recount when it cannot be written to", async () => {
    const db = join(tempDir(), "paperboy.db");
    expect((await runCli(["ingest", "--db", db, archiveDir])).code).toBe(0);
    // As a database from before the acronym finder's last change: recounted when opened.
    const setUp = new Database(db);
    setUp.prepare("DELETE FROM meta WHERE key = 'acronyms:finder'").run();
    setUp.pragma("wal_checkpoint(TRUNCATE)");
    setUp.close();
    // 40 KiB: the -shm file (32 KiB) fits, the recount's rows in the WAL (45 KiB) do not.
    const run = runWithFileLimit(40, ["search", "--db", db, "--limit", "1", "graph generative"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("1. Large *Generative* *Graph* Models");
    expect(run.status).toBe(0);
    // The old counts served; the next open that can write recounts them.
    expect((await runCli(["search", "--db", db, "graph"])).code).toBe(0);
    const after = new Database(db, { readonly: true });
    const finder = after.prepare("SELECT value FROM meta WHERE key = 'acronyms:finder'");
    expect(finder.pluck().get()).toBe("2");
    after.close();
  });

  /**
   * A database as Paperboy left it at schema version 3, holding `papers` papers: migration 4
   * indexes them all (136 KiB of WAL for 5,000).
   */
  function databaseAtVersion3(papers: number): string {
    const path = join(tempDir(), "paperboy.db");
    const db = new Database(path);
    for (const migration of migrations.slice(0, 3)) db.exec(migration);
    db.pragma("user_version = 3");
    db.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO papers (title_key, title, abstract, published, upvotes, first_seen, updated_at)
         SELECT 'paper ' || i, 'Paper ' || i, 'About paper ' || i || '.',
                printf('2025-%02d-%02d', i % 12 + 1, i % 28 + 1), i % 50, 'then', 'then' FROM n`,
    ).run(papers);
    db.close();
    return path;
  }

  /** `databaseAtVersion3(5000)` as it was made, a failed migration rolled back. */
  const asLeftAtVersion3 = { version: 3, papers: 5000, recentIndex: 0, intact: "ok" };

  /** Its schema version, its papers, and whether migration 4's index is there. */
  function versionAndPapers(path: string) {
    const db = new Database(path, { readonly: true });
    try {
      return {
        version: db.pragma("user_version", { simple: true }),
        papers: db.prepare("SELECT count(*) FROM papers").pluck().get(),
        recentIndex: db
          .prepare("SELECT count(*) FROM sqlite_master WHERE name = 'papers_recent'")
          .pluck()
          .get(),
        intact: db.pragma("integrity_check", { simple: true }),
      };
    } finally {
      db.close();
    }
  }

  it("says in one line that a pending migration could not be written, leaving the database as it was", async () => {
    const db = databaseAtVersion3(5000);
    // 64 KiB: the -shm file (32 KiB) fits, migration 4's index in the WAL (136 KiB) does not.
    const run = runWithFileLimit(64, ["stats", "--db", db]);
    expect(run.stderr).toBe(`${overLimit(db, "64.0 KiB")}\n`);
    expect(run.status).toBe(2);
    // The migration rolled back: still at version 3, its papers all there.
    expect(versionAndPapers(db)).toEqual(asLeftAtVersion3);
    // With room, it migrates.
    const stats = await runCli(["stats", "--db", db, "--json"]);
    expect(stats.stderr).toBe("");
    expect(JSON.parse(stats.stdout)).toMatchObject({ papers: 5000 });
    expect(versionAndPapers(db)).toEqual({
      version: migrations.length,
      papers: 5000,
      recentIndex: 1,
      intact: "ok",
    });
  });

  it("says in one line that a command only reading could not make the -shm file", async () => {
    const db = join(tempDir(), "paperboy.db");
    expect((await runCli(["ingest", "--db", db, arxivSample])).code).toBe(0);
    // 16 KiB: not even the -shm file (32 KiB) SQLite needs to read a WAL database fits.
    const run = runWithFileLimit(16, ["search", "--db", db, "graph"]);
    expect(run.stderr).toBe(`${overLimit(db, "16.0 KiB")}\n`);
    expect(run.status).toBe(2);
    expect((await runCli(["search", "--db", db, "graph"])).code).toBe(0);
  });

  describe.skipIf(!canInjectFaults())("on a disk that fails", () => {
    /**
     * `paperboy …args` whose writes to `file` fail with EIO, as on a failing disk; under a file
     * size limit of `fileLimitKib` when given.
     */
    function runWithFailingWrites(file: string, args: string[], fileLimitKib?: number) {
      const failing = ["-f", "-o", "/dev/null", "-P", file, "-e", "inject=pwrite64:error=EIO"];
      const traced = ["strace", ...failing, process.execPath, bin, ...args];
      const limited = `trap "" XFSZ; ulimit -f ${fileLimitKib}; exec "$@"`;
      const [command, ...commandArgs] =
        fileLimitKib === undefined ? traced : ["bash", "-c", limited, "bash", ...traced];
      return spawnSync(command as string, commandArgs, { encoding: "utf8", timeout: 20_000 });
    }
    const ioError = (db: string) =>
      `paperboy: ${db}: an I/O error from its disk or file system as SQLite wrote it (disk I/O error): the disk failing, a network share gone, or the file system made read-only after errors (the system log, \`dmesg\`, says which; or, with disk quotas, this user over theirs: \`quota -s\`); fix that, or point --db/PAPERBOY_DB at a file on another disk`;

    it("says a write that failed is an I/O error, not a full disk or a limit reached", async () => {
      const dir = tempDir();
      const db = join(dir, "paperboy.db");
      expect((await runCli(["ingest", "--db", db, archiveDir])).code).toBe(0);
      const run = runWithFailingWrites(`${db}-wal`, ["ingest", "--db", db, arxivSample]);
      expect(run.stderr.trimEnd().split("\n").at(-1)).toBe(
        `${ioError(db)}. What was being written when it failed was not kept.`,
      );
      expect(run.status).toBe(1);
      const stats = await runCli(["stats", "--db", db, "--json"]);
      expect(JSON.parse(stats.stdout)).toMatchObject({ papers: archivePaperCount, sources: 5 });
    });

    it("says a failed write is an I/O error under a file size limit the files are far from", async () => {
      const dir = tempDir();
      const db = join(dir, "paperboy.db");
      expect((await runCli(["ingest", "--db", db, archiveDir])).code).toBe(0);
      // 1 GiB (a unit's LimitFSIZE=, say): the database's few MiB are nowhere near it.
      const run = runWithFailingWrites(`${db}-wal`, ["ingest", "--db", db, arxivSample], 1 << 20);
      expect(run.stderr.trimEnd().split("\n").at(-1)).toBe(
        `${ioError(db)}. What was being written when it failed was not kept.`,
      );
      expect(run.status).toBe(1);
    });

    it("says so as it opens the database, which writes its -shm file", async () => {
      const db = join(tempDir(), "paperboy.db");
      expect((await runCli(["ingest", "--db", db, arxivSample])).code).toBe(0);
      const run = runWithFailingWrites(`${db}-shm`, ["search", "--db", db, "graph"]);
      expect(run.stderr).toBe(`${ioError(db)}\n`);
      expect(run.status).toBe(2);
    });
  });

  describe.skipIf(!canMountDisks())("on a disk that is full", () => {
    /**
     * `paperboy …args --db <a copy of db>` on a disk `kib` KiB big of its own: a tmpfs, in a
     * mount namespace of its own, gone with the process. The copy (and its -wal and -shm files)
     * is copied back over `db` after.
     */
    function runOnDiskOf(kib: number, db: string, args: string[]) {
      const disk = tempDir();
      const script = [
        `mount -t tmpfs -o size=${kib}k tmpfs "$1" && cp "$2" "$1/" || exit 99`,
        'copy="$1/$(basename "$2")" back="$(dirname "$2")"',
        'shift 2; "$@" --db "$copy"; status=$?',
        'cp "$copy"* "$back/" && exit $status',
      ].join("\n");
      return { ...paperboyInOwnMounts(script, [disk, db], args), onDisk: join(disk, basename(db)) };
    }

    it("says in one line that a pending migration does not fit, leaving the database as it was", async () => {
      const db = databaseAtVersion3(5000);
      // Room for the file and its -shm file (32 KiB), not for migration 4's index (136 KiB).
      const kib = Math.ceil(statSync(db).size / 4096) * 4 + 64;
      const run = runOnDiskOf(kib, db, ["stats"]);
      expect(run.stderr).toBe(
        `paperboy: ${run.onDisk}: its disk is full (database or disk is full); free some space there, or point --db/PAPERBOY_DB at a file on another disk\n`,
      );
      expect(run.status).toBe(2);
      expect(versionAndPapers(db)).toEqual(asLeftAtVersion3);
      expect((await runCli(["stats", "--db", db])).code).toBe(0);
      expect(versionAndPapers(db)).toMatchObject({ version: migrations.length, papers: 5000 });
    });

    it("says the disk is full when a command only reading has no room for the -shm file", async () => {
      const db = join(tempDir(), "paperboy.db");
      expect((await runCli(["ingest", "--db", db, arxivSample])).code).toBe(0);
      // Room for the file, not for the 32 KiB -shm file: SQLite says SQLITE_IOERR_SHMSIZE.
      const run = runOnDiskOf(Math.ceil(statSync(db).size / 4096) * 4 + 8, db, ["search", "graph"]);
      expect(run.stderr).toBe(
        `paperboy: ${run.onDisk}: its disk is full (disk I/O error); free some space there, or point --db/PAPERBOY_DB at a file on another disk\n`,
      );
      expect(run.status).toBe(2);
    });
  });

  describe.skipIf(!canMountDisks())("on a read-only file system", () => {
    /** `paperboy …args` with `dir` mounted read-only (a bind mount, in a mount namespace of its own). */
    function runWithReadOnly(dir: string, args: string[]) {
      const script =
        'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" || exit 99; shift; exec "$@"';
      return paperboyInOwnMounts(script, [dir], args);
    }

    it("says the file system is read-only, not that the database may not be read or written", async () => {
      const dir = tempDir();
      const db = join(dir, "paperboy.db");
      expect((await runCli(["ingest", "--db", db, arxivSample])).code).toBe(0);
      // A command that only reads, and one that writes: "this user may not read it" and "not
      // writable by this user; give this user write permission on it" sent root to chmod.
      for (const args of [["stats"], ["ingest", archiveDir]]) {
        expect(runWithReadOnly(dir, [...args, "--db", db]), args[0]).toMatchObject({
          status: 2,
          stderr: `paperboy: ${db}: on a read-only file system, and SQLite writes beside the database (its -wal and -shm files) even to read it; mount it read-write, or copy the database to a writable disk and point --db/PAPERBOY_DB at the copy\n`,
        });
      }
      const made = join(dir, "new.db");
      expect(runWithReadOnly(dir, ["ingest", "--db", made, arxivSample])).toMatchObject({
        status: 2,
        stderr: `paperboy: ${made}: cannot create the database file: ${dir} is on a read-only file system; point --db/PAPERBOY_DB at a file on a writable disk\n`,
      });
    });
  });

  it("stops quietly when its reader goes away (`search --stdin --json | head -1`)", async () => {
    const db = join(tempDir(), "paperboy.db");
    const search = ["search", "--db", db, "--stdin", "--json"];
    expect((await runCli(["ingest", "--db", db, arxivSample])).code).toBe(0);
    const input = "graph neural network\n".repeat(3000);
    expect(await runUntilReaderGoes(search, "stdout", input)).toEqual({ code: 0, stderr: "" });
    // `paperboy ingest 2>&1 | head -1`: its progress lines and summary go to stderr.
    const ingest = ["ingest", "--db", join(tempDir(), "other.db"), archiveDir, arxivSample];
    expect((await runUntilReaderGoes(ingest, "stderr")).code).toBe(0);
  });

  describe("with a .env beside it", () => {
    const env = { ...process.env, LOG_LEVEL: undefined };
    const runIn = (cwd: string, extra: NodeJS.ProcessEnv = {}, user = {}) =>
      spawnSync(process.execPath, [bin, "stats", "--db", join(cwd, "none.db")], {
        cwd,
        env: { ...env, ...extra },
        encoding: "utf8",
        timeout: 20_000,
        ...user,
      });

    it("reads its settings, the environment's winning", () => {
      const dir = tempDir();
      writeFileSync(join(dir, ".env"), "LOG_LEVEL=loud\n");
      expect(runIn(dir).stderr).toBe(
        `paperboy: LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"\n`,
      );
      expect(runIn(dir, { LOG_LEVEL: "warn" }).stderr).toMatch(/^paperboy: .*: no database here/);
      // Even empty, as dotenv and node --env-file have it: `DISCORD_TOKEN= npm start` goes offline.
      expect(runIn(dir, { LOG_LEVEL: "" }).stderr).toMatch(/^paperboy: .*: no database here/);
    });

    it("reads its first setting when the file starts with a byte order mark", () => {
      const dir = tempDir();
      writeFileSync(join(dir, ".env"), "\uFEFFLOG_LEVEL=loud\r\n");
      expect(runIn(dir).stderr).toBe(
        `paperboy: LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"\n`,
      );
    });

    it("reads a path's leading ~ as the home folder, as a shell would, and so does --db", () => {
      const [dir, home] = [tempDir(), tempDir()];
      mkdirSync(join(home, "papers"));
      copyFileSync(arxivSample, join(home, "papers", "sample.jsonl"));
      writeFileSync(join(dir, ".env"), "PAPERBOY_DB=~/paperboy.db\nPAPERBOY_ARCHIVE=~/papers\n");
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [bin, ...args], {
          cwd: dir,
          env: cleanEnv({ HOME: home }),
          encoding: "utf8",
          timeout: 20_000,
        });

      expect(run("ingest").status).toBe(0);
      expect(existsSync(join(home, "paperboy.db"))).toBe(true);
      expect(existsSync(join(dir, "~"))).toBe(false); // not a folder named "~" beside .env
      // `--db=~/…` is a word no shell expands either.
      const stats = run("stats", "--json", "--db=~/paperboy.db");
      expect(JSON.parse(stats.stdout)).toMatchObject({ papers: 10, sources: 1 });
    });

    it("with a line that is not NAME=value, names the line and how to write it, not its value", () => {
      // parseEnv skipped it and glued it to the next line's name, losing both: `DISCORD_TOKEN: …`
      // left the bot offline, the console saying to set DISCORD_TOKEN, which the operator had.
      const dir = tempDir();
      const lines = [
        "# Paperboy",
        "",
        "LOG_LEVEL=warn",
        "DISCORD_TOKEN: abc.def",
        "LOG_LEVEL=loud",
      ];
      writeFileSync(join(dir, ".env"), `${lines.join("\n")}\n`);
      const run = runIn(dir);
      expect(run.stderr).toBe(
        "paperboy: .env:4: expected NAME=value, like DISCORD_TOKEN=…; fix the line, or start it with # to leave it out\n",
      );
      expect(run.status).toBe(2);
      for (const line of ["PAPERBOY_DB /tmp/x.db", "set PAPERBOY_DB=/tmp/x.db"]) {
        writeFileSync(join(dir, ".env"), `${line}\r\n`);
        expect(runIn(dir).stderr).toBe(
          "paperboy: .env:1: expected NAME=value, like PAPERBOY_DB=…; fix the line, or start it with # to leave it out\n",
        );
      }
      // As dotenv reads them: spaces around "=", `export`, a quoted value over two lines.
      const good = 'export LOG_LEVEL = loud\nOTHER_KEY="-----BEGIN KEY-----\nnot a setting"\n';
      writeFileSync(join(dir, ".env"), good);
      expect(runIn(dir).stderr).toBe(
        `paperboy: LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"\n`,
      );
    });

    it("that is a folder, says it cannot be read, in one line", () => {
      const dir = tempDir();
      mkdirSync(join(dir, ".env"));
      const run = runIn(dir);
      expect(run.stderr).toBe(
        "paperboy: .env: could not read the settings file (it is a folder); fix it or remove it\n",
      );
      expect(run.status).toBe(2);
    });

    it.skipIf(modesCount === undefined)("that this user may not read, says so", () => {
      const dir = tempDir();
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, ".env"), "LOG_LEVEL=warn\n");
      chmodSync(join(dir, ".env"), 0o000);
      const run = runIn(dir, {}, modesCount);
      expect(run.stderr).toBe(
        "paperboy: .env: could not read the settings file (permission denied for this user); fix it or remove it\n",
      );
      expect(run.status).toBe(2);
    });
  });
});
