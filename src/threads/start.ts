import { Worker } from "node:worker_threads";

/**
 * Starts a worker thread running the TypeScript module at `module` (a `new URL(…,
 * import.meta.url)`), with `data` as its workerData. Threads do not inherit tsx's loader;
 * ./loader.mjs registers it before it imports the module.
 */
export function startThread(module: URL, data: Record<string, unknown>): Worker {
  return new Worker(new URL("./loader.mjs", import.meta.url), {
    workerData: { ...data, module: module.href },
    execArgv: threadExecArgv(process.execArgv),
  });
}

/**
 * The process's Node options for a thread, less those about the main script's own source
 * (`node --input-type=module -e …`), which a thread started from a file refuses.
 */
function threadExecArgv(execArgv: readonly string[]): string[] {
  const withValue = new Set(["--input-type", "-e", "--eval", "-p", "--print"]);
  const kept: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i] as string;
    if (withValue.has(flag)) i++;
    else if (!/^(?:--input-type|--eval|--print)=/.test(flag)) kept.push(flag);
  }
  return kept;
}
