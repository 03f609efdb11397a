import { constants } from "node:os";
import type { IngestSummary } from "../store/ingest.ts";
import { count, grouped } from "../text/format.ts";
import type { Io } from "./args.ts";
import { clearProgress } from "./progress.ts";

/** What stops a run that stores files: Ctrl-C, and the SIGTERM of systemd, docker or `timeout`. */
export type StopSignal = "SIGINT" | "SIGTERM";
const stopSignals: StopSignal[] = ["SIGINT", "SIGTERM"];
/** As the user sent it: a terminal sends SIGINT for Ctrl-C. */
const spoken: Record<StopSignal, string> = { SIGINT: "Ctrl-C", SIGTERM: "SIGTERM" };

/** The exit code of a run `signal` stopped, as shells give a process it ended: 128 + its number. */
export const stoppedExitCode = (signal: StopSignal) => 128 + constants.signals[signal];

/**
 * Until `release`, Ctrl-C or SIGTERM calls `stop` (which asks the run to stop before its next
 * file or 4 MiB part of one, IngestOptions.stopRequested) instead of ending the process, and
 * says so on `stderr`; `heard` is the signal once one was. Heard once: a second ends the
 * process at once, as if none were heard. SQLite keeps nothing of a file's transaction that
 * did not commit, so that loses nothing the first would keep.
 */
export function hearStopSignals(stderr: Io["stderr"], stop: () => void) {
  let heard: StopSignal | undefined;
  const listeners = stopSignals.map((signal) => ({
    signal,
    listener: () => {
      heard = signal;
      release();
      // Asked before it is said: whoever reads "Stopping" (a test, a script) and then lets the
      // file be read on finds the request made, not the thread past it before it was.
      stop();
      clearProgress(stderr);
      stderr.write(
        `Stopping (${spoken[signal]}): the file being read will not be stored, unless it is being written already; the files stored before it are kept.\n`,
      );
    },
  }));
  function release(): void {
    for (const { signal, listener } of listeners) process.off(signal, listener);
  }
  for (const { signal, listener } of listeners) process.on(signal, listener);
  return { heard: () => heard, release };
}

/** The most files named as stored by a stopped run: a folder may have thousands. */
const storedNamed = 5;

/**
 * What a run `signal` stopped stored and did not, and how to go on: `again`, the command to
 * run again. Heard after the last file began (the index being merged) or before the first (a
 * download), it stopped with no file being read.
 */
export function stoppedLines(summary: IngestSummary, signal: StopSignal, again: string): string {
  const { files, stopped } = summary;
  const stored = files.filter((file) => file.status !== "failed").map((file) => file.path);
  const total = files.length + (stopped ? 1 + stopped.notRead : 0);
  const after =
    stopped && stopped.notRead > 0 ? `, nor of the ${count(stopped.notRead, "file")} after it` : "";
  const more =
    stored.length > storedNamed ? ` and ${grouped(stored.length - storedNamed)} more` : "";
  const named = stored.length > 0 ? `: ${stored.slice(0, storedNamed).join(", ")}${more}` : "";
  return [
    stopped
      ? `Stopped (${spoken[signal]}) while reading ${stopped.path}: nothing of it is stored (a file is stored whole or not at all)${after}.`
      : `Stopped (${spoken[signal]}) with no file being read.`,
    ...(total > 0 ? [`Stored: ${grouped(stored.length)} of ${count(total, "file")}${named}.`] : []),
    `Run ${again} again to go on: the files stored are skipped as unchanged.\n`,
  ].join("\n");
}

/**
 * What a run says that `signal` came too late to stop: once the last file is being written (its
 * index, commit and merge), nothing is left to stop. "Stopping" said the file would not be
 * stored, unless so; said nothing more, the run stored it and exited 0 unexplained.
 */
export const cameTooLate = (signal: StopSignal) =>
  `${spoken[signal]} came as the last file was being written: the run is whole, as said above.\n`;
