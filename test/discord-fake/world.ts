/**
 * The fake's static "world": who the bot is, which guilds it is in, and their channels,
 * roles and members. Tests describe it with small options; this module fills in every
 * field Discord would send, in Discord's own shapes, so the gateway and REST layers can
 * hand the objects out unchanged.
 */
import {
  type APIGuildCategoryChannel,
  type APIGuildMember,
  type APIGuildStageVoiceChannel,
  type APIGuildVoiceChannel,
  type APINewsChannel,
  type APIOverwrite,
  type APIRole,
  type APITextChannel,
  type APIUser,
  type ChannelFlags,
  ChannelType,
  type GuildMemberFlags,
  OverwriteType,
  PermissionFlagsBits,
  type RoleFlags,
  type UserFlags,
} from "discord.js";
import type { SnowflakeFactory } from "./snowflake.ts";

/** The guild channel kinds the fake can model. */
export type FakeGuildChannel =
  | APITextChannel
  | APINewsChannel
  | APIGuildVoiceChannel
  | APIGuildStageVoiceChannel
  | APIGuildCategoryChannel;

type FakeChannelType =
  | ChannelType.GuildText
  | ChannelType.GuildAnnouncement
  | ChannelType.GuildVoice
  | ChannelType.GuildStageVoice
  | ChannelType.GuildCategory;

interface FakeUserOptions {
  id?: string;
  username: string;
  globalName?: string | null;
  bot?: boolean;
}

interface FakeRoleOptions {
  id?: string;
  name: string;
  permissions?: bigint;
  position?: number;
  color?: number;
}

export interface FakeOverwriteOptions {
  /** Role id (the guild id is @everyone) or member id. */
  id: string;
  type: "role" | "member";
  allow?: bigint;
  deny?: bigint;
}

interface FakeChannelOptions {
  id?: string;
  name: string;
  /** Defaults to a text channel. */
  type?: FakeChannelType;
  topic?: string | null;
  parentId?: string | null;
  position?: number;
  nsfw?: boolean;
  permissionOverwrites?: FakeOverwriteOptions[];
}

interface FakeMemberOptions {
  user: FakeUserOptions;
  /** Role ids, besides the implicit @everyone. */
  roles?: string[];
  nick?: string | null;
}

interface FakeGuildOptions {
  id?: string;
  name?: string;
  /** Defaults to a dedicated "guild-owner" member (not the bot, not the tester). */
  ownerId?: string;
  /** Permissions of @everyone. Defaults to Discord-like member defaults. */
  everyonePermissions?: bigint;
  /** Permissions of the bot's managed integration role. */
  botPermissions?: bigint;
  /** Extra roles besides @everyone and the bot's managed role. */
  roles?: FakeRoleOptions[];
  /** Replaces the default channels (a text channel "general" and a voice channel "General"). */
  channels?: FakeChannelOptions[];
  /** Extra members; the bot, the owner and the tester are always members. */
  members?: FakeMemberOptions[];
  /** Role ids given to the tester in this guild. */
  testerRoles?: string[];
  /**
   * Where Discord posts system messages (and bots tell admins things): a channel id of this
   * guild, or null for none. Defaults to the first text channel, as in a new guild.
   */
  systemChannelId?: string | null;
}

export interface FakeWorldOptions {
  botUser?: { id?: string; username?: string };
  /** Defaults to the bot user's id, as for every application created since 2020. */
  applicationId?: string;
  applicationName?: string;
  applicationFlags?: number;
  /** The user who "invokes" injected interactions by default. */
  tester?: { id?: string; username?: string; globalName?: string | null };
  /** Defaults to one guild with default channels and roles. Pass [] for none. */
  guilds?: FakeGuildOptions[];
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  joinedAt: string;
  roles: APIRole[];
  channels: FakeGuildChannel[];
  members: APIGuildMember[];
  systemChannelId: string | null;
}

export interface World {
  botUser: APIUser;
  application: { id: string; name: string; flags: number };
  tester: APIUser;
  users: Map<string, APIUser>;
  guilds: GuildRecord[];
}

/** A sensible subset of what @everyone gets in a freshly created guild. */
const DEFAULT_EVERYONE_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.CreateInstantInvite |
  PermissionFlagsBits.ChangeNickname |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.UseApplicationCommands |
  PermissionFlagsBits.Connect |
  PermissionFlagsBits.Speak |
  PermissionFlagsBits.UseVAD;

/** What a typical bot invite link grants. */
const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseApplicationCommands;

function makeUser(id: string, username: string, extra: Partial<APIUser> = {}): APIUser {
  return {
    id,
    username,
    // Discord's pomelo usernames all have discriminator "0".
    discriminator: "0",
    global_name: null,
    avatar: null,
    public_flags: 0 as UserFlags,
    ...extra,
  };
}

