import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ChatInputCommandInteraction,
  DiscordAPIError,
  GuildMember,
  type Interaction,
  type InteractionReplyOptions,
  type MessageComponentInteraction,
  MessageFlags,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
  type RepliableInteraction,
} from "discord.js";
import type { Logger } from "pino";
import {
  type BotRequest,
  type BotResponse,
  type Dispatch,
  type Dispatched,
  referenceId,
  unexpectedFailure,
} from "../bot/dispatcher.ts";
import { sessionLifetimeMs } from "../bot/sessions.ts";
import type { Clock, Command, Invocation, Reply } from "../bot/types.ts";

/** Nothing Paperboy posts may ping anyone, whatever a paper's text says. */
const noMentions = { parse: [] };

/**
 * Discord drops an interaction not answered within 3 s. An answer still being
 * worked on after this long is deferred ("Paperboy is thinking…") and sent as an edit.
 */
export const deferAfterMs = 1500;

/**
 * How a slow answer was acknowledged: a component's silent deferUpdate, or a
 * slash command's "Paperboy is thinking…", public or seen only by its asker.
 */
type Deferral = "none" | "update" | "public" | "ephemeral";

/** What an interaction is answered: the dispatcher's answer, or `turnedAway`'s. */
type Answer = Omit<Dispatched, "outcome"> & { outcome: Dispatched["outcome"] | "restarting" };

/**
 * The answer to an interaction that came once shutdown had begun, which starts no work: only
 * its asker sees it, and a button's message stays as it was.
 */
function turnedAway(request: BotRequest): Answer {
  const response: BotResponse =
    request.kind === "autocomplete"
      ? { kind: "choices", choices: [] }
      : {
          kind: "reply",
          reply: {
            content: "Paperboy is restarting; try this again in a minute.",
            ephemeral: true,
          },
        };
  return { response, outcome: "restarting" };
}

/**
 * Handles one Discord interaction end to end: translate it for the dispatcher,
 * send what the dispatcher answers, and log one line with the outcome and latency.
 * Sending can still fail (Discord down, token expired): that is logged, never thrown.
 * Once `closing` is aborted (shutdown has begun), an interaction is turned away instead.
 */
export function createInteractionHandler(
  commands: readonly Command[],
  dispatch: Dispatch,
  clock: Clock,
  log: Logger,
  closing?: AbortSignal,
) {
  const answeringOnlyTheAsker = new Set(
    commands.filter((command) => command.ephemeral).map((command) => command.definition.name),
  );
  return async function handleInteraction(interaction: Interaction): Promise<void> {
    const started = clock.now();
    let request: BotRequest | undefined;
    try {
      request = toRequest(interaction);
      if (!request) return;
      const dispatching = closing?.aborted
        ? Promise.resolve(turnedAway(request))
        : dispatch(request);
      const privately = request.kind === "command" && answeringOnlyTheAsker.has(request.name);
      const { dispatched, deferral } = interaction.isAutocomplete()
        ? { dispatched: await dispatching, deferral: "none" as const }
        : await deferIfSlow(interaction, dispatching, clock, privately);
      await send(interaction, dispatched, deferral, clock);
      log.info(
        logLine(interaction, request, dispatched.outcome, clock.now() - started, deferral),
        "interaction",
      );
    } catch (error) {
      // Its answer was not sent (Discord refused it): an unexpected failure, told as any other.
      const ref = request && !interaction.isAutocomplete() ? referenceId() : undefined;
      log.error(
        {
          ...logLine(
            interaction,
            request,
            request ? "send-failed" : "unreadable",
            clock.now() - started,
          ),
          ...(ref && { ref }),
          err: error,
        },
        "interaction",
      );
      if (ref) await tellFailed(interaction, ref, log);
    }
  };
}

/**
 * Tells the member that their answer could not be sent, under the reference its failure is
 * logged with: left alone, they saw "The application did not respond", or "thinking…" for
 * good. A reply when nothing was acknowledged yet, a follow-up otherwise. Discord may refuse
 * this too (the interaction expired): that is logged, never thrown.
 */
