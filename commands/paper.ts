import { ApplicationCommandOptionType } from "discord.js";
import { emptyArchiveNotice } from "../src/bot/empty-archive.ts";
import { limits, plain } from "../src/bot/limits.ts";
import { paperEmbed } from "../src/bot/render.ts";
import { titlesApart } from "../src/bot/titles-apart.ts";
import type { BotContext, Command } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { isArxivIdOrLink, type Paper, paperRef, paperRefId } from "../src/store/papers.ts";
import { withoutQuoteMarks } from "../src/text/quotes.ts";

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
    const paper = await paperNamedBy(context, value);
    return { embeds: [paperEmbed(paper, context.app.papers.sources(paper.id))] };
  },

  async autocomplete(context, { value }) {
    const typed = value.trim();
    // Nothing typed yet: offer the newest and most upvoted papers.
    if (!typed) return choices(context, context.recentPapers(limits.choices));
    // A pasted link or id offers its paper; a link's words are no title ("pdf", "www").
    const link = idOrLink(typed);
    if (link) {
      const named = context.app.papers.lookup(link);
      return choices(context, named ? [named] : []);
    }
    return choices(context, await context.search.suggestTitles(typed, limits.choices, pickable));
  },
};

/**
 * The arXiv id or link `text` is, in quotes or not: quote marks are no part of one, and text
 * keeps them, in Discord and the console, for a title's words.
 */
function idOrLink(text: string): string | undefined {
  const bare = withoutQuoteMarks(text).trim();
  return isArxivIdOrLink(bare) ? bare : undefined;
}

/** A paper is picked by words of its title, or of its abstract when no title has them. */
const pickable = { orAbstracts: true };

/** The paper picked from the list, the one an arXiv id or link names, or the best match of words typed. */
async function paperNamedBy(context: BotContext, value: string): Promise<Paper> {
  const picked = paperRefId(value);
  if (picked) {
    const paper = context.app.papers.get(Number(picked));
    // Picked from the list and removed since, or typed (as noTitleMatches says to) with a slip.
    if (!paper) {
      throw new UserError(
        `No paper has Paperboy id ${picked}: it was removed from the archive, or never was in it. Pick one from the list as you type, or try /search.`,
      );
    }
    return paper;
  }
  const afterId = /^id:\s*(.*)$/i.exec(value)?.[1];
  if (afterId !== undefined) {
    // An arXiv id after it ("id:2401.00001") names its paper as well without it.
    if (idOrLink(afterId)) return paperNamedBy(context, afterId);
    // No number after it (or "id:abc") meant an id all the same: read as words, it opened the
    // best paper for "id" or "abc", one the member never asked for.
    throw new UserError(
      `After \`id:\` comes a Paperboy id, a number (\`id:53\`): it is under each paper /paper opens. Pick one from the list as you type its title, or try /search.`,
    );
  }
  const link = idOrLink(value);
  if (link) {
    const paper = context.app.papers.lookup(link);
    if (!paper) {
      throw new UserError(
        `No paper in the archive has the id or link “${plain(link)}”. Pick one from the list as you type its title, or try /search.`,
      );
    }
    return paper;
  }
  // Someone who pressed enter on words of a title gets the list's first choice.
  const best = (await context.search.suggestTitles(value, 1, pickable))[0];
  const paper = best && context.app.papers.get(best.id);
  if (!paper) throw new UserError(noTitleMatches(context, value));
  return paper;
}

/**
 * Why words typed opened nothing, and what to do. A number alone may be the Paperboy id under
 * a paper (its footer): read as words of a title, "No paper matches “53”" left the member who
 * copied it from there no way to that paper.
 */
function noTitleMatches(context: BotContext, value: string): string {
  const empty = emptyArchiveNotice(context);
  if (empty) return empty;
  const numbered = /^\d+$/.test(value) ? context.app.papers.get(Number(value)) : undefined;
  if (numbered) {
    return `No title has “${value}”: a number typed is read as words of a title. Paperboy id ${numbered.id} is “${plain(numbered.title)}”: send \`${paperRef(numbered.id)}\` to open it.`;
  }
  return `No paper matches “${plain(value)}”. Pick one from the list as you type, or try /search.`;
}

/** Each paper's title as a choice, those that read alike told apart (see titlesApart). */
function choices(context: BotContext, papers: readonly { id: number; title: string }[]) {
  const names = titlesApart(papers, limits.choiceName, (p) => context.app.papers.get(p.id));
  return papers.map((p, i) => ({ name: names[i] as string, value: paperRef(p.id) }));
}
