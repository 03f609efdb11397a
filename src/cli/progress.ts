import cliTruncate from "cli-truncate";
import { atEachTenth, type IngestProgress } from "../store/ingest.ts";
import { count } from "../text/format.ts";
import type { Io } from "./args.ts";

/**
 * A self-overwriting line on a terminal. Otherwise (logs, CI) plain lines: for a file read in
 * parts, one at each tenth of it, and with `eachFile`, one as each file begins.
 */
export function progressReporter(
  stream: Io["stderr"],
  { eachFile }: { eachFile: boolean },
): (progress: IngestProgress) => void {
  const tty = stream.isTTY === true;
  const overwrite = (line: string) => stream.write(`\r\x1b[K${fitted(line, stream.columns)}`);
  const recordsLine = ({ path, done, share }: { path: string; done: number; share: number }) =>
    `${path}: ${count(done, "record")}, ${Math.floor(share * 100)} %`;
  const tenths = atEachTenth((progress) => stream.write(`${recordsLine(progress)}\n`));
  return (progress) => {
    if (progress.kind === "file") {
      const line = `[${progress.index + 1}/${progress.total}] ${progress.path}`;
      if (tty) overwrite(line);
      else if (eachFile) stream.write(`${line}\n`);
    } else if (tty) overwrite(recordsLine(progress));
    if (!tty) tenths(progress);
  };
}

/** Takes the progress line off a terminal, for what comes next. */
export function clearProgress(stream: Io["stderr"]): void {
  if (stream.isTTY) stream.write("\r\x1b[K");
}

/**
 * A line that fits the terminal's width: a longer one wraps, and "\r" goes back to its last
 * row only, so each update left the rows above it behind (a long path filled the screen).
 * Cut at the start, to keep the file's name and the count; measured in the terminal's
 * columns, where a CJK character takes two and an emoji is never cut in half.
 */
function fitted(line: string, columns: number | undefined): string {
  // A terminal of no known size has 0 columns (a pty that `script` opens without one, say):
  // cut to that, every update was blank. 80 then, as when none is said.
  const width = columns && columns > 0 ? columns : 80;
  // Writing the last column moves the cursor on some terminals.
  return cliTruncate(line, width - 1, { position: "start" });
}
