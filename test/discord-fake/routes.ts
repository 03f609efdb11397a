/**
 * The REST route table: what each Discord endpoint the bot may call does to the fake's
 * state, and what it answers. Handlers are synchronous and only model Discord's behaviour
 * (ids, acknowledgement rules, validation, permissions); they never judge what the bot
 * "should" have done.
 */
import {
  type APIChannel,
  type APIMessage,
  type APIMessageInteractionMetadata,
  type ChannelFlags,
  ChannelType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
} from "discord.js";
import { type DiscordErrorResponse, discordError, Errors, FormErrors } from "./errors.ts";
import { interactionUser } from "./interactions.ts";
import {
  applicationPayload,
  applyMessageEdit,
  messagePayload,
  restGuild,
  type UploadedFile,
} from "./payloads.ts";
import { computePermissions } from "./permissions.ts";
import type { Recorder } from "./recorder.ts";
import type { Route, RouteRequest, RouteResponse } from "./server.ts";
import type { SnowflakeFactory } from "./snowflake.ts";
import type { CommandDefinition, FakeState, InteractionState } from "./state.ts";
import {
  validateAutocompleteChoices,
  validateCommand,
  validateCommands,
  validateMessageBody,
} from "./validation.ts";
import { findChannel, findGuild, findMember, type World } from "./world.ts";

export interface RouteContext {
  world: World;
  state: FakeState;
  recorder: Recorder;
  nextId: SnowflakeFactory;
  gatewayUrl(): string;
  /** The fake's clock, in ms: what `nonceWindowMs` is measured on. */
  now(): number;
  /** How long Discord checks a nonce for uniqueness ("the past few minutes"). */
  nonceWindowMs: number;
}

type Json = Record<string, unknown>;

const ok = (body: unknown): RouteResponse => ({ status: 200, body });
const created = (body: unknown): RouteResponse => ({ status: 201, body });
const noContent = (): RouteResponse => ({ status: 204 });

function asObject(body: unknown): Json {
  return body !== null && typeof body === "object" && !Array.isArray(body) ? (body as Json) : {};
}

/** Which callback types Discord accepts for which interaction type. */
const ALLOWED_CALLBACKS: Record<number, readonly number[]> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
    InteractionResponseType.LaunchActivity,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
    InteractionResponseType.LaunchActivity,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [
    InteractionResponseType.ApplicationCommandAutocompleteResult,
  ],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

