import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../src/errors.ts";
import type { Paperboy } from "../src/paperboy.ts";
import { acronymFinder, findAcronymDefinitions } from "../src/search/acronyms.ts";
import { createSearchEngine, type SearchHit, type SearchResult } from "../src/search/engine.ts";
import type { Db } from "../src/store/db.ts";
import { stopwords } from "../src/text/stopwords.ts";
import {
  abstractAbout,
  at,
  ingestTime,
  listingPage,
  openApp,
  type PageEntry,
  sharedArchiveApp,
  tempDir,
  thrownBy,
} from "./helpers.ts";

/** A Paperboy holding only `entries`, from one listing page. */
function appWith(entries: PageEntry[]): Paperboy {
  const path = join(tempDir(), "page.txt");
  writeFileSync(path, listingPage(entries));
  const app = openApp();
  app.ingest([path], { now: at(ingestTime) });
  return app;
}

/** What a search gives back, or the UserError it throws: anything else fails the test. */
function searchOrUserError(app: Paperboy, query: string): SearchResult | UserError {
  try {
    return app.search(query);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
}

const slices = (text: string, ranges: SearchHit["titleRanges"]) =>
  ranges.map(([start, end]) => text.slice(start, end + 1));

/** A deterministic stream of numbers in [0, 1) (a linear congruential generator). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("search over data/archive", () => {
  const app = sharedArchiveApp();

  describe("each hit", () => {
    it("has a score between 0 and 1, best first", () => {
      const { hits } = app().search("graph neural networks", { limit: 30 });
      expect(hits).toHaveLength(30);
      for (const hit of hits) {
        expect(hit.score).toBeGreaterThan(0);
        expect(hit.score).toBeLessThanOrEqual(1);
      }
      const scores = hits.map((hit) => hit.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    });

    it.each([
      ["sparsity", /^sparsity$/i, ["title", "both", "abstract"]],
      ["rendering", /^render(?:s|ed|ings?)?$/i, ["both", "abstract"]],
    ])("says where %s matched, and at which characters", (word, matched, places) => {
      const { hits } = app().search(word, { limit: 100 });
      expect(new Set(hits.map((hit) => hit.matchedIn))).toEqual(new Set(places));
      for (const hit of hits) {
        expect(hit.matchedWords).toEqual([word]);
        const inTitle = slices(hit.title, hit.titleRanges);
        const inAbstract = slices(hit.abstract, hit.abstractRanges);
        expect(inTitle.length > 0, hit.title).toBe(hit.matchedIn !== "abstract");
        expect(inAbstract.length > 0, hit.title).toBe(hit.matchedIn !== "title");
        for (const text of [...inTitle, ...inAbstract]) expect(text).toMatch(matched);
      }
    });

    // fuse.js once matched "diffusion" fuzzily across "AutoLoRA: … Gated Fusion for …"
    // (titleRanges "Fusion" and "fo"); title words are now matched one by one.
    it("counts a title as matched only where it has the word", () => {
      const hit = app()
        .search("diffusion", { limit: 100 })
        .hits.find((h) => h.title.startsWith("AutoLoRA: Automatic LoRA Retrieval"));
      expect(hit?.matchedIn).toBe("abstract");
      expect(hit?.titleRanges).toEqual([]);
    });

    it("carries the paper's id and details", () => {
      const [hit] = app().search("PFGM++", { limit: 1 }).hits;
      expect(hit).toMatchObject({
        title: "PFGM++: Unlocking the Potential of Physics-Inspired Generative Models",
        arxivId: null,
        published: "2023-02-08",
      });
      expect(app().papers.get(hit?.id as number)?.title).toBe(hit?.title);
    });
  });

  it.each(["sparsity", "mamba", "rendering"])(
    "ranks every title match of %s above every abstract-only match",
    (word) => {
      const kinds = app()
        .search(word, { limit: 100 })
        .hits.map((hit) => (hit.matchedIn === "abstract" ? "a" : "t"))
        .join("");
      expect(kinds).toMatch(/^t+a+$/);
    },
  );

  describe("field", () => {
    const fold = (text: string) => text.toLowerCase();

    it('"title" finds the word in titles only', () => {
      const { hits } = app().search("diffusion", { field: "title", limit: 100 });
      expect(hits.length).toBeGreaterThan(10);
      for (const hit of hits) {
        expect(fold(hit.title)).toContain("diffusion");
        // What matched, and what is shown in bold, is the title alone.
        expect(hit).toMatchObject({ matchedIn: "title", abstractRanges: [] });
      }
    });

    it('"abstract" finds the word in abstracts, titles or not', () => {
      const { hits } = app().search("diffusion", { field: "abstract", limit: 100 });
      expect(hits.length).toBeGreaterThan(10);
      for (const hit of hits) {
        expect(fold(hit.abstract)).toContain("diffusion");
        expect(hit).toMatchObject({ matchedIn: "abstract", titleRanges: [] });
      }
      expect(hits.some((hit) => !fold(hit.title).includes("diffusion"))).toBe(true);
      // Ranked by the abstracts: not the order of a search of both fields.
      const both = app()
        .search("diffusion", { limit: 100 })
        .hits.map((hit) => hit.id);
      expect(hits.map((hit) => hit.id).slice(0, 10)).not.toEqual(both.slice(0, 10));
    });

    it('"all" (the default) finds both', () => {
      const ids = (field?: "all") =>
        app()
          .search("mamba", { field, limit: 100 })
          .hits.map((hit) => hit.id);
      expect(ids("all")).toEqual(ids());
      expect(
        app()
          .search("mamba", { limit: 100 })
          .hits.some((hit) => hit.matchedIn === "abstract"),
      ).toBe(true);
    });
  });

  it.each([
    [1, 1],
    [5, 5],
    [undefined, 10],
    [50, 50],
  ])("returns limit %s: %s hits", (limit, count) => {
    // "model" is in most papers: more than enough hits for any of these limits.
    expect(app().search("model", { limit }).hits).toHaveLength(count);
  });

  describe("queries that are FTS5 syntax or just odd", () => {
    it.each([
      ['"quoted"', null],
      ['"graph neural"', /graph/i],
      ["NEAR(graph neural)", /near|graph|neural/i],
      ["NEAR(a b)", null],
      ["OR NOT", null],
      ["graph OR NOT", /graph/i],
      ["-graph", /graph/i],
      ["graph-", /graph/i],
      ["col:title", null],
      ["title:graph", null],
      ["{title}: graph", null],
      ["graph*", /graph/i],
      ["(graph", /graph/i],
      ["🚀 diffusion", /diffusion/i],
      ["diffusion\u0000models", /diffusion/i],
    ])("%j works", (query, topTitle) => {
      const result = app().search(query);
      expect(result.query).toBe(query);
      if (topTitle) expect(result.hits[0]?.title).toMatch(topTitle);
    });

    it.each(["AND", "the", "The of AND with", "what about you"])(
      "%j, only common words, asks for one that says more",
      (query) => {
        const error = thrownBy(() => app().search(query));
        expect(error).toBeInstanceOf(UserError);
        expect(error.message).toMatch(
          /^Those words are in nearly every paper, or only ask \(“can you tell me about …”\); add one/,
        );
        expect(app().search(`${query} transformer`).hits.length).toBeGreaterThan(0);
        // With a word the archive does not have, nothing matches: not every paper.
        expect(app().search(`${query} qwzxv`).hits).toEqual([]);
      },
    );

    it("a word repeated past the 24-word cut does not push the others out", () => {
      const query = `${"graph ".repeat(30)}packet spraying`;
      expect(app().search(query, { limit: 1 }).hits[0]?.title).toMatch(/Packet Spraying/);
    });

    it("a long question keeps its 24th word that is no stop word: stop words are not counted", () => {
      const asked = Array.from(
        { length: 23 },
        (_, i) => `of the qzvx${String.fromCharCode(97 + i)}k`,
      );
      const query = `${asked.join(" ")} and the spraying`;
      expect(app().search(query).hits[0]?.title).toBe(
        "Challenging the Need for Packet Spraying in Large-Scale Distributed Training",
      );
    });

    it("a query of 5,000 characters works", () => {
      const words = ["graph", "nueral", "diffusion", "mamab", "x"];
      const query = Array.from({ length: 1000 }, (_, i) => words[i % words.length]).join(" ");
      expect(query.length).toBeGreaterThanOrEqual(5000);
      expect(app().search(query.slice(0, 5000)).hits.length).toBeGreaterThan(0);
      expect(app().search("x".repeat(5000)).hits).toEqual([]);
    });

    it.each(["*", "^", "''", '""', "", "   \t\n ", "?!.,;:", "🚀🚀", "\\"])(
      "%j has no words: a UserError that says what to type",
      (query) => {
        expect(() => app().search(query)).toThrow(UserError);
        expect(() => app().search(query)).toThrow(/words/);
      },
    );

    it("300 random mixes of syntax and words each give results or a UserError", () => {
      const pieces = ['"', "*", "^", ":", "(", ")", "{", "}", "-", "+", "NEAR", "AND", "OR"];
      pieces.push("NOT", " ", "graph", "gnn", "ﬁ", "İ", "🚀", "\uD800", "日本語", "'", "\\");
      pieces.push("\u0301", "col", "title", "rowid", "9", "mixture of experts", "pre-training");
      const random = seeded(20261120);
      for (let i = 0; i < 300; i++) {
        const length = 1 + Math.floor(random() * 8);
        const query = Array.from(
          { length },
          () => pieces[Math.floor(random() * pieces.length)],
        ).join("");
        const outcome = searchOrUserError(app(), query);
        if (!(outcome instanceof UserError)) expect(outcome.hits, query).toBeInstanceOf(Array);
        expect(app().suggestTitles(query), query).toBeInstanceOf(Array);
      }
    });
  });

  describe("suggestTitles", () => {
    it("returns at most 25 titles, or fewer when asked", () => {
      expect(app().suggestTitles("graph")).toHaveLength(25);
      expect(app().suggestTitles("graph", 5)).toHaveLength(5);
    });

    it("forgives a typo", () => {
      expect(app().suggestTitles("graph mamab")[0]?.title).toMatch(/^Graph[- ]Mamba: /);
    });

    it("completes a partial last word", () => {
      expect(app().suggestTitles("scalable matmul-fr")[0]?.title).toBe(
        "Scalable MatMul-free Language Modeling",
      );
    });

    it.each([
      ["Scaling Laws for Neur", "Scaling Laws for Neural Language Models"],
      [
        "Scaling Laws for Data",
        "Scaling Laws for Data Filtering -- Data Curation cannot be Compute Agnostic",
      ],
      ["scalng laws for neu", "Scaling Laws for Neural Language Models"],
      ["Order-Pres", "Order-Preserving GFlowNets"],
    ])("puts the titles that start with %j first", (partial, title) => {
      const suggested = app()
        .suggestTitles(partial)
        .map((s) => s.title);
      expect(suggested[0]).toBe(title);
      // Titles with the words elsewhere still follow.
      if (partial.startsWith("Scaling")) {
        expect(suggested).toContain(
          "Beyond neural scaling laws: beating power law scaling via data pruning",
        );
      }
    });

    it("offers, when asked, the papers whose abstract has a name no title has: a title may misspell it", () => {
      // The archive's "SVDQunat: …" spells its name right in its abstract only.
      const orAbstracts = { orAbstracts: true };
      expect(
        app()
          .suggestTitles("svdquant", 25, orAbstracts)
          .map((s) => s.title),
      ).toEqual(["SVDQunat: Absorbing Outliers by Low-Rank Components for 4-Bit Diffusion Models"]);
      expect(app().suggestTitles("svdquant")).toEqual([]);
      // Titles with the words come first, and alone.
      expect(app().suggestTitles("graph mamab", 25, orAbstracts)).toEqual(
        app().suggestTitles("graph mamab"),
      );
      // A number alone is in many abstracts, and names no paper.
      expect(app().suggestTitles("53", 25, orAbstracts)).toEqual([]);
    });

    it("gives the stored id with each title", () => {
      for (const { id, title } of app().suggestTitles("diffusion")) {
        expect(app().papers.get(id)?.title).toBe(title);
      }
    });

    it.each(["", "   ", "?!", "*"])("returns [] for %j", (partial) => {
      expect(app().suggestTitles(partial)).toEqual([]);
    });
  });
});

describe("ranking on a hand-made archive", () => {
  it("puts a title match above an abstract-only match, even a more popular and repetitive one", () => {
    const app = appWith([
      {
        title: "Aardvark Tunnelling Survey",
        abstract: abstractAbout("zyxquarks in tunnels"),
      },
      {
        title: "Zyxquark Dynamics",
        abstract: abstractAbout("burrowing animals"),
        details: ["• 2 authors", "·", "Mar 1, 2025"],
      },
      {
        title: "Unrelated Title About Moles",
        abstract: `${abstractAbout("zyxquark zyxquark zyxquark zyxquark")} Zyxquark!`,
        details: ["• 9 authors", "·", "Mar 2, 2025 900"],
      },
    ]);
    const { hits } = app.search("zyxquark");
    expect(hits.map((hit) => [hit.title, hit.matchedIn])).toEqual([
      ["Zyxquark Dynamics", "title"],
      expect.arrayContaining(["abstract"]),
      expect.arrayContaining(["abstract"]),
    ]);
    expect(hits[0]?.score).toBeGreaterThan(hits[1]?.score as number);
  });

  it("puts first the title that has the query as typed, stop words and all", () => {
    const quoted = "How Transferable Are Features in Deep Burrow Networks?";
    const app = appWith([
      { title: "Learning Transferable Features for Wombats", abstract: abstractAbout("wombats") },
      { title: quoted, abstract: abstractAbout("burrows") },
    ]);
    const first = (query: string) => app.search(query).hits[0]?.title;
    expect(first("how transferable are features")).toBe(quoted);
    // Typed in another order neither title is quoted: the shorter one, with both words, wins.
    expect(first("features are transferable how")).toBe(
      "Learning Transferable Features for Wombats",
    );
  });
});

describe("a whole title typed, on a hand-made archive", () => {
  describe("with one word other or one too many, when no title has every word", () => {
    /** Titles with "want" and abstracts with every word: candidates enough without the one meant. */
    const wanting = Array.from({ length: 30 }, (_, i) => ({
      title: `What Wombats Want ${i + 1}`,
      abstract: abstractAbout("attention to all that wombats want"),
    }));

    it("finds that paper first", () => {
      const titled = "Attention Is All You Need";
      const app = appWith([...wanting, { title: titled, abstract: abstractAbout("transduction") }]);
      const first = (query: string) => app.search(query).hits[0]?.title;
      expect(first("attention is all that you need")).toBe(titled);
      expect(first("attention is all you want")).toBe(titled);
    });

    it("finds it by the part of its title before a colon", () => {
      const titled = "Attention Is All You Need: Wombats Edition";
      const app = appWith([...wanting, { title: titled, abstract: abstractAbout("transduction") }]);
      expect(app.search("attention is all you want").hits[0]?.title).toBe(titled);
    });
  });

  it("finds that paper first, above longer titles holding it whose abstracts repeat its words", () => {
    const app = appWith([
      ...Array.from({ length: 70 }, (_, i) => ({
        title: `Guided Wombat Burrow Networks ${i + 1}`,
        abstract: `Wombat burrow networks, again: ${abstractAbout("wombat burrow networks")}`,
      })),
      { title: "Wombat Burrow Networks", abstract: abstractAbout("digging animals") },
    ]);
    expect(app.search("wombat burrow networks").hits[0]?.title).toBe("Wombat Burrow Networks");
  });

  it("finds it first typed with a slip or two, read as their likeliest corrections", () => {
    // "generative adverserial nets", one paper of the 41k corpus spelling it so, had the paper
    // of that title past the 100th: the typo is a rare word, kept as typed in the title's key.
    // More longer titles with the words than are re-ranked, whose abstracts repeat them, and
    // none of the words in a quarter of the papers (see makeRoomForTitles).
    const app = appWith([
      ...Array.from({ length: 64 }, (_, i) => ({
        title: `Guided Wombat Burrow Networks ${i + 1}`,
        abstract: `Wombat burrow networks, again: ${abstractAbout("wombat burrow networks")}`,
      })),
      { title: "Wombat Burrow Networks", abstract: abstractAbout("digging animals") },
      { title: "Koala Notes", abstract: `${abstractAbout("koalas")} A burow, misspelt.` },
      ...Array.from({ length: 200 }, (_, i) => ({
        title: `Koala Tree ${i + 1}`,
        abstract: "Koalas sleep in trees.",
      })),
    ]);
    for (const query of [
      "wombat burrow networks",
      "wombat burow networks",
      "wombat burrow netwroks",
      "wombat burow netwroks",
    ])
      expect(app.search(query).hits[0]?.title, query).toBe("Wombat Burrow Networks");
  });
});

