import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ComponentType } from "discord.js";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { createBotContext } from "../../src/bot/context.ts";
import { type BotRequest, createDispatcher } from "../../src/bot/dispatcher.ts";
import { plain } from "../../src/bot/limits.ts";
import { type Reply, realClock } from "../../src/bot/types.ts";
import { openPaperboy } from "../../src/paperboy.ts";
import { truncate } from "../../src/text/format.ts";
import {
  archiveDir,
  arxivLine,
  arxivSample,
  at,
  ingestTime,
  openApp,
  tempDir,
} from "../helpers.ts";

const app = openPaperboy(":memory:");
app.ingest([archiveDir, arxivSample], { now: at(ingestTime) });
afterAll(() => app.close());
const contextOptions = {
  app,
  clock: realClock,
  log: pino({ level: "silent" }),
  port: {
    serves: () => true,
    checkChannel: async () => ({ ok: true }) as const,
    send: async () => "1",
    tellStopped: async () => {},
  },
  searchThreads: 0,
};
const dispatch = createDispatcher(commands, createBotContext(contextOptions));
const invocation = (options: Record<string, string>) => ({
  user: { id: "1", name: "someone" },
  guildId: "2",
  channelId: "3",
  canManageGuild: false,
  options,
});
const diphoton = app.papers.lookup("0704.0001");
const diphotonTitle =
  "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies";

async function choices(typed: string, through = dispatch) {
  const { response } = await through({
    kind: "autocomplete",
    name: "paper",
    focused: { name: "paper", value: typed },
    invocation: invocation({ paper: typed }),
  });
  if (response.kind !== "choices") throw new Error(`not choices: ${response.kind}`);
  return response.choices;
}

async function open(value: string) {
  const { response, outcome } = await dispatch({
    kind: "command",
    name: "paper",
    invocation: invocation({ paper: value }),
  });
  if (response.kind !== "reply") throw new Error(`not a reply: ${response.kind}`);
  return { outcome, reply: response.reply };
}

/** A /search reply. */
async function search(options: Record<string, string>): Promise<Reply> {
  const { response } = await dispatch({
    kind: "command",
    name: "search",
    invocation: invocation(options),
  });
  if (response.kind !== "reply") throw new Error(`not a reply: ${response.kind}`);
  return response.reply;
}

/** A /search reply, and the custom id of its Next button. */
async function searchWithNext(query: string): Promise<{ reply: Reply; nextId: string }> {
  const reply = await search({ query });
  const next = reply.components?.[0]?.components[1];
  if (next?.type !== ComponentType.Button || !("custom_id" in next)) {
    throw new Error("no Next button");
  }
  return { reply, nextId: next.custom_id };
}

/** Links people paste for arXiv paper 0704.0001. */
const links = [
  "0704.0001",
  "arXiv:0704.0001v2",
  "https://arxiv.org/abs/0704.0001",
  "https://arxiv.org/pdf/0704.0001v1.pdf",
  "https://www.arxiv.org/abs/0704.0001",
  "https://arxiv.org/html/0704.0001v1",
  "http://export.arxiv.org/abs/0704.0001",
  "https://huggingface.co/papers/0704.0001",
  "https://hf.co/papers/0704.0001",
  "https://doi.org/10.48550/arXiv.0704.0001",
  "10.48550/arXiv.0704.0001",
  "doi:10.48550/arXiv.0704.0001",
  // Its pages on sites that show arXiv papers by their id: "No paper in the archive has the id
  // or link" was said of them, though it has that id.
  "https://www.alphaxiv.org/abs/0704.0001",
  "https://www.alphaxiv.org/overview/0704.0001v2",
  "https://ar5iv.labs.arxiv.org/html/0704.0001",
  "https://ar5iv.org/abs/0704.0001",
  "https://www.semanticscholar.org/arxiv/0704.0001",
];

