import { type ParseArgsConfig, parseArgs } from "node:util";
import { UserError } from "../errors.ts";
import { meantName } from "../text/near-miss.ts";

/** Where a command reads and writes: the process's streams, or a test's. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
}

export type Options = NonNullable<ParseArgsConfig["options"]>;

/** `--db`, which every command takes; main() reads it before the command runs. */
export const dbOption = { db: { type: "string" } } as const satisfies Options;

/**
 * Parses a command's own options; `--db` belongs to every command and was read already.
 * An argument past the `positionals` it takes is refused rather than silently ignored.
 */
export function commandArgs<T extends Options>(
  args: string[],
  options: T,
  { positionals = Number.POSITIVE_INFINITY } = {},
) {
  const parsed = parseKnown(args, { ...options, ...dbOption });
  const extra = parsed.positionals[positionals];
  if (extra !== undefined) throw new UserError(`unexpected argument "${extra}"`);
  return parsed;
}

/** parseArgs, with an unknown option named plainly and the one it is likely a slip for. */
function parseKnown<T extends Options>(args: string[], options: T) {
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
