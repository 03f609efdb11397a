import { ApplicationCommandOptionType } from "discord.js";
import { limits, plain } from "../src/bot/limits.ts";
import { paperEmbed } from "../src/bot/render.ts";
import type { Command } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { isArxivIdOrLink, isPaperReference } from "../src/store/papers.ts";
import { truncate } from "../src/text/format.ts";

export const paper: Command = {
  definition: {
    name: "paper",
    description: "Open one paper: abstract, authors, date, upvotes and links",
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: "paper",
        description:
          "Start typing its title and pick it from the list (or paste its arXiv id or link)",
        required: true,
        autocomplete: true,
        max_length: 300,
      },
    ],
  },

  async run(context, { options }) {
    const value = String(options.paper ?? "").trim();
    if (!value) throw new UserError("Type part of a paper's title and pick it from the list.");
    // Autocomplete sends the paper id; an arXiv id or link names a paper too; someone who
    // pressed enter on words of a title gets the best match.
    const named = context.app.papers.lookup(value);
    if (!named && isPaperReference(value)) {
      throw new UserError(
        `No paper in the archive has the id or link “${plain(value)}”. Pick one from the list as you type its title, or try /search.`,
      );
    }
    const best = named ? undefined : (await context.search.suggestTitles(value, 1))[0];
    const paper = named ?? (best && context.app.papers.get(best.id));
    if (!paper) {
      throw new UserError(
        `No paper matches “${plain(value)}”. Pick one from the list as you type, or try /search.`,
      );
    }
    return { embeds: [paperEmbed(paper, context.app.papers.sources(paper.id))] };
  },

  async autocomplete(context, { value }) {
    const typed = value.trim();
    // Nothing typed yet: offer the newest and most upvoted papers.
    if (!typed) return choices(context.recentPapers(limits.choices));
    // A pasted link or id offers its paper; a link's words are no title ("pdf", "www").
    const named = context.app.papers.lookup(typed);
    const titled = isArxivIdOrLink(typed)
      ? []
      : await context.search.suggestTitles(typed, limits.choices);
    const papers = named ? [named, ...titled.filter((p) => p.id !== named.id)] : titled;
    return choices(papers.slice(0, limits.choices));
  },
};

function choices(papers: readonly { id: number; title: string }[]) {
  return papers.map((p) => ({ name: truncate(p.title, limits.choiceName), value: String(p.id) }));
}
