import type { Logger } from "pino";
import type { Paperboy } from "../paperboy.ts";
import { createOutbox } from "../roundup/outbox.ts";
import { createRoundupRunner, type RoundupPort } from "../roundup/runner.ts";
import { createSubscriptionStore } from "../roundup/subscriptions.ts";
import type { Searcher } from "../search/pool.ts";
import { renderRoundup } from "./roundup-view.ts";

/**
 * Roundups wired for the bot: the core (subscriptions, selection, outbox,
 * runner) with the bot's rendering, delivering through `port` (Discord or console).
 * `searcher` chooses the papers of previews and roundups, off the event loop when it has
 * threads; without one (the CLI's dry run), they are chosen here, a roundup's inside the
 * transaction that plans it.
 */
export function createRoundups(
  app: Paperboy,
  port: RoundupPort,
  log: Logger,
  searcher?: Pick<Searcher, "selectRoundupPapers">,
) {
  const subscriptions = createSubscriptionStore(app.db);
  const outbox = createOutbox(app.db);
  const runner = createRoundupRunner({
    subscriptions,
    outbox,
    select: (subscription, window) =>
      app.selectRoundupPapers(subscription, window, outbox.postedTo(subscription.channelId)),
    ...(searcher && {
      selectAside: (subscription, window) =>
        searcher.selectRoundupPapers(subscription, window, outbox.postedTo(subscription.channelId)),
      databaseVersion: databaseVersion(app),
    }),
    render: (draft) => renderRoundup(draft, app.papers.get),
    port,
    log,
    transaction: (work) => app.db.transaction(work).immediate(),
  });
  return { subscriptions, outbox, runner, port };
}

export type Roundups = ReturnType<typeof createRoundups>;

/**
 * Changes with every commit by another connection (data_version: an ingest, another process)
 * and every write by this one (total_changes: a roundup planned or sent, a /subscribe).
 */
function databaseVersion(app: Paperboy): () => string {
  const dataVersion = app.db.prepare("PRAGMA data_version").pluck();
  const ownChanges = app.db.prepare("SELECT total_changes()").pluck();
  return () => `${dataVersion.get()}:${ownChanges.get()}`;
}
