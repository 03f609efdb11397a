import type { RangeTuple } from "fuse.js";
import { describe, expect, it } from "vitest";
import { abstractHighlights, type Segment, snippet } from "../src/search/snippet.ts";

/** The ranges of each whole-word occurrence of `words` in `text`, as the search gives them. */
function rangesOf(text: string, words: string[]): RangeTuple[] {
  return words.flatMap((word) =>
    [...text.matchAll(new RegExp(`\\b${word}\\b`, "gi"))].map(
      (m): RangeTuple => [m.index, m.index + m[0].length - 1],
    ),
  );
}

/** Segments as one line, matches in [brackets]. */
const shown = (segments: Segment[]) =>
  segments.map(({ text, match }) => (match ? `[${text}]` : text)).join("");

describe("snippet", () => {
  it("shows where most of the query's words are, not only the first of them", () => {
    const abstract =
      "With language models deployed in long content generation, inference support is " +
      "in demand. ".repeat(12) +
      "We introduce TriForce, a hierarchical speculative decoding system that scales to long sequence generation.";
    const words = ["speculative", "decoding", "long", "sequence"];
    const line = shown(snippet(abstract, rangesOf(abstract, words), 180));
    expect(line).toContain("[speculative] [decoding] system that scales to [long] [sequence]");
  });

  it("shows as much as fits of a match near the end, not its last few words alone", () => {
    const abstract = `${"We study graphs in depth and detail. ".repeat(6)}Finally we apply it to zebrafish.`;
    const line = shown(snippet(abstract, rangesOf(abstract, ["zebrafish"]), 100));
    // It was "…Finally we apply it to [zebrafish].": 35 of the 100 characters it may show.
    expect(line).toBe(
      "…graphs in depth and detail. We study graphs in depth and detail. Finally we apply it to [zebrafish].",
    );
    const short = "A short abstract whose only match comes last: zebrafish.";
    expect(shown(snippet(short, rangesOf(short, ["zebrafish"]), 100))).toBe(
      "A short abstract whose only match comes last: [zebrafish].",
    );
  });

  it("keeps to the first match when no other place has more of the words", () => {
    const abstract = `Graph networks are studied. ${"Filler words here. ".repeat(20)}Graph again.`;
    const line = shown(snippet(abstract, rangesOf(abstract, ["graph"]), 100));
    expect(line.startsWith("[Graph] networks are studied.")).toBe(true);
  });
});

describe("snippet with places it cannot mark", () => {
  const abstract = `We test uncertainty. ${"Filler words here. ".repeat(6)}Code: https://x.org/large-language-models.`;
  const link: [number, number] = [abstract.indexOf("https://"), abstract.length - 1];

  it("goes where its matches can be marked, though a link has more of them", () => {
    const ranges = rangesOf(abstract, ["large", "language", "uncertainty"]);
    expect(shown(snippet(abstract, ranges, 60))).toBe(
      "…words here. Code: https://x.org/[large]-[language]-models.",
    );
    expect(shown(snippet(abstract, ranges, 60, [link]))).toBe(
      "We test [uncertainty]. Filler words here. Filler words here.…",
    );
  });

  it("starts where the text does when every match is in such a place", () => {
    const ranges = rangesOf(abstract, ["large"]);
    expect(shown(snippet(abstract, ranges, 60, [link]))).toBe(
      "We test uncertainty. Filler words here. Filler words here.…",
    );
  });
});

describe("snippet of a one-letter query word", () => {
  it("bolds it as a word, not as the end of a possessive or contraction", () => {
    const abstract = "We propose S*, which keeps the model's weights and doesn’t retrain s models.";
    const line = shown(snippet(abstract, rangesOf(abstract, ["s", "t"]), 200));
    expect(line).toBe(
      "We propose [S]*, which keeps the model's weights and doesn’t retrain [s] models.",
    );
  });
});

describe("snippet ends", () => {
  /** The characters of `text` just outside the window `segments` show. */
  function edges(text: string, segments: Segment[]) {
    const body = segments
      .map((s) => s.text)
      .join("")
      .replace(/^…|…$/g, "");
    const at = text.indexOf(body);
    return { before: text[at - 1] ?? " ", after: text[at + body.length] ?? " " };
  }

  it("fall between words, even beside one of over 20 characters", () => {
    const abstract = `${"Filler words here. ".repeat(5)}Apply permutation-invariant graph aggregation, with permutation-invariant pooling of graph features.`;
    for (let maxLength = 30; maxLength <= 120; maxLength++) {
      const segments = snippet(abstract, rangesOf(abstract, ["aggregation"]), maxLength);
      expect(edges(abstract, segments), shown(segments)).toEqual({ before: " ", after: " " });
    }
  });

  it("cut a run of over 20 characters between two characters, never inside an emoji or 𝒪", () => {
    const run = "𝒪🦙".repeat(40); // a long run with no space, as in a link or a formula
    const abstract = `${"Filler words here. ".repeat(5)}${run} then graph aggregation ${run} end.`;
    for (let maxLength = 30; maxLength <= 120; maxLength++) {
      const text = snippet(abstract, rangesOf(abstract, ["aggregation"]), maxLength)
        .map((s) => s.text)
        .join("");
      expect(text, `maxLength ${maxLength}`).not.toMatch(loneHalf);
    }
  });

  it("never fall inside 𝒪 when a character is longer than the window, as one with hundreds of accents is", () => {
    // The window ends inside the character: the cut goes back to its start, the window's start.
    const abstract = `𝒪${"\u0301".repeat(400)} is the order of growth of the method.`;
    const text = snippet(abstract, [], 180)
      .map((s) => s.text)
      .join("");
    expect(text).toBe("𝒪…");
  });
});

/** A lone half of a pair, which is no text Discord can store. */
const loneHalf = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("abstractHighlights", () => {
  /** The abstract's text at each range given for the query words (none matched as written). */
  const highlighted = (abstract: string, matchedWords: string[]) =>
    abstractHighlights(
      { abstract, abstractRanges: [], matchedIn: "abstract", matchedWords },
      [],
    ).map(([from, to]) => abstract.slice(from, to + 1));

  it("finds a glued word hyphenated, in any case, with either hyphen, in the plural", () => {
    const abstract = "PRE-TRAINING helps; pre\u2010trained nets and Multi-Tasks; multitask too.";
    expect(highlighted(abstract, ["pretraining", "pretrained", "multitask"])).toEqual([
      "PRE-TRAINING",
      "pre\u2010trained",
      "Multi-Tasks",
    ]);
  });

  it("finds it as part of a longer hyphenated run, but not inside a longer word", () => {
    const abstract = "A pre-training-based recipe, a non-self-supervised one, xself-supervised.";
    expect(highlighted(abstract, ["pretraining", "selfsupervised"])).toEqual([
      "pre-training",
      "self-supervised",
    ]);
  });

  it("looks no further along a long hyphenated run than the longest word", () => {
    // Every stretch of its 1,500 parts, joined, took 11 s; now a few milliseconds.
    const run = Array.from({ length: 1500 }, (_, i) => "acgt"[i % 4]).join("-");
    const started = performance.now();
    expect(highlighted(`We encode ${run}, then pre-train.`, ["pretrain"])).toEqual(["pre-train"]);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("finds nothing for short words or words with symbols", () => {
    expect(highlighted("X-AI and p-value work.", ["xai", "p(y|x)", "pvalue"])).toEqual(["p-value"]);
  });
});
