/**
 * FakeDiscord: a local stand-in for Discord's REST API and gateway, for end-to-end tests of
 * the real discord.js client.
 *
 *   const fake = await FakeDiscord.start();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
 *   await client.login(fake.token);
 *   const slash = fake.injectInteraction(fake.build.slashCommand({ name: "search", options: { query: "x" } }));
 *   const callback = await fake.waitForCallback(slash.id);
 *   ...
 *   await client.destroy();
 *   await fake.close();
 *
 * The fake behaves like Discord and records; assertions about the bot belong in the tests.
 */
import type {
  APIApplicationCommandAutocompleteInteraction,
  APIChatInputApplicationCommandInteraction,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APIMessageComponentSelectMenuInteraction,
} from "discord.js";
import { FailureQueue, type FailureSpec, HoldQueue, type RequestMatch } from "./failures.ts";
import { FakeGateway } from "./gateway.ts";
import {
  type AutocompleteInput,
  buildAutocomplete,
  buildButton,
  buildSlashCommand,
  buildStringSelect,
  type CommandInput,
  type ComponentInput,
  type FakeInteraction,
  type InteractionBuildContext,
  type StringSelectInput,
} from "./interactions.ts";
import { guildCreatePayload } from "./payloads.ts";
import {
  type FakeEvent,
  type RecordedCallback,
  type RecordedChannelMessage,
  type RecordedFollowUp,
  type RecordedRequest,
  type RecordedWebhookEdit,
  Recorder,
  type WaitOptions,
} from "./recorder.ts";
import { createRoutes } from "./routes.ts";
import { HttpServer } from "./server.ts";
import { createSnowflakeFactory } from "./snowflake.ts";
import { FakeState, type InteractionState, type RegisteredCommands } from "./state.ts";
import {
  type FakeGuildChannel,
  type FakeOverwriteOptions,
  type FakeWorldOptions,
  findChannel,
  findGuild,
  type GuildRecord,
  makeOverwrite,
  resolveWorld,
  type World,
} from "./world.ts";

export type { FailureSpec, RequestMatch } from "./failures.ts";
export type { FakeInteraction } from "./interactions.ts";
export type * from "./recorder.ts";

export interface FakeDiscordOptions extends FakeWorldOptions {
  /**
   * When set, the only bot token the fake accepts (REST `Authorization: Bot <token>` and
   * gateway IDENTIFY); anything else gets 401 / close 4004, like a revoked token.
   * When unset, any token is accepted.
   */
  token?: string;
  /** HELLO's heartbeat interval. Default 41250 ms, Discord's usual value. */
  heartbeatIntervalMs?: number;
  /** Privileged intents (bitfield) the application is approved for. Default: all of them. */
  privilegedIntents?: number;
  /**
   * The gateway's websocket is blocked, as by a firewall that lets HTTPS through: REST
   * answers, but every websocket connection is cut before its handshake.
   */
  gatewayBlocked?: boolean;
  /**
   * The clock the fake remembers message nonces by, in ms. Default Date.now; a test with an
   * injected clock passes it, so Discord's "past few minutes" are the test's minutes.
   */
  now?: () => number;
  /**
   * How long a nonce sent with `enforce_nonce` is checked for uniqueness. Discord says "the
   * past few minutes", no figure: the default, 2 minutes, is its shortest reading, so that a
   * bot leaning on a nonce for longer fails here rather than in production.
   */
  nonceWindowMs?: number;
}

const ALL_PRIVILEGED = (1 << 1) | (1 << 8) | (1 << 15);

export class FakeDiscord {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Pass as `rest: { api: fake.apiBase }`; discord.js appends `/v10`. */
  readonly apiBase: string;
  /** `ws://127.0.0.1:PORT`, returned by `GET /gateway/bot`. */
  readonly gatewayUrl: string;
  /** The configured token, or "fake-bot-token" (any token works when none was configured). */
  readonly token: string;
  readonly world: World;

  /** Interaction payload builders; each call mints a fresh id and token. */
  readonly build: {
    slashCommand(input: CommandInput): APIChatInputApplicationCommandInteraction;
    autocomplete(input: AutocompleteInput): APIApplicationCommandAutocompleteInteraction;
    button(input: ComponentInput): APIMessageComponentButtonInteraction;
    stringSelect(input: StringSelectInput): APIMessageComponentSelectMenuInteraction;
  };

