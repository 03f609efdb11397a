import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";
import { thrownBy } from "./helpers.ts";

describe("loadConfig", () => {
  it("has a default for everything, and logs less in the offline console", () => {
    expect(loadConfig({})).toEqual({
      dbPath: resolve("data/paperboy.db"),
      archiveDir: resolve("data/archive"),
      discordToken: undefined,
      discordGuildId: undefined,
      discordApiUrl: undefined,
      hfDaily: false,
      hfApiUrl: "https://huggingface.co",
      logLevel: "warn",
      searchThreads: undefined,
    });
    expect(loadConfig({ DISCORD_TOKEN: "a.b.c" }).logLevel).toBe("info");
    expect(loadConfig({ LOG_LEVEL: "debug" }).logLevel).toBe("debug");
  });

  it("takes LOG_LEVEL in any case, as PAPERBOY_HF_DAILY", () => {
    expect(loadConfig({ LOG_LEVEL: "DEBUG" }).logLevel).toBe("debug");
    expect(loadConfig({ LOG_LEVEL: "Info" }).logLevel).toBe("info");
  });

  it("reads every variable, trimmed, with URLs' trailing slashes dropped", () => {
    expect(
      loadConfig({
        PAPERBOY_DB: " /srv/pb.db ",
        PAPERBOY_ARCHIVE: "papers",
        DISCORD_TOKEN: " a.b.c ",
        DISCORD_GUILD_ID: "123456789012345678",
        DISCORD_API_URL: "http://127.0.0.1:9/api/",
        PAPERBOY_HF_DAILY: "ON",
        PAPERBOY_HF_API_URL: "http://127.0.0.1:8/",
        LOG_LEVEL: "error",
        PAPERBOY_SEARCH_THREADS: "0",
        // Blank counts as unset, as an empty line in .env would give it.
        UNRELATED: "",
      }),
    ).toEqual({
      dbPath: "/srv/pb.db",
      archiveDir: resolve("papers"),
      discordToken: "a.b.c",
      discordGuildId: "123456789012345678",
      discordApiUrl: "http://127.0.0.1:9/api",
      hfDaily: true,
      hfApiUrl: "http://127.0.0.1:8",
      logLevel: "error",
      searchThreads: 0,
    });
    expect(loadConfig({ DISCORD_TOKEN: "  ", DISCORD_GUILD_ID: "" })).toMatchObject({
      discordToken: undefined,
      discordGuildId: undefined,
    });
  });

  it.each([
    [
      { DISCORD_TOKEN: "two words" },
      "DISCORD_TOKEN: expected the bot token from the Discord developer portal, without spaces",
    ],
    [
      { DISCORD_GUILD_ID: "my-server" },
      'DISCORD_GUILD_ID: expected a server id (17–20 digits), got "my-server"',
    ],
    [
      { DISCORD_API_URL: "discord.com/api" },
      'DISCORD_API_URL: expected an http(s) URL such as https://discord.com/api, got "discord.com/api"',
    ],
    [{ PAPERBOY_HF_DAILY: "yes" }, 'PAPERBOY_HF_DAILY: expected on or off, got "yes"'],
    // As written, though compared in any case.
    [{ PAPERBOY_HF_DAILY: "YES" }, 'PAPERBOY_HF_DAILY: expected on or off, got "YES"'],
    [
      { PAPERBOY_HF_API_URL: "ftp://x" },
      'PAPERBOY_HF_API_URL: expected an http(s) URL such as https://huggingface.co, got "ftp://x"',
    ],
    [
      { LOG_LEVEL: "verbose" },
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"',
    ],
    [
      { LOG_LEVEL: "Verbose" },
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "Verbose"',
    ],
  ])("refuses %j in one line naming the variable", (env, message) => {
    const error = thrownBy(() => loadConfig(env));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(message);
  });
});
