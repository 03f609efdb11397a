/**
 * The fake's mutable server-side state: interactions and their responses, messages, and
 * registered application commands. REST handlers read and write it; the facade exposes it
 * read-only to tests.
 */
import type { APIApplicationCommand, APIMessage } from "discord.js";
import type { FakeInteraction } from "./interactions.ts";
import type { SnowflakeFactory } from "./snowflake.ts";

export interface InteractionState {
  payload: FakeInteraction;
  /** Set once a callback was accepted; Discord allows exactly one. */
  callbackType: number | null;
  /** The `@original` response message, once one exists. */
  original: APIMessage | null;
  /** Follow-up messages by id. */
  followUps: Map<string, APIMessage>;
}

export interface RegisteredCommands {
  global: APIApplicationCommand[];
  guilds: Record<string, APIApplicationCommand[]>;
}

/** The command definition fields a bot may send. */
export type CommandDefinition = Partial<APIApplicationCommand> & { name: string };

export class FakeState {
  readonly interactions = new Map<string, InteractionState>();
  readonly #byToken = new Map<string, InteractionState>();
  /** Messages retrievable through channel routes, by id. */
  readonly messages = new Map<string, APIMessage>();
  readonly commands: RegisteredCommands = { global: [], guilds: {} };
  /**
   * Channel messages by their author and the nonce they were sent with (`author:nonce`),
   * and when, for `enforce_nonce`.
   */
  readonly messagesByNonce = new Map<string, { message: APIMessage; at: number }>();
  readonly #dmChannels = new Map<string, string>();

  constructor(
    private readonly nextId: SnowflakeFactory,
    private readonly applicationId: string,
  ) {}

  registerInteraction(payload: FakeInteraction): InteractionState {
    const state: InteractionState = {
      payload,
      callbackType: null,
      original: null,
      followUps: new Map(),
    };
    this.interactions.set(payload.id, state);
    this.#byToken.set(payload.token, state);
    return state;
  }

  interactionByToken(token: string): InteractionState | undefined {
    return this.#byToken.get(token);
  }

  /** Looks a message up wherever the fake keeps one. */
  findMessage(id: string): APIMessage | undefined {
    const stored = this.messages.get(id);
    if (stored) return stored;
    for (const st of this.interactions.values()) {
      if (st.original?.id === id) return st.original;
      const followUp = st.followUps.get(id);
      if (followUp) return followUp;
    }
    return undefined;
  }

  dmChannelId(userId: string): string {
    let id = this.#dmChannels.get(userId);
    if (!id) {
      id = this.nextId();
      this.#dmChannels.set(userId, id);
    }
    return id;
  }

  /** The user a DM channel belongs to, if the id is one of the fake's DM channels. */
  dmRecipient(channelId: string): string | undefined {
    for (const [userId, id] of this.#dmChannels) if (id === channelId) return userId;
    return undefined;
  }

  commandList(guildId: string | null): APIApplicationCommand[] {
    if (guildId === null) return this.commands.global;
    this.commands.guilds[guildId] ??= [];
    return this.commands.guilds[guildId];
  }

  /** Discord resolves a name to the guild command first, then the global one. */
  findCommand(name: string, guildId: string | null): APIApplicationCommand | undefined {
    const guildCommands = guildId ? (this.commands.guilds[guildId] ?? []) : [];
    return (
      guildCommands.find((c) => c.name === name && c.type === 1) ??
      this.commands.global.find((c) => c.name === name && c.type === 1)
    );
  }

  /** Builds the stored form of a definition, keeping the id of the command it replaces. */
  materialize(
    def: CommandDefinition,
    guildId: string | null,
    existingId?: string,
  ): APIApplicationCommand {
    const command: APIApplicationCommand = {
      ...def,
      id: existingId ?? this.nextId(),
      application_id: this.applicationId,
      type: def.type ?? 1,
      name: def.name,
      description: def.description ?? "",
      default_member_permissions: def.default_member_permissions ?? null,
      nsfw: def.nsfw ?? false,
      version: this.nextId(),
    };
    if (guildId) command.guild_id = guildId;
    return command;
  }

  /**
   * Bulk overwrite (PUT): commands matched by (type, name) keep their ids, like on Discord,
   * so a bot re-registering on every start does not churn ids.
   */
  overwriteCommands(guildId: string | null, defs: CommandDefinition[]): APIApplicationCommand[] {
    const list = this.commandList(guildId);
    const next = defs.map((def) => {
      const previous = list.find((c) => c.name === def.name && c.type === (def.type ?? 1));
      return this.materialize(def, guildId, previous?.id);
    });
    list.splice(0, list.length, ...next);
    return next;
  }

  /** POST: creates, or replaces a same-named command (Discord's upsert semantics). */
  upsertCommand(
    guildId: string | null,
    def: CommandDefinition,
  ): { command: APIApplicationCommand; created: boolean } {
    const list = this.commandList(guildId);
    const index = list.findIndex((c) => c.name === def.name && c.type === (def.type ?? 1));
    const command = this.materialize(def, guildId, list[index]?.id);
    if (index >= 0) list[index] = command;
    else list.push(command);
    return { command, created: index < 0 };
  }

  clear(): void {
    this.interactions.clear();
    this.#byToken.clear();
    this.messages.clear();
    this.messagesByNonce.clear();
    this.commands.global.length = 0;
    for (const key of Object.keys(this.commands.guilds)) delete this.commands.guilds[key];
  }
}
