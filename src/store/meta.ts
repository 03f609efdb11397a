import type { Db } from "./db.ts";

/** A tiny key/value store for facts Paperboy keeps between runs. */
export function createMeta(db: Db) {
  const read = db.prepare("SELECT value FROM meta WHERE key = ?").pluck();
  const write = db.prepare(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
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
    delete: (key: string): void => {
      remove.run(key);
    },
    keysStartingWith: (prefix: string): string[] => keysFrom.all({ prefix }) as string[],
  };
}

export type Meta = ReturnType<typeof createMeta>;
