/**
 * The HTTP side: one node:http server on 127.0.0.1 that parses each REST request, applies
 * injected failures, authenticates, dispatches to the route table and records the exchange.
 * WebSocket upgrades are handed to the gateway, so REST and gateway share one port.
 *
 * @discordjs/rest builds URLs as `${rest.api}/v${version}${route}`, so with
 * `rest.api = ${url}/api` a request arrives as `/api/v10/users/@me`; the version prefix is
 * stripped before routing and kept in the record.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { Errors } from "./errors.ts";
import type { FailureQueue, HoldQueue } from "./failures.ts";
import type { UploadedFile } from "./payloads.ts";
import type { RecordedRequest, Recorder } from "./recorder.ts";

export interface RouteRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  files: UploadedFile[];
}

export interface RouteResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  /** Express-style pattern, e.g. `/channels/:channel/messages`. */
  pattern: string;
  /** Whether Discord requires the bot token (interaction/webhook routes use the URL token). */
  auth: boolean;
  handle(req: RouteRequest): RouteResponse;
}

export interface HttpDeps {
  routes: Route[];
  recorder: Recorder;
  failures: FailureQueue;
  holds: HoldQueue;
  /** Decides whether an `Authorization` header value is acceptable. */
  authorize(header: string | undefined): boolean;
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  keys: string[];
}

function compile(route: Route): CompiledRoute {
  const keys: string[] = [];
  const source = route.pattern
    .split("/")
    .map((segment) => {
      if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      keys.push(segment.slice(1));
      return "([^/]+)";
    })
    .join("/");
  return { ...route, regex: new RegExp(`^${source}$`), keys };
}

function redactHeaders(raw: IncomingMessage["headers"]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  if (headers.authorization) {
    // Keep the scheme ("Bot") so tests can still see how the request authenticated.
    const [scheme] = headers.authorization.split(" ");
    headers.authorization = `${scheme} [redacted]`;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses JSON and multipart bodies the way discord.js sends them (files + `payload_json`). */
async function parseBody(
  raw: Buffer,
  contentType: string,
): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: null, files: [] };
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Request("http://fake.invalid/", {
      method: "POST",
      headers: { "content-type": contentType },
      body: raw,
    }).formData();
    const files: UploadedFile[] = [];
    const fields: Record<string, string> = {};
    let body: unknown = null;
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") body = JSON.parse(value);
        else fields[field] = value;
      } else {
        files.push({ field, name: value.name, contentType: value.type, size: value.size });
      }
    }
    return { body: body ?? fields, files };
  }
  const text = raw.toString("utf8");
  if (contentType.startsWith("application/json")) return { body: JSON.parse(text), files: [] };
  return { body: text, files: [] };
}

function send(res: ServerResponse, response: RouteResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  if (response.status === 204 || response.body === undefined) {
    res.writeHead(response.status, headers).end();
    return;
  }
  // @discordjs/rest only parses JSON when the Content-Type says so; otherwise the bot gets
  // an ArrayBuffer back.
  headers["content-type"] = "application/json";
  res.writeHead(response.status, headers).end(JSON.stringify(response.body));
}

export class HttpServer {
  readonly #server: Server;
  readonly #routes: CompiledRoute[];

  private constructor(
    private readonly deps: HttpDeps,
    server: Server,
  ) {
    this.#server = server;
    this.#routes = deps.routes.map(compile);
  }

  static async listen(deps: HttpDeps): Promise<HttpServer> {
    const server = createServer();
    const http = new HttpServer(deps, server);
    server.on("request", (req, res) => {
      http.#handle(req, res).catch((error: unknown) => {
        // A bug in the fake must surface loudly, not as a hang in discord.js.
        console.error("FakeDiscord: unhandled error while serving", req.method, req.url, error);
        if (!res.headersSent) send(res, { status: 500, body: { message: String(error), code: 0 } });
      });
    });
    server.on("upgrade", (req, socket, head) => deps.onUpgrade(req, socket, head));
    // Never any other address: the fake must not be reachable from the network.
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    return http;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    // undici keeps connections alive; without closing them server.close() would wait.
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const seq = this.deps.recorder.nextSeq();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const versioned = /^\/api(?:\/v(\d+))?(\/.*)$/.exec(url.pathname);
    const path = versioned?.[2] ?? url.pathname;
    const { body, files } = await parseBody(await readBody(req), req.headers["content-type"] ?? "");
    const query = Object.fromEntries(url.searchParams);
    await this.deps.holds.wait(method, path);

    let route: string | null = null;
    let response: RouteResponse;
    const failure = this.deps.failures.take(method, path);
    if (failure && !failure.processed) {
      response = failure;
    } else if (!versioned) {
      response = Errors.notFound();
    } else {
      const matches = this.#routes
        .map((r) => ({ r, m: r.regex.exec(path) }))
        .filter((x): x is { r: CompiledRoute; m: RegExpExecArray } => x.m !== null);
      const match = matches.find((x) => x.r.method === method);
      if (!match) {
        response = matches.length > 0 ? Errors.methodNotAllowed() : Errors.notFound();
      } else if (match.r.auth && !this.deps.authorize(req.headers.authorization)) {
        route = match.r.pattern;
        response = Errors.unauthorized();
      } else {
        route = match.r.pattern;
        const params = Object.fromEntries(
          match.r.keys.map((k, i) => [k, decodeURIComponent(match.m[i + 1] ?? "")]),
        );
        response = match.r.handle({ method, path, params, query, body, files });
      }
    }
    // A `processed` failure let the route act above; the bot only gets the failure.
    const injected = failure !== null;
    if (failure) response = failure;

    const record: RecordedRequest = {
      seq,
      method,
      path,
      version: versioned?.[1] ? Number(versioned[1]) : null,
      query,
      headers: redactHeaders(req.headers),
      body,
      files,
      status: response.status,
      responseBody: response.body ?? null,
      route,
      injected,
    };
    if (failure?.dropped) req.socket.destroy();
    else send(res, response);
    this.deps.recorder.record("request", { request: record }, seq);
  }
}
