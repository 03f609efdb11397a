import {
  type APIMessage,
  ChannelType,
  type Client,
  DiscordAPIError,
  type GuildMember,
  PermissionFlagsBits,
  type RateLimitData,
  RateLimitError,
  RESTJSONErrorCodes,
  Routes,
  SnowflakeUtil,
} from "discord.js";
import { isSnowflake } from "../config.ts";
import {
  type ChannelAccess,
  DeliveryError,
  type DeliveryProblem,
  type RoundupPort,
} from "../roundup/runner.ts";

/** What a roundup needs in its channel, as Discord names the permissions. */
const needed = [
  ["View Channel", PermissionFlagsBits.ViewChannel],
  ["Send Messages", PermissionFlagsBits.SendMessages],
  ["Embed Links", PermissionFlagsBits.EmbedLinks],
] as const;

const gone = new Set<number | string>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.UnknownGuild,
]);
const forbidden = new Set<number | string>([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
]);
/**
 * 4xx answers that are about the moment, not the message: a slowmode or write limit, a
 * feature or sending turned off for a while, an overloaded service. Sent later, it may go.
 */
const notYet = new Set<number | string>([
  RESTJSONErrorCodes.ActionCannotBePerformedDueToSlowmodeRateLimit,
  RESTJSONErrorCodes.ChannelSendRateLimit,
  RESTJSONErrorCodes.SendMessagesHasBeenTemporarilyDisabled,
  RESTJSONErrorCodes.FeatureTemporarilyDisabledServerSide,
  RESTJSONErrorCodes.ServiceResourceIsBeingRateLimited,
  RESTJSONErrorCodes.APIResourceOverloaded,
]);
/** Statuses of a request that may go through as it is later: unauthorized (a token being reset), timed out, rate limited. */
const tryAgainStatuses = new Set([401, 408, 429]);
const automod = new Set<number | string>([
  RESTJSONErrorCodes.MessageWasBlockedByAutomaticModeration,
  RESTJSONErrorCodes.TitleWasBlockedByAutomaticModeration,
]);

/**
 * Refusals of a message Paperboy made wrong (an invalid field, too large, empty): every
 * roundup rendered alike is refused too, so the admin is asked to report it.
 */
const madeWrong = new Set<number | string>([
  RESTJSONErrorCodes.InvalidFormBodyOrContentType,
  RESTJSONErrorCodes.RequestEntityTooLarge,
  RESTJSONErrorCodes.CannotSendAnEmptyMessage,
]);

/** Why Discord refused a message as it was, in words for /subscriptions, with its own. */
function refusal(error: DiscordAPIError): string {
  const discord = `${error.code}: ${error.message}`;
  if (automod.has(error.code)) return `Discord's AutoMod blocked it (${discord})`;
  if (madeWrong.has(error.code))
    return `Discord found it invalid (${discord}); please report this as a Paperboy bug`;
  return `Discord refused it (${error.status} ${discord})`;
}

/**
 * Why a deleted channel's roundup is disabled, found by a send or by the daily re-check of
 * a paused one: the server is told this, so it is said for the server, not as /subscribe advice.
 */
const channelGone = "the channel no longer exists";
/**
 * Why Paperboy cannot post in a server it is not in: what the daily re-check of a roundup
 * paused for its removal finds, and so what the roundup is then paused for.
 */
export const notInServer =
  "Paperboy is not in this server (added without its bot, or removed), so it cannot post here; invite it with the `bot` scope, then try again.";

/**
 * Until when a moderator timed Paperboy out in the member's server, if it is still: it may
 * post nowhere there, its permissions unchanged (discord.js's permissionsFor ignores it).
 */
function timedOutUntil(me: GuildMember, now: number): number | null {
  const until = me.communicationDisabledUntilTimestamp;
  return until !== null && until > now ? until : null;
}

const timedOut = (until: number) =>
  `Paperboy is timed out in this server until ${new Date(until).toISOString().slice(0, 16).replace("T", " ")} UTC; a moderator can remove its timeout`;

/**
 * Roundups through discord.js. Messages go by REST with a nonce Discord enforces for a
 * few minutes, so a message whose answer was lost and is re-sent within them (a retry, a
 * quick restart) is answered with the one posted, not posted twice. discord.js itself
 * waits out 429s and retries 5xx a few times; what still fails is sorted here
 * into "gone" (disable), "forbidden" (pause) and transient (retry later).
 */