describe("a paper's name typed, on a hand-made archive", () => {
  // Shorter titles with the words cover more of them: "batch normalization" put "Batch
  // Normalization: Accelerating Deep Network Training…" 18th at 41k, "mamba" "Mamba: …" 10th.
  const named = "Wombat Herding: Accelerating Deep Marsupial Logistics by Reducing Burrow Shift";
  const app = () =>
    appWith([
      { title: "Understanding Wombat Herding", abstract: abstractAbout("wombat herding") },
      { title: "Recurrent Wombat Herding", abstract: abstractAbout("wombat herding") },
      { title: "Gentle Wombat Herding", abstract: abstractAbout("wombat herding") },
      { title: named, abstract: abstractAbout("marsupial logistics") },
      { title: "WH: Wombat Homes", abstract: abstractAbout("wombat herding at home") },
      { title: "Vombat: Wombat Herding in Europe", abstract: abstractAbout("wombat herding") },
      // Papers without the words: with them in half the papers, bm25 weighs them nothing.
      ...["Koala", "Platypus", "Echidna", "Quokka", "Dingo", "Numbat"].flatMap((animal) =>
        ["Diets", "Habits"].map((topic) => ({
          title: `${animal} ${topic}`,
          abstract: abstractAbout(`${animal} ${topic}`.toLowerCase()),
        })),
      ),
    ]);
  const first = (query: string) => app().search(query).hits[0]?.title;

  it("puts first the title it names, the part before the colon", () => {
    // Not "Vombat: …", a name fuzzily like "wombat" (as "Vamba: …" was for "mamba").
    expect(first("wombat herding")).toBe(named);
    expect(first("wombat herdnig")).toBe(named); // a typo corrected
    expect(first("wombat herding burrow shift")).toBe(named); // and words after its name
    // Named and quoted, typed whole: its score still within 0..1 (it was 1.06).
    const whole = app().search(named.replace(":", "")).hits[0];
    expect([whole?.title, whole?.score]).toEqual([named, expect.any(Number)]);
    expect(whole?.score).toBeLessThanOrEqual(1);
  });

  it("takes its words for the name only in their order", () => {
    expect(first("herding wombat")).not.toBe(named);
    expect(first("vombat")).toBe("Vombat: Wombat Herding in Europe");
  });
});

describe("one word many titles have, on a hand-made archive", () => {
  it("finds the titles that have it best, not the papers whose abstracts repeat it most", () => {
    const app = appWith([
      ...Array.from({ length: 80 }, (_, i) => ({
        title: `Koala Diets ${i + 1}`,
        abstract: abstractAbout("koalas"),
      })),
      ...Array.from({ length: 70 }, (_, i) => ({
        title: `Wombat Burrows ${i + 1}`,
        abstract: `${"Wombat! ".repeat(20)}${abstractAbout("burrows")}`,
      })),
      { title: "Wombat Burrows", abstract: abstractAbout("marsupial homes") },
    ]);
    expect(app.search("wombat").hits[0]?.title).toBe("Wombat Burrows");
  });
});

describe("two words many papers have, on a hand-made archive", () => {
  it("find the title with both among papers whose abstracts and titles have a rarer form of one", () => {
    // "space models" at 41k: "models" is in most papers (bm25 gives it nothing) and "spaces"
    // rarer than "space", so 60 titles with "Spaces" came before "State Space Models" titles.
    const app = appWith([
      { title: "Wombat Burrow Models", abstract: abstractAbout("soil") },
      ...Array.from({ length: 70 }, (_, i) => ({
        title: `Latent Burrows ${i + 1}`,
        abstract: `Burrows and models. ${abstractAbout("tunnels")}`,
      })),
      ...Array.from({ length: 100 }, (_, i) => ({
        title: `Koala Diets ${i + 1}`,
        abstract: `One burrow. ${abstractAbout("koala models")}`,
      })),
      ...Array.from({ length: 100 }, (_, i) => ({
        title: `Emu Runs ${i + 1}`,
        abstract: abstractAbout("emu models"),
      })),
    ]);
    expect(app.search("burrow models").hits[0]?.title).toBe("Wombat Burrow Models");
  });
});

describe("papers with only some of the words, on a hand-made archive", () => {
  const app = () =>
    appWith([
      { title: "Wombat Burrows at Dusk", abstract: abstractAbout("wombat homes") },
      { title: "Wombat Diets", abstract: abstractAbout("grasses") },
      { title: "Koala Diets", abstract: `${abstractAbout("eucalyptus")} Unlike a wombat.` },
    ]);

  it("beside papers with every word, are those with some in the title", () => {
    expect(
      app()
        .search("wombat burrows")
        .hits.map((hit) => hit.title),
    ).toEqual(["Wombat Burrows at Dusk", "Wombat Diets"]);
  });

  it("with none that has every word, include those with some in the abstract", () => {
    expect(
      app()
        .search("wombat tunnels")
        .hits.map((hit) => hit.title),
    ).toEqual(["Wombat Diets", "Wombat Burrows at Dusk", "Koala Diets"]);
  });

  it("with the rarer words in few papers, include those with the common ones too", () => {
    // In a small archive an everyday word is rare: "choose sampling" found the papers with
    // "choose" alone, none of the dozens on sampling (a word of more than a tenth of them).
    const app = appWith([
      ...["Koala Census", "Wombat Census"].map((title) => ({
        title,
        abstract: `${abstractAbout("counting")} We choose the den at random.`,
      })),
      ...Array.from({ length: 12 }, (_, i) => ({
        title: `Importance Sampling of Burrows ${i + 1}`,
        abstract: abstractAbout("sampling burrows"),
      })),
      ...Array.from({ length: 60 }, (_, i) => ({
        title: `Dingo Study ${i + 1}`,
        abstract: abstractAbout("dingoes"),
      })),
    ]);
    const found = app.search("choose sampling", { limit: 20 }).hits.map((hit) => hit.title);
    expect(found).toHaveLength(14);
    expect(found).toContain("Importance Sampling of Burrows 1");
    // No title has "choose": titles with "sampling" alone are no answer, and none tells /search
    // to leave out `in` for the abstracts that have it ("collins learning" at 41k gave ten
    // "Learning …" titles, none about Collins).
    expect(app.search("choose sampling", { field: "title" }).hits).toEqual([]);
    // Nor the titles nearly quoted, with every word but "choose": they have the common ones
    // only (and scored NaN, as the only candidates, at the weakest rank of none).
    expect(app.search("importance sampling of choose", { field: "title" }).hits).toEqual([]);
  });

  it("with the rarer words in few papers, not those with common ones in many", () => {
    // As in a large archive: ranking every paper with "models" took "magma large language
    // models" from 4 ms to 30 ms at 41k, to add papers with "models" alone after Magma.
    const app = appWith([
      { title: "Magma: Koala Models", abstract: abstractAbout("koala models") },
      ...Array.from({ length: 501 }, (_, i) => ({
        title: `Wombat Models ${i + 1}`,
        abstract: abstractAbout("wombat models"),
      })),
    ]);
    expect(app.search("magma models").hits.map((hit) => hit.title)).toEqual([
      "Magma: Koala Models",
    ]);
  });
});

describe("a title named by a question's words, on a hand-made archive", () => {
  const app = () =>
    appWith([
      { title: "Who Should Predict?", abstract: abstractAbout("wombat forecasts") },
      { title: "Does It Really Generalize?", abstract: abstractAbout("wombat learning") },
      {
        title: "Predicting Wombat Burrows",
        abstract: `${abstractAbout("wombat burrows")} Who predicts them generalizes.`,
      },
    ]);

  it.each([
    ["who should predict", "Who Should Predict?"],
    ["does it really", "Does It Really Generalize?"],
  ])("finds %j by its 'should' or 'really'", (query, title) => {
    expect(searchOrUserError(app(), query)).toMatchObject({ hits: [{ title }] });
  });
});

describe("a question asked in words, on a hand-made archive", () => {
  it("keeps the words of an asking that name papers as words: hi of Hi-C, please of Attention, Please!", () => {
    // As a stop word, "Hi-C contact maps" lost the one Hi-C paper of the 41k corpus past the
    // tenth place: "hi" and "c" glued are its name.
    expect(stopwords.has("hi")).toBe(false);
    // Nor "please" of "Attention, Please! Revisiting Attentive Probing…" (41k corpus), which
    // "attention please" found first; as a stop word, the titles with "attention" alone came.
    const app = appWith([
      { title: "Attention, Please! Probing Wombats", abstract: abstractAbout("wombats") },
      ...Array.from({ length: 70 }, (_, i) => ({
        title: `Attention ${i + 1}`,
        abstract: abstractAbout("attention"),
      })),
    ]);
    expect(app.search("attention please", { limit: 1 }).hits[0]?.title).toBe(
      "Attention, Please! Probing Wombats",
    );
  });

  it("counts the words of the asking (me, about, hey, anyone, i, someone, thx) for nothing", () => {
    // Rare in titles, they weighed much: a title with them outranked the paper asked for
    // ("smth" was read as "smith", "thx" as "htx").
    const app = appWith([
      { title: "Wombat Diets", abstract: abstractAbout("what wombats eat") },
      { title: "Tell Me About Koalas", abstract: abstractAbout("koalas") },
      { title: "Hey Anyone, I Study Wombats", abstract: abstractAbout("wombats") },
      { title: "Thanks: Smith's Wombats", abstract: abstractAbout("wombats") },
      { title: "Someone Asked Wombats", abstract: abstractAbout("wombats") },
      ...Array.from({ length: 40 }, (_, i) => ({
        title: `Wombat Study ${i + 1}`,
        abstract: abstractAbout("wombats"),
      })),
    ]);
    for (const query of [
      "tell me about wombat diets",
      "hey anyone know the wombat diets one",
      "i think someone wrote on wombat diets",
      "wombat diets, thanks",
      "smth on wombat diets thx",
    ]) {
      expect(app.search(query, { limit: 1 }).hits[0]?.title, query).toBe("Wombat Diets");
    }
    // Misspelt, they count for nothing too: "anyon" read as "anyone" weighed as a word of the
    // paper, and put the title with "Anyone" and "Wombats" first.
    expect(app.search("anyon wombat diets", { limit: 2 }).hits.map((hit) => hit.title)).toEqual([
      "Wombat Diets",
      "Wombat Study 1",
    ]);
    expect(app.search("anyon wombat", { limit: 1 }).hits[0]?.title).not.toBe(
      "Hey Anyone, I Study Wombats",
    );
  });

  it("says no paper has a word read only as a stop word, not that it read it as one", () => {
    // "wild animals detection" said: read "wild" as "will", a word that counts for nothing.
    const app = appWith([
      { title: "Wombat Diets", abstract: `${abstractAbout("what wombats eat")} We will see.` },
      { title: "Koala Diets", abstract: abstractAbout("what koalas eat") },
    ]);
    const result = app.search("wild wombat diets");
    expect(result.hits[0]?.title).toBe("Wombat Diets");
    expect([result.corrections, result.unmatched]).toEqual([[], ["wild"]]);
    // Alone (or with stop words only), it is no word nearly every paper has: no paper has it.
    for (const query of ["wild", "the wild"])
      expect(app.search(query), query).toEqual({
        query,
        hits: [],
        corrections: [],
        unmatched: ["wild"],
      });
  });
});

describe("a paper asked for as a paper, on a hand-made archive", () => {
  it("counts the words paper and papers for nothing", () => {
    // "graphsage paper" found only the two papers whose abstracts have both words, neither the
    // paper of GraphSAGE (41k corpus): its abstract never says "paper".
    const named = "Inductive Representation Learning on Large Burrows";
    const app = appWith([
      {
        title: named,
        abstract: `${abstractAbout("burrow embeddings")} WombatSAGE samples. WombatSAGE scales.`,
      },
      {
        title: "Koala Tricks",
        abstract: `In this paper we compare with WombatSAGE. ${abstractAbout("koala tricks")}`,
      },
      ...["Emu", "Quokka", "Dingo"].map((animal) => ({
        title: `${animal} Habits`,
        abstract: `This paper studies ${animal.toLowerCase()} habits.`,
      })),
    ]);
    for (const query of ["wombatsage paper", "papers on wombatsage"])
      expect(app.search(query).hits[0]?.title, query).toBe(named);
  });
});

describe("no paper with every word, on a hand-made archive", () => {
  it("finds the paper with all words but one among many with fewer", () => {
    // A hundred "Emu-Gate" titles match "emu", "gate" and, for each, the compound "emugate":
    // bm25 of the any-word matches puts them all above the long title with three of the words.
    const meant =
      "Opening Remarks on a Long History of the Emu Gate in Farming Communities of Rural Western Australia";
    const archive = appWith([
      { title: meant, abstract: abstractAbout("fences") },
      ...Array.from({ length: 100 }, (_, i) => ({
        title: `Emu-Gate Designs, Part ${i + 1}`,
        abstract: abstractAbout("emu-gate designs"),
      })),
      ...Array.from({ length: 1000 }, (_, i) => ({
        title: `Koala Trees, Part ${i + 1}`,
        abstract: abstractAbout(i < 5 ? "koala nets" : i < 65 ? "opening koala trees" : "koalas"),
      })),
    ]);
    expect(archive.search("opening emu gate nets").hits[0]?.title).toBe(meant);
  });
});

describe("two words typed as one, on a hand-made archive", () => {
  it("are read as the pair papers have side by side, but a number is not split", () => {
    const app = appWith([
      {
        title: "Wombat Burrows at Dusk",
        abstract: "Wombats dig burrows. Data from 2024 01 to 2024 06.",
      },
    ]);
    expect(app.search("wombatburrows").corrections).toEqual([
      { from: "wombatburrows", to: ["wombat burrows"] },
    ]);
    // "2024 01" is in the abstract, but 202401 is not a year and a month typed together.
    expect(app.search("202401 wombat").corrections).toEqual([]);
  });
});

describe("a common word a title writes as two, on a hand-made archive", () => {
  it("is read as the two words too", () => {
    // "choose timesteps for diffusion sampling" missed "AutoDiffusion: … Optimization of Time
    // Steps …": "timesteps" is in many papers, and a title with it apart did not match it.
    const app = appWith([
      { title: "Optimal Time Steps for Koala Sampling", abstract: abstractAbout("koala herds") },
      { title: "Koala Sampling", abstract: abstractAbout("koala herds") },
      ...Array.from({ length: 6 }, (_, i) => ({
        title: `Wombat Steps ${i + 1}`,
        abstract: `${abstractAbout("wombats")} Timesteps and time matter.`,
      })),
    ]);
    expect(app.search("koala timesteps sampling").hits[0]?.title).toBe(
      "Optimal Time Steps for Koala Sampling",
    );
  });
});

