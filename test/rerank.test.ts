import { describe, expect, it } from "vitest";
import type { QueryGroup } from "../src/search/query.ts";
import { type Candidate, rerank } from "../src/search/rerank.ts";

const group = (word: string, alternatives = [word]): QueryGroup => ({
  word,
  alternatives,
  corrections: [],
  weight: 1,
  stop: false,
  known: true,
});

const candidates: Candidate[] = [
  {
    id: 1,
    title: "Transformers for Graphs",
    abstract: "Graph transformers, and a transformer for graphs. Transformer!",
    upvotes: 3,
    rank: -5,
  },
  {
    id: 2,
    title: "Benchmarking Diffusion Models",
    abstract: "We benchmark diffusion models. Diffusion, diffusion everywhere.",
    upvotes: null,
    rank: -4,
  },
  {
    id: 3,
    title: "Mambaformer: Mamba Meets Attention",
    abstract: "A transformer with Mamba layers for graphs.",
    upvotes: 10,
    rank: -3,
  },
  { id: 4, title: "Trnsfrmr", abstract: "No match here.", upvotes: 0, rank: -1 },
];

describe("rerank", () => {
  it("finds misspelt words in titles, and not much shorter or longer words", () => {
    const [best] = rerank(candidates, [group("tranformer")]);
    expect(best?.candidate.id).toBe(1);
    expect(best?.titleRanges).toEqual([[0, 11]]);
    const ranked = rerank(candidates, [group("tranformer")]);
    // "Trnsfrmr" lacks too many letters, "Mambaformer" is another word.
    expect(ranked.find((r) => r.candidate.id === 4)?.titleWords).toEqual([]);
    expect(ranked.find((r) => r.candidate.id === 3)?.titleWords).toEqual([]);
    const mamba = rerank(candidates, [group("mamba")]).find((r) => r.candidate.id === 3);
    expect(mamba?.titleRanges).toEqual([[13, 17]]);
  });

  it("re-ranks a title of 60,000 words of one kind in well under a second, every one found", () => {
    // Each place a word was found was checked against every place kept before it: 3.6 s for
    // this title (a JSON Lines record anyone may put in the archive), while every search and
    // title suggestion behind it on the search thread waited.
    const title = "Deep ".repeat(60_000).trim();
    const started = performance.now();
    const [ranked] = rerank(
      [{ id: 9, title, abstract: "Deep.", upvotes: 0, rank: -1 }],
      [group("deep")],
    );
    expect(performance.now() - started).toBeLessThan(1000);
    expect(ranked?.titleRanges).toHaveLength(60_000);
    expect(ranked?.titleRanges.at(-1)).toEqual([title.length - 4, title.length - 1]);
  });

  it("gives the best `limit` as a full re-rank would, abstract ranges included", () => {
    const groups = [
      group("transformer", ["transformer", "transformers"]),
      group("graph", ["graph", "graphs"]),
      group("diffusion"),
    ];
    const all = rerank(candidates, groups);
    expect(all[0]?.abstractRanges.length).toBeGreaterThan(0);
    for (const limit of [1, 2, 3, 10])
      expect(rerank(candidates, groups, { limit })).toEqual(all.slice(0, limit));
  });
});

describe("rerank of an abstract with accents", () => {
  // 𝒪 and "ǆ" are each read as one ASCII letter: the places after them shift, and must not.
  const abstract =
    "An 𝒪(n) ǆ bound: the Schro\u0308dinger bridge, a Fréchet distance, Rényi's divergence; Søren's ren.";
  const ranked = (words: string[]) =>
    rerank(
      [{ id: 1, title: "Koala Dens", abstract, upvotes: 0, rank: -1 }],
      words.map((word) => group(word)),
    )[0];

  it("counts the words as the index reads them, unaccented, and gives their places as written", () => {
    const hit = ranked(["schrodinger", "frechet", "renyi", "ren"]);
    expect(hit?.abstractWords).toEqual(["schrodinger", "frechet", "renyi", "ren"]);
    expect(hit?.abstractRanges.map(([from, to]) => abstract.slice(from, to + 1))).toEqual([
      "Schro\u0308dinger",
      "Fréchet",
      "Rényi",
      "ren", // the word, not the end of "Søren"
    ]);
  });

  it("finds no word inside a word with a letter past ASCII", () => {
    expect(ranked(["dinger", "chet"])?.abstractWords).toEqual([]);
  });

  it("finds a query word with a letter the index keeps unaccented, as written", () => {
    // "søgaard" found papers by their abstracts' "Søgaard" at 41k that then counted and showed
    // nothing of it ("matched in abstract", no word matched, none bold).
    const hit = ranked(["søren"]);
    expect(hit?.abstractWords).toEqual(["søren"]);
    expect(hit?.abstractRanges.map(([from, to]) => abstract.slice(from, to + 1))).toEqual([
      "Søren",
    ]);
  });
});

describe("rerank of a word glued into a longer abstract word", () => {
  const paper = (id: number, abstract: string): Candidate => ({
    id,
    title: "Faster Architecture Search",
    abstract,
    upvotes: 0,
    rank: -1,
  });
  const slicesOf = (hit: ReturnType<typeof rerank>[number] | undefined) =>
    hit?.abstractRanges.map(([from, to]) => hit.candidate.abstract.slice(from, to + 1));

  it("shows it where it is a camel part, as the index holds it, and scores it as before", () => {
    const ranked = rerank(
      [
        paper(1, "We search the HyperCuboid space, hyperCuboids too."),
        paper(2, "We search the Hyper space, hyper too."),
        paper(3, "We search the Hypercuboid space, and supercuboids."),
      ],
      [group("cuboid", ["cuboid", "cuboids"])],
    );
    const byId = (id: number) => ranked.find((hit) => hit.candidate.id === id);
    expect(slicesOf(byId(1))).toEqual(["Cuboid", "Cuboids"]);
    expect(slicesOf(byId(3))).toEqual([]); // no camel part: the index has no "cuboid" there
    // Shown, not counted: the search's ranking stays as it was.
    expect(byId(1)?.abstractWords).toEqual([]);
    expect(byId(1)?.score).toBe(byId(2)?.score);
  });
});
