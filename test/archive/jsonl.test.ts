import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { splitAuthors } from "../../src/archive/authors.ts";
import { parseJsonLines } from "../../src/archive/jsonl.ts";
import { hfDailyEntry } from "../helpers.ts";
import { corpusDir, fixturesDir } from "./samples.ts";

const sample200 = join(corpusDir, "arxiv-oai-snapshot-sample-200.jsonl");

function line(fields: Record<string, unknown>): string {
  return JSON.stringify({ title: "A Title", abstract: "An abstract.", ...fields });
}

describe("parseJsonLines on the arXiv snapshot", () => {
  // The first 10 lines of the shared 200-record sample, kept so the test runs without it.
  const slice = parseJsonLines(readFileSync(join(fixturesDir, "arxiv-sample-10.jsonl"), "utf8"));

  it("reads every record of the sample slice", () => {
    expect(slice.format).toBe("jsonl");
    expect(slice.warnings).toEqual([]);
    expect(slice.records.map((paper) => paper.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(slice.records.map((paper) => paper.arxivId)).toEqual([
      "0704.0001",
      "0704.0002",
      "0704.0003",
      "0704.0004",
      "0704.0005",
      "0704.0006",
      "0704.0007",
      "0704.0008",
      "0704.0009",
      "0704.0010",
    ]);
  });

  it("unwraps titles and abstracts, splits authors and dates each record", () => {
    expect(slice.records[0]).toMatchObject({
      title:
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies",
      authors: ["C. Bal\\'azs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan"],
      authorsCount: 4,
      published: "2008-11-26",
    });
    expect(slice.records[0]?.abstract).toMatch(
      /^A fully differential calculation in perturbative/u,
    );
    expect(slice.records[0]?.upvotes).toBeUndefined();
    expect(slice.records[1]?.authors).toEqual(["Ileana Streinu", "Louis Theran"]);
    // Wrapped over two lines in the source: "…Nicholas\n  Chapman, …".
    expect(slice.records[8]?.authors).toContain("Nicholas Chapman");
    for (const paper of slice.records) {
      expect(paper.title).not.toMatch(/\s\s|\n|^\s|\s$/u);
      expect(paper.abstract).not.toMatch(/\s\s|\n|^\s|\s$/u);
    }
  });

  it.skipIf(!existsSync(sample200))("reads all 200 records of the shared sample", () => {
    const parsed = parseJsonLines(readFileSync(sample200, "utf8"));
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records).toHaveLength(200);
    expect(parsed.records.every((paper) => paper.arxivId !== undefined)).toBe(true);
    const affiliated = parsed.records.find((paper) => paper.authors?.[0] === "A. A. Schekochihin");
    expect(affiliated?.authors).toEqual([
      "A. A. Schekochihin",
      "S. C. Cowley",
      "W. Dorland",
      "G. W. Hammett",
      "G. G. Howes",
      "E. Quataert",
      "T. Tatsuno",
    ]);
  });
});

describe("parseJsonLines ids and optional fields", () => {
  it("strips versions, accepts old-style ids and ignores ids that are not arXiv's", () => {
    const parsed = parseJsonLines(
      [
        line({ id: "2101.00001v2" }),
        line({ id: "0704.0001" }),
        line({ id: "hep-th/9901001v3" }),
        line({ id: "math.AG/0101001" }),
        line({ id: "arXiv:2502.00094" }),
        // As the arXiv API names papers, and other tools after it.
        line({ id: "http://arxiv.org/abs/2502.00095v1" }),
        line({ id: "https://huggingface.co/papers/2502.00096" }),
        line({ id: "arxiv.org/abs/cond-mat/0102536v1" }),
        line({ id: "icml-2018-2485" }),
        line({ id: 704.0001 }),
        line({}),
      ].join("\n"),
    );
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records.map((paper) => paper.arxivId)).toEqual([
      "2101.00001",
      "0704.0001",
      "hep-th/9901001",
      // Its subject class is no part of its id: arXiv and its snapshot call it math/0101001.
      "math/0101001",
      "2502.00094",
      "2502.00095",
      "2502.00096",
      "cond-mat/0102536",
      undefined,
      undefined,
      undefined,
    ]);
  });

  it("reads upvotes and reports unusable dates and counts without dropping the record", () => {
    const parsed = parseJsonLines(
      [
        line({ update_date: "2025-02-04", upvotes: 14 }),
        line({ update_date: "04/02/2025", upvotes: -1 }),
        line({ update_date: null, upvotes: null, authors: "" }),
      ].join("\n"),
    );
    expect(parsed.records).toHaveLength(3);
    expect(parsed.records[0]).toMatchObject({ published: "2025-02-04", upvotes: 14 });
    expect(parsed.records[1]?.published).toBeUndefined();
    expect(parsed.records[1]?.upvotes).toBeUndefined();
    expect(parsed.records[2]?.authors).toBeUndefined();
    expect(parsed.records[2]?.authorsCount).toBeUndefined();
    expect(parsed.warnings).toEqual([
      { line: 2, message: 'update_date "04/02/2025" is not usable; left out' },
      { line: 2, message: "upvotes -1 is not usable; left out" },
    ]);
  });
});