describe("a name typed with its version glued to it, on a hand-made archive", () => {
  it("is read as the two words titles write too", () => {
    // "siglip2 multilingual" found other multilingual papers at 41k, not "SigLIP 2: Multilingual
    // Vision-Language Encoders…": the index has "siglip" and "2", and "siglip2" only of others.
    const app = appWith([
      { title: "Zorbla 3 Technical Report", abstract: abstractAbout("zorbla models") },
      { title: "Zorbla3 Agents", abstract: abstractAbout("zorbla agents") },
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `A Technical Report on Burrows ${i + 1}`,
        abstract: abstractAbout("technical reports"),
      })),
    ]);
    expect(app.search("zorbla3 technical report").hits[0]?.title).toBe("Zorbla 3 Technical Report");
    expect(
      app
        .search("zorbla3")
        .hits.map((hit) => hit.title)
        .sort(),
    ).toEqual(["Zorbla 3 Technical Report", "Zorbla3 Agents"]);
  });

  it('is read with its "v" or without it, as titles write versions both ways', () => {
    // "flash attention v2" put "FlashPrefill V2" before "FlashAttention-2".
    const app = appWith([
      { title: "Wombat-2: Better Burrows", abstract: abstractAbout("wombat burrows") },
      { title: "Wombat Burrows", abstract: abstractAbout("wombat burrows") },
    ]);
    expect(app.search("wombat v2").hits[0]?.title).toBe("Wombat-2: Better Burrows");
    // A name with more digits is no version: "v100" is a GPU, not 100 of anything.
    const gpus = appWith([
      { title: "Wombats on the V100", abstract: abstractAbout("wombat burrows") },
      { title: "100 Wombats", abstract: abstractAbout("wombat burrows") },
    ]);
    expect(gpus.search("v100").hits.map((hit) => hit.title)).toEqual(["Wombats on the V100"]);
  });

  it('is read with a 2 between two words as "to", as titles write it', () => {
    // "text2image diffusion" found nothing for its first word: no paper has it glued.
    const app = appWith([
      { title: "Koala-to-Wombat Translation", abstract: abstractAbout("koala calls") },
      { title: "Wombat Translation", abstract: abstractAbout("wombat calls") },
    ]);
    const { hits, unmatched } = app.search("koala2wombat");
    expect(hits.map((hit) => hit.title)).toEqual(["Koala-to-Wombat Translation"]);
    expect(unmatched).toEqual([]);
  });
});

describe("ligatures, invisible characters, PDF glyph codes and words broken across lines in a paper's text, on a hand-made archive", () => {
  /** A database of one paper read from a JSON Lines dump, with `abstract`, and the app on it. */
  const storedFromDump = (abstract: string) => {
    const path = join(tempDir(), "paperboy.db");
    const dump = join(tempDir(), "papers.jsonl");
    writeFileSync(dump, `${JSON.stringify({ id: "2401.00001", title: "Koala Dens", abstract })}\n`);
    const first = openApp(path);
    first.ingest([dump], { now: at(ingestTime) });
    return { path, first };
  };
  /** The papers' abstract as an older Paperboy stored and indexed it, to be tidied at the next open. */
  const storedBefore = (app: Paperboy, abstract: string) =>
    app.db.exec(`
      UPDATE papers SET abstract = '${abstract}';
      DELETE FROM papers_fts;
      INSERT INTO papers_fts (rowid, title, abstract) SELECT id, title, abstract FROM papers;
      DELETE FROM meta WHERE key = 'papers:text';
    `);

  it("are read as the letters they join (or not at all), and made so in a database stored before too", () => {
    // 615 abstracts of the 41k corpus have "classiﬁcation", "eﬃcient" and the like, from PDFs:
    // kept, no word with one was found by what anyone types, nor highlighted.
    const path = join(tempDir(), "paperboy.db");
    const page = join(tempDir(), "page.txt");
    writeFileSync(
      page,
      listingPage([
        {
          title: "Eﬃcient Koala Reﬁnement",
          abstract: "Fine-grained classiﬁcation of koala\u00adbears.",
        },
        ...Array.from({ length: 20 }, (_, i) => ({
          title: `Efficient Koala Dens ${i + 1}`,
          abstract: abstractAbout("koala classification"),
        })),
      ]),
    );
    const first = openApp(path);
    first.ingest([page], { now: at(ingestTime) });
    const found = (app: Paperboy) => app.search("efficient refinement").hits[0]?.title;
    const expectFoldedIn = (app: Paperboy) => {
      expect(found(app)).toBe("Efficient Koala Refinement");
      // The abstract's word counts in the re-rank, and is highlighted.
      const [hit] = app.search("koala refinement classification").hits;
      expect(hit?.matchedWords).toEqual(["koala", "refinement", "classification"]);
      const [start, end] = hit?.abstractRanges.find(([s]) => hit.abstract[s] === "c") ?? [0, 0];
      expect(hit?.abstract.slice(start, end + 1)).toBe("classification");
      expect(app.search("efficient koala dens 7").hits[0]?.title).toBe("Efficient Koala Dens 7");
      expect(app.search("koalabears").hits[0]?.title).toBe("Efficient Koala Refinement");
    };
    expectFoldedIn(first);
    // As an older Paperboy stored and indexed it: the text as it is, ligatures and all.
    first.db.exec(`
      UPDATE papers SET title = 'Eﬃcient Koala Reﬁnement',
        abstract = 'Fine-grained classiﬁcation of koala' || char(173) || 'bears.'
        WHERE title = 'Efficient Koala Refinement';
      DELETE FROM papers_fts; DELETE FROM titles_fts;
      INSERT INTO papers_fts (rowid, title, abstract) SELECT id, title, abstract FROM papers;
      INSERT INTO titles_fts (rowid, title) SELECT id, title FROM papers;
      DELETE FROM meta WHERE key = 'papers:text';
      INSERT INTO meta (key, value) VALUES ('papers:ligatures', 'as letters');
    `);
    // Not found: papers with "efficient" alone come instead.
    const before = first.search("efficient refinement").hits.map((hit) => hit.title);
    expect(before).not.toContain("Efficient Koala Refinement");
    expect(before).not.toContain("Eﬃcient Koala Reﬁnement");
    expect(first.search("koalabears").hits).toEqual([]);
    first.close();

    const upgraded = openApp(path);
    expectFoldedIn(upgraded);
    expect(upgraded.meta.get("papers:ligatures")).toBeUndefined();
  });

  it("has PDF glyph codes read as their letters, in a database stored before too", () => {
    // 1,601 abstracts of the 41k corpus have "classi(cid:12)cation", "prob(cid:173) lems" and
    // the like: words no one found, codes everyone saw.
    const abstract = "Koala classi(cid:12)cation for prob(cid:173) lems of e(cid:14)cient burrows.";
    const { path, first } = storedFromDump(abstract);
    const read = (app: Paperboy) => app.search("koala classification problems efficient").hits[0];
    expect(read(first)?.abstract).toBe("Koala classification for problems of efficient burrows.");
    storedBefore(first, abstract);
    expect(read(first)?.matchedWords).toEqual(["koala"]);
    first.close();

    const upgraded = openApp(path);
    expect(read(upgraded)?.abstract).toBe(
      "Koala classification for problems of efficient burrows.",
    );
    expect(read(upgraded)?.matchedWords).toEqual([
      "koala",
      "classification",
      "problems",
      "efficient",
    ]);
  });

  it("has words broken across lines made whole, in a database stored before too", () => {
    // 1,700 abstracts of the 41k corpus have "experi- ments", "algo- rithms" and the like: the
    // words were not found there, and the parts were words of the index ("ferett" was read as
    // "ferent", of "dif- ferent").
    const abstract = "Koala experi- ments on burrow algo- rithms, pre- and post-training.";
    const { path, first } = storedFromDump(abstract);
    const read = (app: Paperboy) => app.search("koala experiments algorithms").hits[0];
    const indexes = (app: Paperboy, word: string) =>
      app.db.prepare("SELECT count(*) FROM papers_vocab WHERE term = ?").pluck().get(word) === 1;
    const joined = "Koala experiments on burrow algorithms, pre- and post-training.";
    expect(read(first)?.abstract).toBe(joined);
    expect(indexes(first, "rithms")).toBe(false);
    storedBefore(first, abstract);
    expect(read(first)?.matchedWords).toEqual(["koala"]);
    expect(indexes(first, "rithms")).toBe(true);
    first.close();

    const upgraded = openApp(path);
    expect(read(upgraded)?.abstract).toBe(joined);
    expect(read(upgraded)?.matchedWords).toEqual(["koala", "experiments", "algorithms"]);
    expect(indexes(upgraded, "rithms")).toBe(false);
  });
});

describe("an acronym typed in parts, on a hand-made archive", () => {
  it("is read as the acronym the archive has in the plural, and the words it stands for", () => {
    const wombatNetworks = (title: string) => ({
      title,
      abstract: `Wombat networks (WNs) sample burrows. ${title} make wombat networks deeper.`,
    });
    const app = appWith([
      wombatNetworks("Stochastic Wombat Networks"),
      wombatNetworks("A Theory of Wombat Networks"),
      wombatNetworks("Pretrained Wombat Networks"),
      {
        title: "Order-Preserving WombNets",
        abstract: "We propose Order-Preserving WombNets (OP-WNs), which sample burrows in order.",
      },
    ]);
    // The index has "opwns" only, and "op" and "wn" apart find the title through neither.
    for (const query of ["op-wn", "op wn"])
      expect(app.search(query).hits[0]?.title).toBe("Order-Preserving WombNets");
  });
});

describe("a name typed with a hyphen, on a hand-made archive", () => {
  // "R-GRPO" of the 41k corpus: "iGRPO: …" and "Reasoning-Aware GRPO …" came first, their
  // titles having "GRPO" and their abstracts an "r", above the one paper defining R-GRPO.
  const app = () =>
    appWith([
      {
        title: "WBPO: Wombat Burrow Policy Optimization",
        abstract: abstractAbout("burrow policies, with r the burrow radius"),
      },
      {
        title: "Reasoning-Aware WBPO for Digging",
        abstract: abstractAbout("digging, r rounds at a time"),
      },
      {
        title: "Teaching Wombats to Dig Deeper",
        abstract:
          "We propose R-WBPO, which rewards wombats for each burrow they finish. R-WBPO digs deeper.",
      },
      {
        title: "Pre-training Wombats on Burrow Maps",
        abstract: abstractAbout("burrow maps for young wombats"),
      },
    ]);

  it("finds the paper with the name above the titles with its parts apart", () => {
    expect(app().search("R-WBPO").hits[0]?.title).toBe("Teaching Wombats to Dig Deeper");
  });

  it("finds it when a part is a stop word and many titles have the other", () => {
    // "A-RoPE" of the 41k corpus: a word alone takes the 60 titles with it, and "a RoPE" in
    // an abstract is no "A-RoPE".
    const app = appWith([
      ...Array.from({ length: 70 }, (_, i) => ({
        title: `WBPO for Burrow ${i + 1}`,
        abstract: `We fit a WBPO to burrow ${i + 1}. ${abstractAbout("burrows")}`,
      })),
      {
        title: "Teaching Wombats to Dig Deeper",
        abstract: "We propose A-WBPO, which rewards wombats for each burrow they finish.",
      },
    ]);
    expect(app.search("A-WBPO").hits[0]?.title).toBe("Teaching Wombats to Dig Deeper");
  });

  it("still finds its parts typed apart in titles first", () => {
    expect(app().search("r wbpo").hits[0]?.title).not.toBe("Teaching Wombats to Dig Deeper");
  });

  it("takes a variant of the name, more after it, as the name", () => {
    // "gpt-4 vision" of the 41k corpus put "How Well Does GPT-4o Understand Vision?" below
    // titles with neither word, its "GPT-4o" read as the parts apart.
    const app = appWith([
      {
        title: "How Well Does WB-4o Understand Burrows?",
        abstract: abstractAbout("a wombat model's burrows"),
      },
      {
        title: "Understanding Burrows",
        abstract: `We ask a wombat model, WB-4, about burrows. ${abstractAbout("burrows")}`,
      },
      { title: "Digging Tunnels", abstract: `Tunnels dug with WB-4. ${abstractAbout("tunnels")}` },
    ]);
    expect(app.search("wb-4 burrows").hits[0]?.title).toBe(
      "How Well Does WB-4o Understand Burrows?",
    );
  });

  it("finds the name written with the hyphen, glued or spaced alike", () => {
    const searched = app();
    for (const query of ["pre-training wombats", "pretraining wombats", "pre training wombats"])
      expect(searched.search(query).hits[0]?.title).toBe("Pre-training Wombats on Burrow Maps");
  });
});

describe("a name typed in parts that an archive's acronym is spelt as, on a hand-made archive", () => {
  it("is read as the name, not as the acronym: its parts are words", () => {
    // "pointnet" stands for "pointer network" here: read so, the titles with those words
    // came first.
    const pointerNetworks = (title: string) => ({
      title,
      abstract: `A pointer network (PointNet) picks tokens from its input. ${title} is one.`,
    });
    const app = appWith([
      pointerNetworks("Sorting with Pointer Networks"),
      pointerNetworks("Copying with Pointer Networks"),
      { title: "Here's My Point: Mining with Pointer Networks", abstract: abstractAbout("claims") },
      { title: "R3 Net: Robust Point Matching Network", abstract: abstractAbout("matching") },
      { title: "PointNet: Deep Wombat Sets", abstract: abstractAbout("point clouds of wombats") },
    ]);
    const titles = app.search("point net").hits.map((hit) => hit.title);
    expect(titles.slice(0, 2)).toEqual([
      "PointNet: Deep Wombat Sets",
      "R3 Net: Robust Point Matching Network",
    ]);
  });
});

describe("a name typed in three parts, on a hand-made archive", () => {
  it("finds the title with the name glued, above titles with the parts apart", () => {
    const app = appWith([
      { title: "Wombat Burrows in 2 Seasons", abstract: abstractAbout("wombat burrow seasons") },
      { title: "Burrow Maps of 2 Wombat Colonies", abstract: abstractAbout("wombat burrow maps") },
      {
        title: "Wombat2Burrow: Digging from Pictures of Wombats",
        abstract: abstractAbout("digging from pictures"),
      },
    ]);
    expect(app.search("wombat 2 burrow").hits[0]?.title).toMatch(/^Wombat2Burrow: /);
  });
});

describe("a name typed with plus signs, on a hand-made archive", () => {
  it("finds the title with the name and the signs above shorter ones with the name alone", () => {
    const app = appWith([
      { title: "Wombat Burrows", abstract: abstractAbout("wombat burrows") },
      { title: "Sparse Wombat", abstract: abstractAbout("sparse wombat burrows") },
      {
        title: "Wombat++: Towards Fast and Scalable Burrows at Dusk",
        abstract: abstractAbout("faster wombat burrows"),
      },
      { title: "Wombat+: One Plus Short", abstract: abstractAbout("wombat burrow plus") },
    ]);
    expect(app.search("wombat++").hits[0]?.title).toMatch(/^Wombat\+\+: /);
    expect(app.search("wombat+").hits[0]?.title).toMatch(/^Wombat\+: /);
  });

  it("finds the title it starts when many shorter titles have the word", () => {
    const app = appWith([
      ...Array.from({ length: 70 }, (_, i) => ({
        title: `Wombat Burrow ${i}`,
        abstract: abstractAbout(`wombat burrow ${i}`),
      })),
      {
        title:
          "Wombat++: Improving Wombat-Based Burrow Models with Variational Dequantization and Architecture Design",
        abstract: abstractAbout("denser burrows"),
      },
    ]);
    expect(app.search("wombat++").hits[0]?.title).toMatch(/^Wombat\+\+: /);
  });
});

