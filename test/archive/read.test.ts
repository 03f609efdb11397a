import { constants as bufferConstants } from "node:buffer";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  ArchiveReadError,
  listArchiveFiles,
  maxArchiveTextBytes,
  readArchiveBytes,
  readArchiveSource,
} from "../../src/archive/read.ts";
import {
  abstractAbout,
  archiveDir,
  corpusDir,
  fixturesDir,
  pageHeader,
  paragraphs,
  tempDir,
} from "./samples.ts";

const now = new Date("2026-01-05T12:00:00Z");
const corpus41k = join(corpusDir, "papers-41k.jsonl.gz");
const sampleSlice = readFileSync(join(fixturesDir, "arxiv-sample-10.jsonl"));
const page = paragraphs(
  ...pageHeader("Jul 4"),
  "Graph Rewiring",
  abstractAbout("graph rewiring"),
  "Sparse Experts",
  abstractAbout("sparse experts"),
);

/**
 * One archive file's papers, read and then parsed as ingest does, every batch of them (a JSON
 * Lines file in parts of `partBytes`).
 */
function readArchiveFile(path: string, at: Date, maxTextBytes?: number, partBytes?: number) {
  const bytes = readArchiveBytes(path, maxTextBytes);
  const { batches, ...source } = readArchiveSource(path, bytes, at, maxTextBytes, partBytes);
  const records = [...batches].flatMap((batch) => batch.records);
  return { ...source, records };
}

