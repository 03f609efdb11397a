import { parseArgs } from "node:util";
import { type Config, ConfigError, loadConfig, withHome } from "../config.ts";
import { UserError } from "../errors.ts";
import { openPaperboy, type Paperboy } from "../paperboy.ts";
import { storageProblem, UnusableDatabaseError } from "../store/db.ts";
import { isStorageError } from "../store/ingest.ts";
import { meantName } from "../text/near-miss.ts";
import { dbOption, type Io, type Options } from "./args.ts";
import { deployOptions, runDeployCommands } from "./deploy.ts";
import { runForget } from "./forget.ts";
import { ingestNothingThere, runIngest } from "./ingest.ts";
import { roundupOptions, runRoundup } from "./roundup.ts";
import { runSearch, searchOptions } from "./search.ts";
import { runShow, runStats, statsOptions } from "./show.ts";
import { runStart } from "./start.ts";

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
const commands: Record<string, { run: CliCommand; usage: string; options?: Options }> = {
  start: {
    run: runStart,
    usage: `  start                       ingest $PAPERBOY_ARCHIVE (data/archive) if it changed, then run the Discord bot
                              (with DISCORD_TOKEN) or the offline console (without)`,
  },
  "deploy-commands": {
    run: runDeployCommands,
    options: deployOptions,
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
    options: searchOptions,
    usage: `  search <query> [--limit 1-100] [--field all|title|abstract] [--json]
  search --stdin --json       one query per input line, one JSON line per query out`,
  },
  show: {
    run: runShow,
    usage: `  show <id>                   one paper, by Paperboy id, arXiv id, or arXiv, Hugging Face or DOI link (names its files)`,
  },
  stats: {
    run: runStats,
    options: statsOptions,
    usage: `  stats [--json]              what the archive holds`,
  },
  roundup: {
    run: runRoundup,
    options: roundupOptions,
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

/** The options of every command, and --help: what may stand before the command's name. */
const everyOption: Options = Object.assign(
  { help: { type: "boolean", short: "h" } },
  dbOption,
  ...Object.values(commands).map((command) => command.options),
);

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
  // Every command's options are known here, so that one taking a value takes it wherever it
  // stands: `paperboy --limit 3 search graph` read "3" as the command.
  const { values, tokens } = parseArgs({
    args: argv,
    options: everyOption,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  // One taking a value with the next option after it took that option as its value:
  // `search graph --limit --db x.db` searched the default database, saying it had none.
  const swallowing = tokens.find(
    (token) =>
      token.kind === "option" && token.inlineValue === false && /^--?[a-z]/i.test(token.value),
  );
  if (swallowing?.kind === "option") {
    io.stderr.write(
      `paperboy: ${swallowing.rawName}: expected a value after it, not the option ${swallowing.value}\n`,
    );
    return 2;
  }
  const commandToken = tokens.find((token) => token.kind === "positional");
  const name = commandToken?.value;
  // Its own names only: `constructor` or `toString` are the table's, as an object's, not commands.
  const command = name && Object.hasOwn(commands, name) ? commands[name] : undefined;
  // Only a real -h/--help asks for help: the lenient parse above reads `search -graph` as
  // the short flags -g -r -a -p -h, which printed the usage instead of an error.
  const help = argv.slice(0, endOfOptions(argv)).some((arg) => arg === "-h" || arg === "--help");
  // An unknown option before an unknown command comes first: `paperboy --limt 3 search graph`
  // took "3" for the command, as --limt takes no value. Before none, too: `paperboy --version`
  // printed the usage, naming nothing wrong. One before a command is the command's to name.
  const unknown = tokens.find(
    (token) =>
      token.kind === "option" &&
      !Object.hasOwn(everyOption, token.name) &&
      (commandToken === undefined || token.index < commandToken.index),
  );
  if (!command && !help && unknown?.kind === "option") {
    const meant = meantName(unknown.name, Object.keys(everyOption));
    io.stderr.write(
      `paperboy: unknown option ${unknown.rawName}${meant ? ` (did you mean --${meant}?)` : ""}\n\n${usage}`,
    );
    return 2;
  }
  // `paperboy help [command]`, as git and npm take it: "unknown command" printed the usage anyway.
  if (name === "help" && commandToken) {
    return main(
      [...argv.slice(0, commandToken.index), ...argv.slice(commandToken.index + 1), "--help"],
      io,
    );
  }
  if (name && !command) {
    // With --help too: a script's `paperboy srch --help` must not pass for a working command.
    // `help` is one too (`paperboy help [command]`), though not in the table.
    const meant = meantName(name, [...Object.keys(commands), "help"]);
    io.stderr.write(
      `paperboy: unknown command "${name}"${meant ? ` (did you mean ${meant}?)` : ""}\n\n${usage}`,
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
    // The command's own word taken out where it stands, not the first argument spelt alike.
    const args = argv.filter((_, index) => index !== commandToken?.index);
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
        `paperboy: ${storageProblem(error, app.db.name)}. What was being written when it failed was not kept.\n`,
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

/** What node:util parseArgs throws for arguments it cannot read (ERR_PARSE_ARGS_*). */
function isUsageError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}
