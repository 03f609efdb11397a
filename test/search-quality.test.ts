import { beforeAll, describe, expect, it } from "vitest";
import { openPaperboy, type Paperboy } from "../src/paperboy.ts";
import queries from "./fixtures/search-queries.json" with { type: "json" };
import { archiveDir, ingestTime } from "./helpers.ts";

let app: Paperboy;
beforeAll(() => {
  app = openPaperboy(":memory:");
  app.ingest([archiveDir], { now: () => ingestTime });
});

describe("search quality on the shipped archive (development queries)", () => {
  it("puts an expected paper first for at least 23 of the 24 queries", () => {
    const misses = queries.filter(({ q, want }) => {
      const first = app.search(q, { limit: 1 }).hits[0]?.title;
      return !first || !want.includes(first);
    });
    expect(
      queries.length - misses.length,
      `missed: ${misses.map((m) => m.q).join(" | ")}`,
    ).toBeGreaterThanOrEqual(23);
  });

  it.each([
    ["typos", "grph nueral netwrk benchmarkng", "Benchmarking Graph Neural Networks"],
    [
      "word order",
      "spraying packet",
      "Challenging the Need for Packet Spraying in Large-Scale Distributed Training",
    ],
    [
      "case and punctuation",
      "PFGM++",
      "PFGM++: Unlocking the Potential of Physics-Inspired Generative Models",
    ],
    [
      // Not "Graph-Mamba: … Graph Sequence Modeling …": "models" read as the verb "model".
      "a plural as a noun",
      "space models",
      "Graph Mamba: Towards Learning on Graphs with State Space Models",
    ],
    [
      "hyphen removed",
      "graph mamba",
      "Graph-Mamba: Towards Long-Range Graph Sequence Modeling with Selective State Spaces",
    ],
    [
      "joined compound",
      "gemnetoc",
      "GemNet-OC: Developing Graph Neural Networks for Large and Diverse Molecular Simulation Datasets",
    ],
    ["partial title", "taming rectified", "Taming Rectified Flow for Inversion and Editing"],
    [
      "British spelling",
      "diffusion model quantisation",
      "QuEST: Low-bit Diffusion Model Quantization via Efficient Selective Finetuning",
    ],
  ])("forgives %s: %s", (_kind, query, title) => {
    expect(app.search(query, { limit: 1 }).hits[0]?.title).toBe(title);
  });

  it.each([
    [
      "packetspraying",
      "packetspraying",
      "packet spraying",
      "Challenging the Need for Packet Spraying in Large-Scale Distributed Training",
    ],
    [
      "dreamerxl",
      "dreamerxl",
      "dreamer xl",
      "Dreamer XL: Towards High-Resolution Text-to-3D Generation via Trajectory Score Matching",
    ],
    [
      "largelanguage monkeys",
      "largelanguage",
      "large language",
      "Large Language Monkeys: Scaling Inference Compute with Repeated Sampling",
    ],
  ])(
    "%s: reads %j, two words typed as one, as %j, which papers have side by side",
    (query, glued, pair, title) => {
      const result = app.search(query, { limit: 1 });
      expect(result.hits[0]?.title).toBe(title);
      expect(result.corrections).toEqual([{ from: glued, to: [pair] }]);
    },
  );

  it("finds a glued pair both glued and spaced: graphmamba is Graph-Mamba and Graph Mamba", () => {
    expect(
      app
        .search("graphmamba", { limit: 2 })
        .hits.map((hit) => hit.title.slice(0, 12))
        .sort(),
    ).toEqual(["Graph Mamba:", "Graph-Mamba:"]);
  });

  it("says what it read a misspelt word as, and never “corrects” a word the archive has", () => {
    expect(app.search("grph nueral netwrk").corrections).toEqual([
      { from: "grph", to: ["graph"] },
      { from: "nueral", to: ["neural"] },
      { from: "netwrk", to: ["network"] },
    ]);
    // Both are rare in the archive, with a much commoner word one letter away (present, small).
    expect(app.search("prevent shall").corrections).toEqual([]);
    expect(app.search("mixture of shards").corrections).toEqual([]);
    // Half of a compound, as "ToDyformer" is indexed: "tody" is not "today" or "body".
    const todyformer = app.search("tody former dynamic graph");
    expect(todyformer.corrections).toEqual([]);
    expect(todyformer.hits[0]?.title).toMatch(/^Todyformer: /);
  });
});
