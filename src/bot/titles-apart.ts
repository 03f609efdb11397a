import { paperRef } from "../store/papers.ts";
import { truncate } from "../text/format.ts";
import { titleKey } from "../text/normalize.ts";

/** What tells a paper apart from another of the same title. */
export interface PaperIdentity {
  published: string | null;
  arxivId: string | null;
}

/**
 * Papers' titles as a list's names of at most `width` characters (autocomplete's choices, a
 * menu's options), each after its `prefix` (a menu's number, "3. "). Titles that read alike
 * (same-titled papers, titles that differ only in case or punctuation, long titles cut at the
 * same place) end with what tells their papers apart, their year and arXiv id (or Paperboy
 * id): "Attention Is All You Need (2017, arXiv 1706.03762)". Without it the member could not
 * tell which paper such a choice opens. `identity` is asked of those papers alone (for some
 * lists, a read of the paper).
 */
export function titlesApart<P extends { id: number; title: string }>(
  papers: readonly P[],
  width: number,
  identity: (paper: P) => PaperIdentity | undefined,
  prefix: (index: number) => string = () => "",
): string[] {
  // One room for all: "9. " and "10. " cut two long titles at different places, which then
  // did not compare alike.
  const room = width - Math.max(0, ...papers.map((_, i) => prefix(i).length));
  const keys = papers.map((paper) => titleKey(truncate(paper.title, room)));
  const alike = new Set(keys.filter((key, i) => keys.indexOf(key) !== i));
  return papers.map((paper, i) => {
    if (!alike.has(keys[i] as string)) return prefix(i) + truncate(paper.title, room);
    const known = identity(paper);
    const which = known?.arxivId ? `arXiv ${known.arxivId}` : paperRef(paper.id);
    const apart = ` (${[known?.published?.slice(0, 4), which].filter(Boolean).join(", ")})`;
    return prefix(i) + truncate(paper.title, room - apart.length) + apart;
  });
}
