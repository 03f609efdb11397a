/**
 * The gateway WebSocket, speaking the JSON (uncompressed) encoding @discordjs/ws uses when
 * zlib-sync is not installed: HELLO on connect, READY + GUILD_CREATEs after IDENTIFY,
 * heartbeat ACKs, RESUME with replay of missed dispatches, and GUILD_MEMBERS_CHUNK answers.
 *
 * Sessions outlive sockets so a RESUME (after the fake sends op 7 RECONNECT, say) can pick
 * up where the client left off, as on Discord.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import {
  GatewayCloseCodes,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GatewayOpcodes,
} from "discord.js";
import { type WebSocket, WebSocketServer } from "ws";
import { guildCreatePayload, guildsWithBot, readyPayload } from "./payloads.ts";
import type { Recorder } from "./recorder.ts";
import { sessionId } from "./snowflake.ts";
import { findGuild, type World } from "./world.ts";

const PRIVILEGED_INTENTS =
  GatewayIntentBits.GuildMembers |
  GatewayIntentBits.GuildPresences |
  GatewayIntentBits.MessageContent;

export interface GatewayDeps {
  world: World;
  recorder: Recorder;
  /** When set, IDENTIFY/RESUME must carry exactly this token (else close 4004). */
  token: string | undefined;
  heartbeatIntervalMs: number;
  /** Privileged intents the application is approved for (else close 4014). */
  privilegedIntents: number;
  gatewayUrl(): string;
}

interface Session {
  id: string;
  seq: number;
  /** Every dispatch sent on this session, for replay on RESUME. */
  log: { s: number; t: string; d: unknown }[];
  socket: WebSocket | null;
}

interface GatewayPayload {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

export class FakeGateway {
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Map<string, Session>();
  readonly #sockets = new Set<WebSocket>();
  /** Most recently identified/resumed session: where injected events go. */
  #active: Session | null = null;

