import { join } from "node:path";
import { ApplicationCommandOptionType, ComponentType } from "discord.js";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";
import { createBotContext } from "../../src/bot/context.ts";
import { type BotRequest, createDispatcher, type Dispatched } from "../../src/bot/dispatcher.ts";
import { realClock } from "../../src/bot/types.ts";
import type { RoundupPort } from "../../src/roundup/runner.ts";
import { createWritable } from "../../src/writable.ts";
import {
  archiveDir,
  at,
  ingestTime,
  lockedElsewhere,
  openApp,
  settledNow,
  slowIngestRefresh,
  tempDir,
  writeLockProbe,
} from "../helpers.ts";

const guildId = "g1";

/**
 * Paperboy on a database file with data/archive, its commands dispatched as the bot does;
 * `checkingChannel` runs while Discord is asked whether a channel can have a roundup.
 */
function bot(checkingChannel: (refresh: ReturnType<typeof slowIngestRefresh>) => void = () => {}) {
  const app = openApp(join(tempDir(), "paperboy.db"));
  app.ingest([archiveDir], { now: at(ingestTime) });
  const refresh = slowIngestRefresh(app);
  const port: RoundupPort = {
    serves: () => true,
    async checkChannel() {
      checkingChannel(refresh);
      return { ok: true };
    },
    send: async () => "1",
    tellStopped: async () => {},
  };
  const context = createBotContext({
    app,
    clock: realClock,
    log: pino({ level: "silent" }),
    port,
    searchThreads: 0,
    writable: createWritable(app.db, refresh.idle, realClock), // as npm start makes it
  });
  return { app, refresh, context, dispatch: createDispatcher(commands, context) };
}

const asAdmin = (options: Record<string, string>, subcommand?: string) => ({
  user: { id: "1", name: "admin" },
  guildId,
  channelId: "c1",
  canManageGuild: true,
  ...(subcommand ? { subcommand } : {}),
  options,
});

const command = (name: string, options: Record<string, string> = {}, subcommand?: string) =>
  ({ kind: "command", name, invocation: asAdmin(options, subcommand) }) as const;

const autocomplete = (
  name: string,
  focused: { name: string; value: string },
  options: Record<string, string> = {},
  subcommand?: string,
) =>
  ({
    kind: "autocomplete",
    name,
    focused,
    invocation: asAdmin({ ...options, [focused.name]: focused.value }, subcommand),
  }) as const;

const contentOf = ({ response }: Dispatched) =>
  response.kind === "choices" ? undefined : response.reply.content;

