import { foldText } from "../text/normalize.ts";
import type { QueryGroup } from "./query.ts";
import type { Vocabulary } from "./vocabulary.ts";

/** Enough spellings of a topic as a phrase: a typo's guesses and plurals multiply them. */
const mostTogetherForms = 12;

/**
 * A topic of several words as phrases (`phraseTest`): its words in a row,
 * each as typed or as read (plural or singular, a typo's correction, an acronym's words),
 * two glued as a compound ("incontext"), or the acronym of them all ("icl"). A topic names
 * a thing by its words together; its words apart are most often other things: on the 41k
 * corpus, of the roundup's candidates for "in-context learning" with the words apart in
 * title and abstract, 1 in 165 was about it ("Learning the context of a
 * category", "Fast Context Adaptation via Meta-Learning"); over 49 topics, 38 % were,
 * against 99 % of those with the words together. Those still count (a quiet day shows
 * them), after the others.
 */
export function together(groups: readonly QueryGroup[], vocabulary: Vocabulary): string[] {
  const words = groups.map((group) => group.word);
  const joined = (i: number) => (i + 1 < words.length ? `${words[i]}${words[i + 1]}` : undefined);
  /** In more than one group: a compound of two words, or an acronym of several. */
  const shared = (alternative: string) =>
    groups.filter((group) => group.alternatives.includes(alternative)).length > 1;
  const known = (alternative: string) =>
    alternative.includes(" ") || vocabulary.df(alternative) > 0;
  const forms = new Set<string>();
  const spell = (i: number, phrase: string[]): void => {
    if (forms.size >= mostTogetherForms) return;
    if (i === groups.length) {
      forms.add(phrase.join(" "));
      return;
    }
    const group = groups[i] as QueryGroup;
    const own = group.alternatives.filter((a) => !shared(a) && known(a));
    for (const alternative of own.length ? own : [group.word])
      spell(i + 1, [...phrase, alternative]);
    const compound = joined(i);
    if (compound && group.alternatives.includes(compound)) spell(i + 2, [...phrase, compound]);
  };
  spell(0, []);
  // The acronym of them all; a topic of stop words alone ("of the") has none, nor one of a
  // word and stop words ("in-context"): its word's plural is no acronym.
  const counted = groups.filter((group) => !group.stop);
  for (const alternative of counted.length > 1 ? (counted[0]?.alternatives ?? []) : [])
    if (
      counted.every((group) => group.alternatives.includes(alternative)) &&
      !words.includes(alternative)
    )
      forms.add(alternative);
  return [...forms];
}

/**
 * Whether a title or abstract has any of `phrases` (`together`), its words folded as the
 * index folds them (not split at capitals: "MetaICL" is no "ICL" here, a rare loss); text
 * in ASCII (nearly all) by a pattern, folding it being most of the cost.
 */
export function phraseTest(phrases: readonly string[]): (text: string) => boolean {
  const spaced = phrases.map((phrase) => phrase.replaceAll(" ", "[^A-Za-z0-9]+"));
  const pattern = new RegExp(`(?<![A-Za-z0-9])(?:${spaced.join("|")})(?![A-Za-z0-9])`, "i");
  return (text) => {
    if (asciiOnly.test(text)) return pattern.test(text);
    const folded = ` ${foldText(text)} `;
    return phrases.some((phrase) => folded.includes(` ${phrase} `));
  };
}

const asciiOnly = /^[\x20-\x7e\s]*$/;
