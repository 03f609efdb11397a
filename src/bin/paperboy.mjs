#!/usr/bin/env node
// The `paperboy` executable. It loads the TypeScript sources through tsx so that
// operators never need a separate build step (`npm install` then `npm start`).
import { readFileSync } from "node:fs";
import { parseEnv } from "node:util";
import { register } from "tsx/esm/api";

/** Why a file cannot be read, for the codes an operator meets. */
const unreadable = {
  EACCES: "permission denied for this user",
  EPERM: "permission denied for this user",
  EISDIR: "it is a folder",
};

/**
 * Settings may live in .env beside the data; real environment variables win. Read here
 * rather than by process.loadEnvFile, which calls an unreadable file missing (ENOENT) and
 * a folder "not a valid string", with a stack trace. Returns what is wrong, if anything.
 */
function loadSettings(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (error.code === "ENOENT") return undefined; // no .env: the environment alone
    const why = unreadable[error.code] ?? error.message;
    return `${path}: could not read the settings file (${why}); fix it or remove it`;
  }
  // A byte order mark (Notepad before 2019, PowerShell 5's `Out-File -Encoding utf8`) glued
  // itself to the first name, and that setting, often DISCORD_TOKEN, was quietly not read.
  const unmarked = text.replace(/^\uFEFF/, "");
  const unread = unreadLine(unmarked);
  if (unread) return `${path}:${unread}`;
  for (const [name, value] of Object.entries(parseEnv(unmarked))) process.env[name] ??= value;
  return undefined;
}

/**
 * The first line that is not `NAME=value` (nor blank, nor a comment), as `line: what is
 * wrong`. parseEnv skips it without a word, and glues it to the next line's name, so that this
 * one and the next were both lost: a `DISCORD_TOKEN: …` line left the bot offline with its token
 * in the file. The line's value is not repeated: it may be the token. Lines of a quoted value
 * that goes on over several lines are the value's.
 */
function unreadLine(text) {
  let quote;
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (quote) {
      if (line.includes(quote)) quote = undefined;
      continue;
    }
    if (/^\s*(?:#|$)/.test(line)) continue;
    const setting = /^\s*(?:export\s+)?[A-Za-z_][\w.]*[ \t]*=[ \t]*(.*)$/.exec(line);
    if (!setting) {
      const name = /^\s*(?:export\s+|set\s+)?([A-Za-z_]\w*)/i.exec(line)?.[1];
      const like = name ? `, like ${name}=…` : "";
      return `${index + 1}: expected NAME=value${like}; fix the line, or start it with # to leave it out`;
    }
    const opening = setting[1][0];
    if (['"', "'", "`"].includes(opening) && !setting[1].slice(1).includes(opening))
      quote = opening;
  }
  return undefined;
}

const problem = loadSettings(".env");
if (problem) {
  process.stderr.write(`paperboy: ${problem}\n`);
  process.exitCode = 2; // as for any other setting that is wrong
} else {
  register();
  const { main } = await import("../cli/main.ts");
  const code = await main(process.argv.slice(2));
  // A command that failed has nothing left to finish, but a library may still hold the process
  // open: discord.js goes on trying a gateway it could not reach, its client destroyed or not.
  if (code !== 0) process.exit(code);
}
