import type { RangeTuple } from "fuse.js";
import { describe, expect, it } from "vitest";
import { paperEmbed, type ResultsPage, resultsReply } from "../../src/bot/render.ts";
import type { SearchHit } from "../../src/search/engine.ts";
import type { Paper } from "../../src/store/papers.ts";

/** A search hit on `abstract`, its ranges those of `abstractWords` as the search finds them (whole words as read). */
function hit(
  fields: Partial<SearchHit> & { abstract: string; abstractWords?: string[] },
): SearchHit {
  const { abstractWords = [], ...rest } = fields;
  const abstractRanges = abstractWords.flatMap((word) =>
    [...fields.abstract.matchAll(new RegExp(`\\b${word}\\b`, "gi"))].map(
      (m): RangeTuple => [m.index, m.index + m[0].length - 1],
    ),
  );
  return {
    id: 1,
    arxivId: "2401.00001",
    title: "A Paper",
    published: null,
    upvotes: null,
    score: 0.5,
    matchedIn: "both",
    matchedWords: [],
    titleRanges: [],
    abstractRanges,
    ...rest,
  };
}

function page(hits: SearchHit[], corrections: ResultsPage["corrections"] = []): ResultsPage {
  return {
    sessionId: "s",
    query: "q",
    hits,
    page: 0,
    pageCount: 1,
    total: hits.length,
    corrections,
    unmatched: [],
  };
}

const description = (view: ResultsPage) => resultsReply(view).embeds?.[0]?.description ?? "";

describe("search results", () => {
  it("bolds a glued query word where the abstract hyphenates it, as read when misspelt", () => {
    const abstract =
      "Self-supervised models for speech need no labels; multi-task ones share them.";
    const shown = description(
      page(
        [
          hit({
            abstract,
            abstractWords: ["speech"],
            matchedWords: ["selfsupervsed", "speech", "multitask"],
          }),
        ],
        [{ from: "selfsupervsed", to: ["selfsupervised"] }],
      ),
    );
    expect(shown).toContain(
      "**Self-supervised** models for **speech** need no labels; **multi-task** ones",
    );
  });

  it("leaves a match in a bare link as it is, so the link still goes where it says", () => {
    // As /search query: m3vit shows a paper of the shipped archive, its code's address last.
    const abstract =
      "Code is available at: https://github.com/VITA_Group/M3ViT-moe. M3ViT is a MoE.";
    const shown = description(
      page([hit({ abstract, abstractWords: ["M3ViT", "moe"], matchedWords: ["m3vit", "moe"] })]),
    );
    expect(shown).toContain("https://github.com/VITA_Group/M3ViT-moe. **M3ViT** is a **MoE**.");
  });

  it("shows the words it can bold, not a link at the abstract's end that has more of them", () => {
    // As /search query: lage lnguage uncertaity in: abstract showed result 9 at 41k: the link
    // had two of the words, the text one, and the excerpt was the link with nothing bold.
    const abstract =
      "We test how models cope when a benchmark emulates perceptual uncertainty. " +
      "Filler sentences say nothing of interest here. ".repeat(6) +
      "Our code is available at https://github.com/IBM/raven-large-language-models.";
    const shown = description(
      page([
        hit({
          abstract,
          abstractWords: ["large", "language", "uncertainty"],
          matchedIn: "abstract",
          matchedWords: ["large", "language", "uncertainty"],
        }),
      ]),
    );
    expect(shown).toContain("emulates perceptual **uncertainty**.");
  });

  it("links each title to its paper alone, whatever “](…)” its title or abstract has", () => {
    // A "](" is where a link's address starts for the link rule Discord's markdown comes from
    // (simple-markdown's), escaped "]" or not: "Zephyr A\" went to evil.example, the title's
    // "[" after it keeping the rule from reading on, and the abstract's took the title there.
    const shown = description(
      page([
        hit({ title: "Zephyr A](https://evil.example/a) [B", abstract: "We study zephyr winds." }),
        hit({
          id: 2,
          abstract: "Click here](https://evil.example/b) for https://x.y/](https://evil.example/c)",
        }),
      ]),
    );
    expect(shown.match(/\]\(/g)).toEqual(["](", "]("]);
    expect(shown).toContain(
      "[Zephyr A\\]\\(https://evil.example/a) \\[B](https://arxiv.org/abs/2401.00001)",
    );
  });

  it("bolds nothing in the abstract of a paper whose title alone matched", () => {
    const abstract = "Self-supervised models for speech need no labels.";
    const shown = description(
      page([hit({ abstract, matchedIn: "title", matchedWords: ["selfsupervised"] })]),
    );
    expect(shown).toContain("\nSelf-supervised models for speech need no labels.\n");
  });
});

const paper: Paper = {
  id: 7,
  arxivId: "2503.19786",
  title: "Gemma 3 Technical Report",
  abstract: "We introduce Gemma 3.",
  authors: null,
  authorsCount: null,
  published: "2025-03-27",
  upvotes: 12,
  venue: null,
  firstSeen: "2026-11-20T12:00:00Z",
  updatedAt: "2026-11-20T12:00:00Z",
};
const field = (shown: Paper, name: string) =>
  paperEmbed(shown, []).fields?.find((f) => f.name === name)?.value;