function makeRole(
  id: string,
  name: string,
  permissions: bigint,
  position: number,
  extra: Partial<APIRole> = {},
): APIRole {
  const color = extra.color ?? 0;
  return {
    id,
    name,
    color,
    colors: { primary_color: color, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
    ...extra,
  };
}

export function makeOverwrite(o: FakeOverwriteOptions): APIOverwrite {
  return {
    id: o.id,
    type: o.type === "role" ? OverwriteType.Role : OverwriteType.Member,
    allow: (o.allow ?? 0n).toString(),
    deny: (o.deny ?? 0n).toString(),
  };
}

function makeChannel(guildId: string, o: FakeChannelOptions, id: string): FakeGuildChannel {
  const base = {
    id,
    guild_id: guildId,
    name: o.name,
    position: o.position ?? 0,
    parent_id: o.parentId ?? null,
    nsfw: o.nsfw ?? false,
    permission_overwrites: (o.permissionOverwrites ?? []).map(makeOverwrite),
    flags: 0 as ChannelFlags,
  };
  const type = o.type ?? ChannelType.GuildText;
  switch (type) {
    case ChannelType.GuildText:
    case ChannelType.GuildAnnouncement:
      return {
        ...base,
        type,
        topic: o.topic ?? null,
        last_message_id: null,
        rate_limit_per_user: 0,
        last_pin_timestamp: null,
      };
    case ChannelType.GuildVoice:
    case ChannelType.GuildStageVoice:
      return {
        ...base,
        type,
        bitrate: 64_000,
        user_limit: 0,
        rtc_region: null,
        last_message_id: null,
        rate_limit_per_user: 0,
      };
    case ChannelType.GuildCategory:
      // Categories cannot be nested.
      return { ...base, type, parent_id: null };
  }
}

function makeMember(user: APIUser, roles: string[], joinedAt: string, nick?: string | null) {
  const member: APIGuildMember = {
    user,
    nick: nick ?? null,
    avatar: null,
    banner: null,
    roles,
    joined_at: joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
  return member;
}

/** Turns test options into the complete world, minting ids for anything unspecified. */
export function resolveWorld(options: FakeWorldOptions, nextId: SnowflakeFactory): World {
  const botId = options.botUser?.id ?? nextId();
  const botUser = makeUser(botId, options.botUser?.username ?? "Paperboy", { bot: true });
  const tester = makeUser(options.tester?.id ?? nextId(), options.tester?.username ?? "tester", {
    global_name: options.tester?.globalName ?? "Tester",
  });
  const users = new Map<string, APIUser>([
    [botUser.id, botUser],
    [tester.id, tester],
  ]);
  const joinedAt = new Date().toISOString();

  const guilds = (options.guilds ?? [{}]).map((g): GuildRecord => {
    const id = g.id ?? nextId();
    // The owner is its own member so the tester is not silently all-powerful (owners bypass
    // every permission check).
    let ownerId = g.ownerId;
    if (ownerId === undefined) {
      const owner = makeUser(nextId(), "guild-owner");
      users.set(owner.id, owner);
      ownerId = owner.id;
    }

    const everyone = makeRole(
      id,
      "@everyone",
      g.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS,
      0,
    );
    const botRole = makeRole(
      nextId(),
      botUser.username,
      g.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
      1,
      {
        managed: true,
        tags: { bot_id: botUser.id },
      },
    );
    const extraRoles = (g.roles ?? []).map((r, i) =>
      makeRole(r.id ?? nextId(), r.name, r.permissions ?? 0n, r.position ?? i + 2, {
        color: r.color ?? 0,
      }),
    );

    const channelOptions: FakeChannelOptions[] = g.channels ?? [
      { name: "general", type: ChannelType.GuildText, position: 0 },
      { name: "General", type: ChannelType.GuildVoice, position: 1 },
    ];
    const channels = channelOptions.map((c) => makeChannel(id, c, c.id ?? nextId()));

    const members = [
      makeMember(botUser, [botRole.id], joinedAt),
      makeMember(tester, g.testerRoles ?? [], joinedAt),
    ];
    const ownerUser = users.get(ownerId);
    if (ownerUser && ownerId !== botUser.id && ownerId !== tester.id) {
      members.push(makeMember(ownerUser, [], joinedAt));
    }
    for (const m of g.members ?? []) {
      const user = makeUser(m.user.id ?? nextId(), m.user.username, {
        global_name: m.user.globalName ?? null,
        ...(m.user.bot ? { bot: true } : {}),
      });
      users.set(user.id, user);
      members.push(makeMember(user, m.roles ?? [], joinedAt, m.nick));
    }

    return {
      id,
      name: g.name ?? "Paperboy Test Guild",
      ownerId,
      joinedAt,
      roles: [everyone, botRole, ...extraRoles],
      channels,
      members,
      systemChannelId:
        g.systemChannelId === undefined
          ? (channels.find((c) => c.type === ChannelType.GuildText)?.id ?? null)
          : g.systemChannelId,
    };
  });

  return {
    botUser,
    application: {
      id: options.applicationId ?? botId,
      name: options.applicationName ?? botUser.username,
      flags: options.applicationFlags ?? 0,
    },
    tester,
    users,
    guilds,
  };
}

/** Lookups over the world; kept apart from the data so the data stays plain JSON-ish. */
export function findGuild(world: World, guildId: string): GuildRecord | undefined {
  return world.guilds.find((g) => g.id === guildId);
}

export function findChannel(
  world: World,
  channelId: string,
): { guild: GuildRecord; channel: FakeGuildChannel } | undefined {
  for (const guild of world.guilds) {
    const channel = guild.channels.find((c) => c.id === channelId);
    if (channel) return { guild, channel };
  }
  return undefined;
}

export function findMember(guild: GuildRecord, userId: string): APIGuildMember | undefined {
  return guild.members.find((m) => m.user.id === userId);
}

/** Text-capable channels, in the order the test declared them. */
export function isTextCapable(channel: FakeGuildChannel): boolean {
  return channel.type !== ChannelType.GuildCategory;
}
