import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseHfDaily } from "../../src/archive/hf.ts";
import { parseJsonLines } from "../../src/archive/jsonl.ts";
import { arxivSample } from "../helpers.ts";

const full = {
  paper: {
    id: "2406.12345v2",
    title: "Scaling\n  Sparse Experts",
    summary: "We scale sparse experts.\nThey work.",
    authors: [{ _id: "a1", name: "Ada Lovelace", hidden: false }, { name: " Alan Turing " }, {}],
    publishedAt: "2024-06-18T17:59:59.000Z",
    upvotes: 12,
  },
  publishedAt: "2024-06-19T02:19:47.377Z",
  title: "Scaling Sparse Experts",
  numComments: 2,
};
const topLevelOnly = {
  title: "Graph Rewiring",
  summary: "We rewire graphs.",
  publishedAt: "2024-06-20T08:00:00.000Z",
};

/** A daily papers entry, its paper numbered `n` to tell it apart. */
function numbered(n: number) {
  const paper = { id: `2406.1000${n}`, title: `Paper ${n}`, summary: `On paper ${n}.` };
  return { paper: { ...paper, authors: [{ name: "Ada Lovelace" }] }, title: paper.title };
}
const four = [1, 2, 3, 4].map(numbered);

/** The line each top-level entry of 2-space indented JSON starts on, found by its indentation. */
function entryLines(text: string): number[] {
  return text
    .split("\n")
    .flatMap((content, index) => (/^ {2}[^\s}]/u.test(content) ? [index + 1] : []));
}

