import type { RangeTuple } from "fuse.js";
import { describe, expect, it } from "vitest";
import { type ResultsPage, resultsReply } from "../../src/bot/render.ts";
import type { SearchHit } from "../../src/search/engine.ts";

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

  it("bolds nothing in the abstract of a paper whose title alone matched", () => {
    const abstract = "Self-supervised models for speech need no labels.";
    const shown = description(
      page([hit({ abstract, matchedIn: "title", matchedWords: ["selfsupervised"] })]),
    );
    expect(shown).toContain("\nSelf-supervised models for speech need no labels.\n");
  });
});