describe("/paper given a name only an abstract has", () => {
  // The archive's "SVDQunat: …" misspells its own name, which its abstract spells right.
  const svdquant = "SVDQunat: Absorbing Outliers by Low-Rank Components for 4-Bit Diffusion Models";

  it("offers the paper whose abstract has it", async () => {
    expect((await choices("svdquant")).map((choice) => choice.name)).toEqual([svdquant]);
  });

  it("opens that paper when sent without picking", async () => {
    const { outcome, reply } = await open("svdquant");
    expect(outcome).toBe("ok");
    expect(reply.embeds?.[0]?.title).toBe(svdquant);
  });
});

describe("/paper given papers with the same title", () => {
  // Same-titled papers do exist (two "Attention Is All You Need"): their choices read the
  // same, and the member could not tell which one a choice opens. So do two long titles cut
  // at the same place.
  const longStart = `Koalas ${"and wombats ".repeat(9)}`;
  const twins = [
    { id: "1706.03762", title: "Attention Is All You Need", update_date: "2017-06-12" },
    // Alike in another case and punctuation too.
    { id: "2306.00001", title: "Attention is all you need.", update_date: "2023-06-01" },
    { id: "2401.00002", title: `${longStart}in the wild`, update_date: "2024-01-02" },
    { id: "2401.00003", title: `${longStart}in zoos`, update_date: "2024-01-03" },
  ];
  const own = openPaperboy(":memory:");
  afterAll(() => own.close());
  const dump = join(tempDir(), "twins.jsonl");
  writeFileSync(
    dump,
    `${twins.map((twin) => arxivLine({ ...twin, abstract: "About attention, koalas and wombats." })).join("\n")}\n`,
  );
  own.ingest([dump], { now: at(ingestTime) });
  const dispatchOwn = createDispatcher(commands, createBotContext({ ...contextOptions, app: own }));
  const choicesOf = (typed: string) => choices(typed, dispatchOwn);

  it("tells their choices apart by year and arXiv id", async () => {
    expect((await choicesOf("attention is all")).map((choice) => choice.name).sort()).toEqual([
      "Attention Is All You Need (2017, arXiv 1706.03762)",
      "Attention is all you need. (2023, arXiv 2306.00001)",
    ]);
  });

  it("tells apart titles cut alike, within Discord's 100 characters", async () => {
    const names = (await choicesOf("koalas and wombats")).map((choice) => choice.name);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(2);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(100);
      expect(name).toMatch(/^Koalas and wombats .*… \(2024, arXiv 2401\.0000[23]\)$/);
    }
  });

  it("tells apart those offered before anything is typed too", async () => {
    const names = (await choicesOf("")).map((choice) => choice.name);
    expect(names).toHaveLength(4);
    expect(names.every((name) => / \(20\d\d, arXiv \d{4}\.\d{5}\)$/.test(name))).toBe(true);
  });

  it("leaves a title no other choice has as it is", async () => {
    expect((await choicesOf("koalas in zoos")).map((choice) => choice.name)).toEqual([
      truncate(`${longStart}in zoos`, 100),
    ]);
  });
});

