import { HubConnectionState, type HubConnection } from "@microsoft/signalr";
import { learnServerTime, serverNow } from "../time";
import { hub, type DashboardPatch, type DashboardSnapshot, type NotificationItem, type ProgressBatch, type ProgressEvent, type SubscribeRequest, type SubscribeResult } from "./contract";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "stale";

/** What a view does with what the feed delivers; each call carries only new, ordered data. */
export interface LiveHandlers {
  snapshot(snapshot: DashboardSnapshot): void;
  events(events: ProgressEvent[]): void;
  patch(patch: DashboardPatch): void;
}

export interface LiveStatus {
  state: ConnectionState;
  /** Server-clock time of the last data applied (or confirmed current by a catch-up). */
  lastUpdated: number | null;
  /** Server-clock time the feed was last known live, while it is not. */
  staleSince: number | null;
}

/** What else the hub carries besides the progress feed: the live notifications of the signed-in account. */
export interface HubListener {
  notification(item: NotificationItem): void;
  /** A new connection is in its notification groups: what was pushed before it came is only in the list. */
  connected(): void;
}

/** The part of SignalR's HubConnection the feed uses, so tests can drive it without a server. */
export type FeedConnection = Pick<HubConnection, "start" | "stop" | "invoke" | "on" | "onreconnecting" | "onreconnected" | "onclose" | "state">;

/** How long a dropped connection shows "reconnecting" before it is shown as stale. */
export const staleAfterMs = 30_000;
/** The longest wait between reconnect attempts (before jitter). */
const maxRetryDelayMs = 15_000;

/**
 * The wait before reconnect attempt `attempt` (0 first): at once, then doubling from 1 s up to 15 s, each ±25% so that
 * many screens dropped together do not all come back at the same instant. Never gives up: a kiosk must come back on its own.
 */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  if (attempt <= 0) return 0;
  const base = Math.min(maxRetryDelayMs, 1_000 * 2 ** Math.min(attempt - 1, 10));
  return Math.round(base * (0.75 + random() * 0.5));
}

export interface LiveFeedOptions {
  summit: string;
  /** A group to follow explicitly (the secretariat watching one county); null for the account's own. */
  group?: string | null;
  handlers: LiveHandlers;
  /** Told of every change of the connection state and of every applied update. */
  status?(status: LiveStatus, seq: number | null): void;
  /** Hears the hub's notification messages. */
  hub?: HubListener;
  connect(): FeedConnection;
}

/**
 * The live progress feed of one summit: keeps the last applied seq, catches up on every (re)connect, drops
 * duplicates, resubscribes on gaps and resync, and applies snapshots. See ProgressHub's client protocol.
 */
export class LiveFeed {
  private connection: FeedConnection | null = null;
  /** The connection's start under way, if any. */
  private starting: Promise<void> | null = null;
  private lastSeq: number | null = null;
  private lastRevision: number | null = null;
  private subscribing = false;
  private subscribeAgain = false;
  private freshConnection = false;
  private held: ProgressBatch[] = [];
  private stopped = false;
  private droppedAt: number | null = null;
  private staleTimer: ReturnType<typeof setTimeout> | null = null;
  private restartTimer: ReturnType<typeof setTimeout> | null = null;
  /** Restarts of a closed connection since it was last live (automatic reconnect counts its own attempts). */
  private restarts = 0;
  private status: LiveStatus = { state: "connecting", lastUpdated: null, staleSince: null };

  constructor(private readonly options: LiveFeedOptions) {}

  get current(): LiveStatus {
    return this.status;
  }

  get seq(): number | null {
    return this.lastSeq;
  }

  start(): void {
    this.stopped = false;
    const connection = this.options.connect();
    connection.on(hub.onProgress, (batch: ProgressBatch) => this.receive(batch));
    connection.on(hub.onNotification, (item: NotificationItem) => this.options.hub?.notification(item));
    connection.onreconnecting(() => this.dropped());
    connection.onreconnected(() => {
      // A new connection: the server knows nothing of what we have; ask for everything after our seq.
      this.freshConnection = true;
      this.resubscribe();
    });
    connection.onclose(() => {
      // Reconnecting gave up, or the server closed without allowing a reconnect (e.g. shutting down).
      if (this.stopped) return;
      this.dropped();
      this.scheduleRestart();
    });
    this.connection = connection;
    this.report();
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const connection = this.connection;
    this.connection = null;
    // Stopping a connection still starting makes the SignalR client log an error ("Failed to start the HttpConnection
    // before stop() was called"), as when a view on the feed is left at once: let the start end first.
    const starting = this.starting;
    if (starting) await starting.catch(() => undefined);
    if (connection) await connection.stop().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const connection = this.connection;
    if (!connection || this.stopped) return;
    try {
      this.starting = connection.start();
      await this.starting;
    } catch {
      if (this.stopped) return;
      this.dropped();
      this.scheduleRestart();
      return;
    } finally {
      this.starting = null;
    }
    if (this.stopped) return;
    this.freshConnection = true;
    this.resubscribe();
  }