describe("parseJsonLines on where a paper was published", () => {
  it("reads a conference dump's `venue`, else the snapshot's `journal-ref`, tidied", () => {
    const parsed = parseJsonLines(
      [
        line({ venue: "NIPS 2017", update_date: "2017-01-01" }),
        line({ "journal-ref": "Phys.Rev.D76:013009,2007" }),
        // Wrapped as the snapshot wraps its text; `venue` first, a blank one as good as none.
        line({ venue: "ACL\n  2022", "journal-ref": "J. Something 1 (2022)" }),
        line({ venue: "  ", "journal-ref": "J. Something 1 (2022)" }),
        line({ venue: null, "journal-ref": null }),
      ].join("\n"),
    );
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records.map((record) => record.venue)).toEqual([
      "NIPS 2017",
      "Phys.Rev.D76:013009,2007",
      "ACL 2022",
      "J. Something 1 (2022)",
      undefined,
    ]);
  });

  it("reads the sample slice's `journal-ref`", () => {
    const slice = parseJsonLines(readFileSync(join(fixturesDir, "arxiv-sample-10.jsonl"), "utf8"));
    expect(slice.records[0]?.venue).toBe("Phys.Rev.D76:013009,2007");
    expect(slice.records[1]?.venue).toBeUndefined(); // "journal-ref": null
  });

  it("reports a venue that is not text, caps one too long, and keeps the record", () => {
    const parsed = parseJsonLines(
      [
        line({ venue: 2017 }),
        line({ venue: { name: "ICML" }, "journal-ref": "ICML 2018" }),
        line({ "journal-ref": ["Phys.Rev.D76"] }),
        line({ venue: `Proceedings ${"of a very long name ".repeat(40)}` }),
      ].join("\n"),
    );
    expect(parsed.records).toHaveLength(4);
    expect(parsed.records[0]?.venue).toBeUndefined();
    // One not text leaves the snapshot's `journal-ref` to be read.
    expect(parsed.records[1]?.venue).toBe("ICML 2018");
    expect(parsed.warnings).toEqual([
      { line: 1, message: "venue 2017 is not usable; left out" },
      { line: 2, message: 'venue {"name":"ICML"} is not usable; left out' },
      { line: 3, message: 'journal-ref ["Phys.Rev.D76"] is not usable; left out' },
    ]);
    const long = parsed.records[3]?.venue ?? "";
    expect(long).toHaveLength(300);
    expect(long).toMatch(/^Proceedings of a very long name .*…$/u);
  });
});