describe("/paper given an arXiv id or link", () => {
  it("offers that paper as the one choice, whatever words the link has", async () => {
    expect(diphoton?.title).toBe(diphotonTitle);
    for (const link of links) {
      expect(await choices(link), link).toEqual([
        { name: diphotonTitle, value: `id:${diphoton?.id}` },
      ]);
    }
  });

  it("opens that paper", async () => {
    for (const link of links) {
      const { outcome, reply } = await open(link);
      expect(outcome, link).toBe("ok");
      expect(reply.embeds?.[0]?.title, link).toBe(diphotonTitle);
    }
  });

  it("offers and opens that paper pasted in quotes, which are no part of an id or link", async () => {
    // The console keeps a value's quotes, as Discord does: "No paper matches “"0704.0001"”".
    for (const link of [`"${links[0]}"`, `“${links[2]}”`]) {
      expect(await choices(link), link).toEqual([
        { name: diphotonTitle, value: `id:${diphoton?.id}` },
      ]);
      const { outcome, reply } = await open(link);
      expect(outcome, link).toBe("ok");
      expect(reply.embeds?.[0]?.title, link).toBe(diphotonTitle);
    }
  });

  it("opens that paper when sent after id:, as a Paperboy id is", async () => {
    // Told it said a number comes after id:, where the arXiv id alone opens the paper.
    const { outcome, reply } = await open(`id:${links[0]}`);
    expect(outcome).toBe("ok");
    expect(reply.embeds?.[0]?.title).toBe(diphotonTitle);
  });

  it("offers nothing for a link or id of a paper not in the archive, and says so when sent", async () => {
    for (const value of [
      "https://huggingface.co/papers/2502.00094",
      "https://arxiv.org/pdf/2502.00094v1.pdf",
      "2502.00094",
      "doi:10.48550/arXiv.2502.00094",
      "https://example.org/some/graph-neural-networks/page",
    ]) {
      expect(await choices(value), value).toEqual([]);
    }
    for (const value of [
      "https://huggingface.co/papers/2502.00094",
      "doi:10.48550/arXiv.2502.00094",
    ]) {
      expect(await open(value), value).toEqual({
        outcome: "user-error",
        reply: {
          content: `No paper in the archive has the id or link “${value}”. Pick one from the list as you type its title, or try /search.`,
          ephemeral: true,
        },
      });
    }
  });

  it("reads a typed number as words of a title, never as the Paperboy id it may be", async () => {
    // Typed, "3" starts titles ("3D …"); it named paper 3 too, and "1706" (the start of
    // arXiv id 1706.03762) a paper of 2025. A paper picked from the list sends "id:3".
    const three = await choices("3");
    expect(three.length).toBeGreaterThan(1);
    expect(three.map((c) => c.value)).not.toContain("id:3");
    expect((await open("3")).reply.embeds?.[0]?.footer?.text).not.toBe("Paperboy id 3");
    expect((await open("id:3")).reply.embeds?.[0]?.footer?.text).toBe("Paperboy id 3");
  });

  it("opens an id:<n> typed as members type it, capitalised or with a space", async () => {
    // Told to send `id:53`, a member who typed "ID:53" (or a phone that made it "Id:53") was
    // answered "No paper matches “ID:53”".
    for (const value of ["ID:3", "Id:3", "id: 3"]) {
      expect((await open(value)).reply.embeds?.[0]?.footer?.text, value).toBe("Paperboy id 3");
    }
  });

  it("says what comes after id: when no number does, not opening the best paper for the words", async () => {
    for (const value of ["id:", "id:abc", "ID: 3b"]) {
      expect(await open(value), value).toEqual({
        outcome: "user-error",
        reply: {
          content:
            "After `id:` comes a Paperboy id, a number (`id:53`): it is under each paper /paper opens. Pick one from the list as you type its title, or try /search.",
          ephemeral: true,
        },
      });
    }
  });

  it("says an id:<n> typed with a slip is of no paper, not of one picked from the list", async () => {
    // A member is told to send `id:53` for Paperboy id 53 (see above); `id:5300` was answered
    // "The paper you picked was removed from the archive after the list showed it".
    expect(await open("id:5300000")).toEqual({
      outcome: "user-error",
      reply: {
        content:
          "No paper has Paperboy id 5300000: it was removed from the archive, or never was in it. Pick one from the list as you type, or try /search.",
        ephemeral: true,
      },
    });
  });
});

