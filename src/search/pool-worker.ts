import { parentPort, workerData } from "node:worker_threads";
import Database from "better-sqlite3";
import { createRoundupSelector } from "../roundup/select.ts";
import { createMeta, papersChangedKey } from "../store/meta.ts";
import { thrown } from "../threads/thrown.ts";
import { createSearchEngine } from "./engine.ts";
import { callEngine, type PoolReply, type PoolRequest } from "./pool.ts";

/**
 * One search thread: the engine over its own read-only connection, answering
 * PoolRequests in the order they come. See createSearchPool.
 */
const port = parentPort;
if (!port) throw new Error("pool-worker.ts runs as a worker thread of createSearchPool");
const reply = (message: PoolReply) => port.postMessage(message);

try {
  const db = new Database((workerData as { dbPath: string }).dbPath, {
    readonly: true,
    fileMustExist: true,
  });
  db.pragma("busy_timeout = 5000");
  const engine = createSearchEngine(db);
  // Topic searches kept for a window are dropped once papers change (see papersChangedKey):
  // not at every commit, or a tick's roundups, each planned in a commit, would share none.
  const meta = createMeta(db);
  const roundups = createRoundupSelector(engine, () => meta.get(papersChangedKey));
  const answering = { ...engine, selectRoundupPapers: roundups.select };
  port.on("message", (request: PoolRequest) => {
    if ("close" in request) {
      // Nothing left to keep the thread alive: it exits.
      db.close();
      port.close();
      return;
    }
    const { id, method, args } = request;
    try {
      reply({ id, value: callEngine(answering, method, args) });
    } catch (error) {
      reply({ id, error: thrown(error) });
    }
  });
  reply({ ready: true });
  // Once ready, not before: until a thread is ready its requests are answered on the event
  // loop, and they then waited for what this reads too.
  engine.prepare();
} catch (error) {
  reply({ ready: false, error: thrown(error) });
}
