import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { reactive, readonly } from "vue";
import { hub, type NotificationItem } from "./contract";
import { LiveFeed, retryDelayMs, type HubListener, type LiveHandlers, type LiveStatus } from "./feed";

// The one live connection of the page: the view on screen follows a summit (and maybe a group) through it; the bell
// hears the notifications it carries. A view that follows another summit or group replaces the feed.

/**
 * Ping the server this often; the server closes a connection it hears nothing from for 60 s (Summit:Live:ClientTimeoutSeconds).
 * The server pings every 10 s (Summit:Live:KeepAliveSeconds).
 */
const keepAliveMs = 10_000;
/** Silence from the server for this long means the connection is gone. Long, so a busy network does not drop the wall screen. */
const serverTimeoutMs = 60_000;

const state = reactive<LiveStatus & { seq: number | null }>({ state: "connecting", lastUpdated: null, staleSince: null, seq: null });

/** The connection state, last update and last applied seq of the feed on screen. */
export const liveStatus = readonly(state);

const hubListeners = new Set<HubListener>();

/** Hears the notifications of whichever feed is running; returns the way to stop. */
export function onHub(listener: HubListener): () => void {
  hubListeners.add(listener);
  return () => hubListeners.delete(listener);
}

const fanOut: HubListener = {
  notification: (item: NotificationItem) => hubListeners.forEach((l) => l.notification(item)),
  connected: () => hubListeners.forEach((l) => l.connected()),
};

let feed: LiveFeed | null = null;

function connect() {
  const connection = new HubConnectionBuilder()
    .withUrl(hub.path)
    // Never null: reconnecting never stops.
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (context) => retryDelayMs(context.previousRetryCount) })
    .configureLogging(LogLevel.Warning)
    .build();
  connection.serverTimeoutInMilliseconds = serverTimeoutMs;
  connection.keepAliveIntervalInMilliseconds = keepAliveMs;
  return connection;
}

/** Follows a summit's live feed until the returned function is called (a view's unmount). */
export function follow(summit: string, handlers: LiveHandlers, group: string | null = null): () => void {
  void feed?.stop();
  Object.assign(state, { state: "connecting", lastUpdated: null, staleSince: null, seq: null });
  const mine = new LiveFeed({
    summit,
    group,
    handlers,
    hub: fanOut,
    connect,
    status: (status, seq) => {
      if (feed === mine) Object.assign(state, status, { seq });
    },
  });
  feed = mine;
  mine.start();
  return () => {
    if (feed === mine) feed = null;
    void mine.stop();
  };
}
