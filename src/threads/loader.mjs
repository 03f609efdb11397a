// The entry of every thread of ./start.ts. Worker threads do not inherit tsx's loader:
// register it, then load the thread's TypeScript module.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.module);
