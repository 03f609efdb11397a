import type { Db } from "./db.ts";

/** A tiny key/value store for facts Paperboy keeps between runs. */
export function createMeta(db: Db) {
  const read = db.prepare("SELECT value FROM meta WHERE key = ?").pluck();
  const write = db.prepare(
    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  return {
    get: (key: string): string | undefined => read.get(key) as string | undefined,
    set: (key: string, value: string): void => {
      write.run(key, value);
    },
  };
}

export type Meta = ReturnType<typeof createMeta>;
