import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statfsSync,
  statSync,
} from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { formatBytes } from "../text/format.ts";
import { migrations } from "./migrations.ts";

export type Db = Database.Database;

/** How long a statement waits for another connection's lock before SQLITE_BUSY. */
const busyTimeoutMs = 5000;
const walRetryMs = 20;

/**
 * Switches the database to WAL, which takes the file to itself for a moment: SQLite does not
 * wait for that as busy_timeout waits for other locks, and of two processes making a new
 * database at once (the bot and `paperboy ingest`), one stopped with "database is locked"
 * while the other set it up. It is tried again for as long as busy_timeout waits.
 */
function useWal(db: Db): void {
  for (let waited = 0; ; waited += walRetryMs) {
    try {
      db.pragma("journal_mode = WAL");
      return;
    } catch (error) {
      const busy = error instanceof Database.SqliteError && error.code === "SQLITE_BUSY";
      if (!busy || waited >= busyTimeoutMs) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, walRetryMs);
    }
  }
}

/** Thrown when the database cannot be used as it is (e.g. made by a newer Paperboy). */
export class UnusableDatabaseError extends Error {
  override name = "UnusableDatabaseError";
}

/**
 * Opens the SQLite database at `path` — or `:memory:` — with WAL and foreign keys
 * on, and brings its schema up to date. It is created (folders too) unless
 * `mustExist`: then a missing file is an error, not a new empty database. Unless
 * `onlyReads`, a file this user may not write is refused at once: SQLite would open it
 * read-only, and the first write (a /subscribe, hours later) would fail.
 */
export function openDatabase(path: string, { mustExist = false, onlyReads = false } = {}): Db {
  const inMemory = path === ":memory:";
  let db: Db;
  try {
    if (!inMemory && !mustExist) makeFolders(dirname(path));
    db = new Database(path, { fileMustExist: mustExist && !inMemory });
  } catch (error) {
    if (mustExist && !existsSync(path)) {
      throw new UnusableDatabaseError(
        `${path}: no database here; check --db/PAPERBOY_DB, or create it with \`npm start\` or \`paperboy ingest\``,
      );
    }
    throw unusable(error, path);
  }
  try {
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    if (!onlyReads && !inMemory) refuseReadOnly(path);
    if (onlyReads && !inMemory) refuseStrandingItsOwner(path);
    // Before anything that writes: switching to WAL rewrites the file header, and a
    // database made by a newer Paperboy must be refused exactly as it was found.
    refuseNewer(db, path);
    useWal(db);
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL"); // safe with WAL; a power cut may lose the last commit, never corrupt
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw unusable(error, path);
  }
}

/**
 * mkdirSync(dir, { recursive: true }), one folder at a time. Node's own loops forever, at full
 * CPU, when the system answers "no such folder" for a folder whose parent is there (under
 * /proc or /sys, a stale mount): PAPERBOY_DB=/proc/x/paperboy.db hung npm start with no word.
 * Made this way, that answer is an error to report (ENOENT).
 */
function makeFolders(dir: string): void {
  const parent = dirname(dir);
  if (parent !== dir && !existsSync(parent)) makeFolders(parent);
  try {
    mkdirSync(dir);
  } catch (error) {
    // There already is fine when it is a folder, not a file (EEXIST).
    if ((error as NodeJS.ErrnoException).code !== "EEXIST" || !statSync(dir).isDirectory()) {
      throw error;
    }
  }
}

/**
 * A file that is not a database, or a path that cannot be one (a folder, a folder this
 * user may not write), or a disk with no room for it, is the operator's to fix: one clear
 * line, as for a newer schema, rather than a stack trace.
 */
