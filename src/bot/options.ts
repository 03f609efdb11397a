import { UserError } from "../errors.ts";
import type { OptionValue } from "./types.ts";

/**
 * A whole-number option within [min, max]. Discord enforces the range it was
 * registered with, but the console and stale registrations do not.
 */
export function wholeNumber(name: string, value: OptionValue, min: number, max: number): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max) {
    throw new UserError(`\`${name}\` must be a whole number from ${min} to ${max}.`);
  }
  return number;
}
