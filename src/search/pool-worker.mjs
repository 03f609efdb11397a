// A search thread of src/search/pool.ts. Worker threads do not inherit tsx's loader:
// register it, then load the thread's TypeScript.
import { register } from "tsx/esm/api";

register();
await import("./pool-worker.ts");
