import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { onTestFinished } from "vitest";

export const archiveDir = fileURLToPath(new URL("../../data/archive/", import.meta.url));
export const fixturesDir = fileURLToPath(new URL("../fixtures/archive/", import.meta.url));
export const corpusDir = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));

/** An abstract as long and as sentence-like as real ones (the archive's shortest is 499 characters). */
export function abstractAbout(topic: string): string {
  return (
    `We study ${topic}. Existing methods for ${topic} are slow and brittle, and they rarely ` +
    "scale beyond small problems. We propose a simple alternative that is faster, more " +
    "accurate and easier to deploy, and we analyse when it helps. Experiments on six " +
    "benchmarks show consistent gains over strong baselines. Code is public."
  );
}

/** The chrome a saved listing starts with, down to its date. */
export function pageHeader(date: string): string[] {
  return [
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "byAK and the research community",
    date,
  ];
}

/** Lines separated by blank lines, as the first two layouts save them. */
export function paragraphs(...lines: string[]): string {
  return lines.join("\n\n");
}

/** A fresh temporary folder, removed when the calling test finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "paperboy-archive-"));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
