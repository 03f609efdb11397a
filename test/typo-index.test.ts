import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createTypoIndex } from "../src/search/typo-index.ts";
import { abstractAbout, arxivLine, at, ingestTime, openApp, tempDir } from "./helpers.ts";

/** An app whose papers are about `topics`, each in two papers so its words are correctable. */
function appAbout(topics: string[]) {
  const path = join(tempDir(), "topics.jsonl");
  const lines = topics.flatMap((topic, i) =>
    [0, 1].map((copy) =>
      arxivLine({
        id: `2501.${String(i * 2 + copy).padStart(5, "0")}`,
        title: `Notes on ${topic} ${copy}`,
        abstract: abstractAbout(topic),
      }),
    ),
  );
  writeFileSync(path, `${lines.join("\n")}\n`);
  const app = openApp();
  app.ingest([path], { now: at(ingestTime) });
  return app;
}

describe("typo index", () => {
  it("finds the words one letter missing, extra, wrong or swapped away", () => {
    const app = appAbout(["wombat", "combat", "wombats", "womb", "batwom"]);
    const neighbours = createTypoIndex(app.db).neighbours;
    expect(neighbours("wombta")).toContain("wombat"); // swapped
    expect(neighbours("wombt")).toContain("wombat"); // missing
    expect(neighbours("wombaat")).toContain("wombat"); // extra
    expect(neighbours("wombet")).toContain("wombat"); // wrong
    expect(neighbours("wombat")).toEqual(expect.arrayContaining(["wombat", "combat", "wombats"]));
    expect(neighbours("wombat")).not.toContain("batwom");
    expect(neighbours("zzzzzz")).toEqual([]);
  });

  it("orders them by the variant they share (the word, then without one letter, sorted), oldest term first", () => {
    const app = appAbout(["zhang", "zheng", "hong", "zhong", "zehong"]);
    // Variants of "zhong" sorted: hong, zhng, zhog, zhon, zhong, zong.
    expect(createTypoIndex(app.db).neighbours("zhong")).toEqual([
      "hong",
      "zhong",
      "zhang",
      "zheng",
      "zehong",
    ]);
  });

  it("learns the words of papers added after it was first asked", () => {
    const app = appAbout(["wombat"]);
    const index = createTypoIndex(app.db);
    expect(index.neighbours("quoka")).toEqual([]);
    const path = join(tempDir(), "more.jsonl");
    const quokka = (id: string) =>
      arxivLine({ id, title: `Quokka Smiles ${id}`, abstract: abstractAbout("quokka smiles") });
    writeFileSync(path, `${quokka("2502.00001")}\n${quokka("2502.00002")}\n`);
    app.ingest([path], { now: at(ingestTime) });
    expect(index.neighbours("quoka")).toContain("quokka");
  });
});
