/**
 * Builders for INTERACTION_CREATE payloads: slash commands, autocomplete, buttons and string
 * selects, each with a fresh snowflake id and token.
 *
 * They fill in everything discord.js reads when it constructs its interaction classes
 * (entitlements, app_permissions, member.permissions, channel, ...). Option types come from
 * the command definition the bot registered, when there is one, so `getInteger` vs
 * `getNumber` behaves as in production; otherwise they are inferred from the JS value.
 */
import {
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIChatInputApplicationCommandInteraction,
  type APIInteractionDataResolved,
  type APIMessage,
  type APIMessageComponentButtonInteraction,
  type APIMessageComponentSelectMenuInteraction,
  type APIMessageTopLevelComponent,
  type APIUser,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  InteractionContextType,
  InteractionType,
  Locale,
  MessageType,
} from "discord.js";
import { messagePayload } from "./payloads.ts";
import { computePermissions } from "./permissions.ts";
import { interactionToken, type SnowflakeFactory } from "./snowflake.ts";
import { findChannel, findGuild, findMember, isTextCapable, type World } from "./world.ts";

export type FakeInteraction =
  | APIChatInputApplicationCommandInteraction
  | APIApplicationCommandAutocompleteInteraction
  | APIMessageComponentButtonInteraction
  | APIMessageComponentSelectMenuInteraction;

/** What the builders need from the rest of the fake. */
export interface InteractionBuildContext {
  world: World;
  nextId: SnowflakeFactory;
  /** A registered command by name, guild commands first (as Discord resolves them). */
  findCommand(name: string, guildId: string | null): APIApplicationCommand | undefined;
  /** A message the fake knows about (channel message or interaction response). */
  findMessage(messageId: string): APIMessage | undefined;
  /** Stable DM channel id for a user. */
  dmChannelId(userId: string): string;
}

/** Where and by whom an interaction happens. */
interface InteractionWhere {
  /** Defaults to the first guild. `null` means a DM with the bot. */
  guildId?: string | null;
  /** Defaults to the guild's first text channel. */
  channelId?: string;
  /** Defaults to the tester. Must be a known user (a member, in guilds). */
  userId?: string;
  /** Overrides the computed `member.permissions` (the invoker's permissions in the channel). */
  memberPermissions?: bigint;
  /** Overrides the computed `app_permissions` (the bot's permissions in the channel). */
  appPermissions?: bigint;
  locale?: Locale;
}

type OptionValue = string | number | boolean;

export interface CommandInput extends InteractionWhere {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  /** Plain values keyed by option name, or raw interaction-data options. */
  options?: Record<string, OptionValue> | APIApplicationCommandInteractionDataOption[];
  /** Defaults to the registered command's id, else a fresh id. */
  commandId?: string;
}

export interface AutocompleteInput extends CommandInput {
  /** Name of the option the user is typing in; its value is sent as a string. */
  focused: string;
}

export interface ComponentInput extends InteractionWhere {
  customId: string;
  /** The message carrying the component: a message object, or the id of one the fake knows. */
  message?: APIMessage | string;
}

export interface StringSelectInput extends ComponentInput {
  values: string[];
}

