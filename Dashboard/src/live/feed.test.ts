import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HubConnectionState } from "@microsoft/signalr";
import type { Schemas } from "../api/client";
import type { DashboardPatch, DashboardSnapshot, ProgressBatch, SubscribeRequest, SubscribeResult } from "./contract";
import { LiveFeed, retryDelayMs, staleAfterMs, takeInOrder, type FeedConnection, type LiveStatus } from "./feed";

type Event = Schemas["ProgressEvent"];

function ev(seq: number, prevSeq = seq - 1): Event {
  return {
    seq, prevSeq, summit: "s", kind: "task", id: `t-${seq}`, version: 2, at: "2020-06-10T02:00:00Z",
    account: "a", role: "secretariat", unit: null, title: null, changes: [], note: null, scope: {},
  };
}

function snapshot(seq: number, revision = 1): DashboardSnapshot {
  return { summit: "s", seq, revision, generatedAt: new Date().toISOString(), activity: [] } as unknown as DashboardSnapshot;
}

function result(over: Partial<SubscribeResult>): SubscribeResult {
  return { summit: "s", group: "s/summit", scope: { kind: "summit", unit: null }, seq: 0, events: [], ...over } as SubscribeResult;
}

/** A hub connection driven by the test: it answers Subscribe from a queue and lets the test push batches and drops. */
class FakeConnection {
  state: HubConnectionState = HubConnectionState.Disconnected;
  readonly requests: SubscribeRequest[] = [];
  readonly answers: Array<SubscribeResult | Error> = [];
  private handlers = new Map<string, (arg: never) => void>();
  private reconnecting: (() => void)[] = [];
  private reconnected: (() => void)[] = [];
  private closed: (() => void)[] = [];
  startFails = false;
  /** Resolves the Subscribe call now under way, if the test holds it. */
  release: (() => void) | null = null;
  holdNext = false;

  start = vi.fn(async () => {
    if (this.startFails) throw new Error("refused");
    this.state = HubConnectionState.Connected;
  });
  stop = vi.fn(async () => {
    this.state = HubConnectionState.Disconnected;
  });
  on = vi.fn((name: string, handler: (arg: never) => void) => void this.handlers.set(name, handler));
  onreconnecting = (cb: () => void) => void this.reconnecting.push(cb);
  onreconnected = (cb: () => void) => void this.reconnected.push(cb);
  onclose = (cb: () => void) => void this.closed.push(cb);
  invoke = vi.fn(async (_method: string, request: SubscribeRequest) => {
    this.requests.push({ ...request });
    if (this.holdNext) {
      this.holdNext = false;
      await new Promise<void>((resolve) => (this.release = resolve));
    }
    const answer = this.answers.shift() ?? result({ seq: request.afterSeq ?? 0 });
    if (answer instanceof Error) throw answer;
    return answer;
  });

  push(batch: ProgressBatch): void {
    (this.handlers.get("progress") as (b: ProgressBatch) => void)(batch);
  }
  drop(): void {
    this.state = HubConnectionState.Reconnecting;
    this.reconnecting.forEach((cb) => cb());
  }
  back(): void {
    this.state = HubConnectionState.Connected;
    this.reconnected.forEach((cb) => cb());
  }
  close(): void {
    this.state = HubConnectionState.Disconnected;
    this.closed.forEach((cb) => cb());
  }
}

const settle = () => vi.advanceTimersByTimeAsync(0);

let connection: FakeConnection;
let applied: number[];
let snapshots: number[];
let patches: number[];
let statuses: LiveStatus[];
let connects: number;
let feed: LiveFeed;

function start(group: string | null = null): void {
  feed = new LiveFeed({
    summit: "s",
    group,
    connect: () => connection as unknown as FeedConnection,
    handlers: {
      snapshot: (s) => snapshots.push(s.seq),
      events: (events) => applied.push(...events.map((e) => e.seq)),
      patch: (p: DashboardPatch) => patches.push(p.revision),
    },
    status: (status) => statuses.push(status),
    hub: { notification: () => undefined, connected: () => connects++ },
  });
  feed.start();
}

beforeEach(() => {
  vi.useFakeTimers();
  connection = new FakeConnection();
  applied = [];
  snapshots = [];
  patches = [];
  statuses = [];
  connects = 0;
});

afterEach(async () => {
  await feed?.stop();
  vi.useRealTimers();
});

describe("the gap rule", () => {
  it("applies events in order, drops duplicates and stops at the first gap", () => {
    expect(takeInOrder(5, [ev(4), ev(5), ev(6), ev(7)])).toEqual({ fresh: [ev(6), ev(7)], lastSeq: 7, gap: false });
    expect(takeInOrder(5, [ev(6), ev(8, 7), ev(9)])).toEqual({ fresh: [ev(6)], lastSeq: 6, gap: true });
    expect(takeInOrder(5, [])).toEqual({ fresh: [], lastSeq: 5, gap: false });
  });
});

