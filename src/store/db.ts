import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { migrations } from "./migrations.ts";

export type Db = Database.Database;

/** Thrown when the database cannot be used as it is (e.g. made by a newer Paperboy). */
export class DatabaseVersionError extends Error {}

/**
 * Opens (creating if needed) the SQLite database at `path` — or `:memory:` —
 * with WAL and foreign keys on, and brings its schema up to date.
 */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL"); // safe with WAL; a power cut may lose the last commit, never corrupt
    db.pragma("busy_timeout = 5000");
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

export const schemaVersion = migrations.length;

function migrate(db: Db, path: string): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > schemaVersion) {
    throw new DatabaseVersionError(
      `${path}: database schema version ${current} is newer than this Paperboy understands (${schemaVersion}); upgrade Paperboy or point --db/PAPERBOY_DB at another file`,
    );
  }
  for (let version = current + 1; version <= schemaVersion; version++) {
    const sql = migrations[version - 1] as string;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}