  constructor(private readonly deps: GatewayDeps) {}

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#sockets.add(ws);
      ws.on("close", () => this.#sockets.delete(ws));
      // Discord refuses unsupported versions/encodings with these close codes.
      if (url.searchParams.get("v") !== "10") {
        ws.close(GatewayCloseCodes.InvalidAPIVersion, "Invalid API version");
        return;
      }
      if (
        (url.searchParams.get("encoding") ?? "json") !== "json" ||
        url.searchParams.has("compress")
      ) {
        // Only the JSON, uncompressed transport is modelled.
        ws.close(
          GatewayCloseCodes.DecodeError,
          "FakeDiscord supports encoding=json without compress",
        );
        return;
      }
      this.#attach(ws);
    });
  }

  get connected(): boolean {
    return this.#active?.socket != null;
  }

  /**
   * Sends a dispatch (op 0) on the active session. While the client is between sockets
   * (reconnecting to resume) the event is kept and replayed on RESUME, as on Discord.
   * Throws when no session is alive at all.
   */
  dispatch(t: string, d: unknown): void {
    const session = this.#active;
    if (!session) {
      throw new Error(
        "FakeDiscord: no bot session on the gateway (await client.login() and the clientReady event first)",
      );
    }
    this.#dispatchTo(session, t, d);
  }

  /** Asks the connected client to reconnect and resume (op 7), as Discord does on deploys. */
  requestReconnect(): void {
    const socket = this.#active?.socket;
    if (!socket) throw new Error("FakeDiscord: no bot is connected to the gateway");
    this.#send(socket, { op: GatewayOpcodes.Reconnect, d: null, s: null, t: null });
  }

  /**
   * The bot's token was reset: from now on IDENTIFY and RESUME must carry `token`, and the
   * bot's connection drops, so discord.js tries the old token again at once.
   */
  resetToken(token: string): void {
    this.deps.token = token;
    this.#active?.socket?.terminate();
  }

  async close(): Promise<void> {
    this.#sessions.clear();
    this.#active = null;
    for (const socket of this.#sockets) socket.terminate();
    this.#sockets.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  #attach(ws: WebSocket): void {
    let session: Session | null = null;
    ws.on("message", (raw, isBinary) => {
      let payload: GatewayPayload;
      try {
        payload = JSON.parse(isBinary ? "" : raw.toString()) as GatewayPayload;
      } catch {
        ws.close(GatewayCloseCodes.DecodeError, "Error while decoding payload.");
        return;
      }
      this.#recordIn(payload);
      session = this.#onPayload(ws, session, payload);
    });
    ws.on("close", (code) => {
      if (session?.socket !== ws) return;
      session.socket = null;
      // A normal closure (1000/1001) ends the session on Discord: it can no longer be
      // resumed. discord.js closes with 4200 when it intends to resume.
      if (code === 1000 || code === 1001) this.#endSession(session);
    });
    this.#send(ws, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.deps.heartbeatIntervalMs },
      s: null,
      t: null,
    });
  }

  /** Handles one client payload; returns the socket's session afterwards. */
  #onPayload(ws: WebSocket, session: Session | null, payload: GatewayPayload): Session | null {
    const d = (payload.d ?? {}) as Record<string, unknown>;
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.#send(ws, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return session;
      case GatewayOpcodes.Identify:
        if (session) {
          ws.close(
            GatewayCloseCodes.AlreadyAuthenticated,
            "You sent more than one identify payload.",
          );
          return session;
        }
        return this.#identify(ws, d);
      case GatewayOpcodes.Resume:
        return this.#resume(ws, d);
    }
    if (!session) {
      ws.close(GatewayCloseCodes.NotAuthenticated, "You sent a payload prior to identifying.");
      return null;
    }
    switch (payload.op) {
      case GatewayOpcodes.RequestGuildMembers:
        this.#membersChunk(session, d);
        return session;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestSoundboardSounds:
        // Accepted and recorded; the fake keeps no presence or voice state.
        return session;
      default:
        ws.close(GatewayCloseCodes.UnknownOpcode, "Unknown opcode.");
        return session;
    }
  }

  #identify(ws: WebSocket, d: Record<string, unknown>): Session | null {
    if (this.deps.token !== undefined && d.token !== this.deps.token) {
      ws.close(GatewayCloseCodes.AuthenticationFailed, "Authentication failed.");
      return null;
    }
    const intents = Number(d.intents ?? 0);
    if (intents & PRIVILEGED_INTENTS & ~this.deps.privilegedIntents) {
      ws.close(GatewayCloseCodes.DisallowedIntents, "Disallowed intent(s).");
      return null;
    }
    const session: Session = { id: sessionId(), seq: 0, log: [], socket: ws };
    this.#sessions.set(session.id, session);
    this.#active = session;
    const { world } = this.deps;
    this.#dispatchTo(
      session,
      GatewayDispatchEvents.Ready,
      readyPayload(world, session.id, this.deps.gatewayUrl()),
    );
    // Discord streams GUILD_CREATEs after READY as guilds load; a separate turn of the event
    // loop keeps them in separate socket writes, as they would be on the real gateway.
    setImmediate(() => {
      if (session.socket !== ws) return;
      for (const guild of guildsWithBot(world)) {
        this.#dispatchTo(session, GatewayDispatchEvents.GuildCreate, guildCreatePayload(guild));
      }
    });
    return session;
  }

  #resume(ws: WebSocket, d: Record<string, unknown>): Session | null {
    const session = this.#sessions.get(String(d.session_id));
    const tokenOk = this.deps.token === undefined || d.token === this.deps.token;
    if (!session || !tokenOk) {
      // d: false — not resumable; discord.js then reconnects and identifies afresh.
      this.#send(ws, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return null;
    }
    if (session.socket && session.socket !== ws) session.socket.terminate();
    session.socket = ws;
    this.#active = session;
    const since = Number(d.seq ?? 0);
    for (const entry of session.log) {
      if (entry.s > since) this.#send(ws, { op: GatewayOpcodes.Dispatch, ...entry });
    }
    this.#dispatchTo(session, GatewayDispatchEvents.Resumed, {});
    return session;
  }

  #membersChunk(session: Session, d: Record<string, unknown>): void {
    const guild = findGuild(this.deps.world, String(d.guild_id));
    if (!guild) return;
    const userIds = Array.isArray(d.user_ids)
      ? d.user_ids.map(String)
      : typeof d.user_ids === "string"
        ? [d.user_ids]
        : null;
    const query = typeof d.query === "string" ? d.query.toLowerCase() : "";
    const limit = Number(d.limit ?? 0) || Number.POSITIVE_INFINITY;
    const members = guild.members
      .filter((m) =>
        userIds ? userIds.includes(m.user.id) : m.user.username.toLowerCase().startsWith(query),
      )
      .slice(0, limit);
    const notFound = userIds ? userIds.filter((id) => !members.some((m) => m.user.id === id)) : [];
    this.#dispatchTo(session, GatewayDispatchEvents.GuildMembersChunk, {
      guild_id: guild.id,
      members,
      chunk_index: 0,
      chunk_count: 1,
      ...(notFound.length > 0 ? { not_found: notFound } : {}),
      ...(d.nonce !== undefined ? { nonce: d.nonce } : {}),
    });
  }

  #endSession(session: Session): void {
    this.#sessions.delete(session.id);
    if (this.#active === session) this.#active = null;
  }

  #dispatchTo(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const entry = { s: session.seq, t, d };
    session.log.push(entry);
    if (session.socket) this.#send(session.socket, { op: GatewayOpcodes.Dispatch, ...entry });
  }

  #send(ws: WebSocket, payload: GatewayPayload): void {
    this.deps.recorder.record("gateway", {
      payload: { direction: "out", op: payload.op, t: payload.t ?? null, d: payload.d },
    });
    ws.send(JSON.stringify(payload));
  }

  #recordIn(payload: GatewayPayload): void {
    let d = payload.d;
    if (
      (payload.op === GatewayOpcodes.Identify || payload.op === GatewayOpcodes.Resume) &&
      d &&
      typeof d === "object"
    ) {
      d = { ...(d as Record<string, unknown>), token: "[redacted]" };
    }
    this.deps.recorder.record("gateway", {
      payload: { direction: "in", op: payload.op, t: payload.t ?? null, d },
    });
  }
}