async function tellFailed(interaction: Interaction, ref: string, log: Logger): Promise<void> {
  if (!interaction.isRepliable()) return;
  const message = toNewMessage(unexpectedFailure(ref));
  const acknowledged = interaction.replied || interaction.deferred;
  try {
    // A command's "thinking…" its answer did not replace goes: left, it stayed until Discord
    // gave up on it. Not a button's, whose deferred update leaves the message it is on. One
    // that cannot go still leaves the member told.
    if (interaction.isChatInputCommand() && interaction.deferred && !interaction.replied)
      await interaction.deleteReply().catch(() => undefined);
    await (acknowledged ? interaction.followUp(message) : interaction.reply(message));
  } catch (error) {
    log.warn({ err: error, ref }, "could not tell the member their answer was not sent");
  }
}

/**
 * Waits for the dispatcher, deferring the interaction if the answer takes longer
 * than `deferAfterMs`; `privately` when the answer is only for its asker, so the
 * channel does not even see that they asked.
 */
async function deferIfSlow(
  interaction: Interaction,
  dispatching: Promise<Answer>,
  clock: Clock,
  privately: boolean,
): Promise<{ dispatched: Answer; deferral: Deferral }> {
  let timer: { cancel(): void } | undefined;
  const slow = new Promise<"slow">((resolve) => {
    timer = clock.schedule(deferAfterMs, () => resolve("slow"));
  });
  const first = await Promise.race([dispatching, slow]);
  timer?.cancel();
  if (first !== "slow") return { dispatched: first, deferral: "none" };
  if (interaction.isMessageComponent()) {
    await acknowledge(interaction, interaction.deferUpdate(), "deferred");
    return { dispatched: await dispatching, deferral: "update" };
  }
  if (interaction.isRepliable()) {
    const deferring = interaction.deferReply(privately ? { flags: MessageFlags.Ephemeral } : {});
    await acknowledge(interaction, deferring, "deferred");
  }
  return { dispatched: await dispatching, deferral: privately ? "ephemeral" : "public" };
}

/**
 * Waits for an interaction's callback (its reply, update or deferral), which Discord takes
 * once. Discord can take one yet answer with a 5xx; discord.js sends it again, which Discord
 * refuses as already acknowledged (40060). The first one landed, so the interaction is marked
 * as discord.js marks it on success, and what follows goes on: the answer into a deferred
 * "thinking…", the buttons' removal after 10 minutes.
 */
async function acknowledge(
  interaction: RepliableInteraction,
  callback: Promise<unknown>,
  as: "deferred" | "replied",
): Promise<void> {
  try {
    await callback;
  } catch (error) {
    const landed =
      error instanceof DiscordAPIError &&
      error.code === RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged;
    if (!landed) throw error;
    interaction[as] = true;
  }
}

function toRequest(interaction: Interaction): BotRequest | undefined {
  if (interaction.isChatInputCommand()) {
    return {
      kind: "command",
      name: interaction.commandName,
      invocation: invocationOf(interaction),
    };
  }
  if (interaction.isAutocomplete()) {
    const focused = interaction.options.getFocused(true);
    return {
      kind: "autocomplete",
      name: interaction.commandName,
      focused: { name: focused.name, value: String(focused.value) },
      invocation: invocationOf(interaction),
    };
  }
  if (interaction.isButton() || interaction.isStringSelectMenu()) {
    const { options: _options, ...invocation } = invocationOf(interaction);
    return {
      kind: "component",
      customId: interaction.customId,
      invocation: {
        ...invocation,
        values: interaction.isStringSelectMenu() ? interaction.values : [],
      },
    };
  }
  return undefined;
}

function invocationOf(
  interaction: ChatInputCommandInteraction | AutocompleteInteraction | MessageComponentInteraction,
): Invocation {
  const options: Invocation["options"] = {};
  let subcommand: string | undefined;
  if (!interaction.isMessageComponent()) {
    // Subcommands ("/topics add") nest their options one level down.
    const data = interaction.options.data;
    const nested = data.length === 1 && data[0]?.type === ApplicationCommandOptionType.Subcommand;
    if (nested) subcommand = data[0]?.name;
    for (const option of nested ? (data[0]?.options ?? []) : data) {
      if (option.value !== undefined) options[option.name] = option.value;
    }
  }
  return {
    user: { id: interaction.user.id, name: interaction.user.username },
    guildId: interaction.guildId,
    channelId: roundupChannelOf(interaction),
    canManageGuild: managesServer(interaction),
    ...(subcommand ? { subcommand } : {}),
    options,
  };
}

