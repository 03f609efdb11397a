import { accessSync, constants, realpathSync } from "node:fs";
import { setTimeout as pause } from "node:timers/promises";
import Database from "better-sqlite3";
import { UnusableDatabaseError } from "./db.ts";

/** How often a bot waiting for another to stop looks again. */
const retryMs = 250;

/**
 * One Discord bot per database. Two at once (a second `npm start` in another terminal, pm2
 * with two instances, a restart that overlaps the old process's shutdown) both ran the
 * schedule, each sending the other's roundups as well, a message a second time whenever
 * one came in while the other was sending it (only Discord's few minutes of nonce memory
 * kept it from being posted twice), and both took every command.
 *
 * The lock is SQLite's exclusive lock on a file beside the database, `<db>-bot-lock`: the
 * system lets go of it when the process ends, however it ends, so a crash leaves no stale
 * lock behind. A bot that finds it held waits `waitMs` for the other to stop (a restart's
 * old process finishing its shutdown), then refuses to start. It is beside the database's own
 * file, through any symlink to it, as SQLite keeps the -wal and -shm files: a bot started on
 * the link took a lock of its own beside the link.
 */
export async function lockBot(
  dbPath: string,
  { waitMs, now = Date.now, onWait }: { waitMs: number; now?: () => number; onWait(): void },
): Promise<{ release(): void }> {
  const path = `${ownFile(dbPath)}-bot-lock`;
  refuseUnwritable(path);
  const lock = new Database(path);
  lock.pragma("busy_timeout = 0"); // waited for below, without holding the event loop
  const taken = () => {
    try {
      lock.exec("BEGIN EXCLUSIVE");
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === "SQLITE_BUSY") return false;
      throw error;
    }
  };
  const deadline = now() + waitMs;
  if (!taken()) {
    onWait();
    while (!taken()) {
      if (now() >= deadline) {
        lock.close();
        throw new UnusableDatabaseError(
          `${dbPath}: another Paperboy bot is running on this database (a second npm start, or a process manager starting two); stop it first, as two would both post the roundups and answer each command`,
        );
      }
      // A timer that keeps the process alive: nothing else does yet.
      await pause(retryMs);
    }
  }
  return { release: () => lock.close() };
}

/** The file at `path`, symlinks followed; `path` itself while there is no such file yet. */
function ownFile(path: string): string {
  try {
    return realpathSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return path;
    throw error;
  }
}

/**
 * Refuses a lock file this user may not write (one left by `sudo npm start`, say): SQLite
 * opens it read-only, where BEGIN EXCLUSIVE locks nothing, and every bot went ahead. One
 * not there yet is made by the bot, in a folder the database's own files show is writable.
 */
function refuseUnwritable(path: string): void {
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new UnusableDatabaseError(
      `${path}: not writable by this user, so it cannot keep a second Paperboy bot off this database; give this user write permission on it, or delete it (the bot makes it again)`,
    );
  }
}