describe("parseHfDaily", () => {
  it("reads a daily papers response", () => {
    const parsed = parseHfDaily(JSON.stringify([full], null, 2));
    expect(parsed).toEqual({
      format: "hf-json",
      records: [
        {
          line: 2,
          entry: 1,
          arxivId: "2406.12345",
          title: "Scaling Sparse Experts",
          abstract: "We scale sparse experts. They work.",
          authors: ["Ada Lovelace", "Alan Turing"],
          authorsCount: 2,
          published: "2024-06-18",
          upvotes: 12,
        },
      ],
      warnings: [],
    });
  });

  it("falls back to the entry's own fields when paper lacks them", () => {
    const parsed = parseHfDaily(JSON.stringify([topLevelOnly, { paper: null, ...topLevelOnly }]));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records).toHaveLength(2);
    expect(parsed.records[0]).toMatchObject({
      title: "Graph Rewiring",
      abstract: "We rewire graphs.",
      published: "2024-06-20",
    });
    expect(parsed.records[0]?.arxivId).toBeUndefined();
    expect(parsed.records[0]?.authors).toBeUndefined();
  });

  it("falls back to the entry's own fields when paper's are blank", () => {
    const blank = { paper: { title: "", summary: " ", publishedAt: "" }, ...topLevelOnly };
    const parsed = parseHfDaily(JSON.stringify([blank]));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records[0]).toMatchObject({
      title: "Graph Rewiring",
      abstract: "We rewire graphs.",
      published: "2024-06-20",
    });
  });

  it("reads upvotes written as a string of digits", () => {
    const parsed = parseHfDaily(JSON.stringify([{ paper: { ...full.paper, upvotes: "12" } }]));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records[0]?.upvotes).toBe(12);
  });

  it("reads authors given as one string or a list of names", () => {
    const parsed = parseHfDaily(
      JSON.stringify([
        { paper: { ...full.paper, authors: "Ada Lovelace and Alan Turing" } },
        { paper: { ...full.paper, authors: ["Ada Lovelace", "Alan Turing"] } },
        { paper: { ...full.paper, authors: { name: "Ada Lovelace" } } },
      ]),
    );
    expect(parsed.records.map((paper) => paper.authors)).toEqual([
      ["Ada Lovelace", "Alan Turing"],
      ["Ada Lovelace", "Alan Turing"],
      undefined,
    ]);
    expect(parsed.warnings).toEqual([
      { line: 1, message: 'entry 3 authors {"name":"Ada Lovelace"} is not usable; left out' },
    ]);
  });

  it("points each record and warning at its entry's line", () => {
    const entries = [
      full,
      "not an entry",
      { paper: { title: "No Summary" } },
      topLevelOnly,
      { paper: { summary: "No title here." } },
      null,
      { paper: { ...full.paper, publishedAt: "last Tuesday", upvotes: "many" } },
      { paper: { ...full.paper, title: "Deep ".repeat(2000) } },
    ];
    const text = JSON.stringify(entries, null, 2);
    const lines = entryLines(text);
    expect(lines).toHaveLength(8);
    const parsed = parseHfDaily(text);
    expect(parsed.records.map((paper) => paper.line)).toEqual([lines[0], lines[3], lines[6]]);
    expect(parsed.records[2]?.published).toBeUndefined();
    expect(parsed.records[2]?.upvotes).toBeUndefined();
    expect(parsed.warnings).toEqual([
      { line: lines[1], message: "entry 2 is not a JSON object; skipped" },
      { line: lines[2], message: "entry 3 has no abstract; skipped" },
      { line: lines[4], message: "entry 5 has no title; skipped" },
      { line: lines[5], message: "entry 6 is not a JSON object; skipped" },
      { line: lines[6], message: 'entry 7 publishedAt "last Tuesday" is not usable; left out' },
      { line: lines[6], message: 'entry 7 upvotes "many" is not usable; left out' },
      {
        line: lines[7],
        message: "entry 8 has a title of 9999 characters, more than any title (1000); skipped",
      },
    ]);
  });

  it("reads an array of arXiv metadata records, as `jq -s` makes of JSON Lines, as JSON Lines reads them", () => {
    const lines = readFileSync(arxivSample, "utf8").trimEnd().split("\n");
    const broken = [
      { id: "2401.00001", title: "No Abstract Here" },
      { id: "2401.00002", abstract: "No title here." },
      { id: "2401.00003", title: "Odd Fields", abstract: "Fine.", authors: 3, upvotes: -1 },
    ];
    const records = [...lines.map((line) => JSON.parse(line)), ...broken];
    const text = JSON.stringify(records, null, 2);
    const entries = entryLines(text);
    const parsed = parseHfDaily(text);
    // Each was "entry N has no abstract; skipped": the daily papers list calls it `summary`.
    const asLines = parseJsonLines(records.map((record) => JSON.stringify(record)).join("\n"));
    expect(parsed.records).toEqual(
      asLines.records.map((record) => ({
        ...record,
        line: entries[record.line - 1],
        entry: record.line,
      })),
    );
    expect(parsed.records).toHaveLength(11);
    // Each warning names its entry: its unusable fields were said with none named.
    expect(parsed.warnings).toEqual([
      { line: entries[10], message: "entry 11 has no abstract; skipped" },
      { line: entries[11], message: "entry 12 has no title; skipped" },
      { line: entries[12], message: "entry 13 authors 3 is not usable; left out" },
      { line: entries[12], message: "entry 13 upvotes -1 is not usable; left out" },
    ]);
    // As the entries of a file on one line share their line, where only the entry tells them apart.
    const oneLine = parseHfDaily(JSON.stringify(records));
    expect(oneLine.warnings.map((warning) => [warning.line, warning.message])).toEqual([
      [1, "entry 11 has no abstract; skipped"],
      [1, "entry 12 has no title; skipped"],
      [1, "entry 13 authors 3 is not usable; left out"],
      [1, "entry 13 upvotes -1 is not usable; left out"],
    ]);
  });

  it("is not fooled by brackets, commas and quotes inside strings", () => {
    const tricky = { ...topLevelOnly, title: 'Tricky "[{, \\ Title' };
    const text = `[\n${JSON.stringify(tricky)},\n\n  ${JSON.stringify(topLevelOnly)}\n]`;
    expect(parseHfDaily(text).records.map((paper) => [paper.line, paper.title])).toEqual([
      [2, 'Tricky "[{, \\ Title'],
      [4, "Graph Rewiring"],
    ]);
  });

  it("skips a broken entry with a warning at its line, and reads the others", () => {
    const text = `[\n${JSON.stringify(topLevelOnly)},\n{"title": "B",}\n,${JSON.stringify(full)}\n]`;
    const parsed = parseHfDaily(text);
    expect(parsed.records.map((paper) => [paper.line, paper.title])).toEqual([
      [2, "Graph Rewiring"],
      [4, "Scaling Sparse Experts"],
    ]);
    expect(parsed.warnings).toEqual([
      { line: 3, message: expect.stringMatching(/^entry 2 is not valid JSON \(.*\); skipped$/u) },
    ]);
  });

  it("skips an entry with a raw line break in a string, and reads the ones after it", () => {
    // The quotes after the break were read the wrong way round, the brackets after them taken
    // for text, so the array never closed and the file was said to be cut.
    const broken = (text: string) => text.replace("On paper 2.", "first line\nsecond line.");
    const onePerLine = four.map((entry) => `  ${JSON.stringify(entry)}`).join(",\n");
    const laidOut = parseHfDaily(broken(`[\n${onePerLine}\n]`));
    const oneLine = parseHfDaily(broken(JSON.stringify(four)));
    expect(laidOut.records.map((paper) => [paper.line, paper.title])).toEqual([
      [2, "Paper 1"],
      [5, "Paper 3"],
      [6, "Paper 4"],
    ]);
    expect(oneLine.records.map((paper) => [paper.line, paper.title])).toEqual([
      [1, "Paper 1"],
      [2, "Paper 3"],
      [2, "Paper 4"],
    ]);
    const brokenSecond = expect.stringMatching(/^entry 2 is not valid JSON \(.*\); skipped$/u);
    expect(laidOut.warnings).toEqual([{ line: 3, message: brokenSecond }]);
    expect(oneLine.warnings).toEqual([{ line: 1, message: brokenSecond }]);
  });

  it("skips an entry with a brace too few or too many, and reads the others", () => {
    // The third with its fields in another order, as in a file put together by hand.
    const [first, second, third, fourth] = four;
    const text = JSON.stringify([first, second, { title: "Paper 3", ...third }, fourth], null, 2);
    const lines = entryLines(text);
    // The line closing the first entry, "  },", is the one before the second opens.
    const closing = (lines[1] as number) - 1;
    const others = [
      [lines[1], "Paper 2"],
      [lines[2], "Paper 3"],
      [lines[3], "Paper 4"],
    ];
    const tooFew = parseHfDaily(text.replace("\n  },", "\n  ,"));
    const tooMany = parseHfDaily(text.replace("\n  },", "\n  }},"));
    for (const parsed of [tooFew, tooMany]) {
      expect(parsed.records.map((paper) => [paper.line, paper.title])).toEqual(others);
    }
    // Said where the parse of the entry stopped: after its last field, at the brace too many.
    const brokenFirst = expect.stringMatching(/^entry 1 is not valid JSON \(.*\); skipped$/u);
    expect(tooFew.warnings).toEqual([{ line: closing - 1, message: brokenFirst }]);
    expect(tooMany.warnings).toEqual([{ line: closing, message: brokenFirst }]);
  });

  it("says a broken file ends early only when its array is not closed", () => {
    const text = JSON.stringify(four, null, 2);
    // The last entry's closing brace missing: the text still ends with the array's.
    const lastOpen = text.replace(/\n {2}\}\n\]$/u, "\n]");
    const lastField = lastOpen.split("\n").length - 1;
    const complete = parseHfDaily(lastOpen);
    expect(complete.records.map((paper) => paper.title)).toEqual(["Paper 1", "Paper 2", "Paper 3"]);
    expect(complete.warnings).toEqual([
      { line: lastField, message: expect.stringMatching(/^entry 4 is not valid JSON /u) },
    ]);
    const firstOpen = text.replace("\n  },", "\n  ,");
    const cut = parseHfDaily(firstOpen.slice(0, firstOpen.lastIndexOf("Paper 4")));
    expect(cut.records.map((paper) => paper.title)).toEqual(["Paper 2", "Paper 3"]);
    expect(cut.warnings.map((warning) => warning.message)).toEqual([
      expect.stringMatching(/^entry 1 is not valid JSON /u),
      "the file ends early: its last part is cut off (an interrupted download?); download it again",
    ]);
  });

  it("says why an entry is broken without V8's position in it, which counts from the entry", () => {
    // Without the comma between them, the first two entries are read as one.
    const [first, second, third] = [topLevelOnly, full, full].map((entry) => JSON.stringify(entry));
    const parsed = parseHfDaily(`[${first} ${second},${third}]`);
    expect(parsed.records.map((paper) => paper.title)).toEqual(["Scaling Sparse Experts"]);
    expect(parsed.warnings).toEqual([
      { line: 1, message: expect.stringMatching(/^entry 1 is not valid JSON \(\D+\); skipped$/u) },
    ]);
  });

  it("says where an unexpected word is in an entry over many lines, on one line", () => {
    // Python's json.dump writes a missing number as NaN, which JSON has not. Said at the
    // entry's first line, the quoted text around it on two.
    const text = JSON.stringify([full, topLevelOnly], null, 2).replace(
      '"upvotes": 12',
      '"upvotes": NaN',
    );
    const line = text.split("\n").findIndex((content) => content.includes("NaN")) + 1;
    expect(parseHfDaily(text).warnings).toEqual([
      { line, message: "entry 1 is not valid JSON (Unexpected token 'N'); skipped" },
    ]);
  });

  it("reads the entries before the cut of a file cut short, and says it ends early", () => {
    const text = JSON.stringify([topLevelOnly, full, full], null, 2);
    const cut = text.slice(0, text.lastIndexOf("Scaling"));
    const parsed = parseHfDaily(cut);
    expect(parsed.records.map((paper) => paper.title)).toEqual([
      "Graph Rewiring",
      "Scaling Sparse Experts",
    ]);
    expect(parsed.warnings).toEqual([
      {
        line: cut.split("\n").length,
        message:
          "the file ends early: its last part is cut off (an interrupted download?); download it again",
      },
    ]);
  });

  it("reads a file of many broken entries in time that grows with its size, not its warnings", () => {
    // A guard against the quadratic blow-up (each warning's line counted from the start of
    // the file: 13 s for these 10,000 entries, 5 MB), not a speed target: it takes a fraction
    // of a second now. A comma after its last field breaks each entry.
    const entry = JSON.stringify([full], null, 2).slice(2, -2);
    const broken = entry.replace(/"numComments": 2/u, "$&,");
    const text = `[\n${Array(10_000).fill(broken).join(",\n")}\n]`;
    const started = performance.now();
    const parsed = parseHfDaily(text);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(parsed.records).toEqual([]);
    expect(parsed.warnings).toHaveLength(10_000);
    // The last entry's mistake is seen at its closing brace, the line before the array's.
    expect(parsed.warnings.at(-1)).toEqual({
      line: text.split("\n").length - 1,
      message: expect.stringMatching(/^entry 10000 is not valid JSON \(.*\); skipped$/u),
    });
  });

  it("warns, without records, about JSON that is broken or not an array", () => {
    expect(parseHfDaily('{"title": "A",}')).toMatchObject({
      records: [],
      warnings: [{ line: 1, message: expect.stringMatching(/^not valid JSON \(/u) }],
    });
    expect(parseHfDaily(JSON.stringify(full))).toEqual({
      format: "hf-json",
      records: [],
      warnings: [{ line: 1, message: "expected a JSON array of daily papers; nothing read" }],
    });
  });

  it("says what broke an array whose entries are all readable, and past its end", () => {
    const entry = JSON.stringify(topLevelOnly);
    // V8 gives no position for an unexpected token, but quotes the text either side of it
    // (line breaks and all): it was said at the first line, over three.
    expect(parseHfDaily(`[\n${entry},\n]\n`)).toMatchObject({
      records: [{ title: "Graph Rewiring" }],
      warnings: [{ line: 3, message: "not valid JSON (Unexpected token ']')" }],
    });
    expect(parseHfDaily(`[\n${entry}\n]\n]`)).toMatchObject({
      records: [{ title: "Graph Rewiring" }],
      warnings: [{ line: 3, message: "text after the end of the array; ignored" }],
    });
  });
});