describe("a paper's embed", () => {
  it("ends a list of authors too long for its field after a whole name, with how many in all", () => {
    const names = Array.from({ length: 212 }, (_, i) => `Author Number${i} Surname`);
    const shown = field({ ...paper, authors: names.join(", "), authorsCount: 212 }, "Authors");
    expect(shown?.length).toBeLessThanOrEqual(1024);
    expect(shown).toMatch(/Surname … \(212 authors\)$/);
    const listed = shown?.replace(/ … \(212 authors\)$/, "").split(", ") ?? [];
    expect(listed).toEqual(names.slice(0, listed.length));
  });

  it("cuts one name too long for the field between two characters, never in 𝒪 or an escape", () => {
    // 1,011 characters of the name fit beside " … (1 author)": 𝒪 and "\*" are the 1,011th and 1,012th.
    for (const name of [`${"x".repeat(1010)}𝒪 Surname`, `${"x".repeat(1010)}*Surname*`]) {
      const long = `${name} ${"Middle-Name ".repeat(10)}`;
      const shown = field({ ...paper, authors: long, authorsCount: 1 }, "Authors") ?? "";
      expect(shown).toBe(`${"x".repeat(1010)} … (1 author)`);
    }
  });

  it("says where the paper was published, escaped, and only when known", () => {
    expect(field({ ...paper, venue: "NIPS 2017" }, "Venue")).toBe("NIPS 2017");
    expect(field({ ...paper, venue: "Proc. *SEM_2017" }, "Venue")).toBe("Proc. \\*SEM\\_2017");
    expect(field(paper, "Venue")).toBeUndefined();
    const long = field({ ...paper, venue: "*".repeat(1000) }, "Venue") ?? "";
    expect(long.length).toBeLessThanOrEqual(1024);
    expect(paperEmbed({ ...paper, venue: "NIPS 2017" }, []).fields?.map((f) => f.name)).toEqual([
      "Date",
      "Venue",
      "Upvotes",
      "arXiv",
    ]);
  });

  it("groups upvotes in thousands, as every other count it shows", () => {
    expect(field({ ...paper, upvotes: 1234 }, "Upvotes")).toBe("1,234");
    expect(field({ ...paper, upvotes: 0 }, "Upvotes")).toBe("0");
  });

  it("dates a paper of January 1st to its year alone when its venue names that year", () => {
    const newYear = { ...paper, published: "2017-01-01" };
    // Conference dumps date each paper to the first day of its venue's year.
    expect(field({ ...newYear, venue: "NIPS 2017" }, "Date")).toBe("2017");
    expect(field({ ...newYear, venue: "Phys.Rev.D76:013009,2017" }, "Date")).toBe("2017");
    expect(field({ ...newYear, venue: "ICML'17" }, "Date")).toBe("2017");
    // Another year, a number that is no year, no venue, or another day: the date as it is.
    expect(field({ ...newYear, venue: "NIPS 2016" }, "Date")).toBe("2017-01-01");
    expect(field({ ...newYear, venue: "Phys.Rev.D76:20170,2016" }, "Date")).toBe("2017-01-01");
    expect(field({ ...newYear, venue: "ACL 17" }, "Date")).toBe("2017-01-01");
    expect(field(newYear, "Date")).toBe("2017-01-01");
    expect(field({ ...paper, published: "2017-03-01", venue: "NIPS 2017" }, "Date")).toBe(
      "2017-03-01",
    );
  });

  it("gives the number of authors when their names are unknown", () => {
    expect(field({ ...paper, authorsCount: 1 }, "Authors")).toBe("1 author");
    expect(field({ ...paper, authors: "Ann Lee, Bo Chen", authorsCount: 2 }, "Authors")).toBe(
      "Ann Lee, Bo Chen",
    );
  });
});

describe("the pages a paper was found on", () => {
  it("lists as many whole pages as fit in the field, then how many more", () => {
    const sources = Array.from({ length: 40 }, (_, i) => ({
      path: `/archive/${String(i).padStart(3, "0")}_c29990385ef5d28c.txt`,
      line: 3,
      pageDate: `2026-03-${String((i % 28) + 1).padStart(2, "0")}`,
    }));
    const shown = paperEmbed(paper, sources).fields?.find((f) => f.name === "Found on")?.value;
    const lines = shown?.split("\n") ?? [];
    expect(shown?.length).toBeLessThanOrEqual(1024);
    // Each page's line is 38 characters: 25 and "… and 15 more pages" take 994, 26 would take 1,033.
    expect(lines).toHaveLength(26);
    expect(lines.at(-1)).toBe("… and 15 more pages");
    expect(lines.slice(0, -1)).toEqual(
      sources
        .slice(0, lines.length - 1)
        .map((s) => `${s.path.slice(9).replace("_", "\\_")} (${s.pageDate})`),
    );
  });

  it("says of a page that it no longer has the paper, as paperboy show does", () => {
    const sources = [
      { path: "/archive/old.txt", line: 0, pageDate: "2026-03-01" },
      { path: "/archive/new.txt", line: 7, pageDate: "2026-03-02" },
    ];
    const shown = paperEmbed(paper, sources).fields?.find((f) => f.name === "Found on")?.value;
    expect(shown).toBe("old.txt (2026-03-01), no longer in it\nnew.txt (2026-03-02)");
  });

  it("shows a file's name without the control characters it may have", () => {
    // A right-to-left override turned the rest of the line around, as it did in paper text.
    const sources = [{ path: "/archive/a\u202elnosj.txt", line: 3, pageDate: null }];
    const shown = paperEmbed(paper, sources).fields?.find((f) => f.name === "Found on")?.value;
    expect(shown).toBe("a lnosj.txt");
  });
});