  readonly #recorder: Recorder;
  readonly #failures: FailureQueue;
  readonly #holds: HoldQueue;
  readonly #state: FakeState;
  readonly #http: HttpServer;
  readonly #gateway: FakeGateway;
  /** The only token accepted, when one is enforced. */
  readonly #enforced: { token: string | undefined };
  /** The bot's member records in guilds it was removed from, for when it is added back. */
  readonly #removedBot = new Map<string, GuildRecord["members"][number]>();

  private constructor(parts: {
    token: string;
    world: World;
    recorder: Recorder;
    failures: FailureQueue;
    holds: HoldQueue;
    state: FakeState;
    http: HttpServer;
    gateway: FakeGateway;
    buildContext: InteractionBuildContext;
    enforced: { token: string | undefined };
  }) {
    this.#enforced = parts.enforced;
    this.token = parts.token;
    this.world = parts.world;
    this.#recorder = parts.recorder;
    this.#failures = parts.failures;
    this.#holds = parts.holds;
    this.#state = parts.state;
    this.#http = parts.http;
    this.#gateway = parts.gateway;
    this.url = `http://127.0.0.1:${parts.http.port}`;
    this.apiBase = `${this.url}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${parts.http.port}`;
    const ctx = parts.buildContext;
    this.build = {
      slashCommand: (input) => buildSlashCommand(ctx, input),
      autocomplete: (input) => buildAutocomplete(ctx, input),
      button: (input) => buildButton(ctx, input),
      stringSelect: (input) => buildStringSelect(ctx, input),
    };
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const nextId = createSnowflakeFactory();
    const world = resolveWorld(options, nextId);
    const token = options.token ?? "fake-bot-token";
    // Mutable: resetToken() replaces it, as resetting the token in the developer portal does.
    const enforced = { token: options.token };
    const recorder = new Recorder();
    const failures = new FailureQueue();
    const holds = new HoldQueue();
    const state = new FakeState(nextId, world.application.id);
    // The gateway URL is only known once the server listens; routes read it lazily.
    let gatewayUrl = "";
    const gateway = new FakeGateway({
      world,
      recorder,
      token: enforced.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      privilegedIntents: options.privilegedIntents ?? ALL_PRIVILEGED,
      gatewayUrl: () => gatewayUrl,
    });
    const http = await HttpServer.listen({
      routes: createRoutes({
        world,
        state,
        recorder,
        nextId,
        gatewayUrl: () => gatewayUrl,
        now: options.now ?? Date.now,
        nonceWindowMs: options.nonceWindowMs ?? 2 * 60_000,
      }),
      recorder,
      failures,
      holds,
      authorize: (header) =>
        enforced.token === undefined
          ? /^Bot \S+$/.test(header ?? "")
          : header === `Bot ${enforced.token}`,
      onUpgrade: (req, socket, head) =>
        options.gatewayBlocked ? socket.destroy() : gateway.handleUpgrade(req, socket, head),
    });
    gatewayUrl = `ws://127.0.0.1:${http.port}`;
    const buildContext: InteractionBuildContext = {
      world,
      nextId,
      findCommand: (name, guildId) => state.findCommand(name, guildId),
      findMessage: (id) => state.findMessage(id),
      dmChannelId: (userId) => state.dmChannelId(userId),
    };
    return new FakeDiscord({
      token,
      world,
      recorder,
      failures,
      holds,
      state,
      http,
      gateway,
      buildContext,
      enforced,
    });
  }

  // ---- the world -----------------------------------------------------------------------

  get applicationId(): string {
    return this.world.application.id;
  }
  get botUser() {
    return this.world.botUser;
  }
  /** The default invoking user of built interactions. */
  get tester() {
    return this.world.tester;
  }
  /** The first configured guild. */
  get guild(): GuildRecord {
    const guild = this.world.guilds[0];
    if (!guild) throw new Error("FakeDiscord: configured without guilds");
    return guild;
  }
  /** The first guild's first text channel. */
  get textChannel(): FakeGuildChannel {
    return this.#channelOfType(0);
  }
  /** The first guild's first voice channel. */
  get voiceChannel(): FakeGuildChannel {
    return this.#channelOfType(2);
  }

