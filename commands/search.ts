import { ApplicationCommandOptionType } from "discord.js";
import { emptyArchiveNotice } from "../src/bot/empty-archive.ts";
import { plain } from "../src/bot/limits.ts";
import { wholeNumber } from "../src/bot/options.ts";
import { paperEmbed, paperMenu, resultsPerPage, resultsReply } from "../src/bot/render.ts";
import type { SearchSession } from "../src/bot/sessions.ts";
import type { BotContext, Command, ComponentReply, Reply } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import type { SearchField } from "../src/search/engine.ts";

const maxResults = 25;

export const search: Command = {
  definition: {
    name: "search",
    description: "Fuzzy-search paper titles and abstracts (typos and word order are fine)",
    options: [
      {
        type: ApplicationCommandOptionType.String,
        name: "query",
        description: "Words from the title or abstract, e.g. graph neural networks",
        required: true,
        max_length: 200,
      },
      {
        type: ApplicationCommandOptionType.String,
        name: "in",
        description: "Where to look (default: titles and abstracts)",
        choices: [
          { name: "titles and abstracts", value: "all" },
          { name: "titles", value: "title" },
          { name: "abstracts", value: "abstract" },
        ],
      },
      {
        type: ApplicationCommandOptionType.Integer,
        name: "limit",
        description: `How many results in all (default 10, at most ${maxResults})`,
        min_value: 1,
        max_value: maxResults,
      },
    ],
  },

  async run(context, { user, options }) {
    const query = String(options.query ?? "").trim();
    const field = (options.in ?? "all") as SearchField;
    if (!["all", "title", "abstract"].includes(field)) {
      throw new UserError("`in` must be one of: all, title, abstract.");
    }
    const limit = wholeNumber("limit", options.limit ?? 10, 1, maxResults);
    const named = namedPaper(context, query);
    if (named) return named;
    const result = await context.search.search(query, { limit, field });
    if (result.hits.length === 0) return noResults(context, query, field);
    const session = context.sessions.start({
      userId: user.id,
      query,
      hits: result.hits,
      corrections: result.corrections,
      unmatched: result.unmatched,
    });
    return resultsReply(pageView(session, 0));
  },

  components: {
    page(context, { user, args }): ComponentReply {
      const session = liveSession(context, args[0]);
      if (session.userId !== user.id) {
        throw new UserError(
          "Only the person who searched can turn these pages; run /search yourself.",
        );
      }
      const page = Number(args[1]);
      if (!Number.isInteger(page) || page < 0 || page >= pageCountOf(session))
        throw new UserError("There is no such page.");
      return { update: resultsReply(pageView(session, page)) };
    },
    /**
     * A paper picked from a results menu or a no-result reply's, shown to its picker alone. It
     * needs no search kept in memory: after a restart, a menu still on the message opened
     * nothing ("This search is over"), and a message of an older Paperboy has its search's id
     * after "open:", which is not read.
     */
    open(context, { values }): ComponentReply {
      const paper = context.app.papers.get(Number(values[0]));
      if (!paper) throw new UserError("That paper is no longer in the archive.");
      return {
        reply: {
          embeds: [paperEmbed(paper, context.app.papers.sources(paper.id))],
          ephemeral: true,
        },
      };
    },
  },
};

function liveSession(context: BotContext, id: string | undefined): SearchSession {
  const session = id ? context.sessions.get(id) : undefined;
  // Sessions live in memory: an unknown one expired, or was started before a restart.
  if (!session)
    throw new UserError(
      "This search is over: its buttons work for 10 minutes, for your 10 latest searches, and not after Paperboy restarts. Run /search again.",
    );
  return session;
}

const pageCountOf = (session: SearchSession) => Math.ceil(session.hits.length / resultsPerPage);

function pageView(session: SearchSession, page: number) {
  return {
    sessionId: session.id,
    query: session.query,
    hits: session.hits.slice(page * resultsPerPage, (page + 1) * resultsPerPage),
    page,
    pageCount: pageCountOf(session),
    total: session.hits.length,
    corrections: session.corrections,
    unmatched: session.unmatched,
  };
}

/**
 * A pasted arXiv id or link names one paper, as in /paper, alone or among other words: the
 * first the archive has (see papers.namedIn). Undefined when the query names no paper.
 */
function namedPaper(context: BotContext, query: string) {
  const named = context.app.papers.namedIn(query);
  if (!named) return undefined;
  const { ref, paper } = named;
  if (!paper) {
    throw new UserError(
      `No paper in the archive has the id or link “${plain(ref)}”. /search looks for words of titles and abstracts, like graph neural networks.`,
    );
  }
  return { embeds: [paperEmbed(paper, context.app.papers.sources(paper.id))] };
}

/** What a search in `in` looked through, as a reply says it. */
const searched: Record<SearchField, string> = {
  all: "papers",
  title: "paper titles",
  abstract: "paper abstracts",
};

/**
 * A search that matched nothing, for the searcher alone: in the channel it was a dead end for
 * everyone else. The closest titles come with a menu to open them.
 */
async function noResults(context: BotContext, query: string, field: SearchField): Promise<Reply> {
  const empty = emptyArchiveNotice(context);
  if (empty) return { content: empty, ephemeral: true };
  const closest = await context.search.suggestTitles(query, 3);
  // "No papers match" after `in: titles` sent people away from papers whose abstracts match.
  const shown = `No ${searched[field]} match “${plain(query)}”.`;
  if (closest.length === 0) {
    const wider = field === "all" ? "Try" : "Leave out `in` to search titles and abstracts, or try";
    return { content: `${shown} ${wider} fewer or different words.`, ephemeral: true };
  }
  // The closest titles are often the papers `in` left out (their titles have the words).
  const wider = field === "all" ? "" : " Leave out `in` to search titles and abstracts.";
  return {
    content: `${shown}${wider} Closest titles:\n${closest.map((s) => `• ${plain(s.title)}`).join("\n")}`,
    components: [paperMenu("search:open", closest, (s) => context.app.papers.get(s.id))],
    ephemeral: true,
  };
}
