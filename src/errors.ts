/**
 * A mistake the user can fix (an empty query, an unknown paper id, a bad
 * time). Its message is shown to them as it is, so it says what to do.
 * Anything else that goes wrong is unexpected and gets a reference id instead.
 */
export class UserError extends Error {
  override name = "UserError";
}
