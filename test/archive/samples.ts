import { fileURLToPath } from "node:url";

export { abstractAbout, archiveDir, fixturesDir, tempDir } from "../helpers.ts";
export const corpusDir = fileURLToPath(new URL("../../../shared/corpus/", import.meta.url));

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
