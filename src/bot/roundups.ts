import type { Logger } from "pino";
import type { Paperboy } from "../paperboy.ts";
import { createOutbox } from "../roundup/outbox.ts";
import { createRoundupRunner, type RoundupPort } from "../roundup/runner.ts";
import { createSubscriptionStore } from "../roundup/subscriptions.ts";
import { inProcessSearcher, type Searcher } from "../search/pool.ts";
import { renderRoundup } from "./roundup-view.ts";

/**
 * Roundups wired for the bot: the core (subscriptions, selection, outbox,
 * runner) with the bot's rendering, delivering through `port` (Discord or console).
 * `searcher` chooses the papers of previews, off the event loop when it has threads.
 */
export function createRoundups(
  app: Paperboy,
  port: RoundupPort,
  log: Logger,
  searcher: Pick<Searcher, "selectRoundupPapers"> = inProcessSearcher(app),
) {
  const subscriptions = createSubscriptionStore(app.db);
  const outbox = createOutbox(app.db);
  const runner = createRoundupRunner({
    subscriptions,
    outbox,
    select: (subscription, window) =>
      app.selectRoundupPapers(subscription, window, outbox.postedTo(subscription.channelId)),
    selectAside: (subscription, window) =>
      searcher.selectRoundupPapers(subscription, window, outbox.postedTo(subscription.channelId)),
    render: (draft) => renderRoundup(draft, app.papers.get),
    port,
    log,
    transaction: (work) => app.db.transaction(work).immediate(),
  });
  return { subscriptions, outbox, runner, port };
}

export type Roundups = ReturnType<typeof createRoundups>;