  #channelOfType(type: number): FakeGuildChannel {
    const channel = this.guild.channels.find((c) => c.type === type);
    if (!channel) throw new Error(`FakeDiscord: the first guild has no channel of type ${type}`);
    return channel;
  }

  // ---- recordings --------------------------------------------------------------------------

  get events(): readonly FakeEvent[] {
    return this.#recorder.events;
  }
  get requests(): readonly RecordedRequest[] {
    return this.#recorder.requests;
  }
  /** Requests to routes the fake does not implement (answered 404/405). */
  get unhandledRequests(): readonly RecordedRequest[] {
    return this.#recorder.requests.filter((r) => r.route === null && !r.injected);
  }
  get callbacks(): readonly RecordedCallback[] {
    return this.#recorder.callbacks;
  }
  get webhookEdits(): readonly RecordedWebhookEdit[] {
    return this.#recorder.webhookEdits;
  }
  get webhookDeletes() {
    return this.#recorder.webhookDeletes;
  }
  get followUps(): readonly RecordedFollowUp[] {
    return this.#recorder.followUps;
  }
  get channelMessages(): readonly RecordedChannelMessage[] {
    return this.#recorder.channelMessages;
  }
  /** Every command write (PUT/POST/PATCH/DELETE), in order. */
  get commandWrites() {
    return this.#recorder.commandWrites;
  }
  /** Gateway payloads in both directions (tokens redacted). */
  get gatewayPayloads() {
    return this.#recorder.gateway;
  }
  /** Currently registered commands: `global` and `guilds[guildId]`. */
  get commands(): RegisteredCommands {
    return this.#state.commands;
  }
  /** Server-side state of an injected interaction (its @original message, follow-ups, ...). */
  interaction(id: string): InteractionState | undefined {
    return this.#state.interactions.get(id);
  }
  /** A message the fake holds (channel message or interaction response). */
  message(id: string): APIMessage | undefined {
    return this.#state.findMessage(id);
  }

  // ---- driving the bot ----------------------------------------------------------------------

  /** Registers the interaction (so its token works) and sends INTERACTION_CREATE. */
  injectInteraction<T extends FakeInteraction>(payload: T): T {
    this.#state.registerInteraction(payload);
    this.#gateway.dispatch("INTERACTION_CREATE", payload);
    return payload;
  }

  /** Sends any dispatch event (e.g. GUILD_MEMBER_ADD) to the connected bot. */
  dispatch(event: string, data: unknown): void {
    this.#gateway.dispatch(event, data);
  }

  /**
   * Replaces a channel's permission overwrites, as an admin editing the channel does, and
   * sends the CHANNEL_UPDATE Discord sends (not connected, the bot is told nothing: its next
   * READY has them). REST answers follow the new permissions at once.
   */
  setPermissionOverwrites(channelId: string, overwrites: FakeOverwriteOptions[]): void {
    const found = findChannel(this.world, channelId);
    if (!found) throw new Error(`FakeDiscord: unknown channel ${channelId}`);
    found.channel.permission_overwrites = overwrites.map(makeOverwrite);
    if (this.gatewayConnected) this.#gateway.dispatch("CHANNEL_UPDATE", found.channel);
  }

  /**
   * The bot is kicked from (or leaves) a guild: it stops being a member, so REST refuses it
   * there (Missing Access), and it gets GUILD_DELETE without `unavailable`; not connected
   * (stopped), it is told nothing, and its next READY leaves the guild out.
   */
  removeBotFromGuild(guildId: string): void {
    const guild = findGuild(this.world, guildId);
    const index = guild?.members.findIndex((m) => m.user.id === this.world.botUser.id) ?? -1;
    const [member] = index >= 0 ? (guild?.members.splice(index, 1) ?? []) : [];
    if (!guild || !member) throw new Error(`FakeDiscord: the bot is not in guild ${guildId}`);
    this.#removedBot.set(guildId, member);
    if (this.gatewayConnected) this.#gateway.dispatch("GUILD_DELETE", { id: guildId });
  }

  /**
   * A moderator times the bot out in a guild until `until` (ISO), or lifts it (null): it
   * keeps View Channel and Read Message History only, so posting is refused (Missing
   * Permissions), and it gets GUILD_MEMBER_UPDATE for itself, as on Discord.
   */
  timeOutBot(guildId: string, until: string | null): void {
    const guild = findGuild(this.world, guildId);
    const member = guild?.members.find((m) => m.user.id === this.world.botUser.id);
    if (!guild || !member) throw new Error(`FakeDiscord: the bot is not in guild ${guildId}`);
    member.communication_disabled_until = until;
    this.#gateway.dispatch("GUILD_MEMBER_UPDATE", { ...member, guild_id: guildId });
  }

  /** The bot is invited back (with the roles it had): GUILD_CREATE, as on Discord. */
  addBotToGuild(guildId: string): void {
    const guild = findGuild(this.world, guildId);
    const member = this.#removedBot.get(guildId);
    if (!guild || !member) throw new Error(`FakeDiscord: the bot was not removed from ${guildId}`);
    this.#removedBot.delete(guildId);
    guild.members.unshift(member);
    this.#gateway.dispatch("GUILD_CREATE", guildCreatePayload(guild));
  }

  /**
   * The bot's token is reset in the developer portal: the old one is refused from now on
   * (REST 401, gateway 4004) and the bot's connection drops.
   */
  resetToken(): void {
    const token = `${this.token}-reset`;
    this.#enforced.token = token;
    this.#gateway.resetToken(token);
  }

  /** Sends op 7 RECONNECT; discord.js reconnects and RESUMEs. */
  requestReconnect(): void {
    this.#gateway.requestReconnect();
  }

  get gatewayConnected(): boolean {
    return this.#gateway.connected;
  }

  /** Answers the next matching request(s) with a canned response. */
  failNext(spec: FailureSpec): void {
    this.#failures.add(spec);
  }

  /**
   * Leaves the next request matching `match` unanswered until `release()`: Discord slow to
   * answer a post, while the test does something meanwhile. `arrived` resolves once it came.
   */
  hold(match: RequestMatch): { arrived: Promise<void>; release(): void } {
    return this.#holds.add(match);
  }

  get pendingFailures(): number {
    return this.#failures.pending;
  }

  // ---- waiting ----------------------------------------------------------------------------------

  waitFor<E extends FakeEvent>(
    predicate: (e: FakeEvent) => e is E,
    options?: WaitOptions,
  ): Promise<E>;
  waitFor(predicate: (e: FakeEvent) => boolean, options?: WaitOptions): Promise<FakeEvent>;
  waitFor(predicate: (e: FakeEvent) => boolean, options?: WaitOptions): Promise<FakeEvent> {
    return this.#recorder.waitFor(predicate, options);
  }

  async waitForCallback(
    interactionId: string,
    options: WaitOptions = {},
  ): Promise<RecordedCallback> {
    const event = await this.#recorder.waitFor(
      (e): e is Extract<FakeEvent, { kind: "callback" }> =>
        e.kind === "callback" && e.callback.interactionId === interactionId,
      { description: `a callback for interaction ${interactionId}`, ...options },
    );
    return event.callback;
  }

  async waitForWebhookEdit(
    interactionId: string,
    options: WaitOptions = {},
  ): Promise<RecordedWebhookEdit> {
    const event = await this.#recorder.waitFor(
      (e): e is Extract<FakeEvent, { kind: "webhookEdit" }> =>
        e.kind === "webhookEdit" && e.edit.interactionId === interactionId,
      { description: `a webhook message edit for interaction ${interactionId}`, ...options },
    );
    return event.edit;
  }

  async waitForFollowUp(
    interactionId: string,
    options: WaitOptions = {},
  ): Promise<RecordedFollowUp> {
    const event = await this.#recorder.waitFor(
      (e): e is Extract<FakeEvent, { kind: "followUp" }> =>
        e.kind === "followUp" && e.followUp.interactionId === interactionId,
      { description: `a follow-up for interaction ${interactionId}`, ...options },
    );
    return event.followUp;
  }

  async waitForChannelMessage(
    channelId?: string,
    options: WaitOptions = {},
  ): Promise<RecordedChannelMessage> {
    const event = await this.#recorder.waitFor(
      (e): e is Extract<FakeEvent, { kind: "channelMessage" }> =>
        e.kind === "channelMessage" &&
        (channelId === undefined || e.message.channelId === channelId),
      { description: `a message in channel ${channelId ?? "(any)"}`, ...options },
    );
    return event.message;
  }

  async waitForRequest(
    match: { method?: string; path?: string | RegExp },
    options: WaitOptions = {},
  ): Promise<RecordedRequest> {
    const event = await this.#recorder.waitFor(
      (e): e is Extract<FakeEvent, { kind: "request" }> =>
        e.kind === "request" &&
        (match.method === undefined || e.request.method === match.method.toUpperCase()) &&
        (match.path === undefined ||
          (typeof match.path === "string"
            ? e.request.path === match.path
            : match.path.test(e.request.path))),
      { description: `a request ${match.method ?? "*"} ${String(match.path ?? "*")}`, ...options },
    );
    return event.request;
  }

  // ---- lifecycle ----------------------------------------------------------------------------------

  /** Forgets recordings, queued failures, interactions, messages and commands. */
  reset(): void {
    this.#recorder.clear();
    this.#failures.clear();
    this.#holds.clear();
    this.#state.clear();
  }

  /**
   * Closes gateway sockets and the HTTP server. Destroy the discord.js client first:
   * a client that loses its socket unexpectedly will try to reconnect.
   */
  async close(): Promise<void> {
    await this.#gateway.close();
    await this.#http.close();
  }
}
