/**
 * British and American spellings of the same word, both ways: "quantisation" ↔
 * "quantization", "analyse" ↔ "analyze", "modelling" ↔ "modeling", "behaviour" ↔
 * "behavior". Only the regular families common in papers; callers keep a variant
 * only when the archive has it, so a rule that makes a non-word costs nothing.
 */
interface SpellingFamily {
  british: RegExp;
  toAmerican: string;
  american: RegExp;
  toBritish: string;
}

const families: readonly SpellingFamily[] = [
  // -ise/-isation and their forms; a stem of four letters at least, so "rise" or "wise" stay.
  {
    british: /^([a-z]{4,})is(e|ed|es|er|ers|ing|ation|ations)$/,
    toAmerican: "$1iz$2",
    american: /^([a-z]{4,})iz(e|ed|es|er|ers|ing|ation|ations)$/,
    toBritish: "$1is$2",
  },
  {
    british: /^([a-z]{3,})ys(e|ed|es|ing)$/,
    toAmerican: "$1yz$2",
    american: /^([a-z]{3,})yz(e|ed|es|ing)$/,
    toBritish: "$1ys$2",
  },
  // A doubled l after e or a, in words long enough not to be "filled" or "smaller".
  {
    british: /^([a-z]{3,}[ae])ll(ed|ing|er|ers)$/,
    toAmerican: "$1l$2",
    american: /^([a-z]{3,}[ae])l(ed|ing|er|ers)$/,
    toBritish: "$1ll$2",
  },
  // -our, in longer words only: "four", "hour" and "tour" are not "for", "hor" and "tor".
  {
    british: /^([a-z]{3,})our(s|ed|ing|al)?$/,
    toAmerican: "$1or$2",
    american: /^([a-z]{2,}[^o])or(s|ed|ing|al)?$/,
    toBritish: "$1our$2",
  },
];

/** The word in the other spelling(s) of these families; empty when none applies. */
export function spellingVariants(word: string): string[] {
  const variants = new Set<string>();
  for (const family of families) {
    if (family.british.test(word)) variants.add(word.replace(family.british, family.toAmerican));
    if (family.american.test(word)) variants.add(word.replace(family.american, family.toBritish));
  }
  variants.delete(word);
  return [...variants];
}