describe("a word no paper has, on a hand-made archive", () => {
  it("is listed as unmatched when no hit matches it even loosely; a stop word or a known word is not", () => {
    const app = appWith([
      { title: "Wombat Burrows at Dusk", abstract: "Wombats dig burrows at night." },
      { title: "Koala Diets", abstract: "What koalas eat in winter." },
    ]);
    const found = app.search("qwzxv wombat burrows");
    expect(found.unmatched).toEqual(["qwzxv"]);
    expect(found.hits.map((hit) => hit.title)).toEqual(["Wombat Burrows at Dusk"]);
    expect(app.search("the wombat burrows").unmatched).toEqual([]);
    // No paper has "burows", but the hit matches it loosely: it did its part.
    const misspelt = app.search("wombat burows");
    expect(misspelt.hits[0]?.matchedWords).toContain("burows");
    expect(misspelt.unmatched).toEqual([]);
  });

  it("is unmatched in quotes, kept as typed: no title word like it counts as it", () => {
    const app = appWith([
      { title: "Wombat Burrows at Dusk", abstract: "Wombats dig burrows at night." },
      { title: "Koala Diets", abstract: "What koalas eat in winter." },
    ]);
    // The hit found by "wombat" had "Burrows" in bold as the quoted "burows", and nothing said
    // no paper has it, as a roundup's topic takes no paper for it.
    const quoted = app.search('wombat "burows"');
    expect(quoted.hits.map((hit) => hit.title)).toEqual(["Wombat Burrows at Dusk"]);
    expect(quoted.hits[0]?.matchedWords).not.toContain("burows");
    expect(quoted.unmatched).toEqual(["burows"]);
  });
});

describe("words in quotes, on data/archive", () => {
  const app = sharedArchiveApp();
  /** Whether a hit matched `word` (a query word, matched as typed or as what it was read as). */
  const matched = (result: SearchResult, word: string) =>
    result.hits.some((hit) => hit.matchedWords.includes(word));

  it("are taken as typed, not corrected; the words outside them still are", () => {
    // No paper of the shipped archive has "surgical": unquoted, it is read as "survival".
    const read = app().search("surgical robotics");
    expect(read.corrections).toEqual([{ from: "surgical", to: ["survival"] }]);
    expect(matched(read, "surgical")).toBe(true);
    for (const query of [
      '"surgical" robotics',
      "“surgical” robotics",
      '"surgical robotics"',
      "„surgical“ robotics",
      '"surgical" "robotics"',
    ]) {
      const kept = app().search(query);
      expect(kept.corrections, query).toEqual([]);
      expect(kept.unmatched, query).toEqual(["surgical"]);
      expect(matched(kept, "surgical"), query).toBe(false);
      expect(kept.hits.length, query).toBeGreaterThan(0); // on "robotics"
    }
    expect(app().search('"surgical" hacking').corrections).toEqual([
      { from: "hacking", to: ["lacking", "packing"] },
    ]);
  });

  it("are a quote's only when it is closed: a stray quote mark keeps nothing", () => {
    for (const query of ['"surgical robotics', 'surgical robotics"', 'surgical" robotics'])
      expect(app().search(query).corrections, query).toEqual([
        { from: "surgical", to: ["survival"] },
      ]);
  });

  it("still match their own forms and the word written joined, not an acronym's words", () => {
    const titles = (query: string) =>
      app()
        .search(query, { limit: 30 })
        .hits.map((h) => h.title);
    // The plural, and "pre-training" (indexed as "pretraining" too) for "pre training".
    expect(titles('"diffusion model"').some((t) => /Diffusion Models/.test(t))).toBe(true);
    expect(titles('"pretraining"').some((t) => /Pre-training/i.test(t))).toBe(true);
    // "GNN" alone, not the titles that spell graph neural networks out without it.
    expect(titles("gnn").some((t) => !/gnn/i.test(t))).toBe(true);
    for (const hit of app().search('"gnn"', { limit: 30 }).hits)
      expect(`${hit.title} ${hit.abstract}`, hit.title).toMatch(/gnn/i);
  });

  it("never throw on quote marks unpaired, empty, around nothing or by the thousand", () => {
    const odd = ['"', '""', '"""', "“”", '" "', '"graph', 'graph"', '"graph" "', '""graph""'];
    odd.push("”graph“", '"the"', '"the" "of"', `"${"nueral ".repeat(700)}"`, '" "'.repeat(1700));
    odd.push(`${'"graph" nueral '.repeat(350)}"`);
    for (const query of odd) {
      const outcome = searchOrUserError(app(), query);
      if (!(outcome instanceof UserError)) expect(outcome.hits, query).toBeInstanceOf(Array);
      expect(app().suggestTitles(query), query).toBeInstanceOf(Array);
      expect(app().readTopics([query]), query).toHaveLength(1);
    }
  });
});

describe("typos, on a hand-made archive", () => {
  /** Papers on each of these subjects: "models" and "agent" are common, the others rare. */
  const papers = (count: number, subject: string) =>
    Array.from({ length: count }, (_, i) => ({
      title: `${subject} study ${i + 1}`,
      abstract: `We look at ${subject} closely.`,
    }));
  const app = () =>
    appWith([
      ...papers(30, "language models"),
      ...papers(2, "plugin modules"),
      ...papers(2, "failure modes"),
      ...papers(30, "autonomous agent"),
      ...papers(2, "magnet"),
      ...papers(2, "programmer"),
      ...papers(2, "programmed cells"),
      { title: "A Graduate Program", abstract: "The program in full." },
    ]);

  it("read two letters swapped as one slip, and prefer the common word", () => {
    const archive = app();
    // fuse.js alone scores "modules" and "modes" closer (a swap is two of its errors), and
    // "agnet" inside "magnet" as a perfect match.
    expect(archive.search("modles").corrections).toEqual([{ from: "modles", to: ["models"] }]);
    expect(archive.search("agnet").corrections).toEqual([{ from: "agnet", to: ["agent"] }]);
  });

  it("read a misspelt word as the one a paper has beside the other words typed", () => {
    // "quant" and "giant" are as near to "guant" and far commoner; no paper has them with
    // "tensor" and "product", and the short titles with those two alone came first.
    const archive = appWith([
      ...papers(30, "quant trading"),
      ...papers(10, "giant planets"),
      ...papers(3, "tensor product"),
      {
        title: "Equivariant Operations via Gaunt Tensor Products",
        abstract: abstractAbout("gaunt"),
      },
    ]);
    const { corrections, hits } = archive.search("guant tensor product");
    expect(corrections).toEqual([{ from: "guant", to: ["gaunt"] }]);
    expect(hits[0]?.title).toBe("Equivariant Operations via Gaunt Tensor Products");
    // Alone, it is read as the commonest.
    expect(archive.search("guant").corrections[0]?.to[0]).toBe("quant");
  });

  it("read a word of one paper, when no more common one is a slip away", () => {
    const archive = appWith([
      { title: "Packet Spraying at Scale", abstract: "We spray packets over many paths." },
      ...papers(2, "packet loss"),
    ]);
    const { corrections, hits } = archive.search("sprayng");
    expect(corrections).toEqual([{ from: "sprayng", to: ["spraying"] }]);
    expect(hits.map((hit) => hit.title)).toEqual(["Packet Spraying at Scale"]);
    // A common word one slip away is still the one read.
    expect(app().search("modles").corrections).toEqual([{ from: "modles", to: ["models"] }]);
  });

  it("read an acronym of three letters no paper has with two letters swapped, the commoner reading", () => {
    // "pdo shift" and "dop shift" found papers on shifts: too short for the typo index, the
    // slipped acronym was no word at all, and "DPO-Shift: …" was nowhere.
    const archive = appWith([
      { title: "DKO-Shift: Moving Koala Dens", abstract: abstractAbout("koala dens") },
      ...papers(3, "odk tables"),
      ...papers(5, "dko burrows"),
      ...papers(20, "distribution shift"),
    ]);
    for (const query of ["kdo shift", "dok shift"]) {
      const { corrections, hits } = archive.search(query);
      expect(corrections).toEqual([{ from: query.slice(0, 3), to: ["dko"] }]);
      expect(hits[0]?.title).toBe("DKO-Shift: Moving Koala Dens");
    }
    // A stop word says nothing of a paper: "hte" is no typo of "the" to look for.
    expect(archive.search("hte shift").corrections).toEqual([]);
  });

  it("read a three-letter word of a paper or two also with two letters swapped, as longer ones", () => {
    // "nwe" is in one abstract, "new" in many titles: "based nwe bounds prediction" missed
    // "New Potential-Based Bounds for Prediction…" at 41k.
    const archive = appWith([
      { title: "New Bounds for Wombats", abstract: abstractAbout("wombat bounds") },
      { title: "A Slip of the Keys", abstract: "The nwe keyboard is bad." },
      ...papers(25, "new ideas"),
      ...Array.from({ length: 10 }, (_, i) => ({
        title: `Bounds ${i + 1}`,
        abstract: abstractAbout("bounds"),
      })),
    ]);
    const { corrections, hits } = archive.search("nwe bounds");
    expect(corrections).toEqual([]);
    expect(hits[0]?.title).toBe("New Bounds for Wombats");
  });

  it("rank a rare word's own titles above those of the commoner word it may be a typo of", () => {
    // "magma", the name of one paper, put "Differential Mamba" first at 41k: read as "mamba"
    // too in case it was a slip, the shorter title with that word matched as well.
    const archive = appWith([
      {
        title: "Magma: A Foundation Model for Multimodal Koala Agents",
        abstract: abstractAbout("koala agents"),
      },
      // Short titles: the word covers more of them.
      ...Array.from({ length: 25 }, (_, i) => ({
        title: `Mamba ${i + 1}`,
        abstract: abstractAbout("state spaces"),
      })),
    ]);
    const { corrections, hits } = archive.search("magma");
    expect(corrections).toEqual([]);
    expect(hits[0]?.title).toBe("Magma: A Foundation Model for Multimodal Koala Agents");
    // A word no paper has is read as the word, at full strength.
    expect(archive.search("mambba").hits[0]?.title).toMatch(/^Mamba \d+$/);
  });

  it("take a word of one paper's abstract two slips from a commoner one for a name, not a typo", () => {
    // "fastrp" is two slips from "faster": read as a typo of it too, titles with "Faster" came
    // before the one paper that has FastRP, in its abstract.
    const archive = appWith([
      {
        title: "Fast and Accurate Network Embeddings via Very Sparse Random Projection",
        abstract: "We present FastRP, a scalable embedding algorithm for koala networks.",
      },
      ...Array.from({ length: 25 }, (_, i) => ({
        title: `Faster Wombats ${i + 1}`,
        abstract: abstractAbout("burrows"),
      })),
    ]);
    expect(archive.search("fastrp").hits.map((hit) => hit.title)).toEqual([
      "Fast and Accurate Network Embeddings via Very Sparse Random Projection",
    ]);
  });

  it("read a long word no paper has, typed with two slips, as the word meant", () => {
    // Only words one slip away were looked at: "optimzaiton" (a letter left out, two swapped)
    // found nothing at all, and "aproximaton" was read as "proximation", a fragment of a word
    // PDF text broke across a line (a letter left out of each), not as "approximation".
    const archive = appWith([
      ...papers(3, "convex optimization"),
      ...papers(3, "kernel approximation"),
      { title: "Broken Lines", abstract: "An ap- proximation split by the line's end." },
    ]);
    const { corrections, hits } = archive.search("optimzaiton");
    expect(corrections).toEqual([{ from: "optimzaiton", to: ["optimization"] }]);
    expect(hits[0]?.title).toMatch(/^convex optimization study/);
    expect(archive.search("aproximaton").corrections).toEqual([
      { from: "aproximaton", to: ["approximation"] },
    ]);
  });

  it("read a word no paper has as one two slips away only as fingers slip, and not a longer word's ending", () => {
    // A word the archive lacks is often two slips from one it has: "criminal" from "critical"
    // (no key next to "t" is "m"), "regrasping" from "grasping", a word of its own.
    const archive = appWith([...papers(3, "critical points"), ...papers(3, "robot grasping")]);
    expect(archive.search("criminal").corrections).toEqual([]);
    expect(archive.search("regrasping").corrections).toEqual([]);
    // Keys next to the ones meant are slips: "crifucal" ("f" by "t", "u" by "i").
    expect(archive.search("crifucal").corrections).toEqual([
      { from: "crifucal", to: ["critical"] },
    ]);
  });

  it("read a short word no paper has as one two slips away only as fingers slip too", () => {
    // The typo index finds words a letter left out of each apart, two slips: "lasso", which the
    // archive lacks, was read as "class" ("lass" both), "armed" as "named" ("amed").
    const archive = appWith([...papers(3, "class imbalance"), ...papers(3, "named entities")]);
    expect(archive.search("lasso").corrections).toEqual([]);
    expect(archive.search("armed").corrections).toEqual([]);
  });

  it("read a shorter word two slips from one of the archive only beside the words a title has with it", () => {
    // "unet enocdr" found the papers on U-Nets, not "… the Role of UNet Encoder …": two slips
    // from a word of six letters make too many words to read one alone.
    const archive = appWith([
      { title: "Rethinking the UNet Encoder", abstract: abstractAbout("koala pictures") },
      ...papers(10, "unet segmentation"),
      ...papers(10, "video encoder"),
      { title: "Large Models at Work", abstract: "Such tasks involve large models." },
    ]);
    const { corrections, hits } = archive.search("unet enocdr");
    expect(corrections).toEqual([{ from: "enocdr", to: ["encoder"] }]);
    expect(hits[0]?.title).toBe("Rethinking the UNet Encoder");
    expect(archive.search("enocdr").corrections).toEqual([]);
    // An abstract is no clue: most words of a small archive are beside "large" and "models"
    // in one, and "invoke", which it lacks, is no "involve".
    expect(archive.search("invoke large models").corrections).toEqual([]);
  });

  it("take a word the archive has in another spelling for no typo", () => {
    const { corrections, hits } = app().search("programme");
    expect(corrections).toEqual([]);
    expect(hits.map((hit) => hit.title)).toEqual(["A Graduate Program"]);
  });
});

describe("title matches on a hand-made archive", () => {
  const entries: PageEntry[] = [
    {
      title: "Diffusion Policies for Robot Grasping",
      abstract: `${abstractAbout("grasping")} Sensor fusion helps.`,
    },
    { title: "Gated Fusion Networks for Lidar", abstract: abstractAbout("lidar") },
    {
      title: "Self-Supervised Pre-training of Speech Encoders",
      abstract: abstractAbout("speech"),
    },
    { title: "FlashRNN: Recurrent Networks on Modern Hardware", abstract: abstractAbout("rnns") },
    {
      title: "Sparse Graph Neural Networks for Molecules",
      abstract: `${abstractAbout("molecules")} We build graph neural networks (GNNs).`,
    },
    { title: "Schrödinger Bridges for Generative Modelling", abstract: abstractAbout("bridges") },
    { title: "Mambaformer: Attention Meets Recurrence", abstract: abstractAbout("mamba layers") },
    { title: "Benchmarking Tabular Learners", abstract: abstractAbout("tabular data") },
    { title: "Wombat-3: Faster Burrow Drafting", abstract: abstractAbout("burrow drafting") },
  ];

  it.each([
    ["fusion", "Gated Fusion Networks for Lidar", ["Fusion"]],
    ["pretraining", "Self-Supervised Pre-training of Speech Encoders", ["Pre-training"]],
    ["pre training", "Self-Supervised Pre-training of Speech Encoders", ["Pre", "training"]],
    ["flash", "FlashRNN: Recurrent Networks on Modern Hardware", ["Flash"]],
    ["gnn", "Sparse Graph Neural Networks for Molecules", ["Graph Neural Networks"]],
    ["schrodinger", "Schrödinger Bridges for Generative Modelling", ["Schrödinger"]],
    ["benchmark", "Benchmarking Tabular Learners", ["Benchmarking"]],
    // The whole compound, not "Wombat" with one letter off.
    ["wombat3", "Wombat-3: Faster Burrow Drafting", ["Wombat-3"]],
  ])("%s matches title words of %s, at %j", (query, title, words) => {
    const hit = appWith(entries)
      .search(query)
      .hits.find((h) => h.title === title);
    expect(hit?.matchedIn).not.toBe("abstract");
    expect(slices(title, hit?.titleRanges ?? [])).toEqual(words);
  });

  it.each([
    ["fusion", "Diffusion Policies for Robot Grasping"],
    ["mamba", "Mambaformer: Attention Meets Recurrence"],
  ])("%s is not a title match of %s (only part of a longer word)", (query, title) => {
    const hit = appWith(entries)
      .search(query)
      .hits.find((h) => h.title === title);
    expect(hit?.matchedIn).toBe("abstract");
    expect(hit?.titleRanges).toEqual([]);
  });
});

