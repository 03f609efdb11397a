import { clearScreenDown, cursorTo, type Interface, moveCursor } from "node:readline";

/**
 * Where the console prints: its replies and the roundups due meanwhile. A roundup due
 * while someone types at the prompt goes above the prompt, which is drawn again below it
 * with what was typed so far. Once the reader closes the output (`paperboy start | head -1`),
 * nothing more is written and the console stops, quietly, as the CLI's commands do.
 */
export interface Screen {
  readonly output: NodeJS.WritableStream;
  /** ANSI bold and dim: when the output is a terminal. */
  readonly color: boolean;
  /** Prints whole lines of text. */
  print(text: string): void;
  /** Whether the output is closed: nothing is printed any more. */
  readonly closed: boolean;
  /** Shows the prompt of `lines`: until `answered`, what is printed goes above it (on a terminal). */
  ask(lines: Interface): void;
  /** A line was entered: the prompt is no longer waiting on screen. */
  answered(): void;
  /** Calls `listener` once, when the output closes: with the error, unless it is the reader going away. */
  onClose(listener: (error?: Error) => void): void;
}

export function createScreen(output: NodeJS.WritableStream): Screen {
  let told = false;
  let waiting: Interface | undefined; // a terminal's prompt, on screen
  const listeners: ((error?: Error) => void)[] = [];
  // Kept for good: an 'error' nobody listens to stops the process with a stack trace, and
  // process.stdout may report EPIPE again on a later write (by the prompt, say).
  output.on("error", (error: NodeJS.ErrnoException) => {
    if (told) return;
    told = true;
    for (const listener of listeners) listener(error.code === "EPIPE" ? undefined : error);
  });
  return {
    output,
    color: (output as { isTTY?: boolean }).isTTY === true,
    print(text) {
      if (!output.writable) return;
      if (waiting) printAbovePrompt(waiting, output, text);
      else output.write(text);
    },
    ask(lines) {
      lines.prompt();
      if (lines.terminal) waiting = lines;
    },
    answered() {
      waiting = undefined;
    },
    // At once, on the write that failed: the 'error' event comes a tick later, when the
    // console may have answered every line already read.
    get closed() {
      return !output.writable;
    },
    onClose(listener) {
      listeners.push(listener);
    },
  };
}

/** Prints `text` where the prompt of `lines` is, then draws the prompt and the line as typed below it. */
function printAbovePrompt(lines: Interface, output: NodeJS.WritableStream, text: string): void {
  // Up to the prompt's first row (a long line wraps), and clear it and what was typed.
  const { rows } = lines.getCursorPos();
  moveCursor(output, 0, -rows);
  cursorTo(output, 0);
  clearScreenDown(output);
  output.write(text);
  // readline draws the prompt from where it last drew it: right below `text`, but for a
  // wrapped line edited since, a row or more up, over the blank line `text` ends with.
  lines.prompt(true); // the cursor back where it was in the line
}
