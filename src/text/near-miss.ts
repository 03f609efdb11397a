import levenshtein from "damerau-levenshtein";

/**
 * Whether `typed` is a slip for `name`: one letter wrong, missing, extra or two swapped
 * (two such slips for names of seven letters or more). Short names must be typed exactly:
 * with one slip allowed, "in" would be a slip for "id" and "on".
 */
function isNearMiss(typed: string, name: string): boolean {
  const word = typed.toLowerCase();
  if (word === name) return false;
  const allowed = name.length <= 3 ? 0 : name.length <= 6 ? 1 : 2;
  return allowed > 0 && levenshtein(word, name).steps <= allowed;
}

/** The one of `names` that `typed` is a slip for, if any. */
export function meantName(typed: string, names: readonly string[]): string | undefined {
  return names.find((name) => isNearMiss(typed, name));
}