function unusable(error: unknown, path: string): unknown {
  const code = (error as { code?: unknown }).code;
  const problem = typeof code === "string" ? problems(path)[code] : undefined;
  if (problem) return new UnusableDatabaseError(`${path}: ${problem}`);
  if (typeof code !== "string") return error;
  if (code.startsWith("SQLITE_READONLY")) return notWritable(path);
  // A cut-short copy is CORRUPT (whichever of its extended codes): the file's fault, not
  // Paperboy's, yet it came out as a stack trace.
  if (code.startsWith("SQLITE_CORRUPT")) {
    return new UnusableDatabaseError(
      `${path}: the database file is damaged (${(error as Error).message}); restore it from a backup, or ${elsewhere}`,
    );
  }
  if (code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR")) {
    return new UnusableDatabaseError(storageProblem(error as Error & { code: string }, path));
  }
  return error;
}

/**
 * What a SQLITE_FULL or SQLITE_IOERR_… error says is wrong with the database at `path`, and
 * what to do, in one line: on opening it (a pending migration that did not fit came out as a
 * stack trace; it rolled back, the database is as it was) or in a command that writes to it.
 */
export function storageProblem(error: { code: string; message: string }, path: string): string {
  const { code, message: sqliteSays } = error;
  if (code === "SQLITE_FULL") return diskFull(path, sqliteSays);
  // A device (/dev/null) is an IOERR too, at the first fsync: the file's fault, not the disk's.
  if (!isRegularFile(path)) {
    return `${path}: SQLite could not read or write it (${sqliteSays}): it is not a regular file; ${elsewhere}`;
  }
  // SQLite calls every write the system refused but ENOSPC one thing, SQLITE_IOERR_WRITE (or
  // _SHMSIZE, for the 32 KiB -shm file made even to read a WAL database), and better-sqlite3
  // does not pass on the errno: whether it was a file size limit (EFBIG), a full disk or an
  // I/O error (EIO) is told from the process's limit and the disk. It was all called "disk full
  // or a quota reached", and an operator whose disk was failing went looking for space.
  const writing = code === "SQLITE_IOERR_WRITE" || code === "SQLITE_IOERR_SHMSIZE";
  const limit = writing ? fileSizeLimit() : undefined;
  if (limit !== undefined && reachesLimit(path, limit)) {
    return `${path}: SQLite could not write it (${sqliteSays}): this process may not write files past ${formatBytes(limit)} (ulimit -f); raise or lift that limit (ulimit -f unlimited; LimitFSIZE= in a systemd unit), or ${elsewhereOnDisk}`;
  }
  if ((bytesFree(dirname(path)) ?? Number.POSITIVE_INFINITY) < fullDiskBytes) {
    return diskFull(path, sqliteSays);
  }
  // A quota reached (EDQUOT) looks the same to SQLite, and has room on the disk too.
  const quota = writing ? "; or, with disk quotas, this user over theirs: `quota -s`" : "";
  return `${path}: an I/O error from its disk or file system as SQLite ${writing ? "wrote" : "read or wrote"} it (${sqliteSays}): the disk failing, a network share gone, or the file system made read-only after errors (the system log, \`dmesg\`, says which${quota}); fix that, or ${elsewhereOnDisk}`;
}

function diskFull(path: string, sqliteSays: string): string {
  return `${path}: its disk is full (${sqliteSays}); free some space there, or ${elsewhereOnDisk}`;
}

/**
 * How near a file SQLite writes may be to the file size limit when a write past it failed: a
 * write is a page (64 KiB at most) or a WAL frame, the -shm file grows 32 KiB at a time.
 */
const nearLimitBytes = 1024 * 1024;

/**
 * Whether the database, its -wal or its -shm file is within a write of `limit`: a limit set
 * far above them (a unit's LimitFSIZE=) is not why a write failed, and an I/O error was
 * said to be it.
 */
function reachesLimit(path: string, limit: number): boolean {
  return ["", "-wal", "-shm"].some((suffix) => {
    try {
      return statSync(`${path}${suffix}`).size + nearLimitBytes >= limit;
    } catch {
      return false; // not there
    }
  });
}

