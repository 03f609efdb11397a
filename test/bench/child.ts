import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { ChildAnswer, ChildDone, ChildMessage, ChildWork } from "./protocol.ts";

const script = fileURLToPath(new URL("./cold-start.ts", import.meta.url));

export interface ColdStart {
  /** Wall time from spawn to the first answer on the bench's side: Node + tsx start included. */
  spawnToAnswerMs: number;
  answer: ChildAnswer;
  done: ChildDone;
}

/** Runs the cold-start script in a fresh `node --import tsx` and collects what it reports. */
export function runColdStart(work: ChildWork, dir: string): Promise<ColdStart> {
  const workPath = join(dir, "child-work.json");
  writeFileSync(workPath, JSON.stringify(work));
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", script, workPath], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let spawnToAnswerMs = Number.NaN;
    let answer: ChildAnswer | undefined;
    createInterface({ input: child.stdout }).on("line", (line) => {
      const message = JSON.parse(line) as ChildMessage;
      if (message.kind === "answer") {
        spawnToAnswerMs = performance.now() - started;
        answer = message;
      } else if (answer) {
        resolve({ spawnToAnswerMs, answer, done: message });
      }
    });
    child.on("error", reject);
    // After a full report this is a no-op: the promise is settled already.
    child.on("close", (code) =>
      reject(new Error(`cold-start child ended (exit ${code}) before reporting`)),
    );
  });
}
