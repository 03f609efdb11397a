/**
 * Discord-shaped error responses. discord.js turns a 4xx JSON body into a `DiscordAPIError`
 * whose `code` and `message` come straight from this body, so bots branch on these values —
 * the numbers must be Discord's real JSON error codes.
 */

export interface DiscordErrorResponse {
  status: number;
  body: { message: string; code: number; errors?: Record<string, unknown> };
  headers?: Record<string, string>;
}

export function discordError(status: number, code: number, message: string): DiscordErrorResponse {
  return { status, body: { message, code } };
}

export const Errors = {
  notFound: () => discordError(404, 0, "404: Not Found"),
  methodNotAllowed: () => discordError(405, 0, "405: Method Not Allowed"),
  unauthorized: () => discordError(401, 0, "401: Unauthorized"),
  unknownChannel: () => discordError(404, 10003, "Unknown Channel"),
  unknownGuild: () => discordError(404, 10004, "Unknown Guild"),
  unknownMember: () => discordError(404, 10007, "Unknown Member"),
  unknownMessage: () => discordError(404, 10008, "Unknown Message"),
  unknownUser: () => discordError(404, 10013, "Unknown User"),
  unknownWebhook: () => discordError(404, 10015, "Unknown Webhook"),
  unknownCommand: () => discordError(404, 10063, "Unknown application command"),
  unknownInteraction: () => discordError(404, 10062, "Unknown interaction"),
  alreadyAcknowledged: () => discordError(400, 40060, "Interaction has already been acknowledged."),
  emptyMessage: () => discordError(400, 50006, "Cannot send an empty message"),
  missingAccess: () => discordError(403, 50001, "Missing Access"),
  missingPermissions: () => discordError(403, 50013, "Missing Permissions"),
} as const;

/**
 * Collects field errors into Discord's nested "Invalid Form Body" (50035) shape:
 * `{ errors: { data: { content: { _errors: [{ code, message }] } } } }`.
 * discord.js flattens this into its error message (e.g. "data.content[BASE_TYPE_MAX_LENGTH]").
 */
export class FormErrors {
  readonly #root: Record<string, unknown> = {};
  #count = 0;

  add(path: readonly (string | number)[], code: string, message: string): void {
    let node = this.#root;
    for (const key of path) {
      node[String(key)] ??= {};
      node = node[String(key)] as Record<string, unknown>;
    }
    node._errors ??= [];
    (node._errors as { code: string; message: string }[]).push({ code, message });
    this.#count += 1;
  }

  get empty(): boolean {
    return this.#count === 0;
  }

  toResponse(): DiscordErrorResponse {
    return {
      status: 400,
      body: { message: "Invalid Form Body", code: 50035, errors: this.#root },
    };
  }
}