describe("the dispatcher", () => {
  it("answers only the asker of /help and the admin commands, whatever their handlers return", async () => {
    expect(commands.filter((c) => c.ephemeral).map((c) => c.definition.name)).toEqual([
      "help",
      "subscribe",
      "unsubscribe",
      "topics",
      "roundup",
      "subscriptions",
    ]);
    const { response } = await dispatch({
      kind: "command",
      name: "help",
      invocation: invocation({}),
    });
    expect(response).toMatchObject({ kind: "reply", reply: { ephemeral: true } });
  });

  it("answers a reply it cannot read as an unexpected error, with a reference", async () => {
    const broken = {
      definition: { name: "broken", description: "answers nothing" },
      run: () => undefined as unknown as Reply,
    };
    const withBroken = createDispatcher([broken], createBotContext(contextOptions));
    const dispatched = await withBroken({
      kind: "command",
      name: "broken",
      invocation: invocation({}),
    });
    expect(dispatched).toMatchObject({
      outcome: "error",
      ref: expect.stringMatching(/^[0-9A-F]{6}$/),
    });
    expect(dispatched.response).toEqual({
      kind: "reply",
      reply: {
        content: `Something went wrong on our side (ref ${dispatched.ref}). Please try again later.`,
        ephemeral: true,
      },
    });
  });

  it("counts another user's page turn as a mistake, as every refusal is", async () => {
    const { nextId } = await searchWithNext("graph neural networks");
    const someoneElse = { ...invocation({}), user: { id: "4", name: "someone else" }, values: [] };
    expect(
      await dispatch({ kind: "component", customId: nextId, invocation: someoneElse }),
    ).toEqual({
      outcome: "user-error",
      response: {
        kind: "reply",
        reply: {
          content: "Only the person who searched can turn these pages; run /search yourself.",
          ephemeral: true,
        },
      },
    });
  });

  it("finds no handler in a custom id naming one of Object's own properties", async () => {
    for (const action of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
      const request: BotRequest = {
        kind: "component",
        customId: `search:${action}:x:1`,
        invocation: { ...invocation({}), values: [] },
      };
      expect(await dispatch(request), action).toEqual({
        outcome: "user-error",
        response: {
          kind: "reply",
          reply: {
            content: "These buttons no longer work; run the command again.",
            ephemeral: true,
          },
        },
      });
    }
  });
});

describe("/search given an arXiv id or link", () => {
  it("opens that paper, as /paper does, rather than searching for its words", async () => {
    for (const link of links) {
      const reply = await search({ query: link });
      expect(
        reply.embeds?.map((embed) => embed.title),
        link,
      ).toEqual([diphotonTitle]);
      expect(reply.components, link).toBeUndefined();
    }
  });

  it("opens the paper one of several words names, the first the archive has", async () => {
    // "see https://arxiv.org/abs/… please" searched the id's digits as words, and said that
    // no paper has them, of a paper in the archive.
    for (const query of [
      `is ${links[0]} any good?`,
      `2502.00094 ${links[1]}`,
      `compare ${links[2]} with https://arxiv.org/abs/2502.00094`,
      `what is (${links[3]})?`,
    ]) {
      const reply = await search({ query });
      expect(
        reply.embeds?.map((embed) => embed.title),
        query,
      ).toEqual([diphotonTitle]);
    }
    expect(await search({ query: "what about 2502.00094 then" })).toEqual({
      content: `No paper in the archive has the id or link “${plain("2502.00094")}”. /search looks for words of titles and abstracts, like graph neural networks.`,
      ephemeral: true,
    });
  });

  it("searches any other link as words: an abstract may have it", async () => {
    const reply = await search({ query: "https://github.com/gnobitab/InstaFlow" });
    expect(reply.embeds?.[0]?.description).toContain("InstaFlow: One Step is Enough");
  });

  it("says no paper has one the archive lacks, and what /search looks for", async () => {
    for (const value of ["2502.00094", "https://arxiv.org/abs/2502.00094"]) {
      expect(await search({ query: value }), value).toEqual({
        content: `No paper in the archive has the id or link “${plain(value)}”. /search looks for words of titles and abstracts, like graph neural networks.`,
        ephemeral: true,
      });
    }
  });
});

describe("/search finding nothing", () => {
  it("says which part of the papers it looked in, and how to look in all of them", async () => {
    // In the abstract of "Challenging the Need for Packet Spraying…", in no title.
    expect((await search({ query: "unanimously" })).embeds?.length).toBe(1);
    expect((await search({ query: "unanimously", in: "title" })).content).toBe(
      "No paper titles match “unanimously”. Leave out `in` to search titles and abstracts, or try fewer or different words.",
    );
    expect((await search({ query: "qwzxv" })).content).toBe(
      "No papers match “qwzxv”. Try fewer or different words.",
    );
  });
});