describe("a 10 MB abstract", () => {
  // One range per occurrence, spread into push(), once overflowed the call stack.
  it("can be searched for a word it repeats 500,000 times", () => {
    const app = appWith([
      {
        title: "Padding Study",
        abstract: abstractAbout("padding") + " Padding sentence repeated.".repeat(500_000),
      },
    ]);
    expect(app.search("padding").hits[0]?.title).toBe("Padding Study");
  });
});

describe("a word cut short, on a hand-made archive", () => {
  it("finds the paper with the whole word when no paper has every word as typed", () => {
    const app = appWith([
      { title: "A Theory of Mean Field Approximation", abstract: abstractAbout("spin glasses") },
      // "approx" is a word of the archive, in papers about something else.
      ...["one", "two"].map((n) => ({
        title: `Sorting Networks ${n}`,
        abstract: "An approx method for sorting.",
      })),
      // Papers with every other word, many times over: any-word matches all rank above it.
      ...Array.from({ length: 70 }, (_, i) => ({
        title: `Mean Field Theory of Mean Field Theory ${i + 1}`,
        abstract: "Mean field theory, mean field theory and mean field theory again.",
      })),
    ]);
    const { hits } = app.search("mean field approx theory");
    expect(hits[0]?.title).toBe("A Theory of Mean Field Approximation");
  });
});

describe("autocomplete on a hand-made archive", () => {
  it("offers the titles the word being typed starts as typed before those it starts as corrected", () => {
    // "prerout" is no word of the archive (the title has "PreRoutGNN"): it is read as a slip
    // of "reroute", and "Reroute, …", started so, came first.
    const meant = "PreRoutGNN for Timing Prediction with Order Preserving Partition";
    const app = appWith([
      { title: meant, abstract: abstractAbout("timing prediction of circuits") },
      { title: "Reroute, Don't Remove: Token Routing", abstract: abstractAbout("rerouting") },
      ...Array.from({ length: 5 }, (_, i) => ({
        title: `Wombats Reroute Burrows ${i + 1}`,
        abstract: abstractAbout("burrows that reroute"),
      })),
    ]);
    expect(app.suggestTitles("prerout")[0]?.title).toBe(meant);
    // Typed whole, the correction is what was meant.
    expect(app.suggestTitles("rerout")[0]?.title).toBe("Reroute, Don't Remove: Token Routing");
  });
  it("reads an acronym typed last as the words it stands for, and as the start of a word", () => {
    // Acronym first, "wombat koala networks" was read as both; last, only as the start of a
    // word, and the title with the words it stands for was not offered.
    const meant = "Continuous Wombat Koala Networks";
    const app = appWith([
      { title: meant, abstract: "Wombat koala networks (WomKoNets) sample burrows." },
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `WomKoNets for Burrows ${i + 1}`,
        abstract: "Wombat koala networks (WomKoNets) dig burrows.",
      })),
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `Continuous Burrows ${i + 1}`,
        abstract: abstractAbout("burrows"),
      })),
    ]);
    expect(app.suggestTitles("womkonets continuous")[0]?.title).toBe(meant);
    expect(app.suggestTitles("continuous womkonets")[0]?.title).toBe(meant);
    // Still the start of a word: the titles it starts as typed.
    expect(app.suggestTitles("womkonets fo")[0]?.title).toBe("WomKoNets for Burrows 1");
  });
  it("offers a title with the words typed before one with only the acronym being typed, when none has every word", () => {
    // No title has every word typed ("gro" may go on as "grounds"); "gro" is also an acronym,
    // of one paper. Among the titles with some of the words (the rarer ones: "koala" and
    // "sightings" are in most papers), that paper's, with the words the acronym stands for,
    // came before the one with every word typed before it.
    const meant = "Distributed Koala Sightings";
    const app = appWith([
      { title: meant, abstract: abstractAbout("koala sightings") },
      {
        title: "Grizzly Ranging Otters",
        abstract: "Grizzly ranging otters (GRO) swim. Grizzly ranging otters (GRO) dive.",
      },
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `Distributed Burrows ${i + 1}`,
        abstract: abstractAbout("burrows"),
      })),
      ...Array.from({ length: 360 }, (_, i) => ({
        title: `Koala Sightings ${i + 1}`,
        abstract: abstractAbout("koala sightings"),
      })),
    ]);
    expect(app.suggestTitles("distributed koala sightings gro")[0]?.title).toBe(meant);
    // Every word in a title, the acronym read as its words: still offered.
    expect(app.suggestTitles("grizzly gro")[0]?.title).toBe("Grizzly Ranging Otters");
  });
  it("offers the title with most of the words typed, when none has every word, however many newer titles have one", () => {
    // No title has every word typed; more than 1,000 newer titles have one of them each (none
    // in a tenth of the papers, so none is dropped as common). Only the newest 1,000 of those
    // were ranked: the oldest title, with six of the words, was never offered.
    const animals = ["quokka", "wombat", "dingo", "platypus", "koala", "emu"];
    const others = ["echidna", "bilby", "numbat", "wallaby", "possum", "kookaburra"];
    const meant = "Quokka, Wombat, Dingo, Platypus, Koala and Emu Habitats";
    const app = appWith([
      { title: meant, abstract: abstractAbout("habitats") },
      ...[...animals, ...others].flatMap((animal) =>
        Array.from({ length: 95 }, (_, i) => ({
          title: `${animal} Sightings, Part ${i + 1}`,
          abstract: abstractAbout("sightings"),
        })),
      ),
    ]);
    const typed =
      "echidna koala bilby emu numbat dingo wallaby quokka possum wombat platypus kookaburra";
    expect(app.suggestTitles(typed)[0]?.title).toBe(meant);
  });
  it("offers the title that starts with the words typed, however many others have them", () => {
    // The wanted titles are the oldest; many shorter, newer titles have a word starting "bo"
    // or "po" (better bm25 matches of what was typed), and no other starts with it.
    const app = appWith([
      { title: "On the Power of Quorbling Machines", abstract: abstractAbout("quorbling") },
      { title: "Lower Bounds on Flumping", abstract: abstractAbout("flumping") },
      { title: "Lower Costs of Grueling", abstract: abstractAbout("grueling") },
      ...Array.from({ length: 80 }, (_, i) => ({
        title: `Policy Boosting ${i + 1}`,
        abstract: abstractAbout("policies and bounds on power"),
      })),
    ]);
    expect(app.suggestTitles("on the po")[0]?.title).toBe("On the Power of Quorbling Machines");
    // A typo in a word before: the title starts with the word read for it.
    expect(app.suggestTitles("lwoer bo")[0]?.title).toBe("Lower Bounds on Flumping");
  });
  it("reads a misspelt name as the word of the title that starts with what was typed", () => {
    // Each name is in one title only; the words after it are in many newer, shorter titles,
    // and "kass" is one slip from "pass", a word of two papers.
    const app = appWith([
      { title: "FormNet: Structural Encoding of Forms", abstract: abstractAbout("forms") },
      { title: "KLASS: KL-Guided Fast Inference", abstract: abstractAbout("masked diffusion") },
      ...["Pass Rates", "Pass Counting"].map((title) => ({
        title,
        abstract: abstractAbout("passes"),
      })),
      ...Array.from({ length: 80 }, (_, i) => ({
        title: `Structural Guidance ${i + 1}`,
        abstract: abstractAbout("structural kl guidance"),
      })),
    ]);
    expect(app.suggestTitles("formneet structu")[0]?.title).toBe(
      "FormNet: Structural Encoding of Forms",
    );
    expect(app.suggestTitles("kass kl gui")[0]?.title).toBe("KLASS: KL-Guided Fast Inference");
  });
  it("offers titles for a title typed past the words a query is cut to, a name misspelt there", () => {
    // The query keeps 24 different words; "zorblaks", the 25th, had no group to be read into,
    // and reading it as the title's "zorblax" threw (autocomplete answered nothing).
    const start = Array.from({ length: 24 }, (_, i) => `word${String.fromCharCode(97 + i)}`);
    const title = `${start.join(" ")} Zorblax Engine`;
    const app = appWith([{ title, abstract: abstractAbout("engines") }]);
    expect(app.suggestTitles(`${start.join(" ")} zorblaks engi`)[0]?.title).toBe(title);
  });
  it("reads a misspelt name after a word of letters beyond the BMP (two UTF-16 units each)", () => {
    // SQLite counts characters where JavaScript counts UTF-16 units: the scan for the name
    // measured its word from one character too far, a letter short.
    const app = appWith([
      { title: "𠀀𠀁 Zorblax Engine Design", abstract: abstractAbout("engines") },
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `𠀀𠀁 Engine ${i + 1}`,
        abstract: abstractAbout("engine parts"),
      })),
    ]);
    expect(app.suggestTitles("𠀀𠀁 zorbalx engi")[0]?.title).toBe("𠀀𠀁 Zorblax Engine Design");
  });
  it("reads a misspelt word as a title's word though an acronym no title has is spelt so", () => {
    // "mamab" is a typo of "mamba", and "MAMABs" an acronym of an abstract; "linear" is
    // common enough not to be looked for alone.
    const app = appWith([
      ...Array.from({ length: 20 }, (_, i) => ({
        title: `Linear Probes ${i + 1}`,
        abstract: abstractAbout("linear probes"),
      })),
      {
        title: "Mamba: Linear-Time Sequence Modeling",
        abstract: abstractAbout("selective state spaces"),
      },
      { title: "Mamba Variants Compared", abstract: abstractAbout("state space models") },
      {
        title: "Cooperative Bandits",
        abstract:
          "We study multi agent multi armed bandits (MAMABs), where agents share arms. MAMABs learn together.",
      },
    ]);
    expect(app.suggestTitles("mamab linear")[0]?.title).toBe(
      "Mamba: Linear-Time Sequence Modeling",
    );
  });
  it("reads a misspelt name typed alone, or slipped in its first letters, as the title's", () => {
    // The name is in one paper only; many newer, shorter titles have the words after it.
    const app = appWith([
      { title: "Zorblax: Fast Engines for Graphs", abstract: abstractAbout("zorblax engines") },
      ...Array.from({ length: 80 }, (_, i) => ({
        title: `Fast Engines ${i + 1}`,
        abstract: abstractAbout("fast engines"),
      })),
    ]);
    const first = (partial: string) => app.suggestTitles(partial)[0]?.title;
    expect(first("xorblax fast eng")).toBe("Zorblax: Fast Engines for Graphs");
    expect(first("orblax fast")).toBe("Zorblax: Fast Engines for Graphs");
    expect(first("xzorblax fast")).toBe("Zorblax: Fast Engines for Graphs");
    expect(first("ozrblax fast")).toBe("Zorblax: Fast Engines for Graphs");
    // The titles with the name slipped in its first letters are looked up only when no title
    // has a name one slip from it past them.
    const lookedUp: string[] = [];
    const engine = createSearchEngine(spyingOn(app.db, "AS start CROSS JOIN", lookedUp));
    expect(engine.suggestTitles("zorbalx fast")[0]?.title).toBe("Zorblax: Fast Engines for Graphs");
    expect(lookedUp).toEqual([]);
    expect(engine.suggestTitles("xorblax fast")[0]?.title).toBe("Zorblax: Fast Engines for Graphs");
    expect(lookedUp).toHaveLength(1);
    // The word being typed, when no title starts with it: typed in full, or the start of the
    // name, a slip anywhere.
    for (const typing of ["zorblaxx", "zorbalx", "xorblax", "zrobla", "orbla"])
      expect(first(typing), typing).toBe("Zorblax: Fast Engines for Graphs");
    // The title that starts with the name read comes first, as one started by what was typed.
    const named = appWith([
      { title: "Zorb4x: Fast Engines for Graphs", abstract: abstractAbout("zorb4x engines") },
      { title: "Engines of Zorb4x", abstract: abstractAbout("engines") },
    ]);
    expect(named.suggestTitles("zorb4xx").map((s) => s.title)).toEqual([
      "Zorb4x: Fast Engines for Graphs",
      "Engines of Zorb4x",
    ]);
  });
  it("reads a misspelt name as the title's when the words typed after it skip some of its words", () => {
    // People type a paper's name and the words they remember of it, not always the next ones;
    // many newer, shorter titles have those words.
    const zorblax = "Zorblax: Efficient Tensor Rematerialization";
    const app = appWith([
      { title: zorblax, abstract: abstractAbout("memory") },
      ...Array.from({ length: 80 }, (_, i) => ({
        title: `Tensor Methods ${i + 1}`,
        abstract: abstractAbout("tensor methods"),
      })),
    ]);
    const first = (partial: string) => app.suggestTitles(partial)[0]?.title;
    expect(first("zorbalx tensor")).toBe(zorblax);
    expect(first("zorbalx tensor remat")).toBe(zorblax);
    expect(first("zorbalx t")).toBe(zorblax);
    // Slipped in its first letter too.
    expect(first("xorblax tensor")).toBe(zorblax);
  });
  it("keeps a name's title with the version glued on when the version's first digit is typed apart", () => {
    // "qwen 3" put "Qwen3 Technical Report" below titles with a word starting with "3".
    const app = appWith([
      { title: "Zorbla3 Technical Report", abstract: abstractAbout("zorbla models") },
      ...Array.from({ length: 8 }, (_, i) => ({
        title: `Zorbla Image 3.${i} Technical Report`,
        abstract: abstractAbout("zorbla images"),
      })),
    ]);
    expect(app.suggestTitles("zorbla 3")[0]?.title).toBe("Zorbla3 Technical Report");
  });
  it("reads a misspelt word as a name only of titles that have the words typed after it", () => {
    // "lamma open" was read as "gamma" (a slip in the first letter) and offered the Gamma
    // titles, none with "open"; "retinnal cod" as "regional" (two slips), of a title without "cod".
    const app = appWith([
      ...["Gamma Mixtures for Counting", "Regional Analysis of Rivers"].map((title) => ({
        title,
        abstract: abstractAbout("processes"),
      })),
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `Open Models for Population Codes ${i + 1}`,
        abstract: abstractAbout("open models"),
      })),
    ]);
    for (const partial of ["lamma open", "lamma open models", "retinnal cod", "retinnal codes"]) {
      const titles = app.suggestTitles(partial).map((s) => s.title);
      expect(titles.length, partial).toBeGreaterThan(0);
      expect(
        titles.filter((t) => !t.startsWith("Open Models")),
        partial,
      ).toEqual([]);
    }
  });
  it("looks for the word being typed when no title has every word, though it is one slip from a word", () => {
    // "transforme" is one letter short of "transformer": read as a typo, it was left out, and
    // only the Zorblax title was offered until the word was typed whole.
    const app = appWith([
      { title: "Zorblax: Fast Engines for Graphs", abstract: abstractAbout("zorblax engines") },
      ...["Transformer Circuits", "Transformer Memory"].map((title) => ({
        title,
        abstract: abstractAbout("attention"),
      })),
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `Open Models for Population Codes ${i + 1}`,
        abstract: abstractAbout("open models"),
      })),
    ]);
    for (const partial of ["zorblax transforme", "zorblax transformer"]) {
      const titles = app.suggestTitles(partial).map((s) => s.title);
      expect(titles.sort(), partial).toEqual([
        "Transformer Circuits",
        "Transformer Memory",
        "Zorblax: Fast Engines for Graphs",
      ]);
    }
  });
  it("reads a name typed with its version glued to it as the title has them, apart", () => {
    const app = appWith([
      { title: "Zorbla 3 Technical Report", abstract: abstractAbout("zorbla models") },
      { title: "Quux 2.5: Pushing the Frontier", abstract: abstractAbout("quux models") },
      { title: "Zorbla3 Agents", abstract: abstractAbout("zorbla agents") },
      ...Array.from({ length: 80 }, (_, i) => ({
        title: `Technical Report on Pushing ${i + 1}`,
        abstract: abstractAbout("technical reports"),
      })),
    ]);
    const suggested = (partial: string) => app.suggestTitles(partial).map((s) => s.title);
    expect(suggested("zorbla3 tech")[0]).toBe("Zorbla 3 Technical Report");
    expect(suggested("quux2.5 pus")[0]).toBe("Quux 2.5: Pushing the Frontier");
    // The glued name of another title is still offered.
    expect(suggested("zorbla3").sort()).toEqual(["Zorbla 3 Technical Report", "Zorbla3 Agents"]);
  });
  it("offers the title a name starts while the name is typed in two words", () => {
    // "long rope" offered nothing of "LongRoPE2: …" at 41k, nor "tiny lla" "TinyLLaVA-Video-R1":
    // the index has the name as one word, and the second word starts none of its camel parts.
    const app = appWith([
      { title: "TinyWoMBat: Small Burrowing Models", abstract: abstractAbout("burrows") },
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `Tiny Models for Dens ${i + 1}`,
        abstract: abstractAbout("wombat dens"),
      })),
    ]);
    for (const partial of ["tiny wo", "tiny womb", "tiny wombat", "tiny wombat sma"])
      expect(app.suggestTitles(partial)[0]?.title, partial).toBe(
        "TinyWoMBat: Small Burrowing Models",
      );
  });
  it("finds the misspelt name among many titles that start with its letter and the words after", () => {
    // More titles than are scanned start with "e" and continue " an…", all before "erfact".
    const app = appWith([
      ...Array.from({ length: 210 }, (_, i) => ({
        title: `Eaglet${i + 1} Analysis of Birds`,
        abstract: abstractAbout("birds"),
      })),
      { title: "ErfAct and Pserf: Activation Functions", abstract: abstractAbout("activations") },
    ]);
    expect(app.suggestTitles("efract an")[0]?.title).toBe("ErfAct and Pserf: Activation Functions");
  });
  it("looks up a word's first letter in the titles' starts, not as a prefix of every word", () => {
    const app = appWith([
      { title: "Graph Neural Networks", abstract: abstractAbout("graphs") },
      { title: "Towards a Theory of Graphs", abstract: abstractAbout("graph theory") },
      { title: "Networks of Graphs", abstract: abstractAbout("networks") },
    ]);
    // The title-word queries autocomplete makes: a one-letter prefix ("n"*) matches most
    // words of a large archive and took 5-13 ms.
    const matched: string[] = [];
    const engine = createSearchEngine(spyingOn(app.db, "bm25(titles_fts)", matched));
    expect(engine.suggestTitles("graph n")[0]?.title).toBe("Graph Neural Networks");
    expect(engine.suggestTitles("towards a")[0]?.title).toBe("Towards a Theory of Graphs");
    expect(engine.suggestTitles("n")[0]?.title).toBe("Networks of Graphs");
    expect(matched.filter((expression) => /"\w"\*/.test(expression))).toEqual([]);
    expect(engine.suggestTitles("graph ne")[0]?.title).toBe("Graph Neural Networks");
    expect(matched.some((expression) => expression.includes('"ne"*'))).toBe(true);
  });
  it("keeps offering a title when the first letter of a word further on in it is typed", () => {
    // The wanted title is the oldest and the longest of the many with the words typed; only the
    // letter typed next sets it apart.
    const oversmoothing = "Graph Neural Networks with Proper Weights Can Escape Oversmoothing";
    const app = appWith([
      { title: oversmoothing, abstract: abstractAbout("oversmoothing") },
      ...Array.from({ length: 80 }, (_, i) => ({
        title: `Sparse Graph Neural Networks ${i + 1}`,
        abstract: abstractAbout("graph neural networks"),
      })),
    ]);
    const first = (partial: string) => app.suggestTitles(partial)[0]?.title;
    expect(first("graph neural networks")).toBe(oversmoothing);
    expect(first("graph neural networks e")).toBe(oversmoothing);
    expect(first("graph neural networks es")).toBe(oversmoothing);
  });
  it("takes a title for started when its word is another spelling of the last word typed", () => {
    const app = appWith([
      { title: "Recurrent Batch Normalization", abstract: abstractAbout("recurrent networks") },
      {
        title: "Batch Normalization: Accelerating Deep Network Training",
        abstract: abstractAbout("covariate shift"),
      },
      { title: "Post Hoc Calibration", abstract: abstractAbout("calibration") },
      { title: "Posterior Sampling Methods", abstract: abstractAbout("posteriors") },
    ]);
    expect(app.suggestTitles("batch normalisation")[0]?.title).toBe(
      "Batch Normalization: Accelerating Deep Network Training",
    );
    // A shorter form of a word half typed is another word.
    expect(app.suggestTitles("poste")[0]?.title).toBe("Posterior Sampling Methods");
  });

  it("takes a title for started when its word is what the last word typed misspelt reads as", () => {
    // "chinchila" put "Skaling: Chinchilla's Exponents…" before "Chinchilla Scaling…" at 41k.
    const started = "Chinchilla Scaling: A Replication Attempt";
    const app = appWith([
      { title: "Skaling: Chinchilla's Exponents", abstract: abstractAbout("scaling laws") },
      { title: started, abstract: abstractAbout("scaling laws") },
      { title: "Wombat Herding at Scale", abstract: abstractAbout("wombat herding") },
      { title: "Herding Wombats", abstract: abstractAbout("wombats") },
      { title: "Wombat Herdings at Scale", abstract: abstractAbout("wombat herdings") },
      { title: "Herdings of Wombats", abstract: abstractAbout("wombats") },
    ]);
    for (const [typed, title] of [
      ["chinchila", started],
      ["chinchlila", started],
      ["wombat herdnig", "Wombat Herding at Scale"],
      // A letter typed twice: the correction is a letter shorter.
      ["wombat herddings", "Wombat Herdings at Scale"],
    ]) {
      expect(app.suggestTitles(typed as string)[0]?.title, typed).toBe(title);
    }
  });
  it("reads a word typed on past a slip as the start of the words it slipped from", () => {
    // "reinforcment learning with itrinsi" did not offer "Reinforcement Learning with
    // Intrinsically Motivated…" at 41k: "itrinsi" was read as "intrinsic" (two slips), and the
    // first word's four readings as typed crowded out the title starts read as corrected.
    // Many newer, shorter titles have the words (better bm25 matches): the title they start
    // is found by its start, which two misspelt words make nine ways to read.
    const meant = "Wombat Herding with Intrinsically Motivated Koalas";
    const app = appWith([
      { title: meant, abstract: abstractAbout("koala motivation") },
      { title: "Wombat Herding in Intrinsic Terms", abstract: abstractAbout("wombat herding") },
      { title: "Herding Wombats", abstract: abstractAbout("wombats") },
      { title: "Wombat Herdings at Scale", abstract: abstractAbout("wombat herdings") },
      ...Array.from({ length: 80 }, (_, i) => ({
        title: `Intrinsic Wombat Herding ${i + 1}`,
        abstract: abstractAbout("wombat herding"),
      })),
    ]);
    for (const typed of ["wombat herding with itrinsi", "wombta herdnig with itrinsi", "itrinsica"])
      expect(app.suggestTitles(typed)[0]?.title, typed).toBe(meant);
  });

  it("reads a word of four letters typed on past a slip as the start it slipped from", () => {
    // "a framework for indv" put "MIND-V: …" first at 41k, "indv" read as "mindv" and "indi",
    // and "A Framework for Individualizing…" 4th.
    const meant = "A Framework for Individualizing Koala Diets";
    const app = appWith([
      { title: meant, abstract: abstractAbout("koala diets") },
      { title: "MIND-V: Framework Videos", abstract: abstractAbout("framework videos") },
      { title: "Indi Notes", abstract: abstractAbout("indi notes") },
    ]);
    expect(app.suggestTitles("a framework for indv")[0]?.title).toBe(meant);
  });

  it("offers the titles the words before the last start, when no title starts with all typed", () => {
    // "learning neural networks with spare" offered nothing of "Learning Neural Networks with
    // Sparse Activations" at 41k: "spare" is a word of its own, no title has every word, and
    // the titles with some of them are many.
    const meant = "Wombat Herding with Sparse Koalas";
    const app = appWith([
      { title: meant, abstract: abstractAbout("koala herds") },
      { title: "Spare Parts for Koalas", abstract: abstractAbout("spare parts") },
      ...Array.from({ length: 80 }, (_, i) => ({
        title: `Notes on Wombat Herding ${i + 1}`,
        abstract: abstractAbout("wombat herding"),
      })),
    ]);
    expect(app.suggestTitles("wombat herding with spare")[0]?.title).toBe(meant);
  });

  it("reads a word being typed in its other spelling, as words of the archive, after it as typed", () => {
    // Each spelling is a word of two papers; "optimism" and "optimistic" start with "optimis" too.
    const britishStart = "Bayesian Optimisation under Noise";
    const britishRun = "Fast Bayesian Optimisation of Kernels";
    const americanStart = "Bayesian Optimization of Engines";
    const app = appWith([
      { title: britishStart, abstract: abstractAbout("noise") },
      { title: britishRun, abstract: abstractAbout("kernels") },
      { title: americanStart, abstract: abstractAbout("engines") },
      { title: "Optimization of Wombat Herding", abstract: abstractAbout("herding") },
      { title: "Optimism in the Face of Wombats", abstract: abstractAbout("wombats") },
      { title: "Optimistic Planning for Koalas", abstract: abstractAbout("koalas") },
    ]);
    const titles = (partial: string) => app.suggestTitles(partial).map((s) => s.title);
    // Typed British, the American title was not offered until "optimisation" was complete; it
    // comes after those spelt as typed, started or run so.
    for (let end = "optimis".length; end < "optimisation".length; end++) {
      const partial = `bayesian ${"optimisation".slice(0, end)}`;
      expect(titles(partial), partial).toEqual([britishStart, britishRun, americanStart]);
    }
    for (let end = "optimiz".length; end < "optimization".length; end++) {
      const partial = `bayesian ${"optimization".slice(0, end)}`;
      expect(titles(partial), partial).toEqual([americanStart, britishStart, britishRun]);
    }
    // Read from whole words, "optimiz" is never "optimis", of "optimism" and "optimistic".
    expect(titles("optimiz")).not.toContain("Optimism in the Face of Wombats");
    expect(titles("optimiz")).not.toContain("Optimistic Planning for Koalas");
    expect(titles("optimis").slice(0, 2).sort()).toEqual([
      "Optimism in the Face of Wombats",
      "Optimistic Planning for Koalas",
    ]);
  });
  it("reads a word being typed as words of the other spelling the archive lacks in its own", () => {
    // "minimizers" is a word of two papers; no paper has "minimisers", nor a word "minimis"
    // begins whose other spelling it is. Shorter titles have the words before it.
    const minimizers = "Gradient Descent Converges to Minimizers";
    const app = appWith([
      { title: minimizers, abstract: abstractAbout("saddle points") },
      { title: "Finding Local Minimizers Fast", abstract: abstractAbout("local search") },
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `Sampling Converges ${i + 1}`,
        abstract: abstractAbout("sampling that converges to a mode"),
      })),
    ]);
    for (let end = "minimis".length; end <= "minimisers".length; end++) {
      const partial = `converges to ${"minimisers".slice(0, end)}`;
      expect(app.suggestTitles(partial)[0]?.title, partial).toBe(minimizers);
    }
  });
  it("puts a title found in the other spelling alone after those found as typed", () => {
    // Typed glued, the word is no word of the titles: neither is started or run as typed, and
    // the short title in the other spelling matched as closely.
    const typed = "Partition Functions from Rao-Blackwellized Tempered Sampling Estimates";
    const app = appWith([
      { title: typed, abstract: abstractAbout("tempered sampling") },
      { title: "Rao-Blackwellized Gradients", abstract: abstractAbout("gradients") },
      { title: "Rao-Blackwellised MCMC", abstract: abstractAbout("mcmc") },
      { title: "Rao-Blackwellised Filters", abstract: abstractAbout("filters") },
    ]);
    expect(app.suggestTitles("raoblackwelliz").map((s) => s.title)).toEqual([
      "Rao-Blackwellized Gradients",
      typed,
      "Rao-Blackwellised MCMC",
      "Rao-Blackwellised Filters",
    ]);
  });
});

