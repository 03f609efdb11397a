/**
 * Snowflake ids shaped like Discord's: a millisecond timestamp since the Discord epoch
 * shifted left 22 bits, plus a counter.
 *
 * The shape matters, not just uniqueness: @discordjs/rest only recognises 17–19 digit ids as
 * "major parameters" when it builds rate-limit buckets, and discord.js derives `createdAt`
 * from the id. Random strings would route and date differently from production.
 */
import { randomBytes } from "node:crypto";

const DISCORD_EPOCH = 1_420_070_400_000n;

export type SnowflakeFactory = () => string;

export function createSnowflakeFactory(now: () => number = Date.now): SnowflakeFactory {
  let lastMs = 0n;
  let increment = 0n;
  return () => {
    let ms = BigInt(now());
    // Keep ids strictly increasing even when many are minted in the same millisecond
    // (or the clock steps back): Discord ids sort by creation time and tests may rely on it.
    if (ms <= lastMs) {
      increment += 1n;
      if (increment > 0xfffn) {
        lastMs += 1n;
        increment = 0n;
      }
      ms = lastMs;
    } else {
      increment = 0n;
    }
    lastMs = ms;
    return (((ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
  };
}

/** An interaction token: opaque, URL-safe (it is a path segment), unique. */
export function interactionToken(): string {
  return `fake-itk-${randomBytes(24).toString("base64url")}`;
}

/** A gateway session id: Discord uses 32 hex characters. */
export function sessionId(): string {
  return randomBytes(16).toString("hex");
}
