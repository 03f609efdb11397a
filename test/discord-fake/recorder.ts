/**
 * Everything the bot did against the fake, in order, plus promise-based waiting on it.
 *
 * Waiting is event driven: a waiter first scans what already happened (the bot may have
 * answered before the test started waiting) and then listens for new records, failing with
 * a descriptive error after a timeout. Nothing here sleeps or polls.
 */
import { EventEmitter } from "node:events";
import type { APIApplicationCommand, APIMessage } from "discord.js";
import type { UploadedFile } from "./payloads.ts";

export interface RecordedRequest {
  /** Position in the overall event log. */
  seq: number;
  method: string;
  /** Path below the API version, e.g. `/interactions/123/abc/callback`. */
  path: string;
  /** API version from the URL (`10` for `/api/v10/...`), or null if the URL had none. */
  version: number | null;
  query: Record<string, string>;
  /** Lower-cased header names; the token in `authorization` is replaced by `[redacted]`. */
  headers: Record<string, string>;
  /** Parsed JSON body (or `payload_json` of a multipart body), else the raw text, else null. */
  body: unknown;
  files: UploadedFile[];
  /** 0 when the fake cut the connection instead of answering (`failNext` "dropped"). */
  status: number;
  responseBody: unknown;
  /** The route pattern that handled it, or null when the fake does not know the route. */
  route: string | null;
  /** True when the response came from `failNext`. */
  injected: boolean;
}

export interface RecordedCallback {
  interactionId: string;
  token: string;
  type: number;
  data: Record<string, unknown> | undefined;
  withResponse: boolean;
}

export interface RecordedWebhookEdit {
  interactionId: string | null;
  token: string;
  /** `@original` or a message id, as in the URL. */
  messageId: string;
  body: Record<string, unknown>;
  files: UploadedFile[];
  message: APIMessage;
}

export interface RecordedWebhookDelete {
  interactionId: string | null;
  token: string;
  messageId: string;
}

export interface RecordedFollowUp {
  interactionId: string | null;
  token: string;
  body: Record<string, unknown>;
  files: UploadedFile[];
  message: APIMessage;
}

export interface RecordedChannelMessage {
  channelId: string;
  body: Record<string, unknown>;
  files: UploadedFile[];
  message: APIMessage;
}

export interface RecordedCommandWrite {
  /** `null` for global commands, else the guild id. */
  guildId: string | null;
  method: string;
  commands: APIApplicationCommand[];
}

export interface RecordedGatewayPayload {
  direction: "in" | "out";
  op: number;
  t: string | null;
  /** For IDENTIFY/RESUME the token is replaced by `[redacted]`. */
  d: unknown;
}

export type FakeEvent =
  | { kind: "request"; seq: number; request: RecordedRequest }
  | { kind: "callback"; seq: number; callback: RecordedCallback }
  | { kind: "webhookEdit"; seq: number; edit: RecordedWebhookEdit }
  | { kind: "webhookDelete"; seq: number; deletion: RecordedWebhookDelete }
  | { kind: "followUp"; seq: number; followUp: RecordedFollowUp }
  | { kind: "channelMessage"; seq: number; message: RecordedChannelMessage }
  | { kind: "commands"; seq: number; write: RecordedCommandWrite }
  | { kind: "gateway"; seq: number; payload: RecordedGatewayPayload };

type Payload<K extends FakeEvent["kind"]> = Omit<Extract<FakeEvent, { kind: K }>, "kind" | "seq">;

export interface WaitOptions {
  /** Defaults to 5000 ms. */
  timeoutMs?: number;
  /** Used in the timeout error message. */
  description?: string;
  /** Also match events recorded before the call (default true). */
  includePast?: boolean;
}

const DEFAULT_WAIT_MS = 5_000;

export class Recorder {
  readonly events: FakeEvent[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly callbacks: RecordedCallback[] = [];
  readonly webhookEdits: RecordedWebhookEdit[] = [];
  readonly webhookDeletes: RecordedWebhookDelete[] = [];
  readonly followUps: RecordedFollowUp[] = [];
  readonly channelMessages: RecordedChannelMessage[] = [];
  readonly commandWrites: RecordedCommandWrite[] = [];
  readonly gateway: RecordedGatewayPayload[] = [];
  readonly #emitter = new EventEmitter();
  #seq = 0;

  constructor() {
    // Many concurrent waiters are normal in tests; the default warning at 10 would be noise.
    this.#emitter.setMaxListeners(0);
  }

  /** Reserves the next sequence number (requests take theirs before they are answered). */
  nextSeq(): number {
    this.#seq += 1;
    return this.#seq;
  }

  record<K extends FakeEvent["kind"]>(kind: K, payload: Payload<K>, seq = this.nextSeq()): void {
    const event = { kind, seq, ...payload } as unknown as FakeEvent;
    this.events.push(event);
    switch (event.kind) {
      case "request":
        this.requests.push(event.request);
        break;
      case "callback":
        this.callbacks.push(event.callback);
        break;
      case "webhookEdit":
        this.webhookEdits.push(event.edit);
        break;
      case "webhookDelete":
        this.webhookDeletes.push(event.deletion);
        break;
      case "followUp":
        this.followUps.push(event.followUp);
        break;
      case "channelMessage":
        this.channelMessages.push(event.message);
        break;
      case "commands":
        this.commandWrites.push(event.write);
        break;
      case "gateway":
        this.gateway.push(event.payload);
        break;
    }
    this.#emitter.emit("event", event);
  }

  /** Forgets everything recorded so far (waiters keep waiting for new events). */
  clear(): void {
    for (const list of [
      this.events,
      this.requests,
      this.callbacks,
      this.webhookEdits,
      this.webhookDeletes,
      this.followUps,
      this.channelMessages,
      this.commandWrites,
      this.gateway,
    ]) {
      list.length = 0;
    }
  }

  waitFor<E extends FakeEvent>(
    predicate: (e: FakeEvent) => e is E,
    options?: WaitOptions,
  ): Promise<E>;
  waitFor(predicate: (e: FakeEvent) => boolean, options?: WaitOptions): Promise<FakeEvent>;
  waitFor(predicate: (e: FakeEvent) => boolean, options: WaitOptions = {}): Promise<FakeEvent> {
    if (options.includePast !== false) {
      const past = this.events.find(predicate);
      if (past) return Promise.resolve(past);
    }
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    return new Promise((resolve, reject) => {
      const onEvent = (event: FakeEvent) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        this.#emitter.off("event", onEvent);
        resolve(event);
      };
      // Captured here so the stack points at the test that waited, not at a timer.
      const error = new Error(
        `FakeDiscord: timed out after ${timeoutMs}ms waiting for ${options.description ?? "a matching event"}`,
      );
      const timer = setTimeout(() => {
        this.#emitter.off("event", onEvent);
        error.message += `\nRecent requests:\n${this.describeRecentRequests()}`;
        reject(error);
      }, timeoutMs);
      this.#emitter.on("event", onEvent);
    });
  }

  describeRecentRequests(limit = 10): string {
    const recent = this.requests.slice(-limit);
    if (recent.length === 0) return "  (none)";
    return recent
      .map(
        (r) =>
          `  ${r.method} ${r.path} -> ${r.status}${r.injected ? " (injected)" : ""}${r.route ? "" : " (unknown route)"}`,
      )
      .join("\n");
  }
}
