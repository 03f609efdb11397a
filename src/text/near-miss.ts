import levenshtein from "damerau-levenshtein";

/** The typing slips allowed for a name: none for three letters or fewer ("in" is not "id"). */
const slipsAllowed = (name: string) => (name.length <= 3 ? 0 : name.length <= 6 ? 1 : 2);

/** Letters at the start that `a` and `b` share. */
function sharedStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The one of `names` that `typed` is a slip for: the wrong case, or a letter or two
 * wrong, missing, extra or swapped. The closest wins, then the one that starts most
 * alike ("stat" is stats, not start); undefined when `typed` is a name or near none.
 */
export function meantName(typed: string, names: readonly string[]): string | undefined {
  if (names.includes(typed)) return undefined;
  const word = typed.toLowerCase();
  return names
    .map((name) => ({ name, slips: levenshtein(word, name).steps, start: sharedStart(word, name) }))
    .filter(({ name, slips }) => slips <= slipsAllowed(name) || slips === 0)
    .sort((a, b) => a.slips - b.slips || b.start - a.start)[0]?.name;
}
