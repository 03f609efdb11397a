import type { Db } from "./db.ts";

/**
 * The meta key counting the changes to the papers. It goes up in the very transaction that
 * makes them (an ingest's file, a forget), so a connection that finds it as it was knows its
 * topic searches are still good: a roundup's planning commits, which change no paper, leave
 * it alone.
 */
export const papersChangedKey = "papers:changes";

/**
 * The meta key counting the papers added, changed or taken out since the search index was last
 * merged into one b-tree (mergeAfter in src/paperboy.ts). It goes up in the transaction of each
 * ingested file that changed papers and of each forget, and back to 0 in the merge's.
 */
export const unmergedChangesKey = "index:unmerged-changes";

/** A tiny key/value store for facts Paperboy keeps between runs. */
export function createMeta(db: Db) {
  const read = db.prepare("SELECT value FROM meta WHERE key = ?").pluck();
  const write = db.prepare(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const increment = db.prepare(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = value + excluded.value",
  );
  const remove = db.prepare("DELETE FROM meta WHERE key = ?");
  const keysFrom = db
    .prepare("SELECT key FROM meta WHERE substr(key, 1, length(:prefix)) = :prefix ORDER BY key")
    .pluck();
  return {
    get: (key: string): string | undefined => read.get(key) as string | undefined,
    set: (key: string, value: string): void => {
      write.run(key, value);
    },
    /** Counts `by` more (a key not there yet counts from 0). */
    increment: (key: string, by = 1): void => {
      increment.run(key, BigInt(by)); // a JS number binds as a REAL: "300.0"
    },
    delete: (key: string): void => {
      remove.run(key);
    },
    keysStartingWith: (prefix: string): string[] => keysFrom.all({ prefix }) as string[],
    /** The database file they are kept in: what an error writing them names. */
    file: db.name,
  };
}

export type Meta = ReturnType<typeof createMeta>;
