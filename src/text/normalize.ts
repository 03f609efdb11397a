/** Collapses every run of white space (arXiv line wraps, tabs, NBSP) to one space and trims. */
export function normalizeWhitespace(text: string): string {
  return text.replace(/\s+/gu, " ").trim();
}

/** Lower case, accents removed, and every run of non-alphanumerics folded to one space. */
export function foldText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/**
 * A paper's identity when it has no arXiv id: its title folded, so that
 * "Graph-Mamba:  Towards…" on one page and "graph mamba towards…" in a dump
 * are the same paper.
 */
export const titleKey = foldText;