describe("autocomplete of words typed from inside a title, on a hand-made archive", () => {
  /** Short titles having the words apart, which rank above a long one having them in a row. */
  const scattered = Array.from({ length: 6 }, (_, i) => ({
    title: `Human Reinforcement Learning ${i + 1}`,
    abstract: abstractAbout("human reinforcement learning"),
  }));
  const rlhf = "Scaling Trends and Effects in Reinforcement Learning from Human Feedback";

  it("puts the titles the words typed are a run of after those they start, before the others", () => {
    const app = appWith([...scattered, { title: rlhf, abstract: abstractAbout("feedback") }]);
    expect(app.suggestTitles("reinforcement learning from hum")[0]?.title).toBe(rlhf);
    // Titles it starts still come first.
    const starting = "Reinforcement Learning from Human Play";
    const both = appWith([
      ...scattered,
      { title: rlhf, abstract: abstractAbout("feedback") },
      { title: starting, abstract: abstractAbout("play") },
    ]);
    expect(both.suggestTitles("reinforcement learning from hum").map((s) => s.title)).toEqual([
      starting,
      rlhf,
      ...scattered.map((entry) => entry.title),
    ]);
  });
});

describe("autocomplete of a title typed from its start with words skipped, on a hand-made archive", () => {
  // "encoding s…" for "Encoding Lexico-Semantic Knowledge…", its second word left out: the title
  // was ranked among the many with "encoding" and a word "s" starts, and left the list it was
  // in for "encoding", to come back a keystroke or two on.
  const meant = "Encoding Wombat Burrow Semantics with Koalas";
  const scattered = Array.from({ length: 30 }, (_, i) => ({
    title: `Semantics of Encoding ${i + 1}`,
    abstract: abstractAbout("semantics of encoding"),
  }));

  it("puts it before the titles that merely have the words typed", () => {
    const app = appWith([...scattered, { title: meant, abstract: abstractAbout("burrows") }]);
    for (const typed of [
      "encoding s",
      "encoding sem",
      "encoding semantics k",
      "encoding burrow ko",
    ])
      expect(app.suggestTitles(typed)[0]?.title, typed).toBe(meant);
  });

  it("puts it after the titles the words typed start or are a run of", () => {
    const starting = "Encoding Semantics in Burrows";
    const run = "Koala Encoding Semantics";
    const both = appWith([
      ...scattered,
      { title: meant, abstract: abstractAbout("burrows") },
      { title: starting, abstract: abstractAbout("burrows") },
      { title: run, abstract: abstractAbout("koalas") },
    ]);
    expect(
      both
        .suggestTitles("encoding sem")
        .slice(0, 3)
        .map((s) => s.title),
    ).toEqual([starting, run, meant]);
  });
});

