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
import {
  cameTooLate,
  hearStopSignals,
  type StopSignal,
  stoppedExitCode,
  stoppedLines,
} from "./stop-signals.ts";

export async function runIngest(
  app: Paperboy,
  args: string[],
  io: Io,
  config: Config,
): Promise<number> {
  const stopping = new AbortController();
  const signals = hearStopSignals(io.stderr, () => stopping.abort());
  let summary: IngestSummary;
  try {
    const onProgress = progressReporter(io.stderr, { eachFile: true });
    summary = await ingestHearingSignals(
      app,
      pathsToIngest(args, config),
      onProgress,
      stopping.signal,
    );
  } finally {
    signals.release();
    clearProgress(io.stderr); // for the summary, or the message main() gives of what it threw
  }
  return reported(summary, io, signals.heard());
}

/**
 * On a thread of its own, so that this one is free to hear Ctrl-C or SIGTERM: a signal waits
 * for the event loop, which an ingest here holds to its end (killed by Ctrl-C, the process
 * said nothing of what it had stored). An in-memory database cannot be opened by another
 * thread; nothing of it outlives the process anyway.
 */
function ingestHearingSignals(
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

/**
 * The summary on stderr, and the exit code; `heard`, the signal that asked the run to stop, if
 * one did (in time to, or not: `cameTooLate`).
 */
function reported(summary: IngestSummary, io: Io, heard?: StopSignal): number {
  io.stderr.write(formatSummary(summary));
  if (summary.stopped && heard) {
    io.stderr.write(stoppedLines(summary, heard, "the same paperboy ingest"));
    return stoppedExitCode(heard);
  }
  if (heard) io.stderr.write(cameTooLate(heard));
  // Warnings are reported, not fatal: only a file that could not be read at all, or not
  // stored (another process kept the database locked), fails the run.
  return summary.filesFailed > 0 ? 1 : 0;
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