/**
 * Whether the member holds Manage Server in the server: owns it, or has it (or Administrator)
 * from a role. Not from the permissions Discord sends with the interaction, which are the
 * member's in the channel it was used in, channel overwrites applied: an overwrite allowing
 * Manage Server on one channel (set by whoever may manage that channel's permissions) let a
 * member stop or change every channel's roundup from there. Where discord.js does not know
 * the server's roles (Paperboy's bot is not in it, or it is listed unavailable, as in an
 * outage at start), those permissions are all there is: discord.js's figure from roles it does
 * not have throws.
 */
function managesServer(interaction: BaseInteraction): boolean {
  const { member } = interaction;
  const rolesKnown = member instanceof GuildMember && member.guild.roles.everyone !== undefined;
  const permissions = rolesKnown ? member.permissions : interaction.memberPermissions;
  return permissions?.has(PermissionFlagsBits.ManageGuild) ?? false;
}

/**
 * The channel the command was used in, or for a thread the channel it is in: threads have
 * no roundups, and `/roundup preview` in a thread under #papers means #papers. discord.js
 * knows the thread from the interaction itself (see clientOptions), even one no gateway
 * event told of.
 */
function roundupChannelOf(interaction: BaseInteraction): string | null {
  const { channel } = interaction;
  return channel?.isThread() && channel.parentId ? channel.parentId : interaction.channelId;
}

/**
 * Flags of a message with `reply` in it. A text reply shows no previews of its links: a paper's
 * title may link to any page, and "Closest titles" showed that page (an image, say) in the channel.
 */
function linkPreviewFlags(reply: Reply): MessageFlags.SuppressEmbeds[] {
  return reply.embeds?.length ? [] : [MessageFlags.SuppressEmbeds];
}

/** A reply as the message it becomes: edited in place, or sent (see toNewMessage). */
function toDiscord(reply: Reply) {
  return {
    content: reply.content,
    embeds: reply.embeds ?? [],
    components: reply.components ?? [],
    allowedMentions: noMentions,
    flags: linkPreviewFlags(reply),
  };
}

/** A reply as a new message, seen by its asker alone when it is ephemeral. */
function toNewMessage(reply: Reply): InteractionReplyOptions {
  const body = toDiscord(reply);
  return reply.ephemeral ? { ...body, flags: [...body.flags, MessageFlags.Ephemeral] } : body;
}

async function send(
  interaction: Interaction,
  { response }: Answer,
  deferral: Deferral,
  clock: Clock,
): Promise<void> {
  if (interaction.isAutocomplete()) {
    if (response.kind === "choices") await interaction.respond(response.choices);
    return;
  }
  if (!interaction.isRepliable() || response.kind === "choices") return;
  const body = toDiscord(response.reply);
  if (response.kind === "update" && interaction.isMessageComponent()) {
    await (deferral === "none"
      ? acknowledge(interaction, interaction.update(body), "replied")
      : interaction.editReply(body));
  } else if (deferral === "none") {
    await acknowledge(interaction, interaction.reply(toNewMessage(response.reply)), "replied");
  } else if (deferral === "update" || (deferral === "public" && response.reply.ephemeral)) {
    // A component's deferral has no reply of its own to edit, and a public "thinking…"
    // cannot turn ephemeral (an error answering /search): both answer in a follow-up.
    if (deferral === "public") await interaction.deleteReply();
    await interaction.followUp(toNewMessage(response.reply));
  } else {
    // The placeholder becomes the answer, seen by whom it was deferred for.
    await interaction.editReply(body);
  }
  // Buttons stop working when their search expires: take them off the message then.
  if (response.reply.components?.length && !interaction.isMessageComponent()) {
    clock.schedule(sessionLifetimeMs, () => {
      // Discord parses mentions again only for an edit with content; this one says none all
      // the same, as every message Paperboy sends does, should it ever carry content.
      const buttonsOff = { components: [], allowedMentions: noMentions };
      interaction.editReply(buttonsOff).catch(() => undefined); // the message may be gone
    });
  }
}

function logLine(
  interaction: Interaction,
  request: BotRequest | undefined,
  outcome: string,
  latencyMs: number,
  deferral: Deferral = "none",
) {
  return {
    command:
      request?.kind === "component"
        ? request.customId.split(":").slice(0, 2).join(":")
        : request?.name,
    kind: request?.kind,
    guild: interaction.guildId,
    user: interaction.user.id,
    latencyMs,
    deferred: deferral !== "none",
    outcome,
  };
}
