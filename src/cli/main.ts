import { type ParseArgsConfig, parseArgs } from "node:util";
import { type Config, ConfigError, loadConfig, withHome } from "../config.ts";
import { UserError } from "../errors.ts";
import { openPaperboy, type Paperboy } from "../paperboy.ts";
import { UnusableDatabaseError } from "../store/db.ts";
import { isStorageError } from "../store/ingest.ts";
import { meantName } from "../text/near-miss.ts";
import { runDeployCommands } from "./deploy.ts";
import { runForget } from "./forget.ts";
import { ingestNothingThere, runIngest } from "./ingest.ts";
import { runRoundup } from "./roundup.ts";
import { runSearch } from "./search.ts";
import { runShow, runStats } from "./show.ts";
import { runStart } from "./start.ts";

/**
 * Parses a command's own options; `--db` belongs to every command and was read already.
 * An argument past the `positionals` it takes is refused rather than silently ignored.
 */
export function commandArgs<T extends ParseArgsConfig["options"]>(
  args: string[],
  options: T,
  { positionals = Number.POSITIVE_INFINITY } = {},
) {
  const parsed = parseKnown(args, { ...options, db: { type: "string" } });
  const extra = parsed.positionals[positionals];
  if (extra !== undefined) throw new UserError(`unexpected argument "${extra}"`);
  return parsed;
}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
}

type CliCommand = (
  app: Paperboy,
  args: string[],
  io: Io,
  config: Config,
) => Promise<number> | number;

/**
 * The commands, each with its lines of the usage: `paperboy --help` lists them all,
 * `paperboy <command> --help` its own.
 */
const commands: Record<string, { run: CliCommand; usage: string }> = {
  start: {
    run: runStart,
    usage: `  start                       ingest $PAPERBOY_ARCHIVE (data/archive) if it changed, then run the Discord bot
                              (with DISCORD_TOKEN) or the offline console (without)`,
  },
  "deploy-commands": {
    run: runDeployCommands,
    usage: `  deploy-commands [--guild ID [--remove-global]]
                              register the slash commands with Discord now (and take off those
                              registered earlier to other servers; --remove-global: the global ones)`,
  },
  ingest: {
    run: runIngest,
    usage: `  ingest [paths…]             load .txt/.json/.jsonl files (maybe .gz) or folders (default: $PAPERBOY_ARCHIVE or data/archive)`,
  },
  forget: {
    run: runForget,
    usage: `  forget <file…>              take files back out: the papers only they had are removed`,
  },
  search: {
    run: runSearch,
    usage: `  search <query> [--limit 1-100] [--field all|title|abstract] [--json]
  search --stdin --json       one query per input line, one JSON line per query out`,
  },
  show: {
    run: runShow,
    usage: `  show <id>                   one paper, by Paperboy id, arXiv id, or arXiv, Hugging Face or DOI link (names its files)`,
  },
  stats: {
    run: runStats,
    usage: `  stats [--json]              what the archive holds`,
  },
  roundup: {
    run: runRoundup,
    usage: `  roundup --dry-run [--channel ID]  what each channel's next roundup would post now`,
  },
};

const everyCommandsOptions = `Options for every command:
  --db PATH                   the SQLite database (default: $PAPERBOY_DB or data/paperboy.db)
  -h, --help                  this help
`;

const usage = `Usage: paperboy <command> [options]

Commands:
${Object.values(commands)
  .map((command) => command.usage)
  .join("\n")}

${everyCommandsOptions}`;

/** The usage of one command, `paperboy <command> --help`: its lines of the list. */
const usageOf = (name: string, lines: string) =>
  `Usage: paperboy ${name} [options]

${lines}

${everyCommandsOptions}`;

/**
 * What a command checks before the database is opened, which makes it: a run that can only
 * fail must not leave an empty database behind. A number is the exit code to stop with.
 */
const beforeOpening: Partial<
  Record<string, (args: string[], io: Io, config: Config) => number | undefined>
> = { ingest: ingestNothingThere };

/** Commands that need an archive already there: a mistyped --db must not leave an empty database behind. */
const needArchive = new Set(["forget", "search", "show", "stats", "roundup"]);
/** Commands that only read: a database this user may not write serves them (another's bot's, say). */
const onlyRead = new Set(["search", "show", "stats", "roundup"]);

/**
 * Runs one CLI command and returns the process exit code. A mistake (usage, config,
 * database, input) is one line on stderr; only what is unexpected is thrown.
 */
