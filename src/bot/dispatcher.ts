import { randomBytes } from "node:crypto";
import type { ApplicationCommandOptionChoiceData } from "discord.js";
import { UserError } from "../errors.ts";
import { withinMessageLimits } from "./limits.ts";
import type { BotContext, Command, ComponentInvocation, Invocation, Reply } from "./types.ts";

export type BotRequest =
  | { kind: "command"; name: string; invocation: Invocation }
  | {
      kind: "autocomplete";
      name: string;
      focused: { name: string; value: string };
      invocation: Invocation;
    }
  | { kind: "component"; customId: string; invocation: Omit<ComponentInvocation, "args"> };

export type BotResponse =
  | { kind: "reply"; reply: Reply }
  | { kind: "update"; reply: Reply }
  | { kind: "choices"; choices: ApplicationCommandOptionChoiceData[] };

export interface Dispatched {
  response: BotResponse;
  outcome: "ok" | "user-error" | "error";
  /** The reference shown to the user for an unexpected error, to find it in the log. */
  ref?: string;
}

/**
 * Routes a request — from Discord or the console — to its command, and is the
 * one place errors become answers: a user's mistake gets an ephemeral
 * explanation, anything else a short message with a reference id while the
 * details go to the log. Autocomplete failures answer an empty list. A command that writes
 * (see Command.writes) runs once the database's write lock is free (BotContext.writable),
 * autocomplete at once.
 */
export function createDispatcher(commands: readonly Command[], context: BotContext) {
  const byName = new Map(commands.map((command) => [command.definition.name, command]));

  async function route(request: BotRequest): Promise<BotResponse> {
    if (request.kind === "command") {
      const command = byName.get(request.name);
      if (!command) throw new UserError(`There is no /${request.name} command here; try /help.`);
      if (writes(command, request.invocation)) await context.writable();
      const reply = await command.run(context, request.invocation);
      return { kind: "reply", reply: command.ephemeral ? { ...reply, ephemeral: true } : reply };
    }
    if (request.kind === "autocomplete") {
      // Never after an ingest, whatever the command writes: Discord drops choices not sent
      // within 3 s, and they only read.
      const command = byName.get(request.name);
      const choices =
        (await command?.autocomplete?.(context, request.focused, request.invocation)) ?? [];
      return { kind: "choices", choices };
    }
    const [name = "", action = "", ...args] = request.customId.split(":");
    const command = byName.get(name);
    const handlers = command?.components;
    // Own properties only: "search:constructor" names no handler, not Object's.
    const handler = handlers && Object.hasOwn(handlers, action) ? handlers[action] : undefined;
    if (!command || !handler)
      throw new UserError("These buttons no longer work; run the command again.");
    if (writes(command, request.invocation)) await context.writable();
    const answer = await handler(context, { ...request.invocation, args });
    return "update" in answer
      ? { kind: "update", reply: answer.update }
      : { kind: "reply", reply: answer.reply };
  }

  return async function dispatch(request: BotRequest): Promise<Dispatched> {
    try {
      // Within the try: a reply that cannot be made to fit is an unexpected error like any other.
      return { response: withinLimits(await route(request)), outcome: "ok" };
    } catch (error) {
      if (request.kind === "autocomplete") {
        context.log.warn({ err: error, command: request.name }, "autocomplete failed");
        return { response: { kind: "choices", choices: [] }, outcome: "error" };
      }
      if (error instanceof UserError) {
        return {
          response: withinLimits({
            kind: "reply",
            reply: { content: error.message, ephemeral: true },
          }),
          outcome: "user-error",
        };
      }
      const ref = referenceId();
      context.log.error({ err: error, ref, request: describe(request) }, "command failed");
      return {
        response: { kind: "reply", reply: unexpectedFailure(ref) },
        outcome: "error",
        ref,
      };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

/** A short id for an unexpected failure, shown to its user and logged with its details. */
export function referenceId(): string {
  return randomBytes(3).toString("hex").toUpperCase();
}

/** What the user is told of an unexpected failure: only its reference, for the log has the rest. */
export function unexpectedFailure(ref: string): Reply {
  return {
    content: `Something went wrong on our side (ref ${ref}). Please try again later.`,
    ephemeral: true,
  };
}

/** Whether answering `invocation` writes, as its command declares (see Command.writes). */
function writes(command: Command, { subcommand }: { subcommand?: string }): boolean {
  const declared = command.writes;
  return declared === true || (subcommand !== undefined && !!declared?.includes(subcommand));
}

/** Every reply within Discord's message limits (see withinMessageLimits). */
function withinLimits(response: BotResponse): BotResponse {
  if (response.kind === "choices") return response;
  return { ...response, reply: withinMessageLimits(response.reply) };
}

function describe(request: BotRequest): string {
  return request.kind === "component"
    ? `component ${request.customId}`
    : `${request.kind} /${request.name}`;
}