/** Less room than this for this user on the disk is a full one (the -shm file takes 32 KiB). */
const fullDiskBytes = 1024 * 1024;

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true; // not there (yet): SQLite's own file, as far as anyone can tell
  }
}

/** Bytes this user may still write on the disk of `folder`; undefined when not known. */
export function bytesFree(folder: string): number | undefined {
  try {
    const { bavail, bsize } = statfsSync(folder);
    return bavail * bsize;
  } catch {
    return undefined;
  }
}

/**
 * The most bytes this process may write to a file (RLIMIT_FSIZE, `ulimit -f`), or undefined
 * when it has no such limit. Node has no getrlimit: Linux shows it in /proc; elsewhere it is
 * not known, and taken as none.
 */
function fileSizeLimit(): number | undefined {
  try {
    const line = /^Max file size\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    const soft = Number(line?.[1]);
    return Number.isFinite(soft) ? soft : undefined; // "unlimited"
  } catch {
    return undefined;
  }
}

const elsewhere = "point --db/PAPERBOY_DB at another file";
const elsewhereOnDisk = "point --db/PAPERBOY_DB at a file on another disk";

/** What each error an operator can fix says is wrong with the database at `path`. */
function problems(path: string): Record<string, string> {
  const folder = `cannot create its folder ${dirname(path)}`;
  const denied = `not writable: ${folder} (permission denied); ${elsewhere}`;
  const fileInTheWay = `${folder}: part of that path is a file, not a folder; ${elsewhere}`;
  return {
    SQLITE_NOTADB: `not a SQLite database; ${elsewhere}`,
    SQLITE_BUSY: `another process kept the database locked for over ${busyTimeoutMs / 1000} s; try again once it is done`,
    SQLITE_CANTOPEN: cannotOpen(path),
    // SQLite keeps a WAL database's -wal and -shm files beside it, even to read it.
    SQLITE_READONLY_DIRECTORY: `not writable: its folder is read-only for this user, and SQLite keeps the database's -wal and -shm files there; make the folder writable, or ${elsewhere}`,
    // From creating the folders (recursively: the error names the deepest, not the culprit).
    EACCES: denied,
    EPERM: denied,
    EROFS: `not writable: ${folder} (read-only file system); ${elsewhere}`,
    EEXIST: fileInTheWay,
    ENOTDIR: fileInTheWay,
    ENOENT: `${folder}: the system has no such folder to make (is it under /proc or /sys, or on a disk no longer mounted?); ${elsewhere}`,
  };
}

/** Why SQLite could not open `path`: it said no more than "unable to open database file". */
function cannotOpen(path: string): string {
  // PAPERBOY_DB=data names the folder, not the file in it.
  if (existsSync(path) && statSync(path).isDirectory()) {
    return `a folder, not a database file; point --db/PAPERBOY_DB at a file in it, like ${join(path, "paperboy.db")}`;
  }
  if (!existsSync(path)) {
    const folder = dirname(path);
    if (writeRefused(folder) === "EROFS") {
      return `cannot create the database file: ${folder} is on a read-only file system; point --db/PAPERBOY_DB at a file on a writable disk`;
    }
    return `cannot create the database file: this user may not write in ${folder}; make that folder writable, or ${elsewhere}`;
  }
  // A read-only mount (a backup's snapshot, a container's volume mounted :ro): the file can be
  // read, but not the -wal and -shm files made beside it. It was said to be unreadable.
  if (writeRefused(path) === "EROFS") return onReadOnlyDisk;
  if (!canRead(path)) {
    return `this user may not read it; give this user read and write permission on it, or ${elsewhere}`;
  }
  // Its -wal and -shm files left by another user (a `sudo paperboy ingest`): SQLite opens them
  // beside the file a symlink leads to. The database itself was said to be unreadable.
  const target = realpathSync(path);
  const theirs = [`${target}-wal`, `${target}-shm`].filter(
    (file) => existsSync(file) && (!canRead(file) || !canWrite(file)),
  );
  if (theirs.length > 0) {
    return `this user may not read and write ${theirs.join(" and ")} beside it (made by another user: a sudo run?); give this user read and write permission on ${theirs.length > 1 ? "them" : "it"}, or ${elsewhere}`;
  }
  return `SQLite could not open it, or the -wal and -shm files it keeps beside it; give this user read and write permission on them, or ${elsewhere}`;
}

