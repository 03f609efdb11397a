import levenshtein from "damerau-levenshtein";

/** The typing slips allowed for a name: none for three letters or fewer ("in" is not "id"). */
const slipsAllowed = (name: string) => (name.length <= 3 ? 0 : name.length <= 6 ? 1 : 2);

/** Letters at the start that `a` and `b` share. */
export function sharedStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/**
 * Whether `word` is `name` with letters only left out, its first kept ("srch" for search,
 * "chnl" for channel): so names are shortened, and it may lose one letter more than the
 * slips allowed, where two letters wrong make another word ("target" is not forget).
 * From four letters typed: "sat" is as much left of stats as of start.
 */
const shortened = (word: string, name: string, slips: number) =>
  word.length >= 4 && word[0] === name[0] && word.length + slips === name.length;

/**
 * The `names` that `typed` is a slip for: the wrong case, or a letter or two wrong,
 * missing, extra or swapped, or one more left out when that is all (`shortened`). The
 * closest first, then those that start most alike; none when `typed` is one of them.
 */
export function nearNames(typed: string, names: readonly string[]): string[] {
  if (names.includes(typed)) return [];
  const word = typed.toLowerCase();
  return names
    .map((name) => ({ name, slips: levenshtein(word, name).steps, start: sharedStart(word, name) }))
    .filter(
      ({ name, slips }) =>
        slips <= slipsAllowed(name) + (shortened(word, name, slips) ? 1 : 0) || slips === 0,
    )
    .sort((a, b) => a.slips - b.slips || b.start - a.start)
    .map(({ name }) => name);
}

/**
 * The one of `names` that `typed` is a slip for (see nearNames), the closest, then the
 * one that starts most alike ("stat" is stats, not start); undefined when `typed` is a
 * name or near none.
 */
export function meantName(typed: string, names: readonly string[]): string | undefined {
  return nearNames(typed, names)[0];
}
