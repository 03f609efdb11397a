/**
 * Self-test of the Discord fake against the real discord.js client: if these pass, the
 * fake speaks enough of Discord's REST API and gateway for end-to-end bot tests.
 */
import { once } from "node:events";
import {
  ApplicationCommandOptionType,
  ButtonStyle,
  type ChatInputApplicationCommandData,
  Client,
  ComponentType,
  DefaultRestOptions,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  GatewayOpcodes,
  type Interaction,
  MessageFlags,
  PermissionFlagsBits,
  type TextChannel,
} from "discord.js";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "./discord-fake/index.ts";

const TOKEN = "fake-test-token";

/** Logs a real client into the fake and waits for discord.js's ready event. */
async function loginClient(fake: FakeDiscord): Promise<Client> {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: { api: `${fake.url}/api` },
  });
  // discord.js 14.22+ names it clientReady ("ready" still fires, with a deprecation warning).
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(5_000) }).catch(
    (error: unknown) => {
      throw new Error("discord.js did not emit clientReady within 5s", { cause: error });
    },
  );
  await client.login(TOKEN);
  await ready;
  return client;
}

describe("FakeDiscord with the real discord.js client", () => {
  let fake: FakeDiscord;
  let client: Client;
  // Each test installs its own interaction handler; their promises are awaited after the
  // test so a handler that throws fails the test instead of vanishing.
  let handler: ((interaction: Interaction) => Promise<void>) | null = null;
  const handled: Promise<void>[] = [];

  beforeAll(async () => {
    fake = await FakeDiscord.start({ token: TOKEN });
    client = await loginClient(fake);
    client.on(Events.InteractionCreate, (interaction) => {
      if (handler) handled.push(handler(interaction));
    });
  });

  // Each test starts from a clean record, the first too (logging in made requests).
  beforeEach(() => fake.reset());

  afterEach(async () => {
    handler = null;
    await Promise.all(handled.splice(0));
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it("logs in over REST + gateway and caches the guild from GUILD_CREATE", () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(client.rest.options.api).toBe(fake.apiBase);

    const guild = client.guilds.cache.get(fake.guild.id);
    expect(guild?.name).toBe(fake.guild.name);
    expect(guild?.channels.cache.get(fake.textChannel.id)?.isTextBased()).toBe(true);
    expect(guild?.channels.cache.get(fake.voiceChannel.id)?.isVoiceBased()).toBe(true);
    expect(guild?.members.me?.id).toBe(fake.botUser.id);
    expect(guild?.ownerId).toBe(fake.guild.ownerId);
  });

  it("keeps discord.js's default API base when rest.api is not overridden", async () => {
    const plain = new Client({ intents: [GatewayIntentBits.Guilds] });
    try {
      expect(plain.rest.options.api).toBe(DefaultRestOptions.api);
      expect(DefaultRestOptions.api).toBe("https://discord.com/api");
    } finally {
      await plain.destroy();
    }
  });

  it("fetches the application over REST", async () => {
    const application = await client.application?.fetch();
    expect(application?.id).toBe(fake.applicationId);
    expect(fake.requests.at(-1)).toMatchObject({
      method: "GET",
      path: "/applications/@me",
      version: 10,
      status: 200,
      headers: { authorization: "Bot [redacted]" },
    });
  });

  it("records a slash command reply (callback type 4)", async () => {
    let query: string | null = null;
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      query = interaction.options.getString("query");
      await interaction.reply({ content: "hi", allowedMentions: { parse: [] } });
    };
    const slash = fake.injectInteraction(
      fake.build.slashCommand({ name: "search", options: { query: "graph networks" } }),
    );
    const callback = await fake.waitForCallback(slash.id);

    expect(callback.type).toBe(4);
    expect(callback.data).toMatchObject({ content: "hi", allowed_mentions: { parse: [] } });
    expect(query).toBe("graph networks");
    expect(fake.interaction(slash.id)?.original?.content).toBe("hi");
  });

  it("records deferReply + editReply (callback type 5, then PATCH @original)", async () => {
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      await interaction.editReply({ content: "done" });
    };
    const slash = fake.injectInteraction(fake.build.slashCommand({ name: "search" }));
    const edit = await fake.waitForWebhookEdit(slash.id);

    expect(fake.callbacks).toHaveLength(1);
    expect(fake.callbacks[0]).toMatchObject({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    expect(edit.messageId).toBe("@original");
    expect(edit.body).toMatchObject({ content: "done" });
    // Editing resolves the "thinking" placeholder but keeps it ephemeral.
    expect(edit.message.flags).toBe(MessageFlags.Ephemeral);
    expect(fake.requests.map((r) => `${r.method} ${r.route}`)).toEqual([
      "POST /interactions/:id/:token/callback",
      "PATCH /webhooks/:app/:token/messages/:message",
    ]);
  });

  it("lets discord.js retry a queued 429 on the callback, and the reply still lands", async () => {
    fake.failNext({
      method: "POST",
      path: /\/callback$/,
      status: 429,
      body: { message: "You are being rate limited.", retry_after: 0.05, global: false },
    });
    handler = async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "after 429" });
    };
    const slash = fake.injectInteraction(fake.build.slashCommand({ name: "search" }));
    const callback = await fake.waitForCallback(slash.id);

    expect(callback.data).toMatchObject({ content: "after 429" });
    expect(fake.pendingFailures).toBe(0);
    const attempts = fake.requests.filter((r) => r.path.endsWith("/callback"));
    expect(attempts.map((r) => [r.status, r.injected])).toEqual([
      [429, true],
      [204, false],
    ]);
    expect(attempts[0]?.query).toEqual({ with_response: "false" });
  });

  it("returns the callback resource when the bot asks withResponse", async () => {
    let messageId: string | undefined;
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      const response = await interaction.reply({ content: "with response", withResponse: true });
      messageId = response.resource?.message?.id;
    };
    const slash = fake.injectInteraction(fake.build.slashCommand({ name: "search" }));
    const callback = await fake.waitForCallback(slash.id);
    await Promise.all(handled);

    expect(callback.withResponse).toBe(true);
    expect(messageId).toBe(fake.interaction(slash.id)?.original?.id);
  });

  it("records client.application.commands.set, globally and per guild", async () => {
    const definitions: ChatInputApplicationCommandData[] = [
      {
        name: "search",
        description: "Search the paper archive",
        options: [
          {
            type: ApplicationCommandOptionType.String,
            name: "query",
            description: "Words",
            required: true,
          },
          { type: ApplicationCommandOptionType.Integer, name: "limit", description: "How many" },
        ],
      },
    ];
    const registered = await client.application?.commands.set(definitions);
    await client.application?.commands.set(
      [{ name: "roundup", description: "Daily roundup" }],
      fake.guild.id,
    );

    expect(fake.commands.global.map((c) => c.name)).toEqual(["search"]);
    expect(fake.commands.guilds[fake.guild.id]?.map((c) => c.name)).toEqual(["roundup"]);
    expect(registered?.first()?.id).toBe(fake.commands.global[0]?.id);
    expect(fake.commandWrites.map((w) => [w.method, w.guildId])).toEqual([
      ["PUT", null],
      ["PUT", fake.guild.id],
    ]);

    // Built interactions take option types (and the command id) from the registration.
    const slash = fake.build.slashCommand({ name: "search", options: { query: "x", limit: 3 } });
    expect(slash.data.id).toBe(fake.commands.global[0]?.id);
    expect(slash.data.options?.map((o) => o.type)).toEqual([
      ApplicationCommandOptionType.String,
      ApplicationCommandOptionType.Integer,
    ]);
  });

  it("records an autocomplete respond() as callback type 8", async () => {
    handler = async (interaction) => {
      if (!interaction.isAutocomplete()) return;
      const typed = interaction.options.getFocused();
      await interaction.respond([{ name: `${typed} networks`, value: `${typed}-networks` }]);
    };
    const auto = fake.injectInteraction(
      fake.build.autocomplete({ name: "search", options: { query: "graph" }, focused: "query" }),
    );
    const callback = await fake.waitForCallback(auto.id);

    expect(callback.type).toBe(8);
    expect(callback.data).toEqual({
      choices: [{ name: "graph networks", value: "graph-networks" }],
    });
  });

  it("delivers button and string select interactions and records update() (type 7)", async () => {
    const seen: string[] = [];
    handler = async (interaction) => {
      if (interaction.isButton()) {
        seen.push(`button:${interaction.customId}`);
        await interaction.update({ content: "page 2" });
      } else if (interaction.isStringSelectMenu()) {
        seen.push(`select:${interaction.values.join(",")}`);
        await interaction.deferUpdate();
      }
    };
    const button = fake.injectInteraction(fake.build.button({ customId: "page:2" }));
    const select = fake.injectInteraction(
      fake.build.stringSelect({ customId: "pick", values: ["a", "b"] }),
    );

    expect((await fake.waitForCallback(button.id)).type).toBe(7);
    expect((await fake.waitForCallback(select.id)).type).toBe(6);
    expect(seen.sort()).toEqual(["button:page:2", "select:a,b"]);
    expect(fake.interaction(button.id)?.original?.content).toBe("page 2");
  });

  it("answers injected 403/404/500 on channel messages the way discord.js expects", async () => {
    const channel = client.channels.cache.get(fake.textChannel.id) as TextChannel;
    const path = `/channels/${channel.id}/messages`;

    fake.failNext({
      method: "POST",
      path,
      status: 403,
      body: { code: 50013, message: "Missing Permissions" },
    });
    await expect(channel.send("nope")).rejects.toMatchObject({ status: 403, code: 50013 });

    fake.failNext({
      method: "POST",
      path,
      status: 404,
      body: { code: 10003, message: "Unknown Channel" },
    });
    await expect(channel.send("nope")).rejects.toBeInstanceOf(DiscordAPIError);

    // discord.js retries 5xx by itself.
    fake.failNext({ method: "POST", path, status: 500 });
    const sent = await channel.send({
      content: "roundup",
      components: [
        {
          type: ComponentType.ActionRow,
          components: [
            {
              type: ComponentType.Button,
              style: ButtonStyle.Primary,
              label: "More",
              customId: "more",
            },
          ],
        },
      ],
    });

    expect(fake.channelMessages).toHaveLength(1);
    expect(fake.channelMessages[0]?.message.id).toBe(sent.id);
    expect(fake.requests.map((r) => r.status)).toEqual([403, 404, 500, 200]);

    // A button on that message: the component interaction carries the stored message.
    const click = fake.build.button({ customId: "more", message: sent.id });
    expect(click.message.content).toBe("roundup");
  });

  it("rejects what Discord rejects: overlong content, unknown routes", async () => {
    let error: unknown;
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      error = await interaction.reply({ content: "x".repeat(2001) }).catch((e: unknown) => e);
    };
    const slash = fake.injectInteraction(fake.build.slashCommand({ name: "search" }));
    await fake.waitForRequest({ method: "POST", path: /\/callback$/ });
    await Promise.all(handled);
    expect(error).toMatchObject({ status: 400, code: 50035 });
    expect(fake.interaction(slash.id)?.callbackType).toBeNull();

    await expect(client.rest.get("/not-a-route")).rejects.toMatchObject({ status: 404, code: 0 });
    expect(fake.unhandledRequests.map((r) => r.path)).toEqual(["/not-a-route"]);
  });

  it("delivers DM interactions (user instead of member)", async () => {
    let inGuild: boolean | undefined;
    handler = async (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      inGuild = interaction.inGuild();
      await interaction.reply({ content: "dm reply" });
    };
    const slash = fake.injectInteraction(
      fake.build.slashCommand({ name: "search", guildId: null }),
    );
    await fake.waitForCallback(slash.id);
    expect(slash.user?.id).toBe(fake.tester.id);
    expect(inGuild).toBe(false);
  });

  it("fails a wait with a message naming what it waited for", async () => {
    await expect(fake.waitForCallback("123", { timeoutMs: 20 })).rejects.toThrow(
      /timed out after 20ms waiting for a callback for interaction 123/,
    );
  });

  it("survives an op 7 reconnect by resuming the session", async () => {
    fake.requestReconnect();
    await fake.waitFor(
      (e) =>
        e.kind === "gateway" &&
        e.payload.direction === "in" &&
        e.payload.op === GatewayOpcodes.Resume,
    );
    await fake.waitFor((e) => e.kind === "gateway" && e.payload.t === "RESUMED");

    handler = async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.reply({ content: "still here" });
    };
    const slash = fake.injectInteraction(fake.build.slashCommand({ name: "search" }));
    expect((await fake.waitForCallback(slash.id)).data).toMatchObject({ content: "still here" });
  });
});

