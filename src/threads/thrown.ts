import Database from "better-sqlite3";
import { UserError } from "../errors.ts";
import { UnusableDatabaseError } from "../store/db.ts";

/**
 * An error thrown on a thread, as it is posted to the thread that asked. Thrown across, an
 * error lost its class (a UserError's message shown to users, an UnusableDatabaseError's one
 * line), and a SqliteError arrived as its code alone: it travels as data, made again there.
 */
export interface ThrownError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export function thrown(error: unknown): ThrownError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const code = (error as { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === "string" ? { code } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
  };
}

/** The error as the caller would have had it on its own thread: Paperboy's and SQLite's by class. */
export function rebuilt(thrown: ThrownError): Error {
  const error = madeAgain(thrown);
  if (thrown.stack) error.stack = thrown.stack;
  return error;
}

function madeAgain({ name, message, code }: ThrownError): Error {
  if (name === "UserError") return new UserError(message);
  if (name === "UnusableDatabaseError") return new UnusableDatabaseError(message);
  if (name === "SqliteError" && code !== undefined) return new Database.SqliteError(message, code);
  const error = new Error(message);
  error.name = name;
  return error;
}
