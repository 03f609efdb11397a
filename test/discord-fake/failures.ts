/**
 * Failure injection: a test queues a canned response for the next request(s) matching a
 * method and path, to exercise the bot's (and discord.js's) error handling.
 *
 * 429s get the headers @discordjs/rest actually reads — it ignores the JSON `retry_after`
 * and waits for the `Retry-After` header (seconds, fractions allowed), and treats the
 * request as globally limited when `X-RateLimit-Global` is present — so a test only has to
 * give the Discord-style body.
 */

export interface FailureSpec extends RequestMatch {
  /**
   * The status to answer with, or "dropped": the connection is cut instead of answered (a
   * proxy's reset, a killed socket), and discord.js sees a network error, no status at all.
   */
  status: number | "dropped";
  /** Defaults to a Discord-shaped body for the status. */
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests to fail (default 1). */
  times?: number;
  /** How many matching requests to let through first (default 0): the 2nd of a roundup's messages. */
  after?: number;
  /**
   * The request still takes effect (the route runs) and only its answer is replaced: Discord
   * did it, but the bot never heard (a 502 from Discord's edge, a dropped connection).
   */
  processed?: boolean;
}

export interface CannedResponse {
  /** 0 when the connection is cut instead. */
  status: number;
  body: unknown;
  headers: Record<string, string>;
  processed: boolean;
  dropped: boolean;
}

function defaultBody(status: number): unknown {
  switch (status) {
    case 429:
      return { message: "You are being rate limited.", retry_after: 0.01, global: false };
    case 403:
      return { message: "Missing Permissions", code: 50013 };
    case 404:
      return { message: "404: Not Found", code: 0 };
    case 401:
      return { message: "401: Unauthorized", code: 0 };
    default:
      return status >= 500
        ? { message: `${status}: Internal Server Error`, code: 0 }
        : { message: `${status}: Error`, code: 0 };
  }
}

/** Discord's headers for a 429, derived from the body unless the test set them. */
function rateLimitHeaders(body: unknown): Record<string, string> {
  const b = (body ?? {}) as { retry_after?: unknown; global?: unknown };
  const retryAfter = typeof b.retry_after === "number" ? b.retry_after : 0.01;
  const headers: Record<string, string> = {
    "retry-after": String(retryAfter),
    "x-ratelimit-scope": b.global === true ? "global" : "user",
  };
  if (b.global === true) headers["x-ratelimit-global"] = "true";
  return headers;
}

/** Which requests a failure or a hold is for. */
export interface RequestMatch {
  /** HTTP method to match (case-insensitive); any method when omitted. */
  method?: string;
  /** Path below `/api/v10` to match: exact string or regular expression; any when omitted. */
  path?: string | RegExp;
}

function matches(match: RequestMatch, method: string, path: string): boolean {
  return (
    (match.method === undefined || match.method.toUpperCase() === method.toUpperCase()) &&
    (match.path === undefined ||
      (typeof match.path === "string" ? match.path === path : match.path.test(path)))
  );
}

/**
 * Requests held unanswered until the test releases them: a request still on its way when
 * something else happens (the bot told to stop while Discord has not answered its post yet).
 */
export class HoldQueue {
  readonly #pending: { match: RequestMatch; arrived: () => void; released: Promise<void> }[] = [];

  /** Holds the next request matching `match`; `arrived` resolves once it came. */
  add(match: RequestMatch): { arrived: Promise<void>; release(): void } {
    let arrived = () => {};
    let release = () => {};
    const came = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.#pending.push({ match, arrived, released });
    return { arrived: came, release };
  }

  /** Resolves when the request may be answered: at once, unless a hold was waiting for it. */
  async wait(method: string, path: string): Promise<void> {
    const index = this.#pending.findIndex((hold) => matches(hold.match, method, path));
    const hold = this.#pending[index];
    if (!hold) return;
    this.#pending.splice(index, 1);
    hold.arrived();
    await hold.released;
  }

  clear(): void {
    this.#pending.length = 0;
  }
}

export class FailureQueue {
  readonly #pending: (FailureSpec & { remaining: number; passes: number })[] = [];

  add(spec: FailureSpec): void {
    this.#pending.push({ ...spec, remaining: spec.times ?? 1, passes: spec.after ?? 0 });
  }

  get pending(): number {
    return this.#pending.reduce((n, f) => n + f.remaining, 0);
  }

  clear(): void {
    this.#pending.length = 0;
  }

  /** Consumes and returns the first queued failure matching this request, if any. */
  take(method: string, path: string): CannedResponse | null {
    const index = this.#pending.findIndex((f) => matches(f, method, path));
    const spec = this.#pending[index];
    if (!spec) return null;
    if (spec.passes > 0) {
      spec.passes -= 1;
      return null;
    }
    spec.remaining -= 1;
    if (spec.remaining <= 0) this.#pending.splice(index, 1);
    const processed = spec.processed ?? false;
    if (spec.status === "dropped") {
      return { status: 0, body: null, headers: {}, processed, dropped: true };
    }
    const body = spec.body ?? defaultBody(spec.status);
    const headers = {
      ...(spec.status === 429 ? rateLimitHeaders(body) : {}),
      ...Object.fromEntries(
        Object.entries(spec.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
      ),
    };
    return { status: spec.status, body, headers, processed, dropped: false };
  }
}