export function createRoutes(ctx: RouteContext): Route[] {
  const { world, state, recorder, nextId } = ctx;
  const appId = () => world.application.id;

  // ---- helpers shared by several routes -------------------------------------------------

  /** Commands live under /applications/:app[/guilds/:guild]; both ids must be valid. */
  function commandScope(params: Record<string, string>): string | null | DiscordErrorResponse {
    if (params.app !== appId()) return discordError(404, 10002, "Unknown Application");
    if (params.guild === undefined) return null;
    return findGuild(world, params.guild) ? params.guild : Errors.missingAccess();
  }

  function interactionMetadata(st: InteractionState): APIMessageInteractionMetadata {
    const p = st.payload;
    const base = {
      id: p.id,
      user: interactionUser(p) ?? world.tester,
      authorizing_integration_owners: p.authorizing_integration_owners,
    };
    return p.type === InteractionType.MessageComponent
      ? { ...base, type: p.type, interacted_message_id: p.message.id }
      : ({ ...base, type: InteractionType.ApplicationCommand } as APIMessageInteractionMetadata);
  }

  /** A message sent through the interaction webhook (reply or follow-up). */
  function interactionMessage(
    st: InteractionState,
    body: Json,
    files: UploadedFile[],
    flags: number,
  ): APIMessage {
    const message = messagePayload({
      id: nextId(),
      channelId: st.payload.channel_id ?? st.payload.channel?.id ?? "",
      author: world.botUser,
      body,
      files,
      flags,
      type:
        st.payload.type === InteractionType.ApplicationCommand
          ? MessageType.ChatInputCommand
          : MessageType.Default,
      webhookId: appId(),
      applicationId: appId(),
      interactionMetadata: interactionMetadata(st),
      attachmentIdFactory: nextId,
    });
    // Ephemeral messages cannot be fetched through channel routes.
    if (!(flags & MessageFlags.Ephemeral)) state.messages.set(message.id, message);
    return message;
  }

  function storeEdited(message: APIMessage): void {
    if (state.messages.has(message.id)) state.messages.set(message.id, message);
  }

  /** Webhook routes take the interaction token; Discord only honours it after a callback. */
  function webhookInteraction(
    params: Record<string, string>,
  ): InteractionState | DiscordErrorResponse {
    const st = state.interactionByToken(params.token ?? "");
    if (params.app !== appId() || !st || st.callbackType === null) return Errors.unknownWebhook();
    return st;
  }

  function webhookMessage(st: InteractionState, messageId: string): APIMessage | undefined {
    return messageId === "@original" ? (st.original ?? undefined) : st.followUps.get(messageId);
  }

  function channelInfo(channelId: string) {
    const found = findChannel(world, channelId);
    if (found) return { kind: "guild" as const, ...found };
    const recipient = state.dmRecipient(channelId);
    const user = recipient ? world.users.get(recipient) : undefined;
    return user ? { kind: "dm" as const, user } : undefined;
  }

  function dmChannel(channelId: string, userId: string): APIChannel {
    const user = world.users.get(userId);
    return {
      id: channelId,
      type: ChannelType.DM,
      name: null,
      recipients: user ? [user] : [],
      last_message_id: null,
      flags: 0 as ChannelFlags,
    };
  }

  /** Discord refuses to post where the bot cannot see or speak. */
  function checkSendPermissions(channelId: string, fileCount: number): DiscordErrorResponse | null {
    const info = channelInfo(channelId);
    if (!info) return Errors.unknownChannel();
    if (info.kind === "dm") return null;
    if (info.channel.type === ChannelType.GuildCategory) {
      return discordError(400, 50008, "Cannot send messages in a non-text channel");
    }
    const perms = computePermissions(info.guild, world.botUser.id, info.channel, ctx.now());
    if (!(perms & PermissionFlagsBits.ViewChannel)) return Errors.missingAccess();
    if (!(perms & PermissionFlagsBits.SendMessages)) return Errors.missingPermissions();
    if (fileCount > 0 && !(perms & PermissionFlagsBits.AttachFiles))
      return Errors.missingPermissions();
    return null;
  }

  // ---- route handlers ---------------------------------------------------------------------

  function callback(req: RouteRequest): RouteResponse {
    const st = state.interactions.get(req.params.id ?? "");
    if (!st || st.payload.token !== req.params.token) return Errors.unknownInteraction();
    if (st.callbackType !== null) return Errors.alreadyAcknowledged();
    const body = asObject(req.body);
    const type = Number(body.type);
    const data = body.data === undefined ? undefined : asObject(body.data);
    if (!ALLOWED_CALLBACKS[st.payload.type]?.includes(type)) {
      const errors = new FormErrors();
      errors.add(
        ["type"],
        "INTERACTION_RESPONSE_TYPE_INVALID",
        "Invalid interaction response type",
      );
      return errors.toResponse();
    }

    const flags = typeof data?.flags === "number" ? data.flags : 0;
    const componentMessage =
      st.payload.type === InteractionType.MessageComponent ? st.payload.message : null;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const invalid = validateMessageBody(data ?? {}, {
          prefix: ["data"],
          fileCount: req.files.length,
        });
        if (invalid) return invalid;
        st.original = interactionMessage(st, data ?? {}, req.files, flags);
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource:
        // The "Bot is thinking..." placeholder: empty and flagged Loading until edited.
        st.original = interactionMessage(st, {}, [], flags | MessageFlags.Loading);
        break;
      case InteractionResponseType.DeferredMessageUpdate:
        st.original = componentMessage;
        break;
      case InteractionResponseType.UpdateMessage: {
        const base = componentMessage ?? st.original;
        const merged = base ? applyMessageEdit(base, data ?? {}, req.files, nextId) : null;
        const invalid = validateMessageBody(data ?? {}, {
          prefix: ["data"],
          fileCount: req.files.length,
          ...(merged ? { merged: merged as unknown as Json } : {}),
        });
        if (invalid) return invalid;
        st.original = merged;
        if (merged) storeEdited(merged);
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const invalid = validateAutocompleteChoices(data ?? {});
        if (invalid) return invalid;
        break;
      }
      case InteractionResponseType.Modal: {
        const errors = new FormErrors();
        if (!data?.custom_id)
          errors.add(["data", "custom_id"], "BASE_TYPE_REQUIRED", "This field is required");
        if (!data?.title)
          errors.add(["data", "title"], "BASE_TYPE_REQUIRED", "This field is required");
        if (!errors.empty) return errors.toResponse();
        break;
      }
    }
    st.callbackType = type;
    const withResponse = req.query.with_response === "true";
    recorder.record("callback", {
      callback: { interactionId: st.payload.id, token: st.payload.token, type, data, withResponse },
    });
    if (!withResponse) return noContent();
    // RESTPostAPIInteractionCallbackWithResponseResult; discord.js wraps it in an
    // InteractionCallbackResponse when the bot passes `withResponse: true`.
    const original = st.original;
    const hasResource =
      type === InteractionResponseType.ChannelMessageWithSource ||
      type === InteractionResponseType.UpdateMessage;
    return ok({
      interaction: {
        id: st.payload.id,
        type: st.payload.type,
        ...(original
          ? {
              response_message_id: original.id,
              response_message_loading: ((original.flags ?? 0) & MessageFlags.Loading) !== 0,
              response_message_ephemeral: ((original.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
            }
          : {}),
      },
      resource: { type, ...(hasResource && original ? { message: original } : {}) },
    });
  }

  function followUp(req: RouteRequest): RouteResponse {
    const st = webhookInteraction(req.params);
    if ("status" in st) return st;
    const body = asObject(req.body);
    const invalid = validateMessageBody(body, { fileCount: req.files.length });
    if (invalid) return invalid;
    const flags = typeof body.flags === "number" ? body.flags : 0;
    const message = interactionMessage(st, body, req.files, flags);
    st.followUps.set(message.id, message);
    recorder.record("followUp", {
      followUp: {
        interactionId: st.payload.id,
        token: st.payload.token,
        body,
        files: req.files,
        message,
      },
    });
    // Without ?wait=true Discord answers 204; discord.js always asks to wait.
    return req.query.wait === "true" ? ok(message) : noContent();
  }

  function getWebhookMessage(req: RouteRequest): RouteResponse {
    const st = webhookInteraction(req.params);
    if ("status" in st) return st;
    const message = webhookMessage(st, req.params.message ?? "");
    return message ? ok(message) : Errors.unknownMessage();
  }

  function editWebhookMessage(req: RouteRequest): RouteResponse {
    const st = webhookInteraction(req.params);
    if ("status" in st) return st;
    const messageId = req.params.message ?? "";
    const target = webhookMessage(st, messageId);
    if (!target) return Errors.unknownMessage();
    const body = asObject(req.body);
    const merged = applyMessageEdit(target, body, req.files, nextId);
    // Editing the deferred placeholder resolves it; ephemerality cannot change after the fact.
    const targetFlags = target.flags ?? 0;
    merged.flags =
      ((merged.flags ?? 0) & ~MessageFlags.Loading & ~MessageFlags.Ephemeral) |
      (targetFlags & MessageFlags.Ephemeral);
    if (targetFlags & MessageFlags.Loading) merged.edited_timestamp = null;
    const invalid = validateMessageBody(body, {
      fileCount: req.files.length,
      merged: merged as unknown as Json,
    });
    if (invalid) return invalid;
    if (messageId === "@original") st.original = merged;
    else st.followUps.set(messageId, merged);
    storeEdited(merged);
    recorder.record("webhookEdit", {
      edit: {
        interactionId: st.payload.id,
        token: st.payload.token,
        messageId,
        body,
        files: req.files,
        message: merged,
      },
    });
    return ok(merged);
  }

  function deleteWebhookMessage(req: RouteRequest): RouteResponse {
    const st = webhookInteraction(req.params);
    if ("status" in st) return st;
    const messageId = req.params.message ?? "";
    const target = webhookMessage(st, messageId);
    if (!target) return Errors.unknownMessage();
    if (messageId === "@original") st.original = null;
    else st.followUps.delete(messageId);
    state.messages.delete(target.id);
    recorder.record("webhookDelete", {
      deletion: { interactionId: st.payload.id, token: st.payload.token, messageId },
    });
    return noContent();
  }

  function createChannelMessage(req: RouteRequest): RouteResponse {
    const channelId = req.params.channel ?? "";
    const denied = checkSendPermissions(channelId, req.files.length);
    if (denied) return denied;
    const body = asObject(req.body);
    const invalid = validateMessageBody(body, { fileCount: req.files.length });
    if (invalid) return invalid;
    const nonce = body.nonce;
    if (nonce !== undefined && typeof nonce !== "number" && typeof nonce !== "string") {
      const errors = new FormErrors();
      errors.add(["nonce"], "BASE_TYPE_BAD_TYPE", "Must be an integer or a string.");
      return errors.toResponse();
    }
    if (typeof nonce === "string" && nonce.length > 25) {
      const errors = new FormErrors();
      errors.add(["nonce"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
      return errors.toResponse();
    }
    // With enforce_nonce, a nonce its author used in the past few minutes returns that
    // message and creates nothing; an older one is forgotten, as Discord forgets it.
    const nonceKey = `${world.botUser.id}:${String(nonce)}`;
    const earlier = nonce === undefined ? undefined : state.messagesByNonce.get(nonceKey);
    const remembered = earlier !== undefined && ctx.now() - earlier.at < ctx.nonceWindowMs;
    if (body.enforce_nonce === true && remembered) return ok(earlier.message);
    const message = messagePayload({
      id: nextId(),
      channelId,
      author: world.botUser,
      body,
      files: req.files,
      type: body.message_reference ? MessageType.Reply : MessageType.Default,
      attachmentIdFactory: nextId,
    });
    state.messages.set(message.id, message);
    if (nonce !== undefined) state.messagesByNonce.set(nonceKey, { message, at: ctx.now() });
    recorder.record("channelMessage", { message: { channelId, body, files: req.files, message } });
    return ok(message);
  }

  function channelMessage(req: RouteRequest): APIMessage | DiscordErrorResponse {
    if (!channelInfo(req.params.channel ?? "")) return Errors.unknownChannel();
    const message = state.messages.get(req.params.message ?? "");
    return message && message.channel_id === req.params.channel ? message : Errors.unknownMessage();
  }

  function commandsRoute(
    method: string,
    pattern: string,
    handle: (req: RouteRequest, scope: string | null) => RouteResponse,
  ): Route {
    return {
      method,
      pattern,
      auth: true,
      handle: (req) => {
        const scope = commandScope(req.params);
        if (scope !== null && typeof scope === "object") return scope;
        return handle(req, scope);
      },
    };
  }

  const commandRoutes = (base: string): Route[] => [
    commandsRoute("GET", base, (_req, scope) => ok(state.commandList(scope))),
    commandsRoute("PUT", base, (req, scope) => {
      const invalid = validateCommands(req.body);
      if (invalid) return invalid;
      const commands = state.overwriteCommands(scope, req.body as CommandDefinition[]);
      recorder.record("commands", { write: { guildId: scope, method: "PUT", commands } });
      return ok(commands);
    }),
    commandsRoute("POST", base, (req, scope) => {
      const errors = new FormErrors();
      validateCommand(errors, [], asObject(req.body));
      if (!errors.empty) return errors.toResponse();
      const { command, created: isNew } = state.upsertCommand(scope, req.body as CommandDefinition);
      recorder.record("commands", {
        write: { guildId: scope, method: "POST", commands: [command] },
      });
      return isNew ? created(command) : ok(command);
    }),
    commandsRoute("GET", `${base}/:command`, (req, scope) => {
      const command = state.commandList(scope).find((c) => c.id === req.params.command);
      return command ? ok(command) : Errors.unknownCommand();
    }),
    commandsRoute("PATCH", `${base}/:command`, (req, scope) => {
      const list = state.commandList(scope);
      const index = list.findIndex((c) => c.id === req.params.command);
      const current = list[index];
      if (!current) return Errors.unknownCommand();
      const next = state.materialize(
        { ...current, ...asObject(req.body) } as CommandDefinition,
        scope,
        current.id,
      );
      list[index] = next;
      recorder.record("commands", { write: { guildId: scope, method: "PATCH", commands: [next] } });
      return ok(next);
    }),
    commandsRoute("DELETE", `${base}/:command`, (req, scope) => {
      const list = state.commandList(scope);
      const index = list.findIndex((c) => c.id === req.params.command);
      const [removed] = index >= 0 ? list.splice(index, 1) : [];
      if (!removed) return Errors.unknownCommand();
      recorder.record("commands", {
        write: { guildId: scope, method: "DELETE", commands: [removed] },
      });
      return noContent();
    }),
  ];

  const guildRoute = (
    pattern: string,
    handle: (req: RouteRequest, guild: NonNullable<ReturnType<typeof findGuild>>) => RouteResponse,
  ): Route => ({
    method: "GET",
    pattern,
    auth: true,
    handle: (req) => {
      const guild = findGuild(world, req.params.guild ?? "");
      return guild ? handle(req, guild) : Errors.unknownGuild();
    },
  });

  return [
    {
      method: "GET",
      pattern: "/gateway/bot",
      auth: true,
      handle: () =>
        ok({
          url: ctx.gatewayUrl(),
          shards: 1,
          session_start_limit: {
            total: 1000,
            remaining: 1000,
            reset_after: 86_400_000,
            max_concurrency: 1,
          },
        }),
    },
    {
      method: "GET",
      pattern: "/gateway",
      auth: false,
      handle: () => ok({ url: ctx.gatewayUrl() }),
    },
    { method: "GET", pattern: "/users/@me", auth: true, handle: () => ok(world.botUser) },
    {
      method: "GET",
      pattern: "/users/:user",
      auth: true,
      handle: (req) => {
        const user = world.users.get(req.params.user ?? "");
        return user ? ok(user) : Errors.unknownUser();
      },
    },
    {
      method: "POST",
      pattern: "/users/@me/channels",
      auth: true,
      handle: (req) => {
        const recipient = String(asObject(req.body).recipient_id ?? "");
        if (!world.users.has(recipient)) return Errors.unknownUser();
        return ok(dmChannel(state.dmChannelId(recipient), recipient));
      },
    },
    {
      method: "GET",
      pattern: "/applications/@me",
      auth: true,
      handle: () => ok(applicationPayload(world)),
    },
    {
      method: "GET",
      pattern: "/oauth2/applications/@me",
      auth: true,
      handle: () => ok(applicationPayload(world)),
    },
    ...commandRoutes("/applications/:app/commands"),
    ...commandRoutes("/applications/:app/guilds/:guild/commands"),
    { method: "POST", pattern: "/interactions/:id/:token/callback", auth: false, handle: callback },
    { method: "POST", pattern: "/webhooks/:app/:token", auth: false, handle: followUp },
    {
      method: "GET",
      pattern: "/webhooks/:app/:token/messages/:message",
      auth: false,
      handle: getWebhookMessage,
    },
    {
      method: "PATCH",
      pattern: "/webhooks/:app/:token/messages/:message",
      auth: false,
      handle: editWebhookMessage,
    },
    {
      method: "DELETE",
      pattern: "/webhooks/:app/:token/messages/:message",
      auth: false,
      handle: deleteWebhookMessage,
    },
    {
      method: "GET",
      pattern: "/channels/:channel",
      auth: true,
      handle: (req) => {
        const info = channelInfo(req.params.channel ?? "");
        if (!info) return Errors.unknownChannel();
        // A guild channel the bot cannot see (or a guild it is not in) is Missing Access.
        if (
          info.kind === "guild" &&
          !(
            computePermissions(info.guild, world.botUser.id, info.channel) &
            PermissionFlagsBits.ViewChannel
          )
        ) {
          return Errors.missingAccess();
        }
        return ok(
          info.kind === "dm" ? dmChannel(req.params.channel ?? "", info.user.id) : info.channel,
        );
      },
    },
    {
      method: "POST",
      pattern: "/channels/:channel/messages",
      auth: true,
      handle: createChannelMessage,
    },
    {
      method: "GET",
      pattern: "/channels/:channel/messages",
      auth: true,
      handle: (req) => {
        if (!channelInfo(req.params.channel ?? "")) return Errors.unknownChannel();
        const limit = Math.min(Number(req.query.limit ?? 50), 100);
        const list = [...state.messages.values()]
          .filter((m) => m.channel_id === req.params.channel)
          .sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : -1))
          .slice(0, limit);
        return ok(list);
      },
    },
    {
      method: "GET",
      pattern: "/channels/:channel/messages/:message",
      auth: true,
      handle: (req) => {
        const message = channelMessage(req);
        return "status" in message ? message : ok(message);
      },
    },
    {
      method: "PATCH",
      pattern: "/channels/:channel/messages/:message",
      auth: true,
      handle: (req) => {
        const message = channelMessage(req);
        if ("status" in message) return message;
        const body = asObject(req.body);
        const merged = applyMessageEdit(message, body, req.files, nextId);
        const invalid = validateMessageBody(body, {
          fileCount: req.files.length,
          merged: merged as unknown as Json,
        });
        if (invalid) return invalid;
        state.messages.set(merged.id, merged);
        return ok(merged);
      },
    },
    {
      method: "DELETE",
      pattern: "/channels/:channel/messages/:message",
      auth: true,
      handle: (req) => {
        const message = channelMessage(req);
        if ("status" in message) return message;
        state.messages.delete(message.id);
        return noContent();
      },
    },
    guildRoute("/guilds/:guild", (req, guild) =>
      ok({
        ...restGuild(guild),
        ...(req.query.with_counts === "true"
          ? { approximate_member_count: guild.members.length, approximate_presence_count: 0 }
          : {}),
      }),
    ),
    guildRoute("/guilds/:guild/channels", (_req, guild) => ok(guild.channels)),
    guildRoute("/guilds/:guild/roles", (_req, guild) => ok(guild.roles)),
    guildRoute("/guilds/:guild/members", (req, guild) => {
      const limit = Math.min(Number(req.query.limit ?? 1), 1000);
      const after = BigInt(req.query.after ?? "0");
      const members = guild.members
        .filter((m) => BigInt(m.user.id) > after)
        .sort((a, b) => (BigInt(a.user.id) < BigInt(b.user.id) ? -1 : 1));
      return ok(members.slice(0, limit));
    }),
    guildRoute("/guilds/:guild/members/:user", (req, guild) => {
      const member = findMember(guild, req.params.user ?? "");
      return member ? ok(member) : Errors.unknownMember();
    }),
  ];
}