describe("an empty archive", () => {
  const empty = openPaperboy(":memory:");
  afterAll(() => empty.close());
  const dispatchEmpty = createDispatcher(
    commands,
    createBotContext({ ...contextOptions, app: empty }),
  );

  it("is said to be empty by /search and /paper, not to need other words", async () => {
    const asked: { name: string; options: Record<string, string> }[] = [
      { name: "search", options: { query: "graph neural networks" } },
      { name: "paper", options: { paper: "graph neural" } },
    ];
    for (const { name, options } of asked) {
      const { response } = await dispatchEmpty({
        kind: "command",
        name,
        invocation: invocation(options),
      });
      expect(response, name).toMatchObject({
        kind: "reply",
        reply: {
          ephemeral: true,
          content:
            "The archive has no papers yet: whoever runs Paperboy adds them (the files of its archive folder, PAPERBOY_ARCHIVE, are loaded at start and every 10 minutes).",
        },
      });
    }
  });
});

describe("/search with a word no paper has", () => {
  it("says so in the footer, on every page", async () => {
    const footer = (reply: Reply) => reply.embeds?.[0]?.footer?.text ?? "";
    const { reply, nextId } = await searchWithNext("graph qwzxv neural networks");
    expect(footer(reply)).toMatch(/ · no paper has “qwzxv”$/);
    const turned = await dispatch({
      kind: "component",
      customId: nextId,
      invocation: { ...invocation({}), values: [] },
    });
    if (turned.response.kind !== "update")
      throw new Error(`not an update: ${turned.response.kind}`);
    expect(footer(turned.response.reply)).toMatch(/^Page 2 of .* · no paper has “qwzxv”$/);
  });
});

describe("search buttons after a restart", () => {
  it("say the search is over and why, as after 10 minutes", async () => {
    const { nextId } = await searchWithNext("graph neural networks");
    // A new context is a restarted Paperboy: the searches it kept in memory are gone.
    const restarted = createDispatcher(commands, createBotContext(contextOptions));
    const pressed = await restarted({
      kind: "component",
      customId: nextId,
      invocation: { ...invocation({}), values: [] },
    });
    expect(pressed).toMatchObject({
      outcome: "user-error",
      response: {
        reply: {
          content:
            "This search is over: its buttons work for 10 minutes, for your 10 latest searches, and not after Paperboy restarts. Run /search again.",
          ephemeral: true,
        },
      },
    });
  });
});

describe("/topics add given a word a paper or two has that may be a typo", () => {
  it("says the topic reads it as the word it may be a typo of too", async () => {
    // One paper has "retreival": the topic takes the papers with "retrieval" as well, and the
    // admin was not told.
    const own = openApp();
    const dump = join(tempDir(), "papers.jsonl");
    const lines = [
      arxivLine({ id: "2601.00001", title: "Koala Retreival", abstract: "Retreival of koalas." }),
      ...Array.from({ length: 20 }, (_, i) =>
        arxivLine({
          id: `2601.${String(100 + i).padStart(5, "0")}`,
          title: `Wombat Retrieval ${i + 1}`,
          abstract: "Retrieval of wombats.",
        }),
      ),
    ];
    writeFileSync(dump, `${lines.join("\n")}\n`);
    own.ingest([dump], { now: at(ingestTime) });
    const context = createBotContext({ ...contextOptions, app: own });
    context.roundups.subscriptions.subscribe("2", "3", { topics: [], by: "1", now: new Date() });
    const { response } = await createDispatcher(
      commands,
      context,
    )({
      kind: "command",
      name: "topics",
      invocation: {
        ...invocation({ channel: "3", topic: "koala retreival, retreival of wombats" }),
        canManageGuild: true,
        subcommand: "add",
      },
    });
    if (response.kind !== "reply") throw new Error(`not a reply: ${response.kind}`);
    // Once, though both topics have it.
    expect(response.reply.content).toContain(
      'Read “retreival” as “retrieval” too; to keep it as typed, put it in quotes and add the topic again with /topics add: `koala "retreival"`.',
    );
    own.close();
  });
});
