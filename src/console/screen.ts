/**
 * Where the console prints: its replies and the roundups due meanwhile. Once the
 * reader closes the output (`paperboy start | head -1`), nothing more is written and
 * the console stops, quietly, as the CLI's commands do.
 */
export interface Screen {
  readonly output: NodeJS.WritableStream;
  /** ANSI bold and dim: when the output is a terminal. */
  readonly color: boolean;
  /** Prints whole lines of text. */
  print(text: string): void;
  /** Whether the output is closed: nothing is printed any more. */
  readonly closed: boolean;
  /** Calls `listener` once, when the output closes: with the error, unless it is the reader going away. */
  onClose(listener: (error?: Error) => void): void;
}

export function createScreen(output: NodeJS.WritableStream): Screen {
  let told = false;
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
      if (output.writable) output.write(text);
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
