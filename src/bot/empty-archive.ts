import type { BotContext } from "./types.ts";

/**
 * What a search or /paper that found nothing says when the archive has no papers at all: "No
 * papers match … Try fewer or different words" sent members after other words, and the
 * operator of a bot pointed at the wrong archive folder had only /stats to tell them why.
 */
export function emptyArchiveNotice(context: BotContext): string | undefined {
  if (context.app.papers.recent(1).length > 0) return undefined;
  return "The archive has no papers yet: whoever runs Paperboy adds them (the files of its archive folder, PAPERBOY_ARCHIVE, are loaded at start and every 10 minutes).";
}
