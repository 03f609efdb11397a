import { archiveKinds } from "../archive/read.ts";
import type { Config } from "../config.ts";
import type { Paperboy } from "../paperboy.ts";
import {
  type IngestProgress,
  type IngestSummary,
  nothingListed,
  problemLines,
} from "../store/ingest.ts";
import { count, grouped } from "../text/format.ts";
import { ingestOnThread } from "../threads/ingest.ts";
import { commandArgs, type Io } from "./args.ts";
import { clearProgress, progressReporter } from "./progress.ts";

/** The exit code of a run stopped by Ctrl-C, as shells give a process SIGINT ended (128 + 2). */
const interruptedExitCode = 130;

export async function runIngest(
  app: Paperboy,
  args: string[],
  io: Io,
  config: Config,
): Promise<number> {
  const stopping = new AbortController();
  // Once: a second Ctrl-C ends the process at once, as if none were heard. SQLite keeps nothing
  // of a file's transaction that did not commit, so that loses nothing the first would keep.
  const stop = () => {
    clearProgress(io.stderr);
    io.stderr.write(
      "Stopping (Ctrl-C): the file being read will not be stored; the files stored before it are kept.\n",
    );
    stopping.abort();
  };
  process.once("SIGINT", stop);
  let summary: IngestSummary;
  try {
    const onProgress = progressReporter(io.stderr, { eachFile: true });
    summary = await ingestHearingCtrlC(
      app,
      pathsToIngest(args, config),
      onProgress,
      stopping.signal,
    );
  } finally {
    process.off("SIGINT", stop);
    clearProgress(io.stderr); // for the summary, or the message main() gives of what it threw
  }
  return reported(summary, io);
}

/**
 * On a thread of its own, so that this one is free to hear Ctrl-C: a signal waits for the
 * event loop, which an ingest here holds to its end (killed by Ctrl-C, the process said
 * nothing of what it had stored). An in-memory database cannot be opened by another thread;
 * nothing of it outlives the process anyway.
 */
function ingestHearingCtrlC(
  app: Paperboy,
  paths: string[],
  onProgress: (progress: IngestProgress) => void,
  stopping: AbortSignal,
): IngestSummary | Promise<IngestSummary> {
  if (app.db.memory) return app.ingest(paths, { onProgress });
  return ingestOnThread(app.db.name, paths, onProgress, stopping);
}

/**
 * Before the database is opened: when no path named is there, the run fails as it would,
 * but `paperboy ingest --db new.db /missing/path` leaves no empty new.db behind.
 */
export function ingestNothingThere(args: string[], io: Io, config: Config): number | undefined {
  const summary = nothingListed(pathsToIngest(args, config));
  return summary && reported(summary, io);
}

function pathsToIngest(args: string[], config: Config): string[] {
  const { positionals } = commandArgs(args, {});
  // The default folder is PAPERBOY_ARCHIVE (see src/config.ts), not always ./data/archive.
  return positionals.length ? positionals : [config.archiveDir];
}

/** The summary on stderr, and the exit code. */
function reported(summary: IngestSummary, io: Io): number {
  io.stderr.write(formatSummary(summary));
  if (summary.stopped) {
    io.stderr.write(stoppedLines(summary.files, summary.stopped));
    return interruptedExitCode;
  }
  // Warnings are reported, not fatal: only a file that could not be read at all, or not
  // stored (another process kept the database locked), fails the run.
  return summary.filesFailed > 0 ? 1 : 0;
}

/** The most files named as stored by a run stopped by Ctrl-C: a folder may have thousands. */
const storedNamed = 5;

/** What a run stopped by Ctrl-C stored and did not, and how to go on. */
function stoppedLines(
  files: IngestSummary["files"],
  { path, notRead }: NonNullable<IngestSummary["stopped"]>,
): string {
  const stored = files.filter((file) => file.status !== "failed").map((file) => file.path);
  const total = files.length + 1 + notRead;
  const after = notRead > 0 ? `, nor of the ${count(notRead, "file")} after it` : "";
  const more =
    stored.length > storedNamed ? ` and ${grouped(stored.length - storedNamed)} more` : "";
  const named = stored.length > 0 ? `: ${stored.slice(0, storedNamed).join(", ")}${more}` : "";
  return [
    `Stopped (Ctrl-C) while reading ${path}: nothing of it is stored (a file is stored whole or not at all)${after}.`,
    `Stored: ${grouped(stored.length)} of ${count(total, "file")}${named}.`,
    "Run the same paperboy ingest again to go on: the files stored are skipped as unchanged.\n",
  ].join("\n");
}

export function formatSummary(summary: IngestSummary): string {
  const lines = [
    ...summary.emptyFolders.map(
      (folder) =>
        `${folder}: no archive files (${archiveKinds}) in this folder (subfolders are not read)`,
    ),
    ...problemLines(summary.files),
  ];
  lines.push(
    `files: ${grouped(summary.filesRead)} read (${grouped(summary.filesUnchanged)} unchanged), ` +
      `${grouped(summary.filesFailed)} failed · ` +
      `papers: ${grouped(summary.added)} added, ${grouped(summary.updated)} updated, ` +
      `${grouped(summary.unchanged)} unchanged · ` +
      `${count(summary.duplicates, "duplicate")} merged · ${count(summary.warnings, "warning")}`,
  );
  return `${lines.join("\n")}\n`;
}