export async function main(argv: string[], io: Io = process): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { db: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: false,
  });
  const [name] = positionals;
  // Its own names only: `constructor` or `toString` are the table's, as an object's, not commands.
  const command = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
  // Only a real -h/--help asks for help: the lenient parse above reads `search -graph` as
  // the short flags -g -r -a -p -h, which printed the usage instead of an error.
  const help = argv.slice(0, endOfOptions(argv)).some((arg) => arg === "-h" || arg === "--help");
  if (name && !command) {
    // With --help too: a script's `paperboy srch --help` must not pass for a working command.
    const meant = meantName(name, Object.keys(commands));
    io.stderr.write(
      `paperboy: unknown command "${name}"${meant ? ` (did you mean ${meant}?)` : ""}\n\n${usage}`,
    );
    return 2;
  }
  // Before any command, too: `paperboy --version` printed the usage, naming nothing wrong.
  const option = Object.keys(values).find((key) => key !== "db" && key !== "help");
  if (!command && !help && option) {
    const meant = meantName(option, ["db", "help"]);
    const typed = `${option.length === 1 ? "-" : "--"}${option}`;
    io.stderr.write(
      `paperboy: unknown option ${typed}${meant ? ` (did you mean --${meant}?)` : ""}\n\n${usage}`,
    );
    return 2;
  }
  if (help || !command) {
    (help ? io.stdout : io.stderr).write(command ? usageOf(name as string, command.usage) : usage);
    return help ? 0 : 2;
  }
  // `--db` with no path would otherwise be ignored, silently using the default database; an
  // empty one (`--db "$DB"` with DB unset) is SQLite's throwaway temporary database.
  if (values.db !== undefined && (typeof values.db !== "string" || values.db.trim() === "")) {
    const empty = typeof values.db === "string" ? "the path is empty; " : "";
    io.stderr.write(`paperboy: --db: ${empty}expected a path to the SQLite database\n`);
    return 2;
  }
  for (const stream of [io.stdout, io.stderr]) stream.on("error", ignoreClosedReader);
  let app: Paperboy | undefined;
  try {
    const config = loadConfig();
    const args = [...argv];
    args.splice(argv.indexOf(name as string), 1);
    const refused = beforeOpening[name as string]?.(args, io, config);
    if (refused !== undefined) return refused;
    app = openPaperboy(typeof values.db === "string" ? withHome(values.db) : config.dbPath, {
      mustExist: needArchive.has(name as string),
      onlyReads: onlyRead.has(name as string),
    });
    return await command.run(app, args, io, config);
  } catch (error) {
    if (
      error instanceof UserError ||
      error instanceof ConfigError ||
      error instanceof UnusableDatabaseError
    ) {
      io.stderr.write(`paperboy: ${error.message}\n`);
      return 2;
    }
    if (isStorageError(error) && app) {
      // The operator's to fix, not a crash: a stack trace said nothing more.
      io.stderr.write(
        `paperboy: ${app.db.name}: SQLite could not read or write the database (${error.message}): is its disk full, or failing? Free some space and run it again; what was being written when it failed was not kept.\n`,
      );
      return 1;
    }
    if (isUsageError(error)) {
      // An unknown option or a missing value is a usage mistake, not a crash with a stack trace.
      io.stderr.write(`paperboy: ${error.message}\nRun \`paperboy --help\` for usage.\n`);
      return 2;
    }
    throw error;
  } finally {
    app?.close();
  }
}

/**
 * A reader that stops early (`paperboy search … | head -2`, `paperboy ingest 2>&1 | head`)
 * closes the pipe: later writes fail with EPIPE, which is how Unix tools learn to stop, not a
 * crash. The stream is destroyed by then, so the rest of its output is dropped quietly, and a
 * loop that only writes there can see it (`writable`) and stop.
 */
function ignoreClosedReader(error: NodeJS.ErrnoException): void {
  if (error.code !== "EPIPE") throw error;
}

function endOfOptions(argv: string[]): number {
  const index = argv.indexOf("--");
  return index === -1 ? argv.length : index;
}

/** parseArgs, with an unknown option named plainly and the one it is likely a slip for. */
function parseKnown<T extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options, allowPositionals: true });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const option = /'(-[^' ]+)'/.exec((error as Error).message)?.[1];
    if (code !== "ERR_PARSE_ARGS_UNKNOWN_OPTION" || !option) throw error;
    const meant = meantName(option.replace(/^-+/, ""), Object.keys(options));
    throw new UserError(`unknown option ${option}${meant ? ` (did you mean --${meant}?)` : ""}`);
  }
}

/** What node:util parseArgs throws for arguments it cannot read (ERR_PARSE_ARGS_*). */
function isUsageError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
