import { brandColor } from "../src/bot/render.ts";
import type { Command } from "../src/bot/types.ts";

const entries = [
  [
    "/search query: graph mamba",
    "Fuzzy search in titles and abstracts; typos, hyphens, acronyms and word order are fine, and a word in quotes is kept as typed. Options: `in` (titles/abstracts), `limit`. Page with the buttons, open a result from the menu.",
  ],
  [
    "/paper paper: packet spraying",
    "Open one paper; pick it from the list that appears as you type its title, or paste its arXiv id or link.",
  ],
  ["/stats", "How many papers and pages the archive holds, and when it was last updated."],
  ["/help", "This message."],
  [
    "/subscribe channel: #papers topics: graph neural networks, diffusion time: 08:30 timezone: Europe/Paris",
    "Admins (Manage Server): a daily roundup of new papers on those topics in that channel, at its local time. Options: `days` (every day/weekdays), `max` papers (≤ 25), `post_empty`. Run it again to change settings; topics given replace the channel's.",
  ],
  [
    "/topics add|remove|list channel: #papers topic: LLM agents",
    'Admins: change what a roundup follows (≤ 25 topics of ≤ 100 characters). A word in quotes is kept as typed, not read as a typo: `"surgical" robotics`.',
  ],
  [
    "/roundup preview|now channel: #papers",
    "Admins: see what the next roundup holds and why, or post it now (it counts as today's).",
  ],
  [
    "/subscriptions",
    "Admins: every roundup in this server, with its next run, last delivery and status.",
  ],
  ["/unsubscribe channel: #papers", "Admins: stop a channel's roundup."],
] as const;

export const help: Command = {
  ephemeral: true,
  definition: { name: "help", description: "What Paperboy's commands do, with examples" },
  run() {
    return {
      embeds: [
        {
          title: "Paperboy: research papers, searchable",
          color: brandColor,
          fields: entries.map(([name, value]) => ({ name, value })),
        },
      ],
    };
  },
};
