import { HubConnectionBuilder, HubConnectionState, LogLevel, type HubConnection } from "@microsoft/signalr";
import { learnServerTime, serverNow } from "./time";
import type { DashboardPatch, DashboardSnapshot, NotificationItem, ProgressBatch, ProgressEvent, SubscribeRequest, SubscribeResult } from "./types";

// Names from Grains/Abstractions/Progress/ProgressContracts.cs (ProgressHub).
const hubPath = "/hubs/progress";
const subscribeMethod = "Subscribe";
const progressMethod = "progress";
// Grains/Abstractions/Notifications/NotificationLive.cs (NotificationHub).
const notificationMethod = "notification";

export type ConnectionState = "connecting" | "live" | "reconnecting" | "stale";

/** What a view does with what the feed delivers; each call carries only new, ordered data. */
export interface LiveHandlers {
  snapshot(snapshot: DashboardSnapshot): void;
  events(events: ProgressEvent[]): void;
  patch(patch: DashboardPatch): void;
  state?(state: ConnectionState): void;
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

const hubListeners = new Set<HubListener>();

/** Hears the notifications of whichever feed is running (one per view); returns the way to stop. */
export function onHub(listener: HubListener): () => void {
  hubListeners.add(listener);
  return () => hubListeners.delete(listener);
}

/** How long a dropped connection shows "reconnecting" before it is shown as stale. */
const staleAfterMs = 30_000;
/** The longest wait between reconnect attempts (before jitter). */
const maxRetryDelayMs = 15_000;
/**
 * Ping the server this often; the server closes a connection it hears nothing from for 60 s (Summit:Live:ClientTimeoutSeconds).
 * The server pings every 10 s (Summit:Live:KeepAliveSeconds).
 */
const keepAliveMs = 10_000;
/** Silence from the server for this long means the connection is gone. Long, so a busy network does not drop the wall screen. */
const serverTimeoutMs = 60_000;

/**
 * The wait before reconnect attempt `attempt` (0 first): at once, then doubling from 1 s up to 15 s, each ±25% so that
 * many screens dropped together do not all come back at the same instant. Never gives up: a kiosk must come back on its own.
 */
export function retryDelayMs(attempt: number): number {
  if (attempt <= 0) return 0;
  const base = Math.min(maxRetryDelayMs, 1_000 * 2 ** Math.min(attempt - 1, 10));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/**
 * The live progress feed of one summit: keeps the last applied seq, catches up on every (re)connect, drops
 * duplicates, resubscribes on gaps and resync, and applies snapshots. See ProgressHub's client protocol.
 */
export class LiveFeed {
  private connection: HubConnection | null = null;
  private lastSeq: number | null = null;
  private lastRevision: number | null = null;
  private subscribing = false;
  private subscribeAgain = false;
  private freshConnection = false;
  private held: ProgressBatch[] = [];
  private stopped = false;
  private droppedAt: number | null = null;
  private staleTimer: number | null = null;
  private restartTimer: number | null = null;
  /** Restarts of a closed connection since it was last live (automatic reconnect counts its own attempts). */
  private restarts = 0;
  private status: LiveStatus = { state: "connecting", lastUpdated: null, staleSince: null };

  constructor(
    private readonly summit: string,
    private readonly handlers: LiveHandlers,
    private readonly group: string | null = null,
  ) {}

  get current(): LiveStatus {
    return this.status;
  }

  get seq(): number | null {
    return this.lastSeq;
  }

  start(): void {
    this.stopped = false;
    const connection = new HubConnectionBuilder()
      .withUrl(hubPath)
      .withAutomaticReconnect({
        // Never null: reconnecting never stops.
        nextRetryDelayInMilliseconds: (context) => retryDelayMs(context.previousRetryCount),
      })
      .withStatefulReconnect()
      .configureLogging(LogLevel.Warning)
      .build();
    connection.serverTimeoutInMilliseconds = serverTimeoutMs;
    connection.keepAliveIntervalInMilliseconds = keepAliveMs;
    connection.on(progressMethod, (batch: ProgressBatch) => this.receive(batch));
    connection.on(notificationMethod, (item: NotificationItem) => hubListeners.forEach((l) => l.notification(item)));
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
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    const connection = this.connection;
    this.connection = null;
    if (connection) await connection.stop().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const connection = this.connection;
    if (!connection || this.stopped) return;
    try {
      await connection.start();
    } catch {
      this.dropped();
      this.scheduleRestart();
      return;
    }
    this.freshConnection = true;
    this.resubscribe();
  }

  /** Starts the connection again after a close or a failed start, backing off like the automatic reconnect. */
  private scheduleRestart(): void {
    if (this.restartTimer !== null || this.stopped) return;
    this.restarts++;
    this.restartTimer = window.setTimeout(() => {
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
      summit: this.summit,
      afterSeq: this.lastSeq,
      afterRevision: this.lastRevision,
      group: this.group,
    };
    try {
      const result = await connection.invoke<SubscribeResult>(subscribeMethod, request);
      this.applyResult(result);
      this.live();
    } catch {
      // The connection dropped mid-call (the reconnect handlers subscribe again) or the server refused;
      // retry shortly either way so a transient failure does not leave the screen frozen.
      if (connection.state === HubConnectionState.Connected) window.setTimeout(() => this.resubscribe(), 2_000);
    } finally {
      this.subscribing = false;
    }
    // Any answer to a call, even a refusal, means the hub has put the connection in its notification groups.
    if (this.freshConnection && connection.state === HubConnectionState.Connected) {
      this.freshConnection = false;
      hubListeners.forEach((l) => l.connected());
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
      this.handlers.snapshot(result.snapshot);
      this.lastSeq = result.snapshot.seq;
      this.lastRevision = result.snapshot.revision;
    } else {
      // The catch-up list skips numbers the group may not see, so only duplicates matter here.
      const fresh = (result.events ?? []).filter((e) => this.lastSeq === null || e.seq > this.lastSeq);
      if (fresh.length > 0) {
        this.handlers.events(fresh);
        this.lastSeq = fresh[fresh.length - 1].seq;
      }
      if (this.lastSeq === null || result.seq > this.lastSeq) this.lastSeq = result.seq;
    }
    if (result.dashboard) this.applyPatch(result.dashboard);
    this.touch();
  }

  private receive(batch: ProgressBatch): void {
    if (batch.summit !== this.summit) return;
    if (this.subscribing || this.lastSeq === null) {
      this.held.push(batch);
      return;
    }
    if (batch.resync) {
      this.resubscribe();
      return;
    }
    const fresh: ProgressEvent[] = [];
    let gap = false;
    for (const event of batch.events) {
      const last = this.lastSeq;
      if (event.seq <= last) continue; // a duplicate: already applied
      if (event.prevSeq !== last) {
        gap = true; // something between went missing; the catch-up brings it and everything after
        break;
      }
      fresh.push(event);
      this.lastSeq = event.seq;
    }
    if (fresh.length > 0) this.handlers.events(fresh);
    if (batch.dashboard) this.applyPatch(batch.dashboard);
    if (fresh.length > 0 || batch.dashboard) this.touch();
    if (gap) this.resubscribe();
  }

  private applyPatch(patch: DashboardPatch): void {
    if (this.lastRevision !== null && patch.revision <= this.lastRevision) return;
    this.handlers.patch(patch);
    this.lastRevision = patch.revision;
  }

  private touch(): void {
    this.status = { ...this.status, lastUpdated: serverNow() };
    this.handlers.state?.(this.status.state);
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
      this.staleTimer = window.setTimeout(() => {
        this.staleTimer = null;
        if (this.status.state === "reconnecting") this.setStatus({ ...this.status, state: "stale" });
      }, staleAfterMs);
    }
  }

  private setStatus(status: LiveStatus): void {
    this.status = status;
    this.handlers.state?.(status.state);
  }

  private clearStaleTimer(): void {
    if (this.staleTimer !== null) window.clearTimeout(this.staleTimer);
    this.staleTimer = null;
  }

  private clearTimers(): void {
    this.clearStaleTimer();
    if (this.restartTimer !== null) window.clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }
}