  /** Starts the connection again after a close or a failed start, backing off like the automatic reconnect. */
  private scheduleRestart(): void {
    if (this.restartTimer !== null || this.stopped) return;
    this.restarts++;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (this.connection?.state === HubConnectionState.Disconnected) void this.connect();
    }, retryDelayMs(this.restarts));
  }

  /** Subscribe (again): one call at a time; asks made meanwhile run once more after it. */
  private resubscribe(): void {
    if (this.subscribing) {
      this.subscribeAgain = true;
      return;
    }
    void this.subscribe();
  }

  private async subscribe(): Promise<void> {
    const connection = this.connection;
    if (!connection || connection.state !== HubConnectionState.Connected) return;
    this.subscribing = true;
    this.subscribeAgain = false;
    const request: SubscribeRequest = {
      summit: this.options.summit,
      afterSeq: this.lastSeq,
      afterRevision: this.lastRevision,
      group: this.options.group ?? null,
    };
    try {
      const result = await connection.invoke<SubscribeResult>(hub.subscribe, request);
      if (this.stopped) return;
      this.applyResult(result);
      this.live();
    } catch {
      // The connection dropped mid-call (the reconnect handlers subscribe again) or the server refused;
      // retry shortly either way so a transient failure does not leave the screen frozen.
      if (connection.state === HubConnectionState.Connected && !this.stopped) setTimeout(() => this.resubscribe(), 2_000);
    } finally {
      this.subscribing = false;
    }
    if (this.stopped) return;
    // Any answer to a call, even a refusal, means the hub has put the connection in its notification groups.
    if (this.freshConnection && connection.state === HubConnectionState.Connected) {
      this.freshConnection = false;
      this.options.hub?.connected();
    }
    // Batches that arrived during the call come after its result.
    const held = this.held;
    this.held = [];
    for (const batch of held) this.receive(batch);
    if (this.subscribeAgain) this.resubscribe();
  }

  private applyResult(result: SubscribeResult): void {
    if (result.snapshot) {
      // A snapshot replaces everything shown, including the numbers we keep.
      learnServerTime(result.snapshot.generatedAt);
      this.options.handlers.snapshot(result.snapshot);
      this.lastSeq = result.snapshot.seq;
      this.lastRevision = result.snapshot.revision;
    } else {
      // The catch-up list skips numbers the group may not see, so only duplicates matter here.
      const fresh = (result.events ?? []).filter((e) => this.lastSeq === null || e.seq > this.lastSeq);
      if (fresh.length > 0) {
        this.options.handlers.events(fresh);
        this.lastSeq = fresh[fresh.length - 1].seq;
      }
      if (this.lastSeq === null || result.seq > this.lastSeq) this.lastSeq = result.seq;
    }
    if (result.dashboard) this.applyPatch(result.dashboard);
    this.touch();
  }

  /** A batch from the hub: held while a subscribe is under way, else applied in seq order up to the first gap. */
  receive(batch: ProgressBatch): void {
    if (batch.summit !== this.options.summit || this.stopped) return;
    if (this.subscribing || this.lastSeq === null) {
      this.held.push(batch);
      return;
    }
    if (batch.resync) {
      this.resubscribe();
      return;
    }
    const { fresh, lastSeq, gap } = takeInOrder(this.lastSeq, batch.events);
    this.lastSeq = lastSeq;
    if (fresh.length > 0) this.options.handlers.events(fresh);
    if (batch.dashboard) this.applyPatch(batch.dashboard);
    if (fresh.length > 0 || batch.dashboard) this.touch();
    if (gap) this.resubscribe();
  }

  private applyPatch(patch: DashboardPatch): void {
    if (this.lastRevision !== null && patch.revision <= this.lastRevision) return;
    this.options.handlers.patch(patch);
    this.lastRevision = patch.revision;
  }

  private touch(): void {
    this.status = { ...this.status, lastUpdated: serverNow() };
    this.report();
  }

  private live(): void {
    this.clearStaleTimer();
    this.droppedAt = null;
    this.restarts = 0;
    this.setStatus({ state: "live", staleSince: null, lastUpdated: this.status.lastUpdated ?? serverNow() });
  }

  private dropped(): void {
    if (this.stopped) return;
    if (this.droppedAt === null) {
      this.droppedAt = Date.now();
      this.setStatus({ state: "reconnecting", staleSince: serverNow(), lastUpdated: this.status.lastUpdated });
      this.staleTimer = setTimeout(() => {
        this.staleTimer = null;
        if (this.status.state === "reconnecting") this.setStatus({ ...this.status, state: "stale" });
      }, staleAfterMs);
    }
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    this.report();
  }

  private report(): void {
    this.options.status?.(this.status, this.lastSeq);
  }

  private clearStaleTimer(): void {
    if (this.staleTimer !== null) clearTimeout(this.staleTimer);
    this.staleTimer = null;
  }

  private clearTimers(): void {
    this.clearStaleTimer();
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }
}

/**
 * The gap rule: events after `lastSeq` are applied while each one's prevSeq is the last applied seq; older ones are
 * duplicates and dropped; the first event whose prevSeq is not the last applied seq is a gap, and nothing after it is
 * applied (the catch-up that the gap triggers brings it and everything after).
 */
export function takeInOrder(lastSeq: number, events: readonly ProgressEvent[]): { fresh: ProgressEvent[]; lastSeq: number; gap: boolean } {
  const fresh: ProgressEvent[] = [];
  let last = lastSeq;
  for (const event of events) {
    if (event.seq <= last) continue;
    if (event.prevSeq !== last) return { fresh, lastSeq: last, gap: true };
    fresh.push(event);
    last = event.seq;
  }
  return { fresh, lastSeq: last, gap: false };
}
