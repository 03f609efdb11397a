/**
 * The subset of Discord's request validation that bots trip over in practice: message
 * length and embed limits, empty messages, component limits, autocomplete choices and
 * command definitions. Real Discord rejects these with 400s, so a fake that accepted them
 * would let such bugs through to production.
 *
 * Numeric codes (50035, 50006) and limits are Discord's; the inner error `code` strings
 * mirror Discord's style but are not guaranteed to match byte for byte.
 * https://discord.com/developers/docs/resources/message#create-message
 */
import { type DiscordErrorResponse, Errors, FormErrors } from "./errors.ts";

type Path = (string | number)[];
type Json = Record<string, unknown>;

const MESSAGE_FLAG_COMPONENTS_V2 = 1 << 15;

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function maxLength(errors: FormErrors, path: Path, value: unknown, max: number): void {
  if (typeof value === "string" && [...value].length > max) {
    errors.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
  }
}

function required(errors: FormErrors, path: Path, value: unknown): boolean {
  if (typeof value !== "string" || value.length === 0) {
    errors.add(path, "BASE_TYPE_REQUIRED", "This field is required");
    return false;
  }
  return true;
}

function validateEmbeds(errors: FormErrors, path: Path, embeds: unknown): void {
  if (!Array.isArray(embeds)) return;
  if (embeds.length > 10)
    errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.");
  let total = 0;
  embeds.forEach((raw: Json, i) => {
    const at = [...path, i];
    const fields = Array.isArray(raw.fields) ? (raw.fields as Json[]) : [];
    const footer = (raw.footer ?? {}) as Json;
    const author = (raw.author ?? {}) as Json;
    maxLength(errors, [...at, "title"], raw.title, 256);
    maxLength(errors, [...at, "description"], raw.description, 4096);
    maxLength(errors, [...at, "footer", "text"], footer.text, 2048);
    maxLength(errors, [...at, "author", "name"], author.name, 256);
    if (fields.length > 25) {
      errors.add([...at, "fields"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    }
    fields.forEach((f, j) => {
      if (required(errors, [...at, "fields", j, "name"], f.name)) {
        maxLength(errors, [...at, "fields", j, "name"], f.name, 256);
      }
      if (required(errors, [...at, "fields", j, "value"], f.value)) {
        maxLength(errors, [...at, "fields", j, "value"], f.value, 1024);
      }
      total += str(f.name).length + str(f.value).length;
    });
    total += str(raw.title).length + str(raw.description).length;
    total += str(footer.text).length + str(author.name).length;
  });
  if (total > 6000) {
    errors.add(path, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000");
  }
}

/** Classic action-row components (Components V2 layouts are not validated). */
function validateComponents(
  errors: FormErrors,
  path: Path,
  components: unknown,
  v2: boolean,
): void {
  if (!Array.isArray(components) || v2) return;
  if (components.length > 5)
    errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.");
  components.forEach((row: Json, i) => {
    const children = Array.isArray(row.components) ? (row.components as Json[]) : [];
    if (children.length > 5) {
      errors.add(
        [...path, i, "components"],
        "BASE_TYPE_MAX_LENGTH",
        "Must be 5 or fewer in length.",
      );
    }
    children.forEach((c, j) => {
      const at = [...path, i, "components", j];
      maxLength(errors, [...at, "custom_id"], c.custom_id, 100);
      maxLength(errors, [...at, "label"], c.label, 80);
      maxLength(errors, [...at, "placeholder"], c.placeholder, 150);
      if (Array.isArray(c.options)) {
        if (c.options.length > 25) {
          errors.add([...at, "options"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
        }
        (c.options as Json[]).forEach((o, k) => {
          maxLength(errors, [...at, "options", k, "label"], o.label, 100);
          maxLength(errors, [...at, "options", k, "value"], o.value, 100);
          maxLength(errors, [...at, "options", k, "description"], o.description, 100);
        });
      }
    });
  });
}

function hasVisibleContent(body: Json, fileCount: number): boolean {
  const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    str(body.content).length > 0 ||
    nonEmpty(body.embeds) ||
    nonEmpty(body.components) ||
    nonEmpty(body.sticker_ids) ||
    nonEmpty(body.attachments) ||
    body.poll != null ||
    fileCount > 0
  );
}

/**
 * Validates a message body (create or edit). `prefix` is where the body sits in the request
 * (`["data"]` for interaction callbacks) so error paths match Discord's.
 * For edits pass `merged`: the message as it would look afterwards, to catch "edited to empty".
 */
export function validateMessageBody(
  body: Json,
  options: { prefix?: Path; fileCount?: number; merged?: Json } = {},
): DiscordErrorResponse | null {
  const prefix = options.prefix ?? [];
  const errors = new FormErrors();
  const flags = typeof body.flags === "number" ? body.flags : 0;
  const v2 = (flags & MESSAGE_FLAG_COMPONENTS_V2) !== 0;
  if (
    v2 &&
    (str(body.content).length > 0 || (Array.isArray(body.embeds) && body.embeds.length > 0))
  ) {
    errors.add(
      [...prefix, "content"],
      "MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2",
      "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
    );
  }
  maxLength(errors, [...prefix, "content"], body.content, 2000);
  validateEmbeds(errors, [...prefix, "embeds"], body.embeds);
  validateComponents(errors, [...prefix, "components"], body.components, v2);
  if (!errors.empty) return errors.toResponse();
  if (!hasVisibleContent(options.merged ?? body, options.fileCount ?? 0))
    return Errors.emptyMessage();
  return null;
}

/** Autocomplete results: at most 25 choices, names 1–100 characters, string values ≤ 100. */
export function validateAutocompleteChoices(data: Json): DiscordErrorResponse | null {
  const errors = new FormErrors();
  const choices = Array.isArray(data.choices) ? (data.choices as Json[]) : [];
  if (choices.length > 25) {
    errors.add(["data", "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  }
  choices.forEach((c, i) => {
    const name = str(c.name);
    if (name.length < 1 || name.length > 100) {
      errors.add(
        ["data", "choices", i, "name"],
        "BASE_TYPE_BAD_LENGTH",
        "Must be between 1 and 100 in length.",
      );
    }
    maxLength(errors, ["data", "choices", i, "value"], c.value, 100);
  });
  return errors.empty ? null : errors.toResponse();
}

// Discord's documented CHAT_INPUT name rule (lowercase where the script has case).
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateNameAndDescription(
  errors: FormErrors,
  at: Path,
  o: Json,
  chatInput: boolean,
): void {
  const name = str(o.name);
  if (chatInput) {
    if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
      errors.add([...at, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
    }
    const description = str(o.description);
    if (description.length < 1 || description.length > 100) {
      errors.add(
        [...at, "description"],
        "BASE_TYPE_BAD_LENGTH",
        "Must be between 1 and 100 in length.",
      );
    }
  } else if (name.length < 1 || name.length > 32) {
    errors.add([...at, "name"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.");
  }
}

function validateOptions(errors: FormErrors, at: Path, options: unknown): void {
  if (!Array.isArray(options)) return;
  if (options.length > 25) errors.add(at, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((o: Json, i) => {
    const here = [...at, i];
    validateNameAndDescription(errors, here, o, true);
    if (names.has(str(o.name))) {
      errors.add(
        [...here, "name"],
        "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
        "Option names must be unique",
      );
    }
    names.add(str(o.name));
    if (o.required === true && sawOptional) {
      errors.add(
        here,
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        "Required options must be placed before non-required options",
      );
    }
    if (o.required !== true) sawOptional = true;
    if (Array.isArray(o.choices) && o.choices.length > 25) {
      errors.add([...here, "choices"], "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.");
    }
    validateOptions(errors, [...here, "options"], o.options);
  });
}

/** Bulk-overwrite (PUT) bodies: an array of command definitions. */
export function validateCommands(commands: unknown): DiscordErrorResponse | null {
  const errors = new FormErrors();
  if (!Array.isArray(commands)) {
    errors.add([], "BASE_TYPE_ARRAY", "Must be an array.");
    return errors.toResponse();
  }
  const seen = new Set<string>();
  commands.forEach((c: Json, i) => {
    validateCommand(errors, [i], c);
    const key = `${String(c.type ?? 1)}:${str(c.name)}`;
    if (seen.has(key)) {
      errors.add(
        [i, "name"],
        "APPLICATION_COMMANDS_DUPLICATE_NAME",
        "Application command names must be unique",
      );
    }
    seen.add(key);
  });
  return errors.empty ? null : errors.toResponse();
}

export function validateCommand(errors: FormErrors, at: Path, c: Json): void {
  const chatInput = (c.type ?? 1) === 1;
  validateNameAndDescription(errors, at, c, chatInput);
  validateOptions(errors, [...at, "options"], c.options);
}
