import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";

/** A fresh temporary folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-test-"));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export const archiveDir = new URL("../data/archive/", import.meta.url).pathname;
/** A fixed ingest time, so year-less dates resolve the same on every run. */
export const ingestTime = new Date("2026-11-20T12:00:00Z");
