import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import type { Logger } from "pino";
import type { RoundupSelection, RoundupWindow, SelectionSubscription } from "../roundup/select.ts";
import { startThread } from "../threads/start.ts";
import { rebuilt, type ThrownError } from "../threads/thrown.ts";
import type {
  SearchEngine,
  SearchOptions,
  SearchResult,
  SuggestOptions,
  TitleSuggestion,
  TopicReading,
} from "./engine.ts";

/**
 * Searching as the bot does it: off the event loop when it can be. Each call answers
 * exactly what the engine's own method of the same name answers, and throws what it throws.
 */
export interface Searcher {
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  suggestTitles(
    partial: string,
    limit?: number,
    options?: SuggestOptions,
  ): Promise<TitleSuggestion[]>;
  /** A roundup's papers and how many matched (src/roundup/select.ts): a first one's window can be the whole archive. */
  selectRoundupPapers(
    subscription: SelectionSubscription,
    window: RoundupWindow,
    posted: ReadonlySet<number>,
  ): Promise<RoundupSelection>;
  /** How topics are read (typos, words no paper has): their words' typos are looked up. */
  readTopics(topics: readonly string[]): Promise<TopicReading[]>;
  /**
   * Stops the search threads, if any: each answers the requests it was given, then ends;
   * those still waiting, and any asked later, are answered in-process.
   */
  close(): Promise<void>;
}

type Method = "search" | "suggestTitles" | "selectRoundupPapers" | "readTopics";
/** The engine's searches, with roundup selection over them (Paperboy has both). */
type Engine = Pick<SearchEngine, "search" | "suggestTitles" | "readTopics"> & {
  selectRoundupPapers(
    subscription: SelectionSubscription,
    window: RoundupWindow,
    posted: ReadonlySet<number>,
  ): RoundupSelection;
};

/** What a search thread is asked: one engine call, or to end once it has answered those before. */
export type PoolRequest = { id: number; method: Method; args: unknown[] } | { close: true };

/** What a search thread answers: the call's value, or what it threw. */
export type PoolReply =
  | { ready: true }
  | { ready: false; error: ThrownError }
  | { id: number; value: unknown }
  | { id: number; error: ThrownError };

/** One engine call, by name: what a search thread does with a request. */
export function callEngine(engine: Engine, method: Method, args: unknown[]): unknown {
  switch (method) {
    case "search":
      return engine.search(...(args as Parameters<Engine["search"]>));
    case "suggestTitles":
      return engine.suggestTitles(...(args as Parameters<Engine["suggestTitles"]>));
    case "selectRoundupPapers":
      return engine.selectRoundupPapers(...(args as Parameters<Engine["selectRoundupPapers"]>));
    case "readTopics":
      return engine.readTopics(...(args as Parameters<Engine["readTopics"]>));
  }
}

/** The engine's methods run here and now, on the calling thread. */
export function inProcessSearcher(engine: Engine): Searcher {
  return {
    search: async (query, options) => engine.search(query, options),
    suggestTitles: async (partial, limit, suggestOptions) =>
      engine.suggestTitles(partial, limit, suggestOptions),
    selectRoundupPapers: async (subscription, window, posted) =>
      engine.selectRoundupPapers(subscription, window, posted),
    readTopics: async (topics) => engine.readTopics(topics),
    close: async () => undefined,
  };
}

/** Search threads by default: one per core the event loop does not have, at most four. */
export function defaultSearchThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

export interface SearchPoolOptions {
  /** The database file (not `:memory:`: each thread opens it on its own, read-only). */
  dbPath: string;
  threads: number;
  /** The engine on the caller's own connection: used until a thread is ready, and if none can start. */
  engine: Engine;
  log: Logger;
}

