import type { Logger } from "pino";
import type { Paperboy } from "../paperboy.ts";
import { createOutbox } from "../roundup/outbox.ts";
import { createRoundupRunner, type RoundupPort } from "../roundup/runner.ts";
import type { RoundupWindow } from "../roundup/select.ts";
import { createSubscriptionStore, type Subscription } from "../roundup/subscriptions.ts";
import type { Searcher } from "../search/pool.ts";
import { databaseVersion } from "../store/db.ts";
import { renderRoundup } from "./roundup-view.ts";

/**
 * Roundups wired for the bot: the core (subscriptions, selection, outbox,
 * runner) with the bot's rendering, delivering through `port` (Discord or console).
 * `searcher` chooses the papers of previews and roundups, off the event loop when it has
 * threads; without one (the CLI's dry run), they are chosen here, a roundup's inside the
 * transaction that plans it. `writable`: what the runner's writes wait for (see
 * BotContext.writable); none, they wait for nothing.
 */
export function createRoundups(
  app: Paperboy,
  port: RoundupPort,
  log: Logger,
  searcher?: Pick<Searcher, "selectRoundupPapers">,
  writable?: () => Promise<void>,
) {
  const subscriptions = createSubscriptionStore(app.db);
  const outbox = createOutbox(app.db);
  /** The arguments of a selection, here or aside: with the papers the channel is done with. */
  const selection = (subscription: Subscription, window: RoundupWindow) =>
    [subscription, window, outbox.doneWith(subscription.channelId, window.start)] as const;
  const runner = createRoundupRunner({
    subscriptions,
    outbox,
    select: (subscription, window) => app.selectRoundupPapers(...selection(subscription, window)),
    ...(searcher && {
      selectAside: (subscription, window) =>
        searcher.selectRoundupPapers(...selection(subscription, window)),
      databaseVersion: databaseVersion(app.db),
    }),
    render: (draft) => renderRoundup(draft, app.papers.get),
    port,
    log,
    transaction: (work) => app.db.transaction(work).immediate(),
    writable,
  });
  return { subscriptions, outbox, runner, port };
}

export type Roundups = ReturnType<typeof createRoundups>;