describe("commands that write, while an ingest holds the write lock", () => {
  it("answer once it is over, their writes done; reads and autocomplete answer meanwhile", async () => {
    const { app, refresh, context, dispatch } = bot();
    const lockHeld = writeLockProbe(app.db.name);
    for (const channel of ["c1", "c3"])
      await dispatch(command("subscribe", { channel, topics: "diffusion, graph neural networks" }));

    const ingest = refresh.start();
    const subscribing = dispatch(
      command("subscribe", { channel: "c2", topics: "packet spraying" }),
    );
    const removing = dispatch(command("topics", { channel: "c1", topic: "diffusion" }, "remove"));
    const unsubscribing = dispatch(command("unsubscribe", { channel: "c3" }));

    // Read while the lock is held: each answered, not one waiting on the writes.
    const choices = await dispatch(
      autocomplete("topics", { name: "topic", value: "diff" }, { channel: "c1" }, "remove"),
    );
    expect(choices.response).toEqual({
      kind: "choices",
      choices: [{ name: "diffusion", value: "diffusion" }],
    });
    const zones = await dispatch(
      autocomplete("subscribe", { name: "timezone", value: "Europe/Pa" }),
    );
    expect(zones.response).toMatchObject({ choices: [{ value: "Europe/Paris" }] });
    const listed = await dispatch(command("topics", { channel: "c1" }, "list"));
    expect(listed.response).toMatchObject({
      reply: { embeds: [{ description: expect.stringContaining("1. diffusion") }] },
    });
    expect((await dispatch(command("roundup", { channel: "c1" }, "preview"))).outcome).toBe("ok");
    expect((await dispatch(command("search", { query: "packet spraying" }))).outcome).toBe("ok");

    for (const writing of [subscribing, removing, unsubscribing])
      expect(await settledNow(writing)).toBe(false);
    expect(lockHeld()).toBe(true);
    await ingest.commit();

    expect(contentOf(await subscribing)).toMatch(/^Subscribed\. Daily roundup:/);
    expect(contentOf(await removing)).toBe("<#c1> no longer follows “diffusion”.");
    expect(contentOf(await unsubscribing)).toBe(
      "<#c3> gets no more roundups. /subscribe sets one up again.",
    );
    const { subscriptions } = context.roundups;
    expect(subscriptions.get(guildId, "c2")?.topics).toEqual(["packet spraying"]);
    expect(subscriptions.get(guildId, "c1")?.topics).toEqual(["graph neural networks"]);
    expect(subscriptions.get(guildId, "c3")).toBeUndefined();
  });

  it("/subscribe waits again for an ingest begun while Discord was asked about the channel", async () => {
    let ingest: { commit(): Promise<void> } | undefined;
    const { app, context, dispatch } = bot((refresh) => {
      ingest = refresh.start();
    });
    const lockHeld = writeLockProbe(app.db.name);
    const subscribing = dispatch(command("subscribe", { channel: "c1", topics: "diffusion" }));
    expect(await settledNow(subscribing)).toBe(false);
    expect(lockHeld()).toBe(true);
    await ingest?.commit();
    expect(contentOf(await subscribing)).toMatch(/^Subscribed\./);
    expect(context.roundups.subscriptions.get(guildId, "c1")?.topics).toEqual(["diffusion"]);
  });

  it("wait for another process's write too (`paperboy ingest`), without holding the event loop", async () => {
    const { app, context, dispatch } = bot();
    const otherProcess = lockedElsewhere(app.db.name);

    const subscribing = dispatch(command("subscribe", { channel: "c1", topics: "diffusion" }));
    // Held in busy_timeout, the event loop would not have run this search until it failed.
    expect((await dispatch(command("search", { query: "diffusion" }))).outcome).toBe("ok");
    expect(await settledNow(subscribing)).toBe(false);

    otherProcess.exec("COMMIT");
    expect(contentOf(await subscribing)).toMatch(/^Subscribed\./);
    expect(context.roundups.subscriptions.get(guildId, "c1")?.topics).toEqual(["diffusion"]);
  });

  it("are all those that say so: every other command, subcommand, component and autocomplete only reads", async () => {
    const { app, dispatch } = bot();
    await dispatch(command("subscribe", { channel: "c1", topics: "diffusion" }));
    const searched = await dispatch(command("search", { query: "graph neural networks" }));
    const rows = searched.response.kind === "reply" ? searched.response.reply.components : [];
    const next = rows?.[0]?.components[1];
    const menu = rows?.[1]?.components[0];
    if (next?.type !== ComponentType.Button || !("custom_id" in next)) throw new Error("no Next");
    if (menu?.type !== ComponentType.StringSelect) throw new Error("no paper menu");
    const component = (customId: string, values: string[] = []): BotRequest => ({
      kind: "component",
      customId,
      invocation: { ...asAdmin({}), values },
    });
    const reading: Record<string, BotRequest[]> = {
      search: [
        command("search", { query: "diffusion models" }),
        component(next.custom_id),
        component(menu.custom_id, [menu.options[0]?.value ?? ""]),
      ],
      paper: [
        command("paper", { paper: "diffusion" }),
        autocomplete("paper", { name: "paper", value: "difusion" }),
      ],
      stats: [command("stats")],
      help: [command("help")],
      subscribe: [autocomplete("subscribe", { name: "timezone", value: "Europe" })],
      "topics list": [command("topics", { channel: "c1" }, "list")],
      "topics remove": [
        autocomplete("topics", { name: "topic", value: "" }, { channel: "c1" }, "remove"),
      ],
      "roundup preview": [command("roundup", { channel: "c1" }, "preview")],
      subscriptions: [command("subscriptions")],
    };
    // Every command or subcommand said to only read is tried here (a new one too).
    const declaredReading = commands.flatMap(({ definition, writes }) => {
      const subcommands = (definition.options ?? [])
        .filter((option) => option.type === ApplicationCommandOptionType.Subcommand)
        .map((option) => option.name);
      if (writes === true) return [];
      if (subcommands.length === 0) return [definition.name];
      return subcommands
        .filter((name) => !writes?.includes(name))
        .map((name) => `${definition.name} ${name}`);
    });
    expect(declaredReading.filter((name) => !(name in reading))).toEqual([]);

    // Any write now fails ("attempt to write a readonly database").
    app.db.pragma("query_only = ON");
    for (const [name, requests] of Object.entries(reading)) {
      for (const request of requests) expect((await dispatch(request)).outcome, name).toBe("ok");
    }
  });
});
