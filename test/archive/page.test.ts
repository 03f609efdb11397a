import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePage } from "../../src/archive/page.ts";
import { normalizeWhitespace, titleKey } from "../../src/text/normalize.ts";
import { abstractAbout, archiveDir, fixturesDir, pageHeader, paragraphs } from "./samples.ts";

const now = new Date("2026-01-05T12:00:00Z");

/** Titles listed by hand-checked script from the saved pages, per file, in page order. */
const expectedTitles: Record<string, string[]> = JSON.parse(
  readFileSync(join(fixturesDir, "daily-papers-titles.json"), "utf8"),
);
const pageNames = Object.keys(expectedTitles);

function readPage(name: string) {
  return parsePage(readFileSync(join(archiveDir, name), "utf8"), now);
}

function record(name: string, title: string) {
  const found = readPage(name).records.find((paper) => paper.title === title);
  if (!found) throw new Error(`${title} not found in ${name}`);
  return found;
}

describe("parsePage on the saved archive", () => {
  it("finds every title of every page, in order", () => {
    expect(pageNames).toHaveLength(5);
    for (const name of pageNames) {
      expect(readPage(name).records.map((paper) => paper.title)).toEqual(expectedTitles[name]);
    }
  });

  it("counts 381 entries and 337 distinct papers", () => {
    const records = pageNames.flatMap((name) => readPage(name).records);
    expect(pageNames.map((name) => readPage(name).records.length)).toEqual([52, 76, 85, 49, 119]);
    expect(records).toHaveLength(381);
    expect(new Set(records.map((paper) => titleKey(paper.title))).size).toBe(337);
  });

  it("reads real pages without a warning", () => {
    for (const name of pageNames) expect(readPage(name).warnings).toEqual([]);
  });

  it("points each record at its title's line and takes the next line as its abstract", () => {
    for (const name of pageNames) {
      const lines = readFileSync(join(archiveDir, name), "utf8").split("\n");
      for (const paper of readPage(name).records) {
        expect(lines[paper.line - 1]?.replace(/^Subscribe/u, "")).toBe(paper.title);
        const next = lines.slice(paper.line).find((line) => line.trim() !== "");
        // One abstract holds a no-break space ("[email\u00a0protected]", a scraped e-mail guard).
        expect(normalizeWhitespace(next ?? "")).toBe(paper.abstract);
        expect(paper.abstract.length).toBeGreaterThan(400);
      }
    }
  });

  it("dates each listing, inferring the year from now", () => {
    expect(pageNames.map((name) => readPage(name).pageDate)).toEqual([
      "2025-07-04",
      "2025-03-11",
      "2025-05-08",
      "2025-12-16",
      undefined,
    ]);
  });

  it("reads the authors, date and upvotes under each abstract of the detailed layout", () => {
    const page = "003_78dfc03a4ed0a0bd.txt";
    expect(readPage(page).records[0]).toMatchObject({
      line: 13,
      title:
        "An Efficient Graph-Transformer Operator for Learning Physical Dynamics with Manifolds Embedding",
      authorsCount: 9,
      published: "2025-12-10",
      upvotes: 1,
    });
    const packetSpraying = record(
      page,
      "Challenging the Need for Packet Spraying in Large-Scale Distributed Training",
    );
    expect(packetSpraying).toMatchObject({ authorsCount: 3, published: "2024-06-29" });
    expect(packetSpraying.upvotes).toBeUndefined();
    expect(
      record(
        page,
        "SVDQunat: Absorbing Outliers by Low-Rank Components for 4-Bit Diffusion Models",
      ),
    ).toMatchObject({ authorsCount: 10, published: "2024-11-07", upvotes: 3 });
    // "Jan 9 2" on a page of Dec 16: January of the page's year, not of now's.
    expect(
      record(page, "3DIS-FLUX: simple and efficient multi-instance generation with DiT rendering"),
    ).toMatchObject({ authorsCount: 4, published: "2025-01-09", upvotes: 2 });
    // The last line of the file is "Oct 2 2", with no newline after it.
    expect(readPage(page).records.at(-1)).toMatchObject({
      title: "Optimal Control Meets Flow Matching: A Principled Route to Multi-Subject Fidelity",
      published: "2025-10-02",
      upvotes: 2,
    });
  });

  it("leaves out details a paper does not show", () => {
    const bare = record(
      "003_78dfc03a4ed0a0bd.txt",
      "Graph Inductive Biases in Transformers without Message Passing",
    );
    expect(bare.authorsCount).toBeUndefined();
    expect(bare.published).toBeUndefined();
    for (const paper of readPage("000_c29990385ef5d28c.txt").records) {
      expect(paper.authorsCount ?? paper.published ?? paper.upvotes).toBeUndefined();
    }
  });

  it("unglues the first title of the dense layout from Subscribe", () => {
    expect(readPage("004_64dbacb6587a435a.txt").records[0]).toMatchObject({
      line: 3,
      title: "FrameDiffuser: G-Buffer-Conditioned Diffusion for Neural Forward Frame Rendering",
    });
  });

  it("keeps short titles and titles with sentence punctuation", () => {
    expect(record("001_d8c382fad536c030.txt", "Adversarial Cheap Talk").line).toBe(307);
    expect(
      record(
        "003_78dfc03a4ed0a0bd.txt",
        "Open-source Flux Transport (OFT). I. HipFT -- High-performance Flux Transport",
      ).line,
    ).toBe(189);
    expect(
      record(
        "004_64dbacb6587a435a.txt",
        "Tired of Over-smoothing? Stress Graph Drawing Is All You Need!",
      ).line,
    ).toBe(83);
  });
});

