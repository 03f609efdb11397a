import { describe, expect, it } from "vitest";
import { sortFirst } from "../src/search/sort-first.ts";
import { seededRng, shuffled } from "./bench/prng.ts";

const ascending = (a: number, b: number) => a - b;

/** Distinct numbers 0..n-1 in a fixed shuffled order. */
const shuffledNumbers = (n: number, seed: number): number[] =>
  shuffled(
    seededRng(seed),
    Array.from({ length: n }, (_, i) => i),
  );

describe("sortFirst", () => {
  it("sorts everything when most are wanted", () => {
    const items = shuffledNumbers(50, 1);
    expect(sortFirst(items, 10, ascending)).toBe(50);
    expect(items).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it("puts only the first few in order, the rest after them in their old order", () => {
    const items = shuffledNumbers(1000, 2);
    const rest = items.filter((n) => n >= 5);
    expect(sortFirst(items, 5, ascending)).toBe(5);
    expect(items.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(items.slice(5)).toEqual(rest);
  });

  it("keeps the same first items as a full sort, whatever the order given", () => {
    for (const seed of [3, 4, 5, 6]) {
      const items = shuffledNumbers(500, seed);
      const byLastDigitThenValue = (a: number, b: number) => (a % 10) - (b % 10) || b - a;
      const expected = [...items].sort(byLastDigitThenValue).slice(0, 20);
      sortFirst(items, 20, byLastDigitThenValue);
      expect(items.slice(0, 20)).toEqual(expected);
    }
  });

  it("leaves the items alone when none is wanted", () => {
    const items = [3, 1, 2];
    expect(sortFirst(items, 0, ascending)).toBe(0);
    expect(items).toEqual([3, 1, 2]);
  });

  it("orders a first roundup's worth of candidates without running out of stack", () => {
    const items = shuffledNumbers(300_000, 7);
    expect(sortFirst(items, 3, ascending)).toBe(3);
    expect(items.slice(0, 4)).toEqual([0, 1, 2, items[3]]);
    expect(items).toHaveLength(300_000);
  });
});
