import { writeFileSync } from "node:fs";
import { join } from "node:path";
import levenshtein from "damerau-levenshtein";
import { describe, expect, it } from "vitest";
import { createTypoIndex } from "../src/search/typo-index.ts";
import { abstractAbout, arxivLine, at, ingestTime, openApp, tempDir } from "./helpers.ts";

/** An app whose papers are about `topics`, two papers each. */
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

  it("finds the words exactly two slips away, as the damerau-levenshtein package counts them", () => {
    const app = appAbout(["wombat", "combat", "wombats", "womb", "batwom", "tombola", "warmbath"]);
    const index = createTypoIndex(app.db);
    const terms = app.db.prepare("SELECT term FROM terms").pluck().all() as string[];
    // Slips at the start, in the middle, at the end, and in both halves.
    for (const typed of [
      "wmobta",
      "ombta",
      "wombtas",
      "cmbat",
      "wombatss",
      "tmobla",
      "warmbth",
      "wmb",
    ]) {
      const twoAway = terms.filter((term) => levenshtein(typed, term).steps === 2).sort();
      expect(index.twoSlipsFrom(typed), typed).toEqual(twoAway);
    }
    expect(index.twoSlipsFrom("wmobta")).toEqual(["wombat"]);
    expect(index.twoSlipsFrom("wombta")).toEqual(["combat", "womb", "wombats"]); // "wombat" is one away
  });

  it("finds the starts of words one slip from a word being typed that starts none, as the damerau-levenshtein package counts them", () => {
    const app = appAbout(["wombat", "combat", "wombats", "womb", "batwom", "tombola", "warmbath"]);
    const index = createTypoIndex(app.db);
    const terms = app.db.prepare("SELECT term FROM terms").pluck().all() as string[];
    for (const typed of ["wmoba", "wombta", "ombat", "tmobo", "warmbaht", "cmba", "zzzz"]) {
      const starts = terms.flatMap((term) =>
        Array.from({ length: term.length }, (_, i) => term.slice(0, i + 1)),
      );
      const oneAway = [...new Set(starts)]
        .filter((start) => levenshtein(typed, start).steps <= 1)
        .sort();
      expect(index.startsOneSlipFrom(typed), typed).toEqual(oneAway);
    }
    expect(index.startsOneSlipFrom("wmoba")).toEqual(["womba"]);
    expect(index.startsOneSlipFrom("tmobo")).toEqual(["tombo"]);
  });

  it("finds the words two slips away of papers added after it was first asked", () => {
    const app = appAbout(["wombat"]);
    const index = createTypoIndex(app.db);
    expect(index.twoSlipsFrom("qoukak")).toEqual([]);
    const path = join(tempDir(), "more.jsonl");
    const paper = (id: string, title: string) =>
      arxivLine({ id, title, abstract: abstractAbout(title.toLowerCase()) });
    writeFileSync(
      path,
      `${paper("2502.00001", "Quokka Smiles")}\n${paper("2502.00002", "Aardvark Zebra")}\n`,
    );
    app.ingest([path], { now: at(ingestTime) });
    expect(index.twoSlipsFrom("qoukak")).toEqual(["quokka"]);
    // Merged in order with the words before: the first and the last still found.
    expect(index.twoSlipsFrom("ardvrak")).toEqual(["aardvark"]);
    expect(index.twoSlipsFrom("zbear")).toEqual(["zebra"]);
    expect(index.twoSlipsFrom("wmobta")).toEqual(["wombat"]);
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

  it("adds, file by file, exactly the words a read of the whole index adds", () => {
    // Each paper's words are read as the index reads them: accents dropped, a ligature, Greek
    // and digits kept, hyphens and apostrophes parting words. A word of one paper is a term too.
    const texts = [
      ["Naive Schrodinger Wombat's", "Façade Ångström and a lone zyzzyva."],
      ["Naïve Schrödinger Façade", "The coöperation of İstanbul ﬁne-tuning, αβ-divergence, gpt4."],
      ["Facade Angstrom Cooperation", "Istanbul fine tuning with αβ divergence of wombats."],
      ["Wombat Models", "A Ｆullwidth word, gpt4, and models once more."],
    ];
    const app = openApp();
    texts.forEach(([title, abstract], i) => {
      const path = join(tempDir(), `file-${i}.jsonl`);
      writeFileSync(path, `${arxivLine({ id: `2503.0000${i}`, title, abstract })}\n`);
      app.ingest([path], { now: at(ingestTime) });
    });
    const terms = () => app.db.prepare("SELECT term FROM terms ORDER BY id").pluck().all();
    const fileByFile = terms();
    app.db.exec("DELETE FROM terms");
    createTypoIndex(app.db).addEveryNewWord(); // the whole index, read at once
    expect(new Set(fileByFile)).toEqual(new Set(terms()));
    expect(fileByFile).toEqual(
      expect.arrayContaining(["naive", "schrodinger", "facade", "angstrom", "cooperation"]),
    );
    expect(fileByFile).toContain("zyzzyva");
    expect(fileByFile).not.toContain("naïve");
  });

  it("still learns words after an ingest that failed once it had indexed its papers", () => {
    const dir = tempDir();
    const app = openApp(join(dir, "paperboy.db"));
    const file = (name: string, id: string) => {
      const path = join(dir, name);
      const paper = (n: number) =>
        arxivLine({
          id: `${id}${n}`,
          title: `Quokka Smiles ${n}`,
          abstract: abstractAbout("quokka"),
        });
      writeFileSync(path, `${paper(1)}\n${paper(2)}\n`);
      return path;
    };
    // Linking the papers to their file comes after the index is written: make it fail once.
    app.db.exec(
      "CREATE TEMP TRIGGER fail_link BEFORE INSERT ON main.paper_sources BEGIN SELECT RAISE(ABORT, 'disk full'); END",
    );
    expect(() => app.ingest([file("first.jsonl", "2504.0000")], { now: at(ingestTime) })).toThrow(
      "disk full",
    );
    app.db.exec("DROP TRIGGER temp.fail_link");
    expect(app.ingest([file("second.jsonl", "2504.0001")], { now: at(ingestTime) }).added).toBe(2);
    expect(createTypoIndex(app.db).neighbours("quoka")).toContain("quokka");
  });
});