interface Thread {
  worker: Worker;
  ready: boolean;
  /** Settles once it has said whether it could open the database, or has exited. */
  started: Promise<void>;
  /**
   * Resolves once it has exited. Never rejects (not events.once, which rejects on the thread's
   * "error", an uncaught exception on it: a rejection nobody awaits while the pool is open,
   * and one that failed close()).
   */
  exited: Promise<void>;
  /** The calls it was given and has not answered, oldest first: at most `depth`. */
  busy: PendingCall[];
}

/**
 * Requests a thread is given at a time: the one it works on and the next, so that it never
 * waits for the event loop to hand it one; the rest wait in the pool's queue.
 */
const depth = 2;

/**
 * How long close() lets a thread answer its requests and end before it is stopped: a search
 * takes milliseconds, so one still running after this is stuck.
 */
const endGraceMs = 2_000;

interface PendingCall {
  id: number;
  method: Method;
  args: unknown[];
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Searches on worker threads, each with its own read-only connection to the database
 * (WAL lets them read while the main connection writes; each sees every commit made before
 * a request reaches it, and the engine's vocabulary notices commits through data_version).
 * A search costs milliseconds of CPU; on the event loop, every interaction in flight waited
 * for every search ahead of it, and so did the gateway.
 *
 * Requests wait in one queue, first come first served, and a thread takes the next when it
 * is nearly done with its own: with several threads, a long search holds up little else.
 * Threads start with the first request; until one is ready, and for good if none can start,
 * requests run in-process on `engine`, so nothing ever waits for a thread to boot. A thread
 * that dies has its requests answered in-process and is replaced by the next request.
 * Idle threads never keep the process alive.
 */
export function createSearchPool(
  options: SearchPoolOptions,
): Searcher & { ready(): Promise<boolean> } {
  const { engine, log } = options;
  const size = Math.max(1, Math.floor(options.threads));
  const threads: Thread[] = [];
  const queue: PendingCall[] = [];
  let nextId = 1;
  let disabled = false;
  let closed = false;
  /** Those waiting for a thread to be ready (or for none to be possible). */
  let waiting: ((ready: boolean) => void)[] = [];
  const settle = (ready: boolean) => {
    for (const resolve of waiting) resolve(ready);
    waiting = [];
    // Closed, the threads are waited for until they end (see close).
    if (!closed) for (const thread of threads) if (thread.busy.length === 0) thread.worker.unref();
  };

  function inProcess(call: Pick<PendingCall, "method" | "args" | "resolve" | "reject">): void {
    try {
      call.resolve(callEngine(engine, call.method, call.args));
    } catch (error) {
      call.reject(error);
    }
  }

  function start(): void {
    const worker = startThread(new URL("./pool-worker.ts", import.meta.url), {
      dbPath: options.dbPath,
    });
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    const firstMessage = new Promise<void>((resolve) => worker.once("message", () => resolve()));
    const started = Promise.race([firstMessage, exited]);
    const thread: Thread = { worker, ready: false, started, exited, busy: [] };
    threads.push(thread);
    worker.on("message", (reply: PoolReply) => {
      if ("ready" in reply) {
        if (!reply.ready) return giveUp(thread, reply.error);
        thread.ready = true;
        settle(true);
        return next(thread);
      }
      const call = thread.busy[0];
      if (call?.id !== reply.id) return;
      thread.busy.shift();
      if ("error" in reply) call.reject(rebuilt(reply.error));
      else call.resolve(reply.value);
      next(thread);
    });
    worker.on("error", (error) => {
      if (!thread.ready) giveUp(thread, error);
      else log.error({ err: error }, "search thread failed; answering its searches in-process");
    });
    worker.on("exit", () => retire(thread));
    worker.unref(); // after the listeners: adding a "message" listener refs the thread again
  }

  /** Gives a thread the first requests waiting, as many as it may have. */
  function next(thread: Thread): void {
    while (!closed && thread.busy.length < depth) {
      const call = queue.shift();
      if (!call) break;
      thread.busy.push(call);
      const { id, method, args } = call;
      thread.worker.postMessage({ id, method, args } satisfies PoolRequest);
    }
    // While an answer is awaited, the thread keeps the process alive; idle, it does not, but
    // once closed it does until it ends (see end).
    if (thread.busy.length || closed) thread.worker.ref();
    else thread.worker.unref();
  }

  /** A thread that could not open the database or load the engine: none will, so stop trying. */
  function giveUp(thread: Thread, error: ThrownError | Error): void {
    if (!disabled && !closed) {
      log.warn({ err: error }, "search threads unavailable; searching on the main thread");
    }
    disabled = true;
    settle(false);
    void thread.worker.terminate();
  }

  /**
   * Takes a thread out of the pool. Its requests are answered in-process, and so is every
   * request still waiting once no thread is left to take it.
   */
  function retire(thread: Thread): void {
    const at = threads.indexOf(thread);
    if (at >= 0) threads.splice(at, 1);
    for (const call of thread.busy.splice(0)) inProcess(call);
    if (!threads.some((other) => other.ready))
      for (const waiting of queue.splice(0)) inProcess(waiting);
  }

  /**
   * Lets a thread end on its own: it answers what it was given, closes its connection and
   * exits. Terminated instead, while a request threw (better-sqlite3 making a SqliteError) or
   * while the thread opened the database, V8 could not make the error and aborted the whole
   * process. Stopped only if it is still running after endGraceMs.
   */
  async function end(thread: Thread): Promise<void> {
    thread.worker.ref(); // an idle thread is unref'd: the process must wait for it now
    await thread.started;
    if (!thread.ready) {
      await thread.worker.terminate(); // it could not open the database (giveUp), or has exited
      return;
    }
    thread.worker.postMessage({ close: true } satisfies PoolRequest);
    const stuck = setTimeout(() => void thread.worker.terminate(), endGraceMs);
    await thread.exited;
    clearTimeout(stuck);
  }

  function fill(): void {
    while (!closed && !disabled && threads.length < size) start();
  }

  function call(method: Method, args: unknown[]): Promise<unknown> {
    fill();
    return new Promise((resolve, reject) => {
      const call = { id: nextId++, method, args, resolve, reject };
      if (closed || !threads.some((thread) => thread.ready)) return inProcess(call);
      queue.push(call);
      let free: Thread | undefined;
      for (const thread of threads) {
        if (
          thread.ready &&
          thread.busy.length < depth &&
          (!free || thread.busy.length < free.busy.length)
        )
          free = thread;
      }
      if (free) next(free);
    });
  }

  return {
    search: (query, searchOptions) =>
      call(
        "search",
        searchOptions === undefined ? [query] : [query, searchOptions],
      ) as Promise<SearchResult>,
    suggestTitles: (partial, limit, suggestOptions) =>
      call("suggestTitles", [partial, limit, suggestOptions]) as Promise<TitleSuggestion[]>,
    // Only what selection reads of a subscription: the rest is no business of the thread.
    selectRoundupPapers: ({ topics, maxPapers }, window, posted) =>
      call("selectRoundupPapers", [
        { topics, maxPapers },
        window,
        posted,
      ]) as Promise<RoundupSelection>,
    readTopics: (topics) => call("readTopics", [topics]) as Promise<TopicReading[]>,
    /** Starts the threads; true once one is ready, false if none can be (or the pool is closed). */
    ready() {
      fill();
      if (threads.some((thread) => thread.ready)) return Promise.resolve(true);
      if (closed || disabled) return Promise.resolve(false);
      for (const thread of threads) thread.worker.ref(); // until they are ready, to be waited for
      return new Promise<boolean>((resolve) => waiting.push(resolve));
    },
    async close() {
      settle(false);
      closed = true;
      for (const waiting of queue.splice(0)) inProcess(waiting);
      await Promise.all([...threads].map(end));
    },
  };
}
