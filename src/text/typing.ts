/** The rows of a QWERTY keyboard, each set half a key to the right of the one above. */
const rows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

/** Each letter's row and place in it. */
const keys = new Map(
  rows.flatMap((letters, row) => [...letters].map((letter, at) => [letter, { row, at }] as const)),
);

/** Whether two letters are keys side by side, or one above the other. */
function keysTouch(a: string, b: string): boolean {
  const [upper, lower] = [keys.get(a), keys.get(b)].sort((x, y) => (x?.row ?? 0) - (y?.row ?? 0));
  if (!upper || !lower) return false;
  if (upper.row === lower.row) return Math.abs(upper.at - lower.at) === 1;
  // A key touches the two below it: "e" is over "s" and "d".
  return lower.row === upper.row + 1 && (lower.at === upper.at || lower.at === upper.at - 1);
}

/** A slip no typing makes: a letter wrong or extra that nothing near it on the keyboard explains. */
const unlikely = 3;

/**
 * The slips that turn `meant` into `typed` (letters a-z), as typing makes them: a letter left
 * out, two side by side swapped, a key next to the one meant pressed instead, or one pressed
 * too (`extra`) count one each; any other letter wrong or extra counts `unlikely`. Two words a
 * few letters apart are often both words: "criminal" is two slips from "critical", but no
 * finger slips from "t" to "m" and from "c" to "n", where "optimzaiton" (a letter left out,
 * two swapped) is "optimization" as typed in a hurry.
 */
export function typingSlips(typed: string, meant: string): number {
  const [n, m] = [typed.length, meant.length];
  const cost = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = 1; i <= n; i++)
    (cost[i] as number[])[0] = costAt(cost, i - 1, 0) + extra(typed, i - 1, meant, 0);
  for (let j = 1; j <= m; j++) (cost[0] as number[])[j] = j;
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const [t, w] = [typed[i - 1] as string, meant[j - 1] as string];
      let best = Math.min(
        costAt(cost, i - 1, j) + extra(typed, i - 1, meant, j),
        costAt(cost, i, j - 1) + 1,
        costAt(cost, i - 1, j - 1) + (t === w ? 0 : wrong(t, w)),
      );
      if (i > 1 && j > 1 && t === meant[j - 2] && typed[i - 2] === w)
        best = Math.min(best, costAt(cost, i - 2, j - 2) + 1);
      (cost[i] as number[])[j] = best;
    }
  }
  return costAt(cost, n, m);
}

const costAt = (cost: number[][], i: number, j: number) => (cost[i] as number[])[j] as number;

/** A letter typed instead of the one meant: next to it on the keyboard. */
const wrong = (typed: string, meant: string) => (keysTouch(typed, meant) ? 1 : unlikely);

/**
 * The letter at `at` pressed too, where `meant` is typed up to `done`: the same as, or next to,
 * a letter beside it, or a letter of the word up to two places off, typed early or late (left
 * out there: "ojebct" for "object", "selectnio" for "selection").
 */
function extra(typed: string, at: number, meant: string, done: number): number {
  const letter = typed[at] as string;
  const beside = [typed[at - 1], typed[at + 1]].filter((b): b is string => b !== undefined);
  if (beside.some((b) => b === letter || keysTouch(b, letter))) return 1;
  return meant.slice(Math.max(0, done - 3), done + 3).includes(letter) ? 1 : unlikely;
}

/**
 * The words one slip from `word` in its first `count` characters: one of them wrong (any of
 * `characters`), missing or extra, or two side by side swapped.
 */
export function slipsIn(word: string, count: number, characters: string): string[] {
  const slipped = new Set<string>();
  for (let i = 0; i < count; i++) {
    const [before, here, after] = [word.slice(0, i), word.charAt(i), word.slice(i + 1)];
    slipped.add(before + after);
    if (after) slipped.add(before + after.charAt(0) + here + after.slice(1));
    for (const character of characters) {
      slipped.add(before + character + after);
      slipped.add(before + character + here + after);
    }
  }
  slipped.delete(word);
  return [...slipped];
}