describe("a title searched with a slip into another word, on a hand-made archive", () => {
  // "casual discovery" for "Causal discovery with…": "casual" is a word of its own, taken as
  // typed, and no title has it with "discovery"; the titles with one of them were offered
  // ("Family Discovery" first at 41k), and the title only once "scale mixt" was typed.
  const meant = "Causal Discovery with Wombat Mixtures";
  const entries = [
    { title: meant, abstract: abstractAbout("causal discovery") },
    // A word of a few papers is read as a typo too (its `typoReadings`); of more, not.
    ...Array.from({ length: 5 }, (_, i) => ({
      title: `Casual Koala Photographs ${i + 1}`,
      abstract: abstractAbout("casual photographs"),
    })),
    ...Array.from({ length: 100 }, (_, i) => ({
      title: `Causal Burrows ${i + 1}`,
      abstract: abstractAbout("causal burrows"),
    })),
    ...Array.from({ length: 30 }, (_, i) => ({
      title: `Discovery of Koalas ${i + 1}`,
      abstract: abstractAbout("discovery of koalas"),
    })),
  ];

  it("reads it as the much commoner word one slip from it, when no title has every word", () => {
    const app = appWith(entries);
    for (const typed of ["casual discovery", "casual discovery w", "casual discovery with wom"])
      expect(app.suggestTitles(typed)[0]?.title, typed).toBe(meant);
  });

  it("takes it as typed when a title has every word so", () => {
    const app = appWith(entries);
    expect(app.suggestTitles("casual koala")[0]?.title).toBe("Casual Koala Photographs 1");
  });

  it("is found by /search too, the word as typed still matching more", () => {
    const app = appWith(entries);
    const slipped = app.search("casual discovery");
    expect(slipped.hits[0]?.title).toBe(meant);
    // Said as a correction is: the title found has "Causal" where "casual" was typed.
    expect(slipped.corrections).toEqual([{ from: "casual", to: ["causal"] }]);
    const asTyped = app.search("casual koala photographs");
    expect(asTyped.hits[0]?.title).toMatch(/^Casual Koala/);
    expect(asTyped.corrections).toEqual([]);
    // A word alone is no slip: the archive has it.
    expect(app.search("casual").hits[0]?.title).toMatch(/^Casual Koala/);
  });

  it("takes a word in quotes as typed, not as the slip", () => {
    const app = appWith(entries);
    const kept = app.search('"casual" discovery');
    expect(kept.corrections).toEqual([]);
    expect(kept.hits.map((hit) => hit.title)).not.toContain(meant);
    expect(app.suggestTitles('"casual" discovery')[0]?.title).not.toBe(meant);
  });
});

/**
 * `db`, noting in `matched` the first argument each statement whose SQL has `part` is run
 * with (`all`): the FTS5 expressions of title matches with bm25, say.
 */
function spyingOn(db: Db, part: string, matched: string[]): Db {
  return new Proxy(db, {
    get(target, key) {
      if (key !== "prepare") return Reflect.get(target, key, target);
      return (sql: string) => {
        const statement = target.prepare(sql);
        if (!sql.includes(part)) return statement;
        const spied: typeof statement = new Proxy(statement, {
          get(inner, name) {
            const value = Reflect.get(inner, name, inner);
            if (typeof value !== "function") return value;
            return (...args: unknown[]) => {
              if (name === "all") matched.push(String(args[0]));
              // `pluck()` and the like give the statement back: still spied on.
              const result = value.apply(inner, args);
              return result === inner ? spied : result;
            };
          },
        });
        return spied;
      };
    },
  });
}

describe("a word in another of its forms, on a hand-made archive", () => {
  const app = () =>
    appWith([
      {
        title: "Structured Pruning of Burrow Networks",
        abstract: abstractAbout("burrow networks"),
      },
      {
        title: "Burrow Networks at Scale",
        abstract: `${abstractAbout("burrow networks")} Nothing was pruned.`,
      },
      { title: "Learning Burrow Maps from Samples", abstract: abstractAbout("burrow maps") },
      {
        title: "Sampled Learning of Burrow Maps",
        abstract: abstractAbout("burrow maps from samples, samples and more samples"),
      },
    ]);

  it("finds it as the verb's other forms: -ed, -ing, plain", () => {
    const hit = app().search("pruned burrow networks").hits[0];
    expect(hit?.title).toBe("Structured Pruning of Burrow Networks");
    expect(slices(hit?.title ?? "", hit?.titleRanges ?? [])).toEqual([
      "Pruning",
      "Burrow",
      "Networks",
    ]);
  });

  it("takes a plural in -es only of a word ending in a hissing sound", () => {
    // "shap" (SHAP) was read as "shapes" too, and 40 titles with it came first at 41k.
    // In more papers than a word taken for a typo too is (`rareWord`).
    const explained = [
      "Wombat Predictions",
      "Koala Forecasts",
      "Quokka Estimates",
      "Numbat Guesses",
    ];
    const archive = appWith([
      { title: "Wombat Shapes in Burrows", abstract: abstractAbout("burrow shapes") },
      { title: "Gates of Koala Trees", abstract: abstractAbout("tree gates") },
      ...explained.map((title) => ({
        title,
        abstract: `${abstractAbout(title.toLowerCase())} We explain them with SHAP and GAT.`,
      })),
      { title: "Wombat Boxes", abstract: abstractAbout("wombat boxes") },
    ]);
    for (const query of ["shap", "gat"])
      expect(
        archive
          .search(query)
          .hits.map((hit) => hit.title)
          .sort(),
        query,
      ).toEqual(explained.toSorted());
    expect(archive.search("wombat box").hits[0]?.title).toBe("Wombat Boxes");
  });

  it("finds them for a word ending in s that is no plural", () => {
    const archive = appWith([
      { title: "Focusing Wombat Attention", abstract: abstractAbout("burrow maps") },
      { title: "Wombat Attention at Scale", abstract: `${abstractAbout("attention")} In focus.` },
      // A stray "focu", as the 41k corpus has: "focus" still is no plural of it.
      { title: "Koala Notes", abstract: `${abstractAbout("koalas")} Focu.` },
    ]);
    expect(archive.search("focus wombat attention").hits[0]?.title).toBe(
      "Focusing Wombat Attention",
    );
  });

  it("finds them in the other spelling too: British -ised, -lled as American -izing, -ling", () => {
    const archive = appWith([
      { title: "Quantizing Wombat Burrows", abstract: abstractAbout("burrow maps") },
      { title: "Wombat Burrows at Scale", abstract: `${abstractAbout("burrows")} Quantised.` },
      { title: "Modeling Koala Trees", abstract: abstractAbout("tree maps") },
      { title: "Koala Trees at Scale", abstract: `${abstractAbout("trees")} Modelled.` },
    ]);
    expect(archive.search("quantised wombat burrows").hits[0]?.title).toBe(
      "Quantizing Wombat Burrows",
    );
    expect(archive.search("modelled koala trees").hits[0]?.title).toBe("Modeling Koala Trees");
  });

  it("finds a verb as its noun in -ation and the other way round: -ize, -ify, -ate", () => {
    // Each shorter title has the word as typed in its abstract only.
    const archive = appWith([
      { title: "Regularization of Wombat Burrows", abstract: abstractAbout("burrow maps") },
      { title: "Wombat Burrows", abstract: abstractAbout("regularizing burrows") },
      { title: "Classifying Koala Trees", abstract: abstractAbout("tree maps") },
      { title: "Koala Trees", abstract: abstractAbout("tree classification") },
      { title: "Estimating Emu Nests", abstract: abstractAbout("nest maps") },
      { title: "Emu Nests", abstract: abstractAbout("nest estimation") },
    ]);
    const first = (query: string) => archive.search(query).hits[0]?.title;
    expect(first("regularizing wombat burrows")).toBe("Regularization of Wombat Burrows");
    expect(first("koala tree classification")).toBe("Classifying Koala Trees");
    expect(first("emu nest estimation")).toBe("Estimating Emu Nests");
  });

  it("finds a verb as its noun in -ion and the other way round: -nt, -apt, -ct, -ss", () => {
    // Each shorter title has the word as typed in its abstract only.
    const archive = appWith([
      { title: "Implementation of Wombat Burrows", abstract: abstractAbout("burrow maps") },
      { title: "Wombat Burrows", abstract: abstractAbout("implementing burrows") },
      { title: "Adapting Quoll Dens", abstract: abstractAbout("den maps") },
      { title: "Quoll Dens", abstract: abstractAbout("den adaptation") },
      { title: "Detecting Koala Trees", abstract: abstractAbout("tree maps") },
      { title: "Koala Trees", abstract: abstractAbout("tree detection") },
      { title: "Compression of Emu Nests", abstract: abstractAbout("nest maps") },
      { title: "Emu Nests", abstract: abstractAbout("compressing nests") },
    ]);
    const first = (query: string) => archive.search(query).hits[0]?.title;
    expect(first("implementing wombat burrows")).toBe("Implementation of Wombat Burrows");
    expect(first("quoll den adaptation")).toBe("Adapting Quoll Dens");
    expect(first("koala tree detection")).toBe("Detecting Koala Trees");
    expect(first("compressing emu nests")).toBe("Compression of Emu Nests");
  });

  it("reads no noun in -duction as a word in -duct, nor a short one in -ction as its start", () => {
    const archive = appWith([
      { title: "Production of Wombat Burrows", abstract: abstractAbout("burrow maps") },
      { title: "Wombat Burrows", abstract: abstractAbout("burrows of a new product") },
      { title: "Action in Koala Trees", abstract: abstractAbout("tree maps") },
      { title: "Koala Trees", abstract: abstractAbout("trees where koalas act") },
    ]);
    const matched = (query: string, start: string) =>
      archive.search(query).hits.find((hit) => hit.title.startsWith(start))?.matchedWords;
    expect(matched("wombat burrows product", "Production")).toEqual(["wombat", "burrows"]);
    expect(matched("koala trees act", "Action")).toEqual(["koala", "trees"]);
  });

  it("finds an adjective in -ic as in -ical, and the other way round", () => {
    // Many papers have every word as typed, the one meant among none of them.
    const archive = appWith([
      {
        title: "Supervised Learning for Analytical Wombat Systems",
        abstract: abstractAbout("burrow maps"),
      },
      { title: "Geometric Koala Trees", abstract: abstractAbout("tree maps") },
      ...Array.from({ length: 70 }, (_, i) => ({
        title: `Wombat Burrows and Koala Trees, Part ${i + 1}`,
        abstract: abstractAbout(
          "supervised learning of analytic wombat systems, and geometrical koala trees",
        ),
      })),
    ]);
    const first = (query: string) => archive.search(query).hits[0]?.title;
    expect(first("supervised learning analytic wombat systems")).toBe(
      "Supervised Learning for Analytical Wombat Systems",
    );
    expect(first("geometrical koala trees")).toBe("Geometric Koala Trees");
  });

  it("reads no adjective in -ical as a short word in -ic: a noun of its own", () => {
    const archive = appWith([
      { title: "Wombat Burrows", abstract: abstractAbout("critical burrows") },
      { title: "Koala Trees", abstract: abstractAbout("tree critics") },
    ]);
    const hits = archive.search("critic wombat burrows").hits;
    expect(hits.find((hit) => hit.title === "Wombat Burrows")?.matchedWords).toEqual([
      "wombat",
      "burrows",
    ]);
  });

  it("reads no -ic word with a sense of its own as in -ical, nor the other way round", () => {
    const archive = appWith([
      { title: "Wombat Burrows", abstract: abstractAbout("statistical burrows") },
      { title: "Koala Trees", abstract: abstractAbout("economic trees") },
      { title: "Analytical Wombat Burrows", abstract: abstractAbout("burrow maps") },
      { title: "Koala Nests", abstract: abstractAbout("dynamic nests") },
    ]);
    const matched = (query: string, title: string) =>
      archive.search(query).hits.find((hit) => hit.title === title)?.matchedWords;
    // "a test statistic" is no "statistical …"; "economical" is cheap, not of the economy.
    expect(matched("statistic wombat burrows", "Wombat Burrows")).toEqual(["wombat", "burrows"]);
    expect(matched("economical koala trees", "Koala Trees")).toEqual(["koala", "trees"]);
    // "dynamic" batching or graphs are no "dynamical" systems.
    expect(matched("dynamical koala nests", "Koala Nests")).toEqual(["koala", "nests"]);
    // Adjectives that say the same still are one.
    expect(matched("analytic wombat burrows", "Analytical Wombat Burrows")).toEqual([
      "analytic",
      "wombat",
      "burrows",
    ]);
  });

  it("reads no noun in -ation as the word it starts with", () => {
    const archive = appWith([
      { title: "Formation of Wombat Burrows", abstract: abstractAbout("burrow maps") },
      { title: "Wombat Burrows", abstract: abstractAbout("burrows in a new format") },
    ]);
    // "formation" is no noun of "format": it matches none of the query's words.
    const formation = archive
      .search("wombat burrows format")
      .hits.find((hit) => hit.title.startsWith("Formation"));
    expect(formation?.matchedWords).toEqual(["wombat", "burrows"]);
  });

  /** Burrows at dusk, whose abstract is `duskAbstract`, and at dawn, far more upvoted. */
  const burrowsAtDuskAndDawn = (duskAbstract: string) => [
    { title: "Wombat Burrows at Dusk", abstract: duskAbstract },
    {
      title: "Wombat Burrows at Dawn",
      abstract: "Wombat burrows are used at dawn.",
      details: ["• 2 authors", "·", "Mar 1, 2025 900"],
    },
  ];

  it("finds an adverb as its adjective: -ly", () => {
    const archive = appWith(
      burrowsAtDuskAndDawn("Wombat burrows see a sharp rise in use at dusk."),
    );
    const [hit] = archive.search("wombat burrows sharply").hits;
    expect(hit?.title).toBe("Wombat Burrows at Dusk");
    expect(hit?.matchedWords).toContain("sharply");
    expect(slices(hit?.abstract ?? "", hit?.abstractRanges ?? [])).toContain("sharp");
  });

  it("finds an adjective in -ical as its adverb: no plural of its -ic", () => {
    const archive = appWith([
      ...burrowsAtDuskAndDawn("Wombat burrows are solved analytically at dusk."),
      // The archive has "analytic": "analytical" is read as it too, not as its plural.
      { title: "Koala Trees", abstract: "Analytic koala trees." },
    ]);
    const [hit] = archive.search("analytical wombat burrows").hits;
    expect(hit?.title).toBe("Wombat Burrows at Dusk");
    expect(hit?.matchedWords).toContain("analytical");
  });

  it("puts the title with the word as typed above one with another of its forms", () => {
    expect(app().search("burrow maps learning samples").hits[0]?.title).toBe(
      "Learning Burrow Maps from Samples",
    );
  });

  it("finds a paper that has a word only in another form when few have it as typed", () => {
    // Wombat networks are in a quarter of the papers: those with only some of the words are
    // looked for by "tensorized" alone, which the paper meant lacks.
    const archive = appWith([
      { title: "Tensorizing Wombat Networks", abstract: abstractAbout("wombat networks") },
      { title: "Tensorized Koala Trees", abstract: abstractAbout("koala trees, wombat networks") },
      ...["Burrows", "Tunnels", "Dens", "Nests"].map((place) => ({
        title: `Wombat Networks in ${place}`,
        abstract: abstractAbout("wombat networks"),
      })),
      ...Array.from({ length: 18 }, (_, i) => ({
        title: `Koala Trees, Part ${i + 1}`,
        abstract: abstractAbout("koala trees"),
      })),
    ]);
    expect(archive.search("tensorized wombat networks").hits[0]?.title).toBe(
      "Tensorizing Wombat Networks",
    );
  });
});

describe("Greek letters, on a hand-made archive", () => {
  it("are found by their names, alone or glued to a word, and the other way round", () => {
    const app = appWith([
      { title: "δ-mem: Efficient Online Memory", abstract: abstractAbout("agent memory") },
      { title: "Sparse Delta Memory Networks", abstract: abstractAbout("linear recurrences") },
      { title: "αDepth: Soft Boundaries", abstract: abstractAbout("depth estimation") },
      { title: "Pi Day Estimates", abstract: abstractAbout("circle constants") },
    ]);
    expect(app.suggestTitles("delta-mem")[0]?.title).toBe("δ-mem: Efficient Online Memory");
    expect(app.search("delta mem").hits[0]?.title).toBe("δ-mem: Efficient Online Memory");
    expect(app.search("alphadepth").hits.map((hit) => hit.title)).toEqual([
      "αDepth: Soft Boundaries",
    ]);
    expect(app.search("π day").hits[0]?.title).toBe("Pi Day Estimates");
  });
});

