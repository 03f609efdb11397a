import { statSync } from "node:fs";
import type { Paperboy } from "../../src/paperboy.ts";

/** Milliseconds `run` takes, and what it returned. */
export function timed<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

/** The time of each call of `run`, one per input, in input order. */
export function latencies<T>(inputs: readonly T[], run: (input: T) => unknown): number[] {
  return inputs.map((input) => timed(() => run(input)).ms);
}

/** Nearest-rank percentile (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ] as number;
}

/** Bytes on disk of the database, after moving the write-ahead log into it. */
export function databaseBytes(app: Paperboy, path: string): number {
  app.db.pragma("wal_checkpoint(TRUNCATE)");
  const size = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  return size(path) + size(`${path}-wal`);
}

export const megabytes = (bytes: number) => bytes / 1024 / 1024;
