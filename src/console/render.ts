import {
  type APIButtonComponent,
  type APIEmbed,
  type APIStringSelectComponent,
  ButtonStyle,
  ComponentType,
} from "discord.js";
import type { Reply } from "../bot/types.ts";
import { bold, readable, type TextStyle } from "./markdown.ts";

/** Something on a reply the console user can pick by its number. */
export type Choice =
  | { kind: "button"; label: string; customId?: string; url?: string; disabled: boolean }
  | { kind: "option"; label: string; customId: string; value: string; disabled: boolean };

export interface RenderedReply {
  /** The reply as text, ending with a newline. */
  text: string;
  /** Its buttons and menu options, each at its number − 1 (see numberChoices); maybe with gaps. */
  choices: Choice[];
}

/** A reply as terminal text, its components as numbered choices under it. */
export function renderReply(reply: Reply, style: TextStyle): RenderedReply {
  const blocks: string[] = [];
  if (reply.content) blocks.push(readable(reply.content, style));
  for (const embed of reply.embeds ?? []) blocks.push(renderEmbed(embed, style));
  if (blocks.length === 0) blocks.push("(an empty message)");
  let text = blocks.join("\n\n");
  if (reply.ephemeral) text = `(only you) ${text}`;
  const { lines, choices } = renderComponents(reply);
  return { text: `${[text, ...lines].join("\n")}\n`, choices };
}

function renderEmbed(embed: APIEmbed, style: TextStyle): string {
  const lines: string[] = [];
  if (embed.author?.name) lines.push(embed.author.name); // plain text in Discord
  if (embed.title) {
    const title = bold(readable(embed.title, style), style);
    lines.push(embed.url ? `${title} <${embed.url}>` : title);
  } else if (embed.url) lines.push(`<${embed.url}>`);
  if (embed.description) lines.push(readable(embed.description, style));
  for (const field of embed.fields ?? []) {
    const name = readable(field.name, style);
    const value = readable(field.value, style);
    // Long or multi-line values go under their name, indented, and so do those of a name
    // that is a command ("/stats", "/topics add channel: #papers"): a colon after it
    // would read as part of it.
    const command = name.startsWith("/");
    if (command || value.includes("\n") || name.length + value.length > 80) {
      const heading = command || name.includes(": ") ? name : `${name}:`;
      lines.push(`${bold(heading, style)}\n${value.replace(/^/gm, "  ")}`);
    } else lines.push(`${bold(`${name}:`, style)} ${value}`);
  }
  if (embed.image?.url) lines.push(`Image: <${embed.image.url}>`);
  if (embed.footer?.text) lines.push(embed.footer.text); // plain text in Discord
  return lines.join("\n");
}

function renderComponents(reply: Reply): { lines: string[]; choices: Choice[] } {
  const lines: string[] = [];
  const choices: Choice[] = [];
  const number = choiceNumbers(reply, choices);
  for (const row of reply.components ?? []) {
    const buttons: string[] = [];
    for (const component of row.components) {
      if (component.type === ComponentType.Button) {
        const choice = buttonChoice(component);
        const shown = choice.disabled ? `${choice.label} (disabled)` : choice.label;
        const link = choice.kind === "button" && choice.url ? ` <${choice.url}>` : "";
        buttons.push(`${number(choice)} ${shown}${link}`);
      } else if (component.type === ComponentType.StringSelect) {
        lines.push(...selectLines(component, number));
      } else {
        lines.push("(a menu the console cannot show)");
      }
    }
    if (buttons.length) lines.push(buttons.join("  "));
  }
  return { lines, choices };
}

/** The number a menu option's label starts with ("6. Graph Mamba…"), or 0. */
const ownNumber = (label: string) => Number(/^(\d+)\. /.exec(label)?.[1] ?? 0);

/**
 * Numbers each choice as it is shown, putting it in `choices` at its number − 1. A menu
 * option labelled with a number of its own (a search result) is chosen by it, so that
 * typing 6 opens result 6 on any page; the others take the lowest numbers those leave,
 * in order (the page's buttons).
 */
function choiceNumbers(reply: Reply, choices: Choice[]): (choice: Choice) => string {
  const reserved = new Set(
    (reply.components ?? [])
      .flatMap((row) => row.components)
      .flatMap((c) => (c.type === ComponentType.StringSelect ? c.options : []))
      .map((option) => ownNumber(option.label)),
  );
  let free = 1;
  return (choice) => {
    let n = choice.kind === "option" ? ownNumber(choice.label) : 0;
    if (n === 0 || choices[n - 1]) {
      while (reserved.has(free) || choices[free - 1]) free++;
      n = free;
    }
    choices[n - 1] = choice;
    return `[${n}]`;
  };
}

// Labels, placeholders and footers are plain text in Discord: shown as they are.
function buttonChoice(button: APIButtonComponent): Choice {
  if (button.style === ButtonStyle.Premium)
    return { kind: "button", label: "(premium)", disabled: true };
  const label = button.label ?? button.emoji?.name ?? "(button)";
  const disabled = button.disabled ?? false;
  if (button.style === ButtonStyle.Link)
    return { kind: "button", label, url: button.url, disabled };
  return { kind: "button", label, customId: button.custom_id, disabled };
}

function selectLines(
  select: APIStringSelectComponent,
  number: (choice: Choice) => string,
): string[] {
  const disabled = select.disabled ?? false;
  const heading = select.placeholder ?? "Choose one:";
  const lines = [disabled ? `${heading} (disabled)` : heading];
  for (const option of select.options) {
    const label = option.label;
    const choice: Choice = {
      kind: "option",
      label,
      customId: select.custom_id,
      value: option.value,
      disabled,
    };
    const description = option.description ? ` — ${option.description}` : "";
    lines.push(`${number(choice)} ${label}${description}`);
  }
  return lines;
}