describe("accented words in an abstract, on a hand-made archive", () => {
  it("are matches there, found as the index reads them and highlighted as written", () => {
    // The index reads "Fréchet" as "frechet", so the search found these papers, yet the
    // abstract's word was neither counted nor bold, and "matched in" said "title".
    const app = appWith([
      {
        title: "Fréchet Koala Distances",
        abstract: `Fréchet distances. ${abstractAbout("koalas")}`,
      },
      {
        title: "Wombat Bridges",
        abstract: `The Schrödinger bridge of ${abstractAbout("wombats")}`,
      },
    ]);
    const [frechet] = app.search("frechet").hits;
    expect(frechet?.matchedIn).toBe("both");
    expect(slices(frechet?.abstract ?? "", frechet?.abstractRanges ?? [])).toEqual(["Fréchet"]);
    const [bridge] = app.search("schrödinger", { field: "abstract" }).hits;
    expect(bridge?.matchedWords).toEqual(["schrodinger"]);
    expect(slices(bridge?.abstract ?? "", bridge?.abstractRanges ?? [])).toEqual(["Schrödinger"]);
  });
});

describe("a word glued into a longer abstract word, on a hand-made archive", () => {
  it("is shown where the search found it, a camel part of the word", () => {
    // "cuboid" found sharpDARTS by its "HyperCuboid" and showed the abstract's start, nothing
    // of the query, as "matched in abstract"; "alpaca" said "matched in title" of a paper whose
    // abstract says "AlpacaEval" over and over.
    const app = appWith([
      {
        title: "Faster Architecture Search",
        abstract: `${abstractAbout("architecture search")} We add the HyperCuboid search space.`,
      },
      {
        title: "Length-Controlled AlpacaEval",
        abstract: `We debias AlpacaEval. ${abstractAbout("evaluators")}`,
      },
    ]);
    const [cuboid] = app.search("cuboid").hits;
    expect(cuboid?.matchedIn).toBe("abstract");
    expect(slices(cuboid?.abstract ?? "", cuboid?.abstractRanges ?? [])).toEqual(["Cuboid"]);
    const [alpaca] = app.search("alpaca").hits;
    expect(alpaca?.matchedIn).toBe("both");
    expect(slices(alpaca?.abstract ?? "", alpaca?.abstractRanges ?? [])).toEqual(["Alpaca"]);
  });
});

describe("acronyms the archive defines", () => {
  it.each([
    ["graph neural networks (GNNs)", "gnn", "graph neural networks"],
    ["a mixture of experts (MoE) layer", "moe", "mixture of experts"],
    ["we train a variational autoencoder (VAE) on", "vae", "variational autoencoder"],
    ["the vision transformer (ViT) is", "vit", "vision transformer"],
    ["low-rank adaptation (LoRA) adapters", "lora", "low rank adaptation"],
    ["neural radiance fields (NeRF)", "nerf", "neural radiance fields"],
    ["a multilayer perceptron (MLP)", "mlp", "multilayer perceptron"],
    ["learning from human feedback (RLHF)", undefined, undefined],
    [
      "reinforcement learning from human feedback (RLHF)",
      "rlhf",
      "reinforcement learning from human feedback",
    ],
    ["we use it (IT) here", undefined, undefined],
    ["a method (AB) that", undefined, undefined],
  ])("%s", (text, acronym, expansion) => {
    expect(findAcronymDefinitions(text)).toEqual(acronym ? [{ acronym, expansion }] : []);
  });

  it("are found for the words typed in the plural, and in the plural themselves", () => {
    const app = appWith([
      { title: "Shared LoRAs for Wombat Burrows", abstract: abstractAbout("burrow adapters") },
      { title: "Koala Adapters", abstract: "We tune koalas with low-rank adaptation (LoRA)." },
      // Enough papers with every word as typed that no paper with some of them is looked for.
      ...Array.from({ length: 20 }, (_, i) => ({
        title: `Wombat Burrows ${i + 1}`,
        abstract: abstractAbout("low-rank adaptations of burrows"),
      })),
    ]);
    const [hit] = app.search("low rank adaptations wombat burrows").hits;
    expect(hit?.title).toBe("Shared LoRAs for Wombat Burrows");
    expect(hit?.matchedWords).toEqual(["low", "rank", "adaptations", "wombat", "burrows"]);
    expect(slices(hit?.title ?? "", hit?.titleRanges ?? [])).toContain("LoRAs");
  });

  it("are read for a name typed in the singular that the archive defines in the plural only", () => {
    // "Generative Flow Networks (GFlowNets)" is kept as written: "gflownet pretraining" did not
    // read as "Pre-Training and Fine-Tuning Generative Flow Networks" (titles with GFlowNets
    // and no pre-training first).
    const app = appWith([
      {
        title: "Pre-Training and Fine-Tuning Wombat Koala Networks",
        abstract: "Wombat Koala Networks (WomKoNets) sample burrows; we pre-train them.",
      },
      ...Array.from({ length: 3 }, (_, i) => ({
        title: `Burrowing WomKoNets ${i + 1}`,
        abstract: "Wombat Koala Networks (WomKoNets) sample burrows.",
      })),
      // Pre-training is common: the name says more.
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `Pre-Training Dingoes ${i + 1}`,
        abstract: abstractAbout("dingo pre-training"),
      })),
    ]);
    expect(app.search("womkonet pretraining").hits[0]?.title).toBe(
      "Pre-Training and Fine-Tuning Wombat Koala Networks",
    );
  });

  it("are not read for a word whose acronym with an s is no plural of it, nor for a letter", () => {
    // At 41k "bad" read as BADS, Bayesian Adaptive Direct Search (the "s" a word's), and "c"
    // as CS, compressed sensing (second for "c compiler"): a letter has no plural.
    const definedIn = (definition: string) =>
      Array.from({ length: 2 }, (_, i) => ({
        title: `Koala Studies ${definition} ${i + 1}`,
        abstract: `We tune koalas with ${definition}.`,
      }));
    const app = appWith([
      ...definedIn("bayesian adaptive direct search (BADS)"),
      ...definedIn("compressed sensors (CS)"),
      { title: "Bad Wombat Learning", abstract: abstractAbout("bad wombats") },
      { title: "C Compilers for Wombats", abstract: abstractAbout("c compilers for wombats") },
      // The words alone, with the other words typed.
      { title: "Wombat Learning by Bayesian Adaptive Direct Search", abstract: "Wombats." },
      { title: "Wombat Compilers by Compressed Sensors", abstract: "Wombats." },
    ]);
    // The titles a word typed is found in (papers with the other words come too).
    const foundBy = (query: string, word: string) =>
      app
        .search(query)
        .hits.filter((hit) => hit.matchedWords.includes(word))
        .map((hit) => hit.title);
    const bad = foundBy("bad wombat learning", "bad");
    expect(bad).toContain("Bad Wombat Learning");
    expect(bad).not.toContain("Wombat Learning by Bayesian Adaptive Direct Search");
    expect(foundBy("c compilers wombats", "c")).toEqual(["C Compilers for Wombats"]);
  });

  it("are added in the plural for words typed in the plural, as the archive stores them", () => {
    // The archive stores "large language models (LLMs)" as llm for the words in the plural.
    const app = appWith([
      { title: "Koala LLMs Talk Back", abstract: `${abstractAbout("koala chatter")} One model.` },
      ...["one", "two"].map((n) => ({
        title: `Wombat Chatter ${n}`,
        abstract: `We prompt large language models (LLMs) about wombats, part ${n}.`,
      })),
    ]);
    const titles = app.search("large language models", { limit: 10 }).hits.map((h) => h.title);
    expect(titles).toContain("Koala LLMs Talk Back");
  });

  it("are added in the plural as an s, never as the acronym read as a word", () => {
    // "mas" read as a plural was also "ma" and "maes": every word of the query then matched
    // "Ma" ("system" makes "systems" a plural the archive has).
    const app = appWith([
      { title: "Look Ma, No Wombats", abstract: abstractAbout("wombat tricks") },
      { title: "Koala MAEs", abstract: "Masked autoencoders (MAEs) for koalas, one system." },
      ...["one", "two"].map((n) => ({
        title: `Koala Teams ${n}`,
        abstract: `We study multi-agent systems (MAS) of koalas, part ${n}.`,
      })),
    ]);
    const titles = app.search("multi agent systems", { limit: 10 }).hits.map((h) => h.title);
    expect(titles).toEqual(["Koala Teams one", "Koala Teams two"].sort());
  });

  /** Two papers defining "WBMs" (wombat burrow models), `more` said after it. */
  const definingWbms = (more: string) =>
    ["one", "two"].map((n) => ({
      title: `Digging Deeper ${n}`,
      abstract: `We fit wombat burrow models (WBMs) to soil${more}, part ${n}.`,
    }));

  it("typed, rank titles with the acronym above titles with the words it stands for", () => {
    // "llms" put "Multi-User Large Language Model Agents" above every title with "LLMs": the
    // spelled-out words matched as fully, and covered more of a shorter title.
    const app = appWith([
      { title: "Wombat Burrow Models Are Biased", abstract: abstractAbout("burrow bias") },
      { title: "Tuning WBMs for Koala Burrows", abstract: abstractAbout("koala burrows") },
      ...definingWbms(""),
    ]);
    const titles = app.search("wbms").hits.map((hit) => hit.title);
    expect(titles.slice(0, 2)).toEqual([
      "Tuning WBMs for Koala Burrows",
      "Wombat Burrow Models Are Biased",
    ]);
  });

  it("misspelt, are read as the acronym and the words it stands for", () => {
    // "rhlf data scaling" was read as "rlhf" alone, not as reinforcement learning from human
    // feedback: "…Details of RLHF with PPO…" came before "Exploring Data Scaling Trends … in
    // Reinforcement Learning from Human Feedback", first for "rlhf data scaling".
    const app = appWith([
      {
        title: "Soil Trends of Wombat Burrow Models",
        abstract: "We fit wombat burrow models (WBMs) to the soil trends of six sites.",
      },
      { title: "Tuning WBMs for Koalas", abstract: abstractAbout("soil trends") },
      ...definingWbms(""),
      // Many papers have the other words: the acronym says most.
      ...Array.from({ length: 20 }, (_, i) => ({
        title: `Dry Ground ${i + 1}`,
        abstract: abstractAbout("soil trends"),
      })),
    ]);
    const result = app.search("wmbs soil trends");
    expect(result.corrections).toEqual([{ from: "wmbs", to: ["wbms"] }]);
    expect(result.hits[0]?.title).toBe("Soil Trends of Wombat Burrow Models");
  });

  it("typed with a word misspelt, are read by the word the query read it as beside the others", () => {
    // "guant" alone is "quant", far commoner; beside "tensor" and "product" it is "gaunt", and
    // the phrase's acronym was looked up as "guant tensor product" (as "guant" is read alone,
    // not as the query read it), so a title with "GTP" alone was not found.
    const app = appWith([
      { title: "A Fast GTP for Molecules", abstract: abstractAbout("molecule energies") },
      ...["one", "two"].map((n) => ({
        title: `Equivariant Operations ${n}`,
        abstract: `We use the gaunt tensor product (GTP) in equivariant networks, part ${n}.`,
      })),
      ...Array.from({ length: 30 }, (_, i) => ({
        title: `Quant Trading ${i + 1}`,
        abstract: abstractAbout("quant trading"),
      })),
    ]);
    const result = app.search("guant tensor product", { limit: 10 });
    expect(result.corrections).toEqual([{ from: "guant", to: ["gaunt"] }]);
    expect(result.hits.map((hit) => hit.title)).toContain("A Fast GTP for Molecules");
  });

  it("typed as words, rank titles with the words above titles with the acronym alone", () => {
    // "diffusion transformers" put "3DIS-FLUX: … with DiT rendering" above "All-atom Diffusion
    // Transformers: …": the acronym matched every word, in a title with fewer words to cover.
    const app = appWith([
      { title: "Wombat Burrow Models of Dry Desert Soil", abstract: abstractAbout("soil") },
      { title: "Tuning WBMs", abstract: abstractAbout("koala dens") },
      ...definingWbms(", one model a site"),
    ]);
    const titles = app.search("wombat burrow models").hits.map((hit) => hit.title);
    expect(titles.slice(0, 2)).toEqual(["Wombat Burrow Models of Dry Desert Soil", "Tuning WBMs"]);
  });

  it("are not read where one paper's acronym is a word other papers use otherwise", () => {
    // One paper's "language agents (LAs)" made "language agents" match "A la Carte" by both words.
    const soups = Array.from({ length: 25 }, (_, i) => ({
      title: `Soup à la Carte ${i + 1}`,
      abstract: abstractAbout("soup recipes"),
    }));
    const app = appWith([
      { title: "Lemur Agents Forage", abstract: abstractAbout("foraging") },
      { title: "Foraging Troops", abstract: "We train lemur agents (LAs) to forage in troops." },
      ...soups,
    ]);
    expect(app.vocabulary.acronymFor("lemur agents")).toBeUndefined();
    expect(app.vocabulary.expansions("la")).toEqual([]);
    const titles = app.search("lemur agents", { limit: 10 }).hits.map((hit) => hit.title);
    expect(titles).toEqual(["Lemur Agents Forage", "Foraging Troops"]);

    // Defined by more of the papers with it, the acronym is read both ways.
    const defined = appWith([
      { title: "Lemur Agents Forage", abstract: abstractAbout("foraging") },
      ...["one", "two"].map((n) => ({
        title: `Foraging Troops ${n}`,
        abstract: `We train lemur agents (LAs) to forage, part ${n}.`,
      })),
      ...soups.slice(0, 20),
    ]);
    expect(defined.vocabulary.acronymFor("lemur agents")).toBe("la");
    expect(defined.vocabulary.expansions("la")).toEqual(["lemur agents"]);
  });

  it("are not read where the acronym is a stop word", () => {
    // "adversarial training (AT)" made "at" match the word "training" in any title.
    const app = appWith([
      { title: "Adversarial Training of Lemurs", abstract: abstractAbout("robust lemurs") },
      { title: "Lemur Training at Dawn", abstract: abstractAbout("lemur mornings") },
      ...["one", "two"].map((n) => ({
        title: `Robust Lemurs ${n}`,
        abstract: `We harden lemurs by adversarial training (AT), part ${n}.`,
      })),
    ]);
    expect(app.vocabulary.acronymFor("adversarial training")).toBeUndefined();
    const { hits } = app.search("adversarial training lemurs", { limit: 10 });
    expect(hits[0]?.title).toBe("Adversarial Training of Lemurs");
    const atDawn = hits.find((hit) => hit.title === "Lemur Training at Dawn");
    expect(atDawn?.matchedWords).toEqual(["training", "lemurs"]);
  });

  it("are read from letters inside words too, and counted afresh in a database counted before", () => {
    const path = join(tempDir(), "paperboy.db");
    const entries = [
      { title: "Grammar Variational Autoencoder", abstract: abstractAbout("parse trees") },
      ...["one", "two"].map((n) => ({
        title: `Tempered Priors ${n}`,
        abstract: `A variational autoencoder (VAE) with priors, part ${n}.`,
      })),
    ];
    const page = join(tempDir(), "page.txt");
    writeFileSync(page, listingPage(entries));
    const first = openApp(path);
    first.ingest([page], { now: at(ingestTime) });
    expect(first.vocabulary.expansions("vae")).toEqual(["variational autoencoder"]);
    const best = (app: Paperboy) => {
      const hit = app.search("grammar vae").hits[0];
      return [hit?.title, hit?.matchedWords];
    };
    const grammarVae = ["Grammar Variational Autoencoder", ["grammar", "vae"]];
    expect(best(first)).toEqual(grammarVae);
    // As an older finder left it: no VAE, and the title matches "grammar" only.
    first.db.exec(
      "DELETE FROM acronyms; UPDATE meta SET value = '1' WHERE key = 'acronyms:finder'",
    );
    expect(first.vocabulary.expansions("vae")).toEqual([]);
    expect(best(first)).toEqual(["Grammar Variational Autoencoder", ["grammar"]]);
    first.close();

    const reopened = openApp(path);
    expect(reopened.vocabulary.expansions("vae")).toEqual(["variational autoencoder"]);
    expect(best(reopened)).toEqual(grammarVae);
    expect(reopened.meta.get("acronyms:finder")).toBe(String(acronymFinder));
  });
});