describe("the live feed", () => {
  it("lets a start under way end before stopping, and then subscribes to nothing", async () => {
    let finish: () => void = () => undefined;
    connection.start.mockImplementationOnce(() => new Promise<void>((resolve) => (finish = () => {
      connection.state = HubConnectionState.Connected;
      resolve();
    })));
    start();
    await settle();
    const stopping = feed.stop();
    await settle();
    expect(connection.stop).not.toHaveBeenCalled();
    finish();
    await stopping;
    expect(connection.stop).toHaveBeenCalledTimes(1);
    expect(connection.requests).toEqual([]);
  });

  it("subscribes on start, applies the snapshot and goes live", async () => {
    connection.answers.push(result({ seq: 10, snapshot: snapshot(10, 3) }));
    start();
    await settle();
    expect(connection.requests).toEqual([{ summit: "s", afterSeq: null, afterRevision: null, group: null }]);
    expect(snapshots).toEqual([10]);
    expect(feed.seq).toBe(10);
    expect(feed.current.state).toBe("live");
    expect(feed.current.lastUpdated).not.toBeNull();
    expect(connects).toBe(1);
  });

  it("asks for the group it follows", async () => {
    start("s/county/pingyang");
    await settle();
    expect(connection.requests[0].group).toBe("s/county/pingyang");
  });

  it("applies batches in seq order and drops what it already has", async () => {
    connection.answers.push(result({ seq: 10, snapshot: snapshot(10) }));
    start();
    await settle();
    connection.push({ summit: "s", events: [ev(9), ev(10), ev(11), ev(12)] });
    connection.push({ summit: "s", events: [ev(12), ev(13)] });
    connection.push({ summit: "other", events: [ev(14)] });
    expect(applied).toEqual([11, 12, 13]);
    expect(connection.requests).toHaveLength(1);
  });

  it("resubscribes after its last seq on a gap and catches up from the answer", async () => {
    connection.answers.push(result({ seq: 10, snapshot: snapshot(10) }));
    start();
    await settle();
    connection.answers.push(result({ seq: 14, events: [ev(11), ev(12), ev(13), ev(14)] }));
    connection.push({ summit: "s", events: [ev(11), ev(13, 12), ev(14)] });
    await settle();
    expect(connection.requests[1]).toMatchObject({ afterSeq: 11 });
    expect(applied).toEqual([11, 12, 13, 14]);
    expect(feed.seq).toBe(14);
  });

  it("resubscribes when the server says resync", async () => {
    connection.answers.push(result({ seq: 10, snapshot: snapshot(10, 4) }));
    start();
    await settle();
    connection.push({ summit: "s", events: [], resync: true });
    await settle();
    expect(connection.requests[1]).toMatchObject({ afterSeq: 10, afterRevision: 4 });
  });

  it("holds batches that arrive during a subscribe and applies them after its result", async () => {
    connection.holdNext = true;
    connection.answers.push(result({ seq: 10, snapshot: snapshot(10) }));
    start();
    await settle();
    connection.push({ summit: "s", events: [ev(10), ev(11)] });
    expect(applied).toEqual([]);
    connection.release!();
    await settle();
    expect(snapshots).toEqual([10]);
    expect(applied).toEqual([11]);
  });

  it("applies a dashboard patch only when its revision is newer", async () => {
    connection.answers.push(result({ seq: 10, snapshot: snapshot(10, 5) }));
    start();
    await settle();
    connection.push({ summit: "s", events: [], dashboard: { summit: "s", seq: 10, revision: 5 } });
    connection.push({ summit: "s", events: [], dashboard: { summit: "s", seq: 10, revision: 6 } });
    expect(patches).toEqual([6]);
  });

  it("shows reconnecting on a drop, stale after 30 s, and catches up after its seq when back", async () => {
    connection.answers.push(result({ seq: 10, snapshot: snapshot(10) }));
    start();
    await settle();
    connection.drop();
    expect(feed.current.state).toBe("reconnecting");
    expect(feed.current.staleSince).not.toBeNull();
    await vi.advanceTimersByTimeAsync(staleAfterMs);
    expect(feed.current.state).toBe("stale");
    connection.answers.push(result({ seq: 12, events: [ev(11), ev(12)] }));
    connection.back();
    await settle();
    expect(connection.requests[1]).toMatchObject({ afterSeq: 10 });
    expect(applied).toEqual([11, 12]);
    expect(feed.current.state).toBe("live");
    expect(connects).toBe(2);
  });

  it("starts a closed connection again, backing off", async () => {
    connection.answers.push(result({ seq: 10, snapshot: snapshot(10) }));
    start();
    await settle();
    connection.close();
    expect(feed.current.state).toBe("reconnecting");
    expect(connection.start).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1_300);
    expect(connection.start).toHaveBeenCalledTimes(2);
    expect(connection.requests.at(-1)).toMatchObject({ afterSeq: 10 });
    expect(feed.current.state).toBe("live");
  });

  it("retries a refused subscribe shortly", async () => {
    connection.answers.push(new Error("HubException"));
    start();
    await settle();
    expect(feed.current.state).toBe("connecting");
    await vi.advanceTimersByTimeAsync(2_000);
    expect(connection.requests).toHaveLength(2);
    expect(feed.current.state).toBe("live");
  });

  it("stops for good", async () => {
    start();
    await settle();
    await feed.stop();
    connection.push({ summit: "s", events: [ev(1)] });
    expect(applied).toEqual([]);
    expect(connection.stop).toHaveBeenCalled();
  });
});

describe("reconnect delays", () => {
  it("start at once, double from 1 s up to 15 s, with ±25% jitter", () => {
    expect(retryDelayMs(0)).toBe(0);
    expect(retryDelayMs(1, () => 0.5)).toBe(1_000);
    expect(retryDelayMs(3, () => 0.5)).toBe(4_000);
    expect(retryDelayMs(30, () => 0.5)).toBe(15_000);
    expect(retryDelayMs(1, () => 0)).toBe(750);
    expect(retryDelayMs(1, () => 1)).toBe(1_250);
  });
});
