import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Config } from "../config.ts";
import { UserError } from "../errors.ts";
import type { Paperboy } from "../paperboy.ts";
import { count } from "../text/format.ts";
import { commandArgs, type Io } from "./args.ts";

/** `paperboy forget <file…>`: takes files back out of the archive (see src/store/forget.ts). */
export function runForget(app: Paperboy, args: string[], io: Io, config: Config): number {
  const { positionals } = commandArgs(args, {});
  if (positionals.length === 0) {
    throw new UserError(
      "forget: name a file as it was ingested, e.g. `paperboy forget data/archive/notes.txt`",
    );
  }
  // A file named twice (`f f`, `f ./f`) is taken out once: the second found it gone, and failed.
  const files = new Set<string>();
  for (const path of positionals) {
    if (files.has(resolve(path))) continue;
    files.add(resolve(path));
    const forgotten = app.forget(path);
    io.stdout.write(
      `${forgotten.path}: ${count(forgotten.removed, "paper")} removed, ${count(forgotten.kept, "paper")} kept (other files have them too)\n`,
    );
    // The refresh reads the archive folder itself, not its subfolders.
    const inArchive = dirname(forgotten.path) === resolve(config.archiveDir);
    if (inArchive && existsSync(forgotten.path)) {
      io.stdout.write(
        `  it is still in ${config.archiveDir}: move or delete it, or the next refresh loads it again\n`,
      );
    }
  }
  return 0;
}
