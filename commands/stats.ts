import { brandColor } from "../src/bot/render.ts";
import type { Command } from "../src/bot/types.ts";
import { formatBytes } from "../src/text/format.ts";

export const stats: Command = {
  definition: {
    name: "stats",
    description: "What the archive holds: papers, pages, last update, index size",
  },
  run(context) {
    const s = context.app.stats();
    const field = (name: string, value: string) => ({ name, value, inline: true });
    return {
      embeds: [
        {
          title: "Paperboy archive",
          color: brandColor,
          fields: [
            field("Papers", s.papers.toLocaleString("en")),
            field("Daily Papers pages", String(s.pages)),
            field("Sources", String(s.sources)),
            field(
              "Last ingest",
              s.lastIngest ? `<t:${Math.floor(Date.parse(s.lastIngest) / 1000)}:R>` : "never",
            ),
            field("Search index", formatBytes(s.indexBytes)),
            field("Vocabulary", `${s.vocabulary.toLocaleString("en")} words`),
          ],
        },
      ],
    };
  },
};