describe("FakeDiscord world configuration", () => {
  it("computes permissions from roles and overwrites, and enforces them on sends", async () => {
    const guildId = "1300000000000000001";
    const fake = await FakeDiscord.start({
      guilds: [
        {
          id: guildId,
          channels: [
            { name: "general" },
            {
              name: "announcements",
              permissionOverwrites: [
                { id: guildId, type: "role", deny: PermissionFlagsBits.SendMessages },
              ],
            },
          ],
        },
      ],
    });
    const client = await loginClient(fake);
    try {
      const [general, announcements] = fake.guild.channels;
      const readOnly = client.channels.cache.get(announcements?.id ?? "") as TextChannel;
      await expect(readOnly.send("hi")).rejects.toMatchObject({ status: 403, code: 50013 });
      const ok = client.channels.cache.get(general?.id ?? "") as TextChannel;
      await expect(ok.send("hi")).resolves.toBeDefined();

      // discord.js's own permission maths agrees with the fake's.
      const me = readOnly.guild.members.me;
      expect(me && readOnly.permissionsFor(me).has(PermissionFlagsBits.SendMessages)).toBe(false);

      const slash = fake.build.slashCommand({ name: "x", channelId: readOnly.id });
      const perms = BigInt(slash.member?.permissions ?? "0");
      expect(perms & PermissionFlagsBits.SendMessages).toBe(0n);
      expect(perms & PermissionFlagsBits.ViewChannel).toBe(PermissionFlagsBits.ViewChannel);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});

describe("FakeDiscord gateway lifecycle", () => {
  it("acknowledges heartbeats and shuts down cleanly", async () => {
    const fake = await FakeDiscord.start({ heartbeatIntervalMs: 50 });
    const client = await loginClient(fake);
    try {
      await fake.waitFor(
        (e) => e.kind === "gateway" && e.payload.op === GatewayOpcodes.HeartbeatAck,
      );
      const identify = fake.gatewayPayloads.find((p) => p.op === GatewayOpcodes.Identify);
      expect(identify?.d).toMatchObject({ token: "[redacted]", intents: GatewayIntentBits.Guilds });
    } finally {
      await client.destroy();
      await fake.close();
    }
    expect(() => fake.injectInteraction(fake.build.slashCommand({ name: "x" }))).toThrow(
      /no bot session/,
    );
  });
});

describe("FakeDiscord message nonces (enforce_nonce)", () => {
  let fake: FakeDiscord;
  let client: Client;
  let now = Date.parse("2026-11-23T08:00:00Z");
  const channel = () => client.channels.cache.get(fake.textChannel.id) as TextChannel;

  beforeAll(async () => {
    fake = await FakeDiscord.start({ token: TOKEN, now: () => now, nonceWindowMs: 120_000 });
    client = await loginClient(fake);
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  it("returns the earlier message for its author's nonce within the window, and creates none", async () => {
    const first = await channel().send({
      content: "roundup",
      nonce: "pb1.0.x",
      enforceNonce: true,
    });
    now += 119_999;
    const again = await channel().send({
      content: "roundup",
      nonce: "pb1.0.x",
      enforceNonce: true,
    });
    expect(again.id).toBe(first.id);
    // Another nonce, or the same without enforce_nonce, is another message.
    const other = await channel().send({
      content: "roundup",
      nonce: "pb1.1.x",
      enforceNonce: true,
    });
    const unenforced = await channel().send({ content: "roundup", nonce: "pb1.0.x" });
    expect(new Set([first.id, other.id, unenforced.id]).size).toBe(3);
    expect(fake.channelMessages.map((m) => m.message.id)).toEqual([
      first.id,
      other.id,
      unenforced.id,
    ]);
  });

  it("forgets a nonce after the window, as Discord does: the same nonce posts again", async () => {
    const first = await channel().send({ content: "late", nonce: "pb2.0.x", enforceNonce: true });
    now += 120_000;
    const later = await channel().send({ content: "late", nonce: "pb2.0.x", enforceNonce: true });
    expect(later.id).not.toBe(first.id);
  });

  it("cuts the connection after storing the message when told to (status 'dropped', processed)", async () => {
    const path = `/channels/${fake.textChannel.id}/messages`;
    fake.failNext({ method: "POST", path, status: "dropped", processed: true });
    const sending = channel().send({ content: "lost", nonce: "pb3.0.x", enforceNonce: true });
    await expect(sending).rejects.not.toBeInstanceOf(DiscordAPIError);
    const stored = fake.channelMessages.filter((m) => m.body.content === "lost");
    expect(stored).toHaveLength(1);
    expect(fake.requests.at(-1)).toMatchObject({ status: 0, injected: true });
    // Sent again with the nonce, Discord answers with that message.
    const again = await channel().send({ content: "lost", nonce: "pb3.0.x", enforceNonce: true });
    expect(again.id).toBe(stored[0]?.message.id);
  });
});
