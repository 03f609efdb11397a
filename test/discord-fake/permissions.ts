/**
 * Discord's permission resolution (guild base permissions, then channel overwrites), used
 * for the `member.permissions` / `app_permissions` strings in interactions and for refusing
 * channel messages the bot could not send in production.
 * https://discord.com/developers/docs/topics/permissions#permission-overwrites
 */
import { OverwriteType, PermissionFlagsBits } from "discord.js";
import type { FakeGuildChannel, GuildRecord } from "./world.ts";
import { findMember } from "./world.ts";

const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((a, b) => a | b, 0n);

/** What a timed-out member keeps: it may look, not speak. */
const TIMED_OUT_KEEPS = PermissionFlagsBits.ViewChannel | PermissionFlagsBits.ReadMessageHistory;

/** `now` (ms) is when a timeout (`communication_disabled_until`) is judged. */
export function computePermissions(
  guild: GuildRecord,
  userId: string,
  channel?: FakeGuildChannel,
  now = Date.now(),
): bigint {
  if (userId === guild.ownerId) return ALL_PERMISSIONS;
  const member = findMember(guild, userId);
  if (!member) return 0n;

  let perms = 0n;
  for (const role of guild.roles) {
    // @everyone has the guild's id and applies to every member implicitly.
    if (role.id === guild.id || member.roles.includes(role.id)) perms |= BigInt(role.permissions);
  }
  if (perms & PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;
  const until = member.communication_disabled_until;
  if (until && Date.parse(until) > now) perms &= TIMED_OUT_KEEPS;
  if (!channel) return perms;

  const overwrites = channel.permission_overwrites ?? [];
  const apply = (allow: bigint, deny: bigint) => {
    perms = (perms & ~deny) | allow;
  };
  const everyone = overwrites.find((o) => o.id === guild.id);
  if (everyone) apply(BigInt(everyone.allow), BigInt(everyone.deny));

  // Role overwrites are combined first, then applied together: a role allow beats another
  // role's deny, as on Discord.
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guild.id && member.roles.includes(o.id)) {
      roleAllow |= BigInt(o.allow);
      roleDeny |= BigInt(o.deny);
    }
  }
  apply(roleAllow, roleDeny);

  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === userId);
  if (own) apply(BigInt(own.allow), BigInt(own.deny));

  // Without View Channel nothing else in the channel is usable.
  if (!(perms & PermissionFlagsBits.ViewChannel)) return 0n;
  return perms;
}
