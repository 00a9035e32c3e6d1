import { reactive } from "vue";
import { api, call } from "../api/client";
import type { NotificationItem } from "../live/contract";
import { onHub } from "../live/store";

// The bell's state: the account's notifications from GET /api/me/notifications, read at load and on every new hub
// connection, plus the hub's live "notification" messages in between. Counted by id, since one may come both ways.

export const shown = 20;

export const bell = reactive({
  owner: null as string | null,
  items: [] as NotificationItem[],
  unread: 0,
});

let known = new Set<string>();
let loading = false;
let loadAgain = false;
/** Pushed while a list read was under way: the list may or may not have them. */
let pushedDuringLoad: NotificationItem[] = [];
let wired = false;

/** Starts (or, for another account, restarts) the bell's state for the signed-in account. */
export function startBell(account: string): void {
  if (!wired) {
    wired = true;
    onHub({ notification: receive, connected: () => void load() });
  }
  if (bell.owner === account) return;
  bell.owner = account;
  bell.items = [];
  bell.unread = 0;
  known = new Set();
  void load();
}

function receive(item: NotificationItem): void {
  if (!bell.owner) return;
  if (loading) pushedDuringLoad.push(item);
  add(item);
}

/** Adds a notification not seen yet, newest first, keeping the page size. */
export function add(item: NotificationItem): void {
  if (known.has(item.id)) return;
  known.add(item.id);
  bell.items = mergeNewest(bell.items, item, shown);
  if (!item.read) bell.unread++;
}

/** The list with one more item, newest first, at most `limit` long. */
export function mergeNewest(items: readonly NotificationItem[], item: NotificationItem, limit: number): NotificationItem[] {
  return [item, ...items].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).slice(0, limit);
}

/** Reads the list; a read asked for meanwhile runs once more after it. */
export async function load(): Promise<void> {
  if (!bell.owner) return;
  if (loading) {
    loadAgain = true;
    return;
  }
  const forWhom = bell.owner;
  loading = true;
  loadAgain = false;
  pushedDuringLoad = [];
  try {
    const list = await call(api.GET("/api/me/notifications", { params: { query: { limit: shown } } }), { quietUnauthorized: true });
    if (bell.owner === forWhom) {
      bell.items = list.items;
      bell.unread = list.unread;
      known = new Set(list.items.map((n) => n.id));
      // Stored after the read: not in the page, not counted in it.
      for (const item of pushedDuringLoad) add(item);
    } else {
      loadAgain = true; // another account signed in meanwhile
    }
  } catch {
    // The bell keeps what it had; the next connection or opening reads again.
  } finally {
    loading = false;
    pushedDuringLoad = [];
  }
  if (loadAgain) void load();
}

export async function markAllRead(): Promise<void> {
  await call(api.POST("/api/me/notifications/read"));
  bell.items = bell.items.map((n) => ({ ...n, read: true }));
  bell.unread = 0;
}

export async function markRead(id: string): Promise<void> {
  const item = bell.items.find((n) => n.id === id);
  if (!item || item.read) return;
  await call(api.POST("/api/me/notifications/{id}/read", { params: { path: { id } } }));
  bell.items = bell.items.map((n) => (n.id === id ? { ...n, read: true } : n));
  bell.unread = Math.max(0, bell.unread - 1);
}

/** The badge's text: the count, or 99+. */
export function badgeText(unread: number): string {
  return unread > 99 ? "99+" : String(unread);
}
