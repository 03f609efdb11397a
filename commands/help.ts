import { brandColor } from "../src/bot/render.ts";
import type { Command } from "../src/bot/types.ts";

const entries = [
  [
    "/search query: graph mamba",
    "Fuzzy search in titles and abstracts; typos, hyphens, acronyms and word order are fine. Options: `in` (titles/abstracts), `limit`. Page with the buttons, open a result from the menu.",
  ],
  [
    "/paper paper: packet spraying",
    "Open one paper; pick it from the list that appears as you type its title.",
  ],
  ["/stats", "How many papers and pages the archive holds, and when it was last updated."],
  ["/help", "This message."],
] as const;

export const help: Command = {
  definition: { name: "help", description: "What Paperboy's commands do, with examples" },
  run() {
    return {
      ephemeral: true,
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