export function createDiscordRoundupPort(
  client: Client<true>,
  now: () => number = Date.now,
): RoundupPort {
  /** Why a post in the channel was refused when Paperboy is timed out there; else undefined. */
  const timedOutIn = (channelId: string): string | undefined => {
    const channel = client.channels.cache.get(channelId);
    const me = channel && !channel.isDMBased() ? channel.guild.members.me : null;
    const until = me ? timedOutUntil(me, now()) : null;
    return until === null ? undefined : timedOut(until);
  };
  return {
    // Not the offline console's `console`, which has no Discord channel to post in.
    serves: isSnowflake,
    async checkChannel(guildId, channelId): Promise<ChannelAccess> {
      const elsewhere =
        "That channel is not in this server; pick one of this server's text channels.";
      let channel: Awaited<ReturnType<typeof client.channels.fetch>>;
      try {
        channel = await client.channels.fetch(channelId);
      } catch (error) {
        const problem = classify(error);
        // A refused fetch is no answer about the channel: tried again on the next check.
        if (problem === "transient" || problem === "refused") throw error;
        if (problem === "gone") return { ok: false, problem, reason: channelGone };
        // Discord refuses a server's channels alike to a bot that is not in that server (the
        // app added without its `bot` scope, or removed), where View Channel is no help.
        const reason = client.guilds.cache.has(guildId)
          ? `Paperboy cannot see <#${channelId}>; give it View Channel there.`
          : notInServer;
        return { ok: false, problem, reason };
      }
      if (!channel) return { ok: false, problem: "gone", reason: channelGone };
      if (channel.isDMBased() || channel.guildId !== guildId) {
        return { ok: false, problem: "gone", reason: elsewhere };
      }
      if (
        channel.type !== ChannelType.GuildText &&
        channel.type !== ChannelType.GuildAnnouncement
      ) {
        return {
          ok: false,
          problem: "gone",
          reason: `<#${channelId}> is not a text channel; roundups go to text or announcement channels.`,
        };
      }
      const me = channel.guild.members.me ?? (await channel.guild.members.fetchMe());
      // Discord refuses every post then, and the daily re-check would resume the roundup
      // into another refusal, blaming permissions Paperboy has.
      const until = timedOutUntil(me, now());
      if (until !== null) return { ok: false, problem: "forbidden", reason: timedOut(until) };
      const permissions = channel.permissionsFor(me);
      const missing = needed.filter(([, flag]) => !permissions.has(flag)).map(([name]) => name);
      if (missing.length === 0) return { ok: true };
      return {
        ok: false,
        problem: "forbidden",
        reason: `Paperboy is missing ${missing.join(", ")} in <#${channelId}>; allow it in the channel's permissions.`,
      };
    },

    async send(channelId, body, nonce) {
      try {
        const message = (await client.rest.post(Routes.channelMessages(channelId), {
          body: {
            ...(body as object),
            allowed_mentions: { parse: [] },
            nonce,
            enforce_nonce: true,
          },
        })) as APIMessage;
        return message.id;
      } catch (error) {
        if (error instanceof RateLimitError) throw heldBack(error);
        const problem = classify(error);
        const message = error instanceof Error ? error.message : String(error);
        if (problem === "refused" && error instanceof DiscordAPIError) {
          const answer = { code: error.code, message: error.message };
          throw new DeliveryError(problem, refusal(error), answer);
        }
        throw new DeliveryError(
          problem,
          problem === "gone"
            ? channelGone
            : problem === "forbidden"
              ? (timedOutIn(channelId) ??
                `Paperboy may not post there (${message}); allow View Channel, Send Messages and Embed Links`)
              : message,
        );
      }
    },

    async tellStopped({ guildId, channelId, status, reason }) {
      // A server without a system channel (or one Paperboy has left) is not told.
      const channel = client.guilds.cache.get(guildId)?.systemChannel;
      if (!channel) return;
      const content = `Paperboy's daily roundup for <#${channelId}> is ${status}: ${reason}`;
      // A nonce Discord enforces: discord.js sends the notice again by itself after a 5xx or
      // a timeout, and Discord may have posted it already.
      const nonce = SnowflakeUtil.generate().toString();
      await channel.send({ content, allowedMentions: { parse: [] }, nonce, enforceNonce: true });
    },
  };
}

/**
 * Discord asked for a wait longer than a roundup tick should hold every other channel's
 * roundup for. Such a post is given up on, to be tried again then (see
 * rejectLongMessageWaits). The reason names no permission to give: a channel's slowmode does
 * not apply to bots (Discord's channel docs), and since February 2026 Manage Messages exempts
 * no one from it (BYPASS_SLOWMODE does), so "Manage Messages exempts Paperboy" sent admins
 * to grant a moderation permission that changed nothing.
 */
function heldBack(error: RateLimitError): DeliveryError {
  const minutes = Math.max(1, Math.round(error.retryAfter / 60_000));
  return new DeliveryError(
    "transient",
    `Discord asked Paperboy to wait ${minutes} min before posting there again; it tries again then`,
    undefined,
    error.retryAfter,
  );
}

/** The longest rate-limit wait for a message post that discord.js waits out itself. */
const longestMessageWaitMs = 30_000;

/**
 * discord.js's rejectOnRateLimit: a message post Discord asks to wait longer than
 * longestMessageWaitMs for is rejected (RateLimitError) rather than waited for. discord.js
 * waited out every 429 however long, and one long wait held the roundup tick, and with it
 * every other channel's roundup, for hours. A server's notice of a stopped roundup
 * (tellStopped) is such a post too: asked to wait that long, it is not posted, and the log
 * says the server could not be told.
 */
export function rejectLongMessageWaits(limit: RateLimitData): boolean {
  const messagePost =
    limit.method.toUpperCase() === "POST" && limit.route === "/channels/:id/messages";
  return messagePost && limit.retryAfter > longestMessageWaitMs;
}

function classify(error: unknown): DeliveryProblem {
  if (!(error instanceof DiscordAPIError)) return "transient"; // network, 5xx after discord.js's retries
  if (gone.has(error.code) || error.status === 404) return "gone";
  if (forbidden.has(error.code) || error.status === 403) return "forbidden";
  // Any other 4xx is about the request itself (AutoMod's 200000/200001, 50035 Invalid Form
  // Body): the same request gets the same answer, and AutoMod alerts the moderators again.
  const clientError = error.status >= 400 && error.status < 500;
  if (clientError && !tryAgainStatuses.has(error.status) && !notYet.has(error.code))
    return "refused";
  return "transient";
}