const onReadOnlyDisk = `on a read-only file system, and SQLite writes beside the database (its -wal and -shm files) even to read it; mount it read-write, or copy the database to a writable disk and point --db/PAPERBOY_DB at the copy`;

function notWritable(path: string): UnusableDatabaseError {
  // Its mode allows writing when the file system does not: it was said to lack permission.
  if (writeRefused(path) === "EROFS")
    return new UnusableDatabaseError(`${path}: ${onReadOnlyDisk}`);
  return new UnusableDatabaseError(
    `${path}: not writable by this user; give this user write permission on it, or ${elsewhere}`,
  );
}

/** Refuses a database file this user may not write (root may write any). */
function refuseReadOnly(path: string): void {
  if (!canWrite(path)) throw notWritable(path);
}

const canWrite = (path: string) => writeRefused(path) === undefined;

/** Why this user may not write `path` (EACCES, or EROFS on a read-only mount), if they may not. */
function writeRefused(path: string): string | undefined {
  try {
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? "EACCES";
  }
}

function canRead(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses to read another user's database, which this user may not write, while nothing of
 * theirs has it open. SQLite makes the -wal and -shm files to read a WAL database, and left by
 * a connection that cannot write the database they stay, this user's, which its owner may not
 * write: their next bot or `paperboy ingest` failed, with "attempt to write a readonly
 * database". While their bot runs, they are there already, theirs (root's are made its owner's).
 */
function refuseStrandingItsOwner(path: string): void {
  if (canWrite(path) || statSync(path).uid === process.getuid?.() || isOpen(path)) return;
  throw new UnusableDatabaseError(
    `${path}: another user's database, which this user may only read: read while nothing of theirs has it open, it would be left with -wal and -shm files they could not write, and their bot would fail; run this as that user, or while their bot runs`,
  );
}

/**
 * Whether a WAL database is open: its -wal file is there. SQLite keeps it beside the file a
 * symlink leads to, not beside the link: another user's database named through one was
 * refused while their bot ran.
 */
function isOpen(path: string): boolean {
  return existsSync(`${realpathSync(path)}-wal`);
}

export const schemaVersion = migrations.length;

function userVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

function refuseNewer(db: Db, path: string): void {
  const current = userVersion(db);
  if (current > schemaVersion) {
    throw new UnusableDatabaseError(
      `${path}: database schema version ${current} is newer than this Paperboy understands (${schemaVersion}); upgrade Paperboy or point --db/PAPERBOY_DB at another file`,
    );
  }
}

function migrate(db: Db): void {
  for (let version = userVersion(db) + 1; version <= schemaVersion; version++) {
    const sql = migrations[version - 1] as string;
    db.transaction(() => {
      // Another process (an ingest started beside the bot) may have run it while this one
      // waited for the write lock.
      if (userVersion(db) >= version) return;
      db.exec(sql);
      db.pragma(`user_version = ${version}`);
    }).immediate();
  }
}

/**
 * What changes whenever the database does, as `db` sees it: a commit by another connection
 * (data_version: an ingest, another process) or any write by this one (total_changes, which
 * data_version leaves out). For what is kept until then.
 */
export function databaseVersion(db: Db): () => string {
  const dataVersion = db.prepare("PRAGMA data_version").pluck();
  const ownChanges = db.prepare("SELECT total_changes()").pluck();
  return () => `${dataVersion.get()}:${ownChanges.get()}`;
}
