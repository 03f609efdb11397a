/**
 * Puts the `first` items that come first by `before` at the front of `items`, in order; the
 * rest follow in their old order. When nearly all are wanted it sorts them all; otherwise it
 * keeps the best in a max-heap, which for a few dozen of thousands is far less work (a first
 * roundup orders thousands of candidates to read a few dozen titles). Returns how many items
 * are now in order at the front: all of them, or `first`. Sorts `items` (distinct) in place.
 */
export function sortFirst<T>(items: T[], first: number, before: (a: T, b: T) => number): number {
  if (first <= 0) return 0;
  if (first * 8 >= items.length) {
    items.sort(before);
    return items.length;
  }
  const heap: T[] = [];
  const at = (i: number) => heap[i] as T;
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [at(j), at(i)];
  };
  const up = (i: number) => {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (before(at(parent), at(i)) >= 0) break;
      swap(parent, i);
      i = parent;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const [left, right] = [2 * i + 1, 2 * i + 2];
      let top = i;
      if (left < heap.length && before(at(left), at(top)) > 0) top = left;
      if (right < heap.length && before(at(right), at(top)) > 0) top = right;
      if (top === i) return;
      swap(top, i);
      i = top;
    }
  };
  for (const item of items) {
    if (heap.length < first) {
      heap.push(item);
      up(heap.length - 1);
    } else if (before(item, at(0)) < 0) {
      heap[0] = item;
      down(0);
    }
  }
  const best = heap.sort(before);
  const chosen = new Set(best);
  const rest = items.filter((item) => !chosen.has(item));
  // One by one: spread into push, thousands of items overflow the stack.
  best.forEach((item, i) => {
    items[i] = item;
  });
  rest.forEach((item, i) => {
    items[best.length + i] = item;
  });
  return first;
}