function write(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The error readArchiveFile throws for `path`, failing the test if it reads the file instead. */
function readError(path: string): ArchiveReadError {
  try {
    readArchiveFile(path, now);
  } catch (error) {
    expect(error).toBeInstanceOf(ArchiveReadError);
    return error as ArchiveReadError;
  }
  throw new Error(`${path} was read without an error`);
}

describe("readArchiveFile picks the reader by name", () => {
  it("reads the saved listing pages", () => {
    const files = listArchiveFiles([archiveDir]);
    const parsed = files.map((file) => readArchiveFile(file, now));
    expect(parsed.map((source) => source.format)).toEqual(["page", "page", "page", "page", "page"]);
    expect(parsed.map((source) => source.records.length)).toEqual([52, 76, 85, 49, 119]);
    expect(parsed.flatMap((source) => source.warnings)).toEqual([]);
  });

  it("reads JSON Lines, plain and gzipped", () => {
    const dir = tempDir();
    const plain = readArchiveFile(write(dir, "sample.jsonl", sampleSlice), now);
    const gzipped = readArchiveFile(write(dir, "sample.jsonl.gz", gzipSync(sampleSlice)), now);
    expect(plain.format).toBe("jsonl");
    expect(plain.records).toHaveLength(10);
    expect(gzipped).toEqual(plain);
  });

  it("reads a gzipped page", () => {
    const dir = tempDir();
    const parsed = readArchiveFile(write(dir, "listing.txt.gz", gzipSync(page)), now);
    expect(parsed.records.map((paper) => paper.title)).toEqual([
      "Graph Rewiring",
      "Sparse Experts",
    ]);
  });

  it("reads .json as the daily papers API, or as JSON Lines when it holds an object per line", () => {
    const dir = tempDir();
    const entries = [{ paper: { id: "2406.12345", title: "A Title", summary: "An abstract." } }];
    const daily = readArchiveFile(write(dir, "daily.json", JSON.stringify(entries, null, 2)), now);
    expect(daily.format).toBe("hf-json");
    expect(daily.records.map((paper) => paper.arxivId)).toEqual(["2406.12345"]);
    const lines = readArchiveFile(write(dir, "lines.json", sampleSlice), now);
    expect(lines.format).toBe("jsonl");
    expect(lines.records).toHaveLength(10);
    // A broken first line is one bad line, not a reason to read the file as something else.
    const [first, ...rest] = String(sampleSlice).split("\n");
    const broken = readArchiveFile(
      write(dir, "broken.json", [`${first},`, ...rest].join("\n")),
      now,
    );
    expect(broken.format).toBe("jsonl");
    expect(broken.records).toHaveLength(9);
    expect(broken.warnings).toEqual([
      { line: 1, message: expect.stringMatching(/^not valid JSON/) },
    ]);
  });

  it("reads a JSON Lines file in parts exactly as it reads it whole", () => {
    const dir = tempDir();
    const record = (i: number, title = `Paper ${i}`) =>
      JSON.stringify({ id: `2401.${String(i).padStart(5, "0")}`, title, abstract: `On ${i}.` });
    // What a part may begin or end with: a byte order mark of a file joined on, blank lines,
    // "\r\n", a broken line, a line longer than a part, a character of several bytes.
    const lines = [
      `\uFEFF${record(0)}`,
      "",
      `${record(1)}\r`,
      "{not json",
      record(2, `Long ${"word ".repeat(100)}`),
      `\uFEFF${record(3)}`,
      record(4, "Über ∑ 扩散 🙂"),
      "   ",
      JSON.stringify({ id: "2401.00005", title: "No abstract" }),
      ...Array.from({ length: 40 }, (_, i) => record(6 + i)),
    ];
    const text = lines.join("\n");
    for (const name of ["parts.jsonl", "parts.jsonl.gz"]) {
      const path = write(dir, name, name.endsWith(".gz") ? gzipSync(text) : text);
      const whole = readArchiveFile(path, now);
      expect(whole.records).toHaveLength(45);
      expect(whole.warnings.map((w) => w.line)).toEqual([4, 9]);
      for (const partBytes of [1, 7, 64, 200, 1000]) {
        expect(readArchiveFile(path, now, undefined, partBytes)).toEqual(whole);
      }
    }
    // Cut short, in parts: the warning still names the line the cut fell in.
    const gzipped = gzipSync(`${text}\n`);
    const cut = write(dir, "cut.jsonl.gz", gzipped.subarray(0, gzipped.length - 60));
    const wholeCut = readArchiveFile(cut, now);
    expect(wholeCut.warnings.at(-1)?.message).toMatch(/^the file ends early/);
    expect(readArchiveFile(cut, now, undefined, 50)).toEqual(wholeCut);
  });

  it("keeps a byte order mark that opens a later part, as reading whole does", () => {
    // One mark is dropped from a line, as from a file joined on; a line with two is broken
    // wherever the parts fall (decoding a part alone dropped one more).
    const dir = tempDir();
    const record = (i: number) =>
      JSON.stringify({ id: `2401.0000${i}`, title: `Paper ${i}`, abstract: `On ${i}.` });
    const text = [record(0), `\uFEFF\uFEFF${record(1)}`, `\uFEFF${record(2)}`].join("\n");
    const path = write(dir, "marks.jsonl", text);
    const whole = readArchiveFile(path, now);
    expect(whole.records.map((paper) => paper.line)).toEqual([1, 3]);
    expect(whole.warnings.map((warning) => warning.line)).toEqual([2]);
    for (const partBytes of [1, record(0).length + 1]) {
      expect(readArchiveFile(path, now, undefined, partBytes)).toEqual(whole);
    }
  });

  it("reads a .jsonl that holds the daily papers array as that array", () => {
    const dir = tempDir();
    const entries = [{ paper: { id: "2406.12345", title: "A Title", summary: "An abstract." } }];
    for (const [name, text] of [
      ["pretty.jsonl", JSON.stringify(entries, null, 2)],
      ["one-line.jsonl.gz", gzipSync(`\n${JSON.stringify(entries)}`)],
    ] as const) {
      const parsed = readArchiveFile(write(dir, name, text), now);
      expect(parsed).toMatchObject({ format: "hf-json", warnings: [] });
      expect(parsed.records.map((paper) => paper.arxivId)).toEqual(["2406.12345"]);
    }
  });

  it("reads a .jsonl that opens the daily papers array after any white space as that array", () => {
    // A no-break space, an ideographic space, a second byte order mark (files joined), a
    // line separator: white space to JavaScript, so the array, not a bad line each.
    const dir = tempDir();
    const entries = [{ paper: { id: "2406.12345", title: "A Title", summary: "An abstract." } }];
    for (const space of ["\u00a0", "\u3000", "\uFEFF\uFEFF", " \u2028\n"]) {
      const text = `${space}${JSON.stringify(entries, null, 2)}`;
      const parsed = readArchiveFile(write(dir, "spaced.jsonl", text), now);
      expect(parsed.format).toBe("hf-json");
      expect(parsed.records.map((paper) => paper.arxivId)).toEqual(["2406.12345"]);
    }
  });

  it("reads a .json cut short inside one object as one bad file, not a bad line each", () => {
    const dir = tempDir();
    const cut = readArchiveFile(write(dir, "cut.json", '{\n  "papers": [\n    {"title": "A"'), now);
    expect(cut.format).toBe("hf-json");
    expect(cut.warnings).toHaveLength(1);
  });

  it("drops control characters, which would drive a terminal that shows the text", () => {
    const dir = tempDir();
    const title = "Owned\u001b]0;retitled\u0007\u001b[2J Title\u009b";
    const line = JSON.stringify({ id: "2401.00009", title, abstract: "An\u0000 abstract.\u007f" });
    const [record] = readArchiveFile(write(dir, "escapes.jsonl", line), now).records;
    expect(record?.title).toBe("Owned ]0;retitled [2J Title");
    expect(record?.abstract).toBe("An abstract.");
    const [onPage] = readArchiveFile(
      write(dir, "escapes.txt", page.replace("Graph Rewiring", title)),
      now,
    ).records;
    expect(onPage?.title).toBe("Owned ]0;retitled [2J Title");
  });

  it("drops direction controls, which turn the rest of a line around, and keeps direction marks", () => {
    const dir = tempDir();
    const title =
      "Plain Title\u202e derahs ecnetnes \u2067isolated\u2069 \u05e9\u05dc\u05d5\u05dd\u200f";
    const line = JSON.stringify({ id: "2401.00010", title, abstract: "An\u202a abstract." });
    const [record] = readArchiveFile(write(dir, "bidi.jsonl", line), now).records;
    expect(record?.title).toBe(
      "Plain Title derahs ecnetnes isolated \u05e9\u05dc\u05d5\u05dd\u200f",
    );
    expect(record?.abstract).toBe("An abstract.");
    const [onPage] = readArchiveFile(
      write(dir, "bidi.txt", page.replace("Graph Rewiring", title)),
      now,
    ).records;
    expect(onPage?.title).toBe(record?.title);
  });

  it("skips a paper whose title has no letters or digits in every format, unless it has an arXiv id", () => {
    // Its title folds to an empty key, a paper's identity without an arXiv id: every such
    // paper merged into one, each one's abstract replacing the last.
    const dir = tempDir();
    const skipped = (line: number, title: string) => ({
      line,
      message: `title "${title}" has no letters or digits; skipped`,
    });
    const onPage = readArchiveFile(
      write(dir, "marks.txt", page.replace("Graph Rewiring", "???")),
      now,
    );
    expect(onPage.records.map((paper) => paper.title)).toEqual(["Sparse Experts"]);
    expect(onPage.warnings).toEqual([skipped(11, "???")]);

    const record = (title: string, more = {}) =>
      JSON.stringify({ title, abstract: abstractAbout(title), ...more });
    const lines = [
      record("Graph Rewiring"),
      record("!!!"),
      "{not json",
      record(" 🙂 "),
      record("Sparse Experts", { authors: 3 }),
      record("?", { id: "2401.00001" }),
    ];
    const path = write(dir, "marks.jsonl", lines.join("\n"));
    const jsonl = readArchiveFile(path, now);
    expect(jsonl.records.map((paper) => paper.title)).toEqual([
      "Graph Rewiring",
      "Sparse Experts",
      "?",
    ]);
    expect(jsonl.warnings).toEqual([
      skipped(2, "!!!"),
      { line: 3, message: expect.stringMatching(/^not valid JSON/) },
      skipped(4, "🙂"),
      { line: 5, message: "authors 3 is not usable; left out" },
    ]);
    // In the order of the file, whatever parts it is read in.
    for (const partBytes of [1, 100]) {
      expect(readArchiveFile(path, now, undefined, partBytes)).toEqual(jsonl);
    }

    const entries = [
      { paper: { title: "Graph Rewiring", summary: "On graphs." } },
      { paper: { title: "…", summary: "On nothing." } },
      { paper: { title: "…", summary: "On nothing again." } },
    ];
    const daily = readArchiveFile(write(dir, "marks.json", JSON.stringify(entries, null, 2)), now);
    expect(daily.records.map((paper) => paper.title)).toEqual(["Graph Rewiring"]);
    // Named by its entry, as the array's other warnings are: on one line, its line tells nothing.
    const inEntry = (line: number, entry: number, title: string) => ({
      line,
      message: `entry ${entry} ${skipped(line, title).message}`,
    });
    expect(daily.warnings).toEqual([inEntry(8, 2, "…"), inEntry(14, 3, "…")]);
    const oneLine = readArchiveFile(write(dir, "line.json", JSON.stringify(entries)), now);
    expect(oneLine.warnings).toEqual([inEntry(1, 2, "…"), inEntry(1, 3, "…")]);
  });

  it("strips a byte order mark and reads CRLF in every format", () => {
    const dir = tempDir();
    const crlf = (text: string | Buffer) => `\uFEFF${String(text).replace(/\n/gu, "\r\n")}`;
    const pageRecords = readArchiveFile(write(dir, "page.txt", page), now).records;
    expect(readArchiveFile(write(dir, "crlf.txt", crlf(page)), now).records).toEqual(pageRecords);
    const jsonl = readArchiveFile(write(dir, "crlf.jsonl", crlf(sampleSlice)), now);
    expect(jsonl.warnings).toEqual([]);
    expect(jsonl.records).toHaveLength(10);
    const daily = readArchiveFile(
      write(dir, "bom.json", crlf('[{"title": "T", "summary": "S"}]')),
      now,
    );
    expect(daily.format).toBe("hf-json");
    expect(daily.records).toHaveLength(1);
  });

  // How fast is for `npm run bench`; this is what it reads.
  it.skipIf(!existsSync(corpus41k))(
    "reads every record of the 41k corpus, without a warning",
    () => {
      const parsed = readArchiveFile(corpus41k, now);
      expect(parsed.records).toHaveLength(41534);
      expect(parsed.warnings).toEqual([]);
      expect(parsed.records.filter((paper) => paper.arxivId !== undefined)).toHaveLength(10806);
    },
  );
});

describe("readArchiveFile on files it cannot read", () => {
  it("rejects text that is not UTF-8, naming the line of the first bad byte", () => {
    const dir = tempDir();
    const latin1 = Buffer.from("Title\n\nCaf\u00e9 abstract\n", "latin1");
    const path = write(dir, "latin1.txt", latin1);
    const error = readError(path);
    expect(error.message).toBe(`${path}:3: not UTF-8 text (byte 0xE9); save it as UTF-8`);
    expect(error.line).toBe(3);
  });

  it("steps over a genuine replacement character before the bad byte", () => {
    const dir = tempDir();
    const bytes = Buffer.concat([
      Buffer.from("\uFEFFok \uFFFD here\nstill \u{1F600} fine\n"),
      Buffer.from([0x41, 0xc3, 0x28]),
    ]);
    const error = readError(write(dir, "mixed.jsonl", bytes));
    expect(error.line).toBe(3);
    expect(error.message).toMatch(/:3: not UTF-8 text \(byte 0xC3\)/u);
  });

  it("rejects binary files", () => {
    const dir = tempDir();
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
    const path = write(dir, "image.txt", png);
    // The signature holds "\r\n" and "\n" before its first NUL byte.
    expect(readError(path).message).toBe(`${path}:3: binary data (a NUL byte), not a text file`);
  });

  it("reads the complete lines of a gzip file cut short, with one warning that it ends early", () => {
    const dir = tempDir();
    const lines = Array.from({ length: 3000 }, (_, i) =>
      JSON.stringify({
        id: `2401.${String(i).padStart(5, "0")}`,
        title: `Paper ${i}`,
        abstract: `On ${i * 7919}.`,
      }),
    );
    const gzipped = gzipSync(`${lines.join("\n")}\n`);
    // An interrupted download: the first half of the file.
    const path = write(dir, "cut.jsonl.gz", gzipped.subarray(0, gzipped.length / 2));
    const parsed = readArchiveFile(path, now);
    const complete = parsed.records.length;
    expect(complete).toBeGreaterThan(1000);
    expect(complete).toBeLessThan(3000);
    expect(parsed.records.at(-1)?.title).toBe(`Paper ${complete - 1}`);
    expect(parsed.warnings).toEqual([
      {
        line: complete + 1,
        message:
          "the file ends early: its last part is cut off (an interrupted download?); download it again",
      },
    ]);
    // Cut before any text, or never written: nothing to read, said as plainly.
    const header = write(dir, "header.jsonl.gz", gzipped.subarray(0, 5));
    expect(readArchiveFile(header, now).warnings).toEqual([
      { line: 1, message: expect.stringMatching(/^the file ends early/) },
    ]);
    expect(readArchiveFile(write(dir, "zero.jsonl.gz", ""), now).warnings).toEqual([
      { line: 1, message: "file is empty" },
    ]);
  });

  it("reads the entries of a daily papers .json.gz cut short, with one warning that it ends early", () => {
    const dir = tempDir();
    const entries = Array.from({ length: 3000 }, (_, i) => ({
      paper: {
        id: `2401.${String(i).padStart(5, "0")}`,
        title: `Paper ${i}`,
        summary: `On ${i * 7919}.`,
      },
    }));
    const gzipped = gzipSync(JSON.stringify(entries, null, 2));
    const parsed = readArchiveFile(
      write(dir, "cut.json.gz", gzipped.subarray(0, gzipped.length / 2)),
      now,
    );
    expect(parsed.format).toBe("hf-json");
    expect(parsed.records.length).toBeGreaterThan(1000);
    expect(parsed.records.at(-1)?.title).toBe(`Paper ${parsed.records.length - 1}`);
    expect(parsed.warnings).toEqual([
      { line: expect.any(Number), message: expect.stringMatching(/^the file ends early/) },
    ]);
  });

  it("rejects UTF-16 text (Notepad's “Unicode”), saying so rather than “binary data”", () => {
    const dir = tempDir();
    const text = "Graph Rewiring\n";
    for (const [name, bytes] of [
      ["le.txt", Buffer.from(`\uFEFF${text}`, "utf16le")],
      ["be.jsonl", Buffer.from(`\uFEFF${text}`, "utf16le").swap16()],
      ["le.jsonl.gz", gzipSync(Buffer.from(`\uFEFF${text}`, "utf16le"))],
    ] as const) {
      const path = write(dir, name, bytes);
      expect(readError(path).message).toBe(`${path}: UTF-16 text, not UTF-8; save it as UTF-8`);
    }
  });

  it("rejects a broken gzip file, an unknown kind of file and a missing one", () => {
    const dir = tempDir();
    const broken = write(dir, "broken.jsonl.gz", "not gzip at all");
    expect(readError(broken).message).toBe(`${broken}: not a valid gzip file`);
    const corrupt = gzipSync(sampleSlice);
    corrupt.fill(0xff, 20, 60); // its compressed data, not only its end, is wrong
    const garbled = write(dir, "garbled.jsonl.gz", corrupt);
    expect(readError(garbled).message).toBe(`${garbled}: not a valid gzip file`);
    const notes = write(dir, "notes.md", "# notes");
    expect(readError(notes).message).toMatch(/^.*notes\.md: not an archive file/u);
    const missing = join(dir, "missing.txt");
    expect(readError(missing).message).toBe(`${missing}: no such file or folder`);
    const folder = join(dir, "folder.txt");
    mkdirSync(folder);
    expect(readError(folder).message).toBe(`${folder}: a folder, not a file`);
  });
});

describe("readArchiveFile on files too large to read", () => {
  // The real limit is hundreds of megabytes; the mechanism is the same with a small one.
  const limit = 4096;
  const lines = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      JSON.stringify({ id: `2401.${String(i).padStart(5, "0")}`, title: `T ${i}`, abstract: "A." }),
    ).join("\n");

  it("keeps the limit below the longest string V8 can make", () => {
    expect(maxArchiveTextBytes).toBeLessThanOrEqual(bufferConstants.MAX_STRING_LENGTH);
    expect(maxArchiveTextBytes).toBeLessThan(0x1fffffe8);
    expect(maxArchiveTextBytes).toBeGreaterThanOrEqual(256 * 1024 * 1024);
  });

  it("refuses a file past the limit, with how to split it, and reads one within it", () => {
    const dir = tempDir();
    const big = write(dir, "big.jsonl", lines(200));
    expect(() => readArchiveFile(big, now, limit)).toThrow(
      new ArchiveReadError(
        big,
        "too large: more than 4.0 KiB of text; split it into files of under 4.0 KiB, e.g. `split -l 200000 --additional-suffix=.jsonl big.jsonl big-part-`",
      ),
    );
    // The arXiv metadata snapshot is JSON Lines named .json.
    const snapshot = write(dir, "arxiv-metadata-oai-snapshot.json", lines(200));
    expect(() => readArchiveFile(snapshot, now, limit)).toThrow(
      new ArchiveReadError(
        snapshot,
        "too large: more than 4.0 KiB of text; split it into files of under 4.0 KiB (one that holds a record a line, as the arXiv metadata snapshot does, e.g. `split -l 200000 --additional-suffix=.jsonl arxiv-metadata-oai-snapshot.json arxiv-metadata-oai-snapshot-part-`)",
      ),
    );
    const page = write(dir, "page.txt", "x".repeat(limit + 1));
    expect(() => readArchiveFile(page, now)).not.toThrow(); // only past the limit given
    expect(() => readArchiveFile(page, now, limit)).toThrow(
      /page\.txt: too large: more than 4\.0 KiB of text; split it into files of under 4\.0 KiB$/,
    );
    expect(readArchiveFile(write(dir, "small.jsonl", lines(20)), now, limit).records).toHaveLength(
      20,
    );
  });

  it("stops gunzipping at the limit, however small the file", () => {
    const dir = tempDir();
    const text = `${lines(1)}\n`.repeat(2000);
    const gzipped = gzipSync(text);
    expect(gzipped.length).toBeLessThan(limit); // only its text is too large
    const path = write(dir, "big.jsonl.gz", gzipped);
    expect(() => readArchiveFile(path, now, limit)).toThrow(
      `${path}: too large: more than 4.0 KiB of text; split it into files of under 4.0 KiB, e.g. \`zcat big.jsonl.gz | split -l 200000 --additional-suffix=.jsonl - big-part-\``,
    );
    expect(readArchiveFile(path, now, text.length).records).toHaveLength(2000);
  });
});

