import { parentPort, workerData } from "node:worker_threads";
import { openPaperboy } from "../paperboy.ts";

/** The thread of ingestOnThread: one ingest, its summary posted back, then it ends. */
const port = parentPort;
if (!port) throw new Error("ingest-worker.ts runs as a thread of ingestOnThread");
const { dbPath, paths } = workerData as { dbPath: string; paths: string[] };

const app = openPaperboy(dbPath, { mustExist: true });
try {
  port.postMessage(app.ingest(paths));
} finally {
  app.close();
}
