/**
 * Builders for the objects Discord sends: READY, GUILD_CREATE, REST guild/application
 * objects and messages. Typed against discord-api-types (re-exported by discord.js) so a
 * missing or misspelt field is a compile error rather than a confusing runtime failure
 * deep inside discord.js.
 */
import {
  type APIApplication,
  type APIAttachment,
  type APIEmbed,
  type APIGuild,
  type APIMessage,
  type APIMessageInteractionMetadata,
  type APIMessageTopLevelComponent,
  type APIUser,
  type GatewayGuildCreateDispatchData,
  type GatewayReadyDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  type GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageType,
  type UserFlags,
} from "discord.js";
import type { GuildRecord, World } from "./world.ts";

/** The guilds the bot is a member of: those READY lists, not those it was removed from. */
export function guildsWithBot(world: World): GuildRecord[] {
  return world.guilds.filter((g) => g.members.some((m) => m.user.id === world.botUser.id));
}

export function readyPayload(
  world: World,
  sessionId: string,
  resumeGatewayUrl: string,
): GatewayReadyDispatchData {
  return {
    v: 10,
    user: { ...world.botUser, verified: true, mfa_enabled: false, flags: 0 as UserFlags },
    // Discord always lists guilds as unavailable in READY and follows with GUILD_CREATEs;
    // discord.js waits for one GUILD_CREATE per id here before emitting clientReady.
    guilds: guildsWithBot(world).map((g) => ({ id: g.id, unavailable: true })),
    session_id: sessionId,
    resume_gateway_url: resumeGatewayUrl,
    shard: [0, 1],
    application: {
      id: world.application.id,
      flags: world.application.flags,
      flags_new: String(world.application.flags),
    },
  };
}

/** The REST `GET /guilds/:id` shape (no channels or members: those are gateway-only). */
export function restGuild(guild: GuildRecord): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: guild.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: guild.systemChannelId,
    system_channel_flags: 0 as GuildSystemChannelFlags,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

export function guildCreatePayload(guild: GuildRecord): GatewayGuildCreateDispatchData {
  return {
    ...restGuild(guild),
    joined_at: guild.joinedAt,
    large: false,
    unavailable: false,
    member_count: guild.members.length,
    voice_states: [],
    members: guild.members,
    channels: guild.channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

export function applicationPayload(world: World): APIApplication {
  return {
    id: world.application.id,
    name: world.application.name,
    icon: null,
    description: "",
    summary: "",
    bot_public: false,
    bot_require_code_grant: false,
    bot: world.botUser,
    verify_key: "0".repeat(64),
    team: null,
    owner: [...world.users.values()].find((u) => !u.bot) ?? world.tester,
    flags: world.application.flags,
    flags_new: String(world.application.flags),
    approximate_guild_count: world.guilds.length,
  };
}

/** A file the bot uploaded (multipart), as recorded by the HTTP layer. */
export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  size: number;
}

export interface MessageInit {
  id: string;
  channelId: string;
  author: APIUser;
  /** The JSON the bot sent (content, embeds, components, flags, ...). */
  body: Record<string, unknown>;
  files?: UploadedFile[];
  type?: MessageType;
  flags?: number;
  webhookId?: string;
  applicationId?: string;
  interactionMetadata?: APIMessageInteractionMetadata;
  attachmentIdFactory?: () => string;
}

/** A message as Discord would return it after creating it from a bot's request body. */
export function messagePayload(init: MessageInit): APIMessage {
  const { body } = init;
  const attachments: APIAttachment[] = (init.files ?? []).map((f) => {
    const id = init.attachmentIdFactory?.() ?? init.id;
    const url = `https://cdn.discordapp.com/attachments/${init.channelId}/${id}/${f.name}`;
    return {
      id,
      filename: f.name,
      size: f.size,
      content_type: f.contentType,
      url,
      proxy_url: url.replace("cdn.discordapp.com", "media.discordapp.net"),
    };
  });
  const message: APIMessage = {
    id: init.id,
    channel_id: init.channelId,
    author: init.author,
    content: typeof body.content === "string" ? body.content : "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments,
    embeds: Array.isArray(body.embeds) ? (body.embeds as APIEmbed[]) : [],
    components: Array.isArray(body.components)
      ? (body.components as APIMessageTopLevelComponent[])
      : [],
    pinned: false,
    type: init.type ?? MessageType.Default,
    flags: init.flags ?? (typeof body.flags === "number" ? body.flags : 0),
  };
  if (typeof body.nonce === "string" || typeof body.nonce === "number") message.nonce = body.nonce;
  if (init.webhookId) message.webhook_id = init.webhookId;
  if (init.applicationId) message.application_id = init.applicationId;
  if (init.interactionMetadata) message.interaction_metadata = init.interactionMetadata;
  return message;
}

/** Applies a PATCH body to a stored message, the way Discord merges edits. */
export function applyMessageEdit(
  message: APIMessage,
  body: Record<string, unknown>,
  files: UploadedFile[],
  nextId: () => string,
): APIMessage {
  const next: APIMessage = { ...message, edited_timestamp: new Date().toISOString() };
  if ("content" in body) next.content = typeof body.content === "string" ? body.content : "";
  if ("embeds" in body) next.embeds = Array.isArray(body.embeds) ? (body.embeds as APIEmbed[]) : [];
  if ("components" in body) {
    next.components = Array.isArray(body.components)
      ? (body.components as APIMessageTopLevelComponent[])
      : [];
  }
  if (typeof body.flags === "number") next.flags = body.flags;
  if (files.length > 0 || "attachments" in body) {
    // Discord keeps only the attachments listed in `attachments` (by id) plus new uploads.
    const keep = Array.isArray(body.attachments)
      ? new Set((body.attachments as { id?: unknown }[]).map((a) => String(a.id)))
      : null;
    const kept = keep ? message.attachments.filter((a) => keep.has(a.id)) : message.attachments;
    const added = messagePayload({
      id: message.id,
      channelId: message.channel_id,
      author: message.author,
      body: {},
      files,
      attachmentIdFactory: nextId,
    }).attachments;
    next.attachments = [...kept, ...added];
  }
  return next;
}