describe("readArchiveFile on files with nothing to read", () => {
  it("warns about an empty file in any format", () => {
    const dir = tempDir();
    for (const [name, format] of [
      ["empty.txt", "page"],
      ["empty.jsonl", "jsonl"],
      ["empty.json", "hf-json"],
    ] as const) {
      expect(readArchiveFile(write(dir, name, ""), now)).toEqual({
        format,
        records: [],
        warnings: [{ line: 1, message: "file is empty" }],
      });
    }
    expect(readArchiveFile(write(dir, "blank.txt", " \n\r\n\t\n"), now).warnings).toEqual([
      { line: 1, message: "file is empty" },
    ]);
    expect(readArchiveFile(write(dir, "empty.jsonl.gz", gzipSync("")), now).warnings).toEqual([
      { line: 1, message: "file is empty" },
    ]);
  });

  it("warns about a page without papers", () => {
    const dir = tempDir();
    const parsed = readArchiveFile(
      write(dir, "header.txt", paragraphs(...pageHeader("Jul 4"))),
      now,
    );
    expect(parsed).toEqual({
      format: "page",
      pageDate: "2025-07-04",
      records: [],
      warnings: [{ line: 1, message: "no papers found" }],
    });
  });

  it("says why a file has no papers once: a broken JSON file is not also “no papers found”", () => {
    const dir = tempDir();
    for (const name of ["broken.json", "broken.jsonl"]) {
      const { records, warnings } = readArchiveFile(write(dir, name, "{"), now);
      expect(records).toEqual([]);
      expect(warnings).toEqual([{ line: 1, message: expect.stringMatching(/^not valid JSON \(/) }]);
    }
  });

  it("warns about a page cut off after a title", () => {
    const dir = tempDir();
    const parsed = readArchiveFile(write(dir, "cut.txt", `${page}\n\nCut Off Here\n`), now);
    expect(parsed.records).toHaveLength(2);
    expect(parsed.warnings).toEqual([
      { line: 19, message: '"Cut Off Here" has no abstract: the page ends after its title' },
    ]);
  });

  it("loads an abstract longer than any abstract in each format, and says so", () => {
    const dir = tempDir();
    const long = `${abstractAbout("long things")} ${"More words. ".repeat(10_000).trim()}`;
    const title = "A Paper Run Together";
    const files = {
      "long.txt": paragraphs(...pageHeader("Jul 4"), title, long),
      "long.jsonl": JSON.stringify({ id: "2501.00001", title, abstract: long }),
      "long.json": JSON.stringify([{ paper: { id: "2501.00001", title, summary: long } }]),
    };
    for (const [name, text] of Object.entries(files)) {
      const parsed = readArchiveFile(write(dir, name, text), now);
      expect(
        parsed.records.map((record) => record.abstract.length),
        name,
      ).toEqual([long.length]);
      expect(parsed.warnings, name).toEqual([
        {
          // A page's paper is at its title's line.
          line: text.split("\n").indexOf(title) + 1 || 1,
          message: `${name === "long.json" ? "entry 1 " : ""}"${title}" has an abstract of ${long.length.toLocaleString("en-US")} characters, more than any abstract's (100,000); loaded, but check that it is one paper's`,
        },
      ]);
    }
  });

  it("survives a 10 MB single line in each format", () => {
    const dir = tempDir();
    const huge = "word ".repeat(2_000_000);
    const results = ["huge.txt", "huge.jsonl", "huge.json"].map((name) =>
      readArchiveFile(write(dir, name, huge), now),
    );
    for (const parsed of results) {
      expect(parsed.records).toEqual([]);
      // One warning for the line, cut short: not 10 MB of it echoed back.
      expect(parsed.warnings).toHaveLength(1);
      expect(parsed.warnings[0]?.line).toBe(1);
      expect(parsed.warnings[0]?.message.length).toBeLessThan(200);
    }
  });
});

describe("listArchiveFiles", () => {
  it("lists a folder's archive files by name, not its subfolders", () => {
    const dir = tempDir();
    for (const name of [
      "b.jsonl",
      "a.txt",
      "c.jsonl.gz",
      "d.json",
      "e.txt.gz",
      "notes.md",
      "x.csv",
    ]) {
      write(dir, name, "");
    }
    mkdirSync(join(dir, "sub"));
    write(join(dir, "sub"), "nested.txt", "");
    mkdirSync(join(dir, "folder.txt"));
    expect(listArchiveFiles([dir])).toEqual(
      ["a.txt", "b.jsonl", "c.jsonl.gz", "d.json", "e.txt.gz"].map((name) => join(dir, name)),
    );
  });

  it("keeps files given by name, in order, once each", () => {
    const dir = tempDir();
    const notes = write(dir, "notes.md", "");
    const page = write(dir, "page.txt", "");
    expect(listArchiveFiles([notes, dir, page])).toEqual([notes, page]);
  });

  it("lists the shipped archive", () => {
    expect(listArchiveFiles([archiveDir]).map((path) => path.slice(archiveDir.length))).toEqual([
      "000_c29990385ef5d28c.txt",
      "001_d8c382fad536c030.txt",
      "002_d078b4fcad98c095.txt",
      "003_78dfc03a4ed0a0bd.txt",
      "004_64dbacb6587a435a.txt",
    ]);
  });

  it("rejects a path that does not exist", () => {
    const missing = join(tempDir(), "nowhere");
    expect(() => listArchiveFiles([missing])).toThrow(ArchiveReadError);
    expect(() => listArchiveFiles([missing])).toThrow(`${missing}: no such file or folder`);
  });
});