describe("parseJsonLines on bad lines", () => {
  /** A paper of the daily papers list, and the record it is read as. */
  const ain = {
    id: "2502.00094",
    title: "AIN: The Arabic INclusive Large Multimodal Model",
    summary: "Amid the swift progress of large language models.",
    authors: ["Ahmed Heakl", "Sara Ghaboura"],
    publishedAt: "2025-01-31T12:00:00.000Z",
    upvotes: 12,
  };
  const ainRecord = {
    line: 1,
    arxivId: "2502.00094",
    title: ain.title,
    abstract: ain.summary,
    authors: ain.authors,
    authorsCount: 2,
    published: "2025-01-31",
    upvotes: 12,
  };

  it("warns about each unusable line and keeps reading", () => {
    const text = [
      line({ id: "2101.00001" }),
      '{"id": "2101.00002", "title": "Broken',
      "",
      "[1, 2]",
      "42",
      line({ title: undefined }),
      line({ title: "   " }),
      line({ abstract: undefined }),
      JSON.stringify({ id: "2101.00009" }),
      line({ id: "2101.00010" }),
      // An abstract in the title's place, or junk: no title has a thousand characters.
      line({ title: "Deep ".repeat(201) }),
    ].join("\n");
    const parsed = parseJsonLines(text);
    expect(parsed.records.map((paper) => [paper.line, paper.arxivId])).toEqual([
      [1, "2101.00001"],
      [10, "2101.00010"],
    ]);
    expect(parsed.warnings.map((warning) => warning.line)).toEqual([2, 4, 5, 6, 7, 8, 9, 11]);
    expect(parsed.warnings[0]?.message).toMatch(/^not valid JSON \(/u);
    expect(parsed.warnings.slice(1).map((warning) => warning.message)).toEqual([
      "not a JSON object; skipped",
      "not a JSON object; skipped",
      "record has no title; skipped",
      "record has no title; skipped",
      "record has no abstract; skipped",
      "record has no title and no abstract; skipped",
      "record has a title of 1004 characters, more than any title (1000); skipped",
    ]);
  });

  it("reads upvotes written as a string of digits, and no other string", () => {
    const parsed = parseJsonLines(
      [
        line({ upvotes: "12" }),
        line({ upvotes: " 7 " }),
        line({ upvotes: "-3" }),
        line({ upvotes: "1.5" }),
        line({ upvotes: "many" }),
        line({ upvotes: "" }),
      ].join("\n"),
    );
    expect(parsed.records.map((paper) => paper.upvotes)).toEqual([
      12,
      7,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(parsed.warnings.map((warning) => warning.line)).toEqual([3, 4, 5, 6]);
  });

  it("reads authors from authors_parsed or a list, and warns about authors it cannot read", () => {
    const parsed = parseJsonLines(
      [
        line({
          authors_parsed: [
            ["Balázs", "C.", ""],
            ["Yuan", "C. -P.", "Jr", "Michigan"],
          ],
        }),
        line({ authors: ["Ileana Streinu", " Louis Theran "] }),
        line({ authors: "Ann Anderson and Sandy Brand", authors_parsed: [["Other", "X.", ""]] }),
        line({ authors: 3 }),
      ].join("\n"),
    );
    expect(parsed.records.map((paper) => paper.authors)).toEqual([
      ["C. Balázs", "C. -P. Yuan Jr"],
      ["Ileana Streinu", "Louis Theran"],
      ["Ann Anderson", "Sandy Brand"],
      undefined,
    ]);
    expect(parsed.records[0]?.authorsCount).toBe(2);
    expect(parsed.warnings).toEqual([{ line: 4, message: "authors 3 is not usable; left out" }]);
  });

  it("reads Crossref's { given, family } names, and warns about a list that names no one", () => {
    const openAlex = [{ author: { display_name: "Ada Lovelace" } }];
    const parsed = parseJsonLines(
      [
        line({
          authors: [
            { given: "Ada", family: "Lovelace", sequence: "first", affiliation: [] },
            { family: "Turing" },
            { given: " Grace ", family: "Hopper" },
          ],
        }),
        line({ authors: openAlex }),
        line({ authors: [] }),
      ].join("\n"),
    );
    expect(parsed.records.map((paper) => paper.authors)).toEqual([
      ["Ada Lovelace", "Turing", "Grace Hopper"],
      undefined,
      undefined,
    ]);
    expect(parsed.warnings).toEqual([
      { line: 2, message: `authors ${JSON.stringify(openAlex)} is not usable; left out` },
    ]);
  });

  it("trims a single leading or trailing space", () => {
    const parsed = parseJsonLines(line({ title: " Leading", abstract: "Trailing. " }));
    expect(parsed.records[0]).toMatchObject({ title: "Leading", abstract: "Trailing." });
  });

  it("reads CRLF line endings", () => {
    const parsed = parseJsonLines(
      `${line({ id: "2101.00001" })}\r\n${line({ id: "2101.00002" })}\r\n`,
    );
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records.map((paper) => paper.line)).toEqual([1, 2]);
  });

  it("reads a line that starts with a byte order mark, as files joined together have", () => {
    const parsed = parseJsonLines(
      `${line({ id: "2101.00001" })}\n\uFEFF${line({ id: "2101.00002" })}\n`,
    );
    expect(parsed.warnings).toEqual([]);
    expect(parsed.records.map((paper) => paper.arxivId)).toEqual(["2101.00001", "2101.00002"]);
  });

  it("reads the daily papers list's entries one a line, as `jq -c '.[]'` writes them", () => {
    const entry = hfDailyEntry(ain);
    const broken = { paper: { id: "2502.00095", title: "No Summary", authors: 42 } };
    const parsed = parseJsonLines(`${JSON.stringify(entry)}\n${JSON.stringify(broken)}\n`);
    // Each was "record has no title and no abstract; skipped": its fields are under `paper`.
    expect(parsed.records).toEqual([ainRecord]);
    expect(parsed.warnings).toEqual([{ line: 2, message: "record has no abstract; skipped" }]);
  });

  it("reads the list's paper objects one a line, as `jq -c '.[].paper'` writes them", () => {
    const { paper } = hfDailyEntry(ain);
    const noSummary = { id: "2502.00095", title: "No Summary", authors: [{ name: "A" }] };
    const parsed = parseJsonLines(`${JSON.stringify(paper)}\n${JSON.stringify(noSummary)}\n`);
    // An array of them loads (as entries without `paper`); one a line, each was "record has
    // no abstract", read as the snapshot's records, which call it `abstract`.
    expect(parsed.records).toEqual([ainRecord]);
    expect(parsed.warnings).toEqual([{ line: 2, message: "record has no abstract; skipped" }]);
  });

  it("survives a 10 MB line", () => {
    const broken = parseJsonLines(`{"title": "${"x".repeat(10_000_000)}\n${line({})}`);
    const huge = parseJsonLines(line({ abstract: "word ".repeat(2_000_000) }));
    expect(broken.records.map((paper) => paper.line)).toEqual([2]);
    expect(broken.warnings).toHaveLength(1);
    expect(broken.warnings[0]?.message.length).toBeLessThan(200);
    expect(huge.records[0]?.abstract).toHaveLength(10_000_000 - 1);
  });
});

describe("splitAuthors", () => {
  it("splits arXiv's lists on commas and 'and'", () => {
    expect(splitAuthors("A. One, B. Two and C. Three")).toEqual(["A. One", "B. Two", "C. Three"]);
    expect(splitAuthors("A. One, B. Two, and C. Three")).toEqual(["A. One", "B. Two", "C. Three"]);
    expect(splitAuthors("Ann Anderson and\n  Sandy Brand")).toEqual([
      "Ann Anderson",
      "Sandy Brand",
    ]);
    expect(splitAuthors("Solo Author")).toEqual(["Solo Author"]);
  });

  it("drops affiliations in parentheses, even ones holding commas and 'and'", () => {
    expect(
      splitAuthors(
        "A. S. Mishchenko (1 and 2) and N. Nagaosa (1 and 3) ((1) CREST, Japan\n  Science and Technology Agency, (2) Kurchatov, (3) Tokyo)",
      ),
    ).toEqual(["A. S. Mishchenko", "N. Nagaosa"]);
    expect(splitAuthors("Junbo (Jake) Zhao, Huazhe(Harry) Xu")).toEqual([
      "Junbo Zhao",
      "Huazhe Xu",
    ]);
  });

  it("ignores empty names", () => {
    expect(splitAuthors("")).toEqual([]);
    expect(splitAuthors("A. One, , B. Two,")).toEqual(["A. One", "B. Two"]);
  });
});