describe("parsePage dates", () => {
  it("puts a December date seen in early January in the year before", () => {
    const text = paragraphs(
      ...pageHeader("Jan 3"),
      "Graph Rewiring",
      abstractAbout("graph rewiring"),
      "  • 3 authors\n·\nDec 30 4",
      "Sparse Experts",
      abstractAbout("sparse experts"),
      "  • 2 authors\n·\nJan 2",
    );
    const parsed = parsePage(text, now);
    expect(parsed.pageDate).toBe("2026-01-03");
    expect(parsed.records.map((paper) => paper.published)).toEqual(["2025-12-30", "2026-01-02"]);
    expect(parsed.records[0]?.upvotes).toBe(4);
  });

  it("reads an upvote count written with a thousands separator, after a date with or without a year", () => {
    const text = paragraphs(
      ...pageHeader("Dec 16"),
      "Graph Rewiring",
      abstractAbout("graph rewiring"),
      "  • 3 authors\n·\nNov 7, 2024 1,234",
      "Sparse Experts",
      abstractAbout("sparse experts"),
      "  • 2 authors\n·\nDec 10 12,345",
      "Packet Spraying",
      abstractAbout("packet spraying"),
      "• 4 authors · Jun 29, 2024 1,000,001",
      "Mesh Simulation",
      abstractAbout("mesh simulation"),
      "  • 1 author\n·\nJun 29, 2024",
    );
    const parsed = parsePage(text, now);
    expect(parsed.records).toMatchObject([
      { title: "Graph Rewiring", published: "2024-11-07", upvotes: 1234 },
      { title: "Sparse Experts", published: "2025-12-10", upvotes: 12345 },
      { title: "Packet Spraying", published: "2024-06-29", upvotes: 1000001 },
      { title: "Mesh Simulation", published: "2024-06-29" },
    ]);
    expect(parsed.records[3]?.upvotes).toBeUndefined();
    expect(parsed.warnings).toEqual([]);
  });

  it("dates a page saved where it is already tomorrow by that day, not a year before", () => {
    const text = paragraphs(
      ...pageHeader("Jan 6"),
      "Graph Rewiring",
      abstractAbout("graph rewiring"),
      "  • 3 authors\n·\nJan 6 2",
    );
    // 19:00 UTC on Jan 5 is 08:00 on Jan 6 in Auckland, where the page was saved that morning.
    const parsed = parsePage(text, new Date("2026-01-05T19:00:00Z"));
    expect(parsed.pageDate).toBe("2026-01-06");
    expect(parsed.records[0]?.published).toBe("2026-01-06");
    // No place on Earth is past Jan 6 yet: "Jan 7" is last year's.
    const later = paragraphs(
      ...pageHeader("Jan 7"),
      "Graph Rewiring",
      abstractAbout("graph rewiring"),
    );
    expect(parsePage(later, new Date("2026-01-05T19:00:00Z")).pageDate).toBe("2025-01-07");
  });

  it("dates a paper relative to its page, not to now", () => {
    const text = paragraphs(
      ...pageHeader("Dec 16"),
      "Graph Rewiring",
      abstractAbout("graph rewiring"),
      "  • 3 authors\n·\nJan 9 2",
    );
    // Now is in March: "Jan 9" of this year would come after the page was saved.
    const parsed = parsePage(text, new Date("2026-03-01T00:00:00Z"));
    expect(parsed.pageDate).toBe("2025-12-16");
    expect(parsed.records[0]?.published).toBe("2025-01-09");
  });

  it("reads pages pasted into one file each from its own header", () => {
    const text = paragraphs(
      ...pageHeader("Jan 3"),
      "Graph Rewiring",
      abstractAbout("graph rewiring"),
      "  • 3 authors\n·\nDec 30 4",
      ...pageHeader("Jul 4"),
      "Sparse Experts",
      abstractAbout("sparse experts"),
      "  • 2 authors\n·\nNov 5",
    );
    const parsed = parsePage(text, now);
    expect(parsed.pageDate).toBe("2026-01-03");
    // "Nov 5" on the page of Jul 4, 2025: of the year before, not of the first page's.
    expect(parsed.records).toMatchObject([
      { title: "Graph Rewiring", published: "2025-12-30" },
      { title: "Sparse Experts", published: "2024-11-05" },
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it("reads a paper titled like one of the page's own lines as a paper, not a next page", () => {
    const text = paragraphs(
      ...pageHeader("Jan 3"),
      "Graph Rewiring",
      abstractAbout("graph rewiring"),
      "  • 3 authors\n·\nDec 30 4",
      "Subscribe",
      abstractAbout("newsletters"),
      "  • 2 authors\n·\nNov 5",
      "new",
      abstractAbout("novelty"),
    );
    const parsed = parsePage(text, now);
    expect(parsed.records).toMatchObject([
      { title: "Graph Rewiring", published: "2025-12-30" },
      { title: "Subscribe", published: "2025-11-05", authorsCount: 2 },
      { title: "new" },
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it("dates a listing from late December relative to a January now", () => {
    expect(parsePage(paragraphs(...pageHeader("Dec 30")), now).pageDate).toBe("2025-12-30");
    expect(parsePage(paragraphs(...pageHeader("Jan 5")), now).pageDate).toBe("2026-01-05");
    // Noon UTC on Jan 5 is already Jan 6 east of UTC+12, where the page may have been saved.
    expect(parsePage(paragraphs(...pageHeader("Jan 6")), now).pageDate).toBe("2026-01-06");
    expect(parsePage(paragraphs(...pageHeader("Jan 7")), now).pageDate).toBe("2025-01-07");
  });

  it("finds the last leap year for Feb 29 and rejects days that do not exist", () => {
    const text = paragraphs(
      ...pageHeader("Feb 29"),
      "Leap Models",
      abstractAbout("leap models"),
      "  • 1 authors\n·\nFeb 29, 2023",
    );
    const parsed = parsePage(text, new Date("2026-03-10T00:00:00Z"));
    expect(parsed.pageDate).toBe("2024-02-29");
    expect(parsed.records[0]?.authorsCount).toBe(1);
    expect(parsed.records[0]?.published).toBeUndefined();
    expect(parsed.warnings).toEqual([
      { line: 17, message: '"Feb 29, 2023" is not a real day; date left out' },
    ]);
  });
});

describe("parsePage on damaged or unusual pages", () => {
  const papers = [
    "Graph Rewiring",
    abstractAbout("graph rewiring"),
    "Sparse Experts",
    abstractAbout("sparse experts"),
  ];

  it("reads CRLF, a byte order mark and trailing spaces like a clean page", () => {
    const clean = paragraphs(...pageHeader("Jul 4"), ...papers);
    const messy = `\uFEFF${clean.replace(/\n/gu, "  \r\n")}\r\n`;
    expect(parsePage(messy, now)).toEqual(parsePage(clean, now));
    expect(parsePage(messy, now).records).toHaveLength(2);
    const oldMac = clean.replace(/\n/gu, "\r");
    expect(parsePage(oldMac, now)).toEqual(parsePage(clean, now));
  });

  it("reads blank lines and titles holding zero-width spaces like a clean page", () => {
    const clean = paragraphs(...pageHeader("Jul 4"), ...papers);
    const pasted = clean
      .replace(/\n\n/gu, "\n\u200b\n")
      .replace("Graph Rewiring", "\u200bGraph Rewiring\u2060");
    expect(parsePage(pasted, now)).toEqual(parsePage(clean, now));
  });

  it("joins the lines of titles and abstracts that a save as text wrapped", () => {
    const title =
      "Order-Preserving GFlowNets Sample Candidates in Proportion to a Learned Multi-Objective Reward";
    const abstract = abstractAbout("flows");
    const details = "  • 3 authors\n·\nDec 10 1";
    const clean = paragraphs(...pageHeader("Dec 16"), title, abstract, details, ...papers);
    // As Firefox's Save Page As (Text Files) writes a page: wrapped at 80 columns, at spaces
    // and after hyphens.
    const wrap = (text: string) => text.replace(/(.{1,80})(?: |$)/gu, "$1\n").trimEnd();
    const wrapped = paragraphs(
      ...pageHeader("Dec 16"),
      title.replace("Multi-", "Multi-\n"),
      wrap(abstract),
      details,
      ...papers.map(wrap),
    );
    expect(wrapped.split("\n").every((line) => line.length <= 80)).toBe(true);
    const read = (text: string) => {
      const { records, ...page } = parsePage(text, now);
      return { ...page, records: records.map(({ line: _line, ...paper }) => paper) };
    };
    expect(read(wrapped)).toEqual(read(clean));
    expect(read(wrapped).records).toHaveLength(3);
  });

  it("reads a page dumped by lynx, its links numbered, as the same page", () => {
    const clean = paragraphs(...pageHeader("Jul 4"), ...papers);
    // `lynx -dump` puts each link's number before its text ("[7]Graph Rewiring"), wraps and
    // indents every line, and lists the links' addresses at the end. The numbers stayed in the
    // titles, and the same listing saved by a browser gave each paper a second time.
    const wrap = (text: string) => text.replace(/(.{1,74})(?: |$)/gu, "   $1\n").trimEnd();
    const dumped = paragraphs(
      "   [1]Hugging Face's logo Hugging Face\n     * [2]Models\n     * [3]Datasets",
      ...pageHeader("Jul 4").map((line) => (line === "Subscribe" ? "   [4]Subscribe" : line)),
      "   [5]Graph Rewiring",
      wrap(papers[1] as string),
      "   [6]Sparse Experts",
      wrap(papers[3] as string),
      "References",
      ["", "models", "datasets", "subscribe", "papers/2401.00001", "papers/2401.00002"]
        .map((path, index) => `   ${index + 1}. https://huggingface.co/${path}`)
        .join("\n"),
    );
    const read = (text: string) => {
      const { records, pageDate } = parsePage(text, now);
      return { pageDate, papers: records.map(({ title, abstract }) => ({ title, abstract })) };
    };
    expect(read(dumped)).toEqual(read(clean));
  });

  it("joins a wrapped abstract with a link longer than its lines, or letters beyond the BMP", () => {
    const abstract =
      `${abstractAbout("flows")} Our code: https://github.com/example-lab/order-preserving-flows/tree/main/experiments/molecules. ` +
      "Each step takes 𝛼, 𝛽, 𝛾, 𝛿, 𝜀, 𝜁, 𝜂, 𝜃, 𝜄 and 𝜅 in turn, as the dynamics of the sampler are learned.";
    // As a save as text wraps it: at spaces within 80 characters, a word longer on its own line.
    const lines = [""];
    for (const word of abstract.split(" ")) {
      const last = lines.at(-1) as string;
      if (last === "") lines[lines.length - 1] = word;
      else if ([...`${last} ${word}`].length <= 80) lines[lines.length - 1] = `${last} ${word}`;
      else lines.push(word);
    }
    const page = (text: string) => paragraphs(...pageHeader("Jul 4"), "Graph Rewiring", text);
    expect(parsePage(page(lines.join("\n")), now)).toEqual(parsePage(page(abstract), now));
  });

  it("keeps a title and a short abstract with no blank line between apart: they are no wrapped lines", () => {
    const short = "We rewire graphs to make them sparse; the code is public";
    const expected = [
      { title: "Graph Rewiring", abstract: short },
      { title: "Sparse Experts", abstract: short },
    ];
    const pages = [
      // A blank line missing after a title.
      paragraphs(...pageHeader("Jul 4"), `Graph Rewiring\n${short}`, "Sparse Experts", short),
      // No blank lines: with the papers' details, or the first title glued to Subscribe.
      [...pageHeader("Jul 4"), "Graph Rewiring", short, "• 3 authors", "·", "Dec 30 4"]
        .concat("Sparse Experts", short)
        .join("\n"),
      ["Get trending papers in your email inbox!", "SubscribeGraph Rewiring", short]
        .concat("Sparse Experts", short)
        .join("\n"),
    ];
    for (const page of pages) {
      const parsed = parsePage(page, now);
      expect(parsed.records, page).toMatchObject(expected);
      expect(parsed.warnings, page).toEqual([]);
    }
  });

  it("copes with header lines that vary", () => {
    const text = paragraphs(
      "Get trending papers in your email inbox once a day!",
      "Subscribe",
      "Daily Papers",
      "by AK and the research community ",
      "Jul 4",
      ...papers,
    );
    const parsed = parsePage(text, now);
    expect(parsed.pageDate).toBe("2025-07-04");
    expect(parsed.records.map((paper) => [paper.line, paper.title])).toEqual([
      [11, "Graph Rewiring"],
      [15, "Sparse Experts"],
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it("reads a page without any header, and one whose header has no date or button", () => {
    expect(parsePage(paragraphs(...papers), now).records.map((paper) => paper.line)).toEqual([
      1, 5,
    ]);
    const unknownChrome = paragraphs("Trending this week", "Sign in", ...papers);
    expect(parsePage(unknownChrome, now).records.map((paper) => paper.title)).toEqual([
      "Graph Rewiring",
      "Sparse Experts",
    ]);
  });

  it("reads no papers out of notes or a README saved as .txt, and says it is no page", () => {
    const notes = [
      "Paperboy set-up",
      "Install Node 20 first, then run npm install and npm start in this folder.",
      "Ask Sam for the token",
      "It lives in the team vault, under Discord bots; put it in .env as DISCORD_TOKEN.",
    ];
    expect(parsePage(paragraphs(...notes), now)).toEqual({
      format: "page",
      pageDate: undefined,
      records: [],
      warnings: [{ line: 1, message: expect.stringMatching(/^not a saved Daily Papers page/u) }],
    });
    // One line of notes is no title cut off before its abstract.
    expect(parsePage("hello notes\n", now).warnings).toEqual([
      { line: 1, message: expect.stringMatching(/^not a saved Daily Papers page/u) },
    ]);
    // Short abstracts are no sign of notes when the page's chrome or paper details are there.
    expect(parsePage(paragraphs("Subscribe", ...notes), now).records).toHaveLength(2);
    const withAuthors = paragraphs(...notes.slice(0, 2), "• 3 authors", ...notes.slice(2));
    expect(parsePage(withAuthors, now).records).toHaveLength(2);
  });

  it("reads no papers out of a page's HTML saved as .txt, and says to save its text", () => {
    // `curl https://huggingface.co/papers > today.txt`, or Save Page As "HTML only": its tags
    // were read as papers ("<title>Daily Papers - Hugging Face</title>", abstract "<script>…").
    const article = (title: string) =>
      `<article><h3><a href="/papers/2401.00001">${title}</a></h3>\n<p>${abstractAbout(title)}</p></article>`;
    const html = [
      "<!doctype html>",
      '<html class="">',
      "<head>",
      "<title>Daily Papers - Hugging Face</title>",
      `<script>window.data = ${JSON.stringify({ papers: [abstractAbout("data")] })};</script>`,
      "</head>",
      "<body>",
      "<h1>Daily Papers</h1>",
      "<p>by AK and the research community</p>",
      article("Graph Rewiring"),
      article("Sparse Experts"),
      "</body>",
      "</html>",
    ].join("\n");
    for (const text of [html, `\n  ${html.replace("doctype html", "DOCTYPE html")}`]) {
      expect(parsePage(text, now)).toEqual({
        format: "page",
        pageDate: undefined,
        records: [],
        warnings: [
          {
            line: 1,
            message:
              "the page's HTML, not its text: open it in a browser and save it as text (Firefox: Save Page As, Text Files), or copy its text into the file; nothing read",
          },
        ],
      });
    }
  });

  it("reads notes naming the listing's own lines after some prose whole, as notes", () => {
    // Cut at "Daily Papers" as at a page pasted after another, the rest was read as a listing:
    // its wrapped paragraphs, joined, made two papers.
    const wrapped = (topic: string) =>
      `I read the listing on ${topic} each morning and copy the titles I like into\n` +
      "this file, then I look them up later when I have time to read them properly,\n" +
      "which is not often, and write down what I think of each one of them in a few\n" +
      "lines like these ones here, below the heading of the topic they are about.";
    const notes = paragraphs(
      "These are my notes on the papers I read. I keep them here for later.",
      "Daily Papers",
      "Ideas on sampling",
      wrapped("sampling"),
      "Ideas on graphs",
      wrapped("graphs"),
    );
    expect(parsePage(notes, now)).toEqual({
      format: "page",
      pageDate: undefined,
      records: [],
      warnings: [{ line: 1, message: expect.stringMatching(/^not a saved Daily Papers page/u) }],
    });
  });

  it("ends a dateless header at its last own line, which is no paper", () => {
    // The headers of the saved pages without their dates, and one spelling "by AK".
    const layouts = [
      pageHeader("Jul 4").slice(0, -1),
      ["Subscribe", "Daily Papers", "byAK and the research community"],
      ["Subscribe", "by AK and the research community"],
    ];
    for (const header of layouts) {
      const parsed = parsePage(paragraphs(...header, ...papers), now);
      expect(parsed.records.map((paper) => paper.title)).toEqual([
        "Graph Rewiring",
        "Sparse Experts",
      ]);
      expect(parsed.warnings).toEqual([]);
    }
  });

  it("ends a dateless header at Subscribe, keeping a first title that lost its abstract", () => {
    const text = paragraphs(
      "Get trending papers in your email inbox!",
      "Subscribe",
      "Lost",
      ...papers,
    );
    const parsed = parsePage(text, now);
    expect(parsed.records.map((paper) => paper.title)).toEqual([
      "Graph Rewiring",
      "Sparse Experts",
    ]);
    expect(parsed.warnings).toEqual([
      { line: 5, message: '"Lost" has no abstract after it; skipped' },
    ]);
  });

  it("reads the dense layout", () => {
    const text = [
      "Get trending papers in your email inbox!",
      "SubscribeGraph Rewiring",
      abstractAbout("graph rewiring"),
      "iVideoGPT: Interactive VideoGPTs",
      abstractAbout("video models"),
    ].join("\n");
    const parsed = parsePage(text, now);
    expect(parsed.pageDate).toBeUndefined();
    expect(parsed.records.map((paper) => [paper.line, paper.title])).toEqual([
      [2, "Graph Rewiring"],
      [4, "iVideoGPT: Interactive VideoGPTs"],
    ]);
  });

  it("does not take a first title beginning with Subscribe for the button", () => {
    const text = paragraphs(...pageHeader("Jul 4"), "Subscribers Churn", abstractAbout("churn"));
    expect(parsePage(text, now).records[0]?.title).toBe("Subscribers Churn");
  });

  it("reports a truncated last entry instead of inventing a record", () => {
    const text = paragraphs(...pageHeader("Jul 4"), ...papers, "Cut Off Here");
    const parsed = parsePage(text, now);
    expect(parsed.records.map((paper) => paper.title)).toEqual([
      "Graph Rewiring",
      "Sparse Experts",
    ]);
    expect(parsed.warnings).toEqual([
      { line: 19, message: '"Cut Off Here" has no abstract: the page ends after its title' },
    ]);
  });

  it("skips the site's links after the last paper, saying so once", () => {
    const footer = ["System theme", "Company", "TOS", "Privacy"];
    const parsed = parsePage(paragraphs(...pageHeader("Jul 4"), ...papers, ...footer), now);
    expect(parsed.records.map((paper) => paper.title)).toEqual([
      "Graph Rewiring",
      "Sparse Experts",
    ]);
    expect(parsed.warnings).toEqual([
      {
        line: 19,
        message: `"System theme" and the 3 lines after it are links, not papers (the page's footer); skipped`,
      },
    ]);
  });

  it("reports a title whose abstract is missing and keeps reading", () => {
    const text = paragraphs(...pageHeader("Jul 4"), "Lost Abstract", ...papers);
    const parsed = parsePage(text, now);
    expect(parsed.records.map((paper) => paper.title)).toEqual([
      "Graph Rewiring",
      "Sparse Experts",
    ]);
    expect(parsed.warnings).toEqual([
      { line: 11, message: '"Lost Abstract" has no abstract after it; skipped' },
    ]);
  });

  it("reports a title followed straight by paper details, and drops those details", () => {
    const text = paragraphs(
      ...pageHeader("Jul 4"),
      "Lost Abstract",
      "  • 4 authors\n·\nJun 1 3",
      ...papers,
    );
    const parsed = parsePage(text, now);
    expect(parsed.records.map((paper) => paper.authorsCount)).toEqual([undefined, undefined]);
    expect(parsed.warnings).toEqual([
      { line: 11, message: '"Lost Abstract" has no abstract after it; skipped' },
    ]);
  });

  it("reports an abstract without a title", () => {
    const text = paragraphs(
      ...pageHeader("Jul 4"),
      ...papers,
      abstractAbout("an orphan paragraph"),
    );
    const parsed = parsePage(text, now);
    expect(parsed.records).toHaveLength(2);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]?.line).toBe(19);
    expect(parsed.warnings[0]?.message).toMatch(
      /^text that reads like an abstract \("We study an orphan/u,
    );
  });

  it("tells an abstract by its length even without a closing period, or by its sentences", () => {
    const long = `${abstractAbout("code release")} Code: https://github.com/example/repository`;
    const short = "We rewire graphs. It helps.";
    const text = paragraphs(
      ...pageHeader("Jul 4"),
      "Lost One",
      "Code Release",
      long,
      "Lost Two",
      "Short Abstract",
      short,
    );
    const parsed = parsePage(text, now);
    expect(parsed.records.map((paper) => [paper.title, paper.abstract])).toEqual([
      ["Code Release", long],
      ["Short Abstract", short],
    ]);
    expect(parsed.warnings.map((warning) => warning.line)).toEqual([11, 17]);
  });

  it("reads an author count and date on one line as on lines of their own", () => {
    const text = paragraphs(
      ...pageHeader("Jul 4"),
      papers[0] as string,
      papers[1] as string,
      "• 3 authors · Jun 29, 2024 4",
      papers[2] as string,
      papers[3] as string,
      "• 1 author ·\nJul 2",
    );
    const parsed = parsePage(text, now);
    expect(parsed.records).toMatchObject([
      { title: "Graph Rewiring", authorsCount: 3, published: "2024-06-29", upvotes: 4 },
      { title: "Sparse Experts", authorsCount: 1, published: "2025-07-02" },
    ]);
    expect(parsed.warnings).toEqual([]);
  });

  it("reports paper details that follow no paper", () => {
    const text = paragraphs(...pageHeader("Jul 4"), "  • 4 authors", ...papers);
    const parsed = parsePage(text, now);
    expect(parsed.records).toHaveLength(2);
    expect(parsed.warnings).toEqual([
      { line: 11, message: '"• 4 authors" follows no paper; ignored' },
    ]);
  });

  it("finds no papers on a page that is only its header, without complaint", () => {
    expect(parsePage(paragraphs(...pageHeader("Jul 4")), now)).toEqual({
      format: "page",
      pageDate: "2025-07-04",
      records: [],
      warnings: [],
    });
  });

  it("survives a 10 MB line", () => {
    const parsed = parsePage(`${"word ".repeat(2_000_000)}\n`, now);
    expect(parsed.records).toEqual([]);
    expect(parsed.warnings).toHaveLength(1);
    // No listing's own line and no paper read: it is said to be no page, in a short line.
    expect(parsed.warnings[0]?.message).toMatch(/^not a saved Daily Papers page/u);
    expect(parsed.warnings[0]?.message.length).toBeLessThan(200);
  });
});
