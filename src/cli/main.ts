import { type ParseArgsConfig, parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.ts";
import { UserError } from "../errors.ts";
import { openPaperboy, type Paperboy } from "../paperboy.ts";
import { DatabaseVersionError } from "../store/db.ts";
import { runIngest } from "./ingest.ts";
import { runSearch } from "./search.ts";
import { runShow, runStats } from "./show.ts";

/** Parses a command's own options; `--db` belongs to every command and was read already. */
export function commandArgs<T extends ParseArgsConfig["options"]>(args: string[], options: T) {
  return parseArgs({
    args,
    options: { ...options, db: { type: "string" } },
    allowPositionals: true,
  });
}

export const usage = `Usage: paperboy <command> [options]

Commands:
  ingest [paths…]             load .txt/.json/.jsonl/.jsonl.gz files or folders (default: data/archive)
  search <query> [--limit N] [--field all|title|abstract] [--json]
  search --stdin --json       one query per input line, one JSON line per query out
  show <id>                   one paper, by Paperboy id or arXiv id
  stats [--json]              what the archive holds

Options for every command:
  --db PATH                   the SQLite database (default: $PAPERBOY_DB or data/paperboy.db)
  -h, --help                  this help
`;

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
}

const commands: Record<
  string,
  (app: Paperboy, args: string[], io: Io) => Promise<number> | number
> = {
  ingest: runIngest,
  search: runSearch,
  show: runShow,
  stats: runStats,
};

/** Runs one CLI command and returns the process exit code; never throws. */
export async function main(argv: string[], io: Io = process): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { db: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: false,
  });
  const [name] = positionals;
  const command = name ? commands[name] : undefined;
  if (values.help || !command) {
    (command || values.help ? io.stdout : io.stderr).write(usage);
    return values.help ? 0 : 2;
  }
  let app: Paperboy | undefined;
  try {
    const config = loadConfig();
    app = openPaperboy(typeof values.db === "string" ? values.db : config.dbPath);
    const args = [...argv];
    args.splice(argv.indexOf(name as string), 1);
    return await command(app, args, io);
  } catch (error) {
    if (
      error instanceof UserError ||
      error instanceof ConfigError ||
      error instanceof DatabaseVersionError
    ) {
      io.stderr.write(`paperboy: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    app?.close();
  }
}