function inferType(value: OptionValue): ApplicationCommandOptionType {
  if (typeof value === "boolean") return ApplicationCommandOptionType.Boolean;
  if (typeof value === "number") {
    return Number.isInteger(value)
      ? ApplicationCommandOptionType.Integer
      : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

/** Common fields of every interaction: ids, invoker, channel and permission strings. */
function basePayload(ctx: InteractionBuildContext, where: InteractionWhere) {
  const { world } = ctx;
  const userId = where.userId ?? world.tester.id;
  const user = world.users.get(userId);
  if (!user) throw new Error(`FakeDiscord: unknown user ${userId}`);
  const id = ctx.nextId();
  const common = {
    id,
    application_id: world.application.id,
    token: interactionToken(),
    version: 1 as const,
    locale: where.locale ?? Locale.EnglishUS,
    entitlements: [],
    attachment_size_limit: 10 * 1024 * 1024,
  };

  if (where.guildId === null) {
    const channelId = where.channelId ?? ctx.dmChannelId(userId);
    const payload = {
      ...common,
      user,
      channel_id: channelId,
      channel: { id: channelId, type: ChannelType.DM, recipients: [user], flags: 0 },
      app_permissions: (where.appPermissions ?? 0n).toString(),
      // Discord documents "0" as the guild-install owner when invoked in the bot's DMs.
      authorizing_integration_owners: { "0": "0" },
      context: InteractionContextType.BotDM,
    };
    return { payload, guildId: null };
  }

  const guildId = where.guildId ?? world.guilds[0]?.id;
  const guild = guildId ? findGuild(world, guildId) : undefined;
  if (!guild) throw new Error(`FakeDiscord: unknown guild ${String(guildId)}`);
  const channelId = where.channelId ?? guild.channels.find(isTextCapable)?.id;
  const found = channelId ? findChannel(world, channelId) : undefined;
  if (!found || found.guild !== guild) {
    throw new Error(`FakeDiscord: channel ${String(channelId)} is not in guild ${guild.id}`);
  }
  const member = findMember(guild, userId);
  if (!member) throw new Error(`FakeDiscord: user ${userId} is not a member of guild ${guild.id}`);
  const memberPerms = where.memberPermissions ?? computePermissions(guild, userId, found.channel);
  const appPerms =
    where.appPermissions ?? computePermissions(guild, world.botUser.id, found.channel);
  const payload = {
    ...common,
    guild_id: guild.id,
    guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
    guild_locale: Locale.EnglishUS,
    channel_id: found.channel.id,
    channel: { ...found.channel, permissions: memberPerms.toString() },
    member: { ...member, user, permissions: memberPerms.toString() },
    app_permissions: appPerms.toString(),
    authorizing_integration_owners: { "0": guild.id },
    context: InteractionContextType.Guild,
  };
  return { payload, guildId: guild.id };
}

/** Fills `resolved` for user/role/channel option values, as Discord does. */
function resolveValue(
  ctx: InteractionBuildContext,
  guildId: string | null,
  type: ApplicationCommandOptionType,
  value: OptionValue,
  resolved: APIInteractionDataResolved,
): void {
  const id = String(value);
  const guild = guildId ? findGuild(ctx.world, guildId) : undefined;
  const wantsUser =
    type === ApplicationCommandOptionType.User || type === ApplicationCommandOptionType.Mentionable;
  const wantsRole =
    type === ApplicationCommandOptionType.Role || type === ApplicationCommandOptionType.Mentionable;
  const user = wantsUser ? ctx.world.users.get(id) : undefined;
  if (user) {
    resolved.users = { ...resolved.users, [id]: user };
    const member = guild ? findMember(guild, id) : undefined;
    if (guild && member) {
      const { user: _user, ...rest } = member;
      const permissions = computePermissions(guild, id).toString();
      resolved.members = { ...resolved.members, [id]: { ...rest, permissions } };
    }
  }
  const role = wantsRole ? guild?.roles.find((r) => r.id === id) : undefined;
  if (role) resolved.roles = { ...resolved.roles, [id]: role };
  if (type === ApplicationCommandOptionType.Channel) {
    const found = findChannel(ctx.world, id);
    if (found) {
      const { channel } = found;
      const permissions = computePermissions(found.guild, ctx.world.tester.id, channel).toString();
      resolved.channels = {
        ...resolved.channels,
        [id]: {
          id,
          name: channel.name,
          type: channel.type,
          permissions,
        } as NonNullable<APIInteractionDataResolved["channels"]>[string],
      };
    }
  }
}

function buildOptions(
  ctx: InteractionBuildContext,
  input: CommandInput,
  guildId: string | null,
  focused?: string,
): {
  options: APIApplicationCommandInteractionDataOption[];
  resolved?: APIInteractionDataResolved;
} {
  if (Array.isArray(input.options)) return { options: input.options };
  const command = ctx.findCommand(input.name, guildId);
  let defs: APIApplicationCommandOption[] | undefined = command?.options;
  const pick = (name: string | undefined) => {
    const def = defs?.find((o) => o.name === name);
    defs = def && "options" in def ? (def.options as APIApplicationCommandOption[]) : undefined;
  };
  if (input.subcommandGroup) pick(input.subcommandGroup);
  if (input.subcommand) pick(input.subcommand);

  const resolved: APIInteractionDataResolved = {};
  const leaves = Object.entries(input.options ?? {}).map(([name, value]) => {
    const type = defs?.find((o) => o.name === name)?.type ?? inferType(value);
    resolveValue(ctx, guildId, type, value, resolved);
    const option: Record<string, unknown> = { name, type, value };
    // Discord sends what the user has typed so far as a string for the focused option.
    if (name === focused) Object.assign(option, { focused: true, value: String(value) });
    return option as unknown as APIApplicationCommandInteractionDataOption;
  });

  let options = leaves;
  if (input.subcommand) {
    options = [
      {
        name: input.subcommand,
        type: ApplicationCommandOptionType.Subcommand,
        options: leaves,
      } as APIApplicationCommandInteractionDataOption,
    ];
  }
  if (input.subcommandGroup) {
    options = [
      {
        name: input.subcommandGroup,
        type: ApplicationCommandOptionType.SubcommandGroup,
        options,
      } as APIApplicationCommandInteractionDataOption,
    ];
  }
  return Object.keys(resolved).length > 0 ? { options, resolved } : { options };
}

function commandData(
  ctx: InteractionBuildContext,
  input: CommandInput,
  guildId: string | null,
  focused?: string,
) {
  const command = ctx.findCommand(input.name, guildId);
  const { options, resolved } = buildOptions(ctx, input, guildId, focused);
  return {
    id: input.commandId ?? command?.id ?? ctx.nextId(),
    name: input.name,
    type: ApplicationCommandType.ChatInput as const,
    options,
    ...(resolved ? { resolved } : {}),
    ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
  };
}

export function buildSlashCommand(
  ctx: InteractionBuildContext,
  input: CommandInput,
): APIChatInputApplicationCommandInteraction {
  const base = basePayload(ctx, input);
  return {
    ...base.payload,
    type: InteractionType.ApplicationCommand,
    data: commandData(ctx, input, base.guildId),
  } as APIChatInputApplicationCommandInteraction;
}

export function buildAutocomplete(
  ctx: InteractionBuildContext,
  input: AutocompleteInput,
): APIApplicationCommandAutocompleteInteraction {
  const base = basePayload(ctx, input);
  const data = commandData(ctx, input, base.guildId, input.focused);
  return {
    ...base.payload,
    type: InteractionType.ApplicationCommandAutocomplete,
    data,
  } as APIApplicationCommandAutocompleteInteraction;
}

/** The message a component sits on: given, looked up, or a fresh bot message holding it. */
function componentMessage(
  ctx: InteractionBuildContext,
  channelId: string,
  input: ComponentInput,
  component: APIMessageTopLevelComponent,
): APIMessage {
  if (typeof input.message === "object") return input.message;
  if (typeof input.message === "string") {
    const found = ctx.findMessage(input.message);
    if (!found) throw new Error(`FakeDiscord: unknown message ${input.message}`);
    return found;
  }
  return messagePayload({
    id: ctx.nextId(),
    channelId,
    author: ctx.world.botUser,
    body: { content: "", components: [component] },
    applicationId: ctx.world.application.id,
    type: MessageType.Default,
  });
}

export function buildButton(
  ctx: InteractionBuildContext,
  input: ComponentInput,
): APIMessageComponentButtonInteraction {
  const base = basePayload(ctx, input);
  const row: APIMessageTopLevelComponent = {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        label: "Button",
        custom_id: input.customId,
      },
    ],
  };
  return {
    ...base.payload,
    type: InteractionType.MessageComponent,
    message: componentMessage(ctx, base.payload.channel_id, input, row),
    data: { custom_id: input.customId, component_type: ComponentType.Button },
  } as APIMessageComponentButtonInteraction;
}

export function buildStringSelect(
  ctx: InteractionBuildContext,
  input: StringSelectInput,
): APIMessageComponentSelectMenuInteraction {
  const base = basePayload(ctx, input);
  const row: APIMessageTopLevelComponent = {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: input.customId,
        options: input.values.map((v) => ({ label: v, value: v })),
      },
    ],
  };
  return {
    ...base.payload,
    type: InteractionType.MessageComponent,
    message: componentMessage(ctx, base.payload.channel_id, input, row),
    data: {
      custom_id: input.customId,
      component_type: ComponentType.StringSelect,
      values: input.values,
    },
  } as APIMessageComponentSelectMenuInteraction;
}

/** The invoking user of any interaction payload. */
export function interactionUser(payload: FakeInteraction): APIUser | undefined {
  return payload.member?.user ?? payload.user;
}
