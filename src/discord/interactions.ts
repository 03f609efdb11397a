import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionReplyOptions,
  type MessageComponentInteraction,
  MessageFlags,
} from "discord.js";
import type { Logger } from "pino";
import type { BotRequest, Dispatch, Dispatched } from "../bot/dispatcher.ts";
import { sessionLifetimeMs } from "../bot/sessions.ts";
import type { Clock, Invocation, Reply } from "../bot/types.ts";

/** Nothing Paperboy posts may ping anyone, whatever a paper's text says. */
const noMentions = { parse: [] };

/**
 * Handles one Discord interaction end to end: translate it for the dispatcher,
 * send what the dispatcher answers, and log one line with the outcome and latency.
 * Sending can still fail (Discord down, token expired): that is logged, never thrown.
 */
export function createInteractionHandler(dispatch: Dispatch, clock: Clock, log: Logger) {
  return async function handleInteraction(interaction: Interaction): Promise<void> {
    const started = clock.now();
    const request = toRequest(interaction);
    if (!request) return;
    let dispatched: Dispatched | undefined;
    try {
      dispatched = dispatch(request);
      await send(interaction, dispatched, clock);
      log.info(
        logLine(interaction, request, dispatched.outcome, clock.now() - started),
        "interaction",
      );
    } catch (error) {
      log.error(
        { ...logLine(interaction, request, "send-failed", clock.now() - started), err: error },
        "interaction",
      );
    }
  };
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
  interaction: ChatInputCommandInteraction | MessageComponentInteraction,
): Invocation {
  const options: Invocation["options"] = {};
  if (interaction.isChatInputCommand()) {
    for (const option of interaction.options.data) {
      if (option.value !== undefined) options[option.name] = option.value;
    }
  }
  return {
    user: { id: interaction.user.id, name: interaction.user.username },
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    options,
  };
}

function toDiscord(reply: Reply): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } {
  return {
    content: reply.content,
    embeds: reply.embeds ?? [],
    components: reply.components ?? [],
    allowedMentions: noMentions,
    ...(reply.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

async function send(
  interaction: Interaction,
  { response }: Dispatched,
  clock: Clock,
): Promise<void> {
  if (interaction.isAutocomplete()) {
    if (response.kind === "choices")
      await (interaction as AutocompleteInteraction).respond(response.choices);
    return;
  }
  if (!interaction.isRepliable() || response.kind === "choices") return;
  if (response.kind === "update" && interaction.isMessageComponent()) {
    const { flags: _flags, ...body } = toDiscord(response.reply);
    await interaction.update(body);
  } else {
    await interaction.reply(toDiscord(response.reply));
  }
  // Buttons stop working when their search expires: take them off the message then.
  if (response.reply.components?.length && !interaction.isMessageComponent()) {
    clock.schedule(sessionLifetimeMs, () => {
      interaction.editReply({ components: [] }).catch(() => undefined); // the message may be gone
    });
  }
}

function logLine(
  interaction: Interaction,
  request: BotRequest,
  outcome: string,
  latencyMs: number,
) {
  return {
    command:
      request.kind === "component"
        ? request.customId.split(":").slice(0, 2).join(":")
        : request.name,
    kind: request.kind,
    guild: interaction.guildId,
    user: interaction.user.id,
    latencyMs,
    outcome,
  };
}
