/**
 * British and American spellings of the same word, both ways: "quantisation" ↔
 * "quantization", "analyse" ↔ "analyze", "modelling" ↔ "modeling", "behaviour" ↔
 * "behavior", "centre" ↔ "center", "programme" ↔ "program". Only the families common in
 * papers; callers keep a variant only when the archive has it, so a rule that makes a
 * non-word costs nothing.
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
  // "analyser" too: the -ise family has its -er forms ("optimiser"), this one lacked them.
  {
    british: /^([a-z]{3,})ys(e|ed|es|er|ers|ing)$/,
    toAmerican: "$1yz$2",
    american: /^([a-z]{3,})yz(e|ed|es|er|ers|ing)$/,
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
  // Smaller families, each named by its stems: "-re" alone would make "timbre" "timber".
  {
    british: /^([a-z]*(?:cent|met|lit|fib|theat|spect|calib|lust|meag))re(s)?$/,
    toAmerican: "$1er$2",
    american: /^([a-z]*(?:cent|met|lit|fib|theat|spect|calib|lust|meag))er(s)?$/,
    toBritish: "$1re$2",
  },
  {
    british: /^([a-z]*gra)mme(s)?$/,
    toAmerican: "$1m$2",
    american: /^([a-z]*gra)m(s)?$/,
    toBritish: "$1mme$2",
  },
  {
    british: /^([a-z]*(?:al|ol|at|ial))ogue(s)?$/,
    toAmerican: "$1og$2",
    american: /^([a-z]*(?:al|ol|at|ial))og(s)?$/,
    toBritish: "$1ogue$2",
  },
  {
    british: /^(def|off|lic|pret)ence(s)?$/,
    toAmerican: "$1ense$2",
    american: /^(def|off|lic|pret)ense(s)?$/,
    toBritish: "$1ence$2",
  },
  { british: /^queueing$/, toAmerican: "queuing", american: /^queuing$/, toBritish: "queueing" },
  {
    british: /^artefact(s|ual)?$/,
    toAmerican: "artifact$1",
    american: /^artifact(s|ual)?$/,
    toBritish: "artefact$1",
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

/** Endings a word being typed is completed with to find its other spelling (see below). */
const endingsAfterSpelling = ["e", "ed", "es", "er", "ers", "ing", "ation", "ations", "r", "rs"];

/**
 * The start of a word in its other spelling(s), as far as it is typed: "optimis" →
 * "optimiz" (of "optimisation"), "normalisat" → "normalizat", "modelli" → "modeli", "queui" →
 * "queuei". The start is completed with each ending, what it has of the ending already kept,
 * and the other spelling of that word cut back by as much. A start that what was typed starts
 * with is left out: it would start more words ("colou" is not "colo", of "colon"). Such a start
 * also begins other words ("optimis" of "optimism"): it says where to look for the words of the
 * other spelling, not which they are (see the vocabulary's `otherSpellingsOfStart`).
 */
export function spellingVariantsOfStart(start: string): string[] {
  const variants = new Set<string>();
  for (const ending of endingsAfterSpelling) {
    for (let typed = 0; typed < ending.length; typed++) {
      if (!start.endsWith(ending.slice(0, typed))) continue;
      const rest = ending.slice(typed);
      for (const variant of spellingVariants(start + rest))
        if (variant.endsWith(rest)) variants.add(variant.slice(0, -rest.length));
    }
  }
  return [...variants].filter((variant) => !start.startsWith(variant));
}
