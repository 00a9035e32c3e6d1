import { ApiError, get, request } from "./api";
import { html, toast, type Html } from "./dom";
import { label, pick, t } from "./i18n";
import { onHub } from "./live";
import { hhmm, localDateOf, shortDate } from "./time";
import type { Me, NotificationItem, NotificationList } from "./types";

// The bell in the app bar: the account's notifications from GET /api/me/notifications, read at load and on every new
// hub connection, plus the hub's live "notification" messages in between. Counted by id, since one may come both ways.

const listUrl = "/api/me/notifications";
const shown = 20;

let owner: Me | null = null;
let items: NotificationItem[] = [];
let unread = 0;
let known = new Set<string>();
let open = false;
let loading = false;
let loadAgain = false;
/** Pushed while a list read was under way: the list may or may not have them. */
let pushedDuringLoad: NotificationItem[] = [];
let wired = false;

/** The bell for the app bar; the first call for an account reads its list and starts listening. */
export function notificationBell(user: Me): Html {
  if (owner !== user) {
    owner = user;
    items = [];
    unread = 0;
    known = new Set();
    open = false;
    wire();
    void load();
  }
  return html`<span class="bell-slot" data-slot="bell">${bellContent()}</span>`;
}

function wire(): void {
  if (wired) return;
  wired = true;
  onHub({ notification: receive, connected: () => void load() });
  document.addEventListener("click", (event) => {
    const target = event.target as HTMLElement;
    if (target.closest("[data-action=bell]")) {
      open = !open;
      render();
      if (open) void load();
    } else if (target.closest("[data-action=read-all]")) {
      void markAllRead();
    } else if (target.closest("[data-notification]")) {
      const id = target.closest<HTMLElement>("[data-notification]")!.dataset.notification!;
      void markRead(id);
    } else if (open && !target.closest(".bell-slot")) {
      open = false;
      render();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && open) {
      open = false;
      render();
    }
  });
}

function receive(item: NotificationItem): void {
  if (!owner) return;
  if (loading) pushedDuringLoad.push(item);
  add(item);
  render();
}

function add(item: NotificationItem): void {
  if (known.has(item.id)) return;
  known.add(item.id);
  items = [item, ...items].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt)).slice(0, shown);
  if (!item.read) unread++;
}

/** Reads the list; a read asked for meanwhile runs once more after it. */
async function load(): Promise<void> {
  if (!owner) return;
  if (loading) {
    loadAgain = true;
    return;
  }
  const forWhom = owner;
  loading = true;
  loadAgain = false;
  pushedDuringLoad = [];
  try {
    const list = await get<NotificationList>(`${listUrl}?limit=${shown}`, { quietUnauthorized: true });
    if (owner === forWhom) {
      items = list.items;
      unread = list.unread;
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
  render();
  if (loadAgain) void load();
}

async function markAllRead(): Promise<void> {
  try {
    await request("POST", `${listUrl}/read`);
    items = items.map((n) => ({ ...n, read: true }));
    unread = 0;
  } catch (error) {
    toast(t("notify.failed", { detail: error instanceof ApiError ? error.describe() : (error as Error).message }), "error");
  }
  render();
}

async function markRead(id: string): Promise<void> {
  const item = items.find((n) => n.id === id);
  if (!item || item.read) return;
  try {
    await request("POST", `${listUrl}/${encodeURIComponent(id)}/read`);
    items = items.map((n) => (n.id === id ? { ...n, read: true } : n));
    unread = Math.max(0, unread - 1);
  } catch (error) {
    toast(t("notify.failed", { detail: error instanceof ApiError ? error.describe() : (error as Error).message }), "error");
  }
  render();
}

function render(): void {
  const content = bellContent().text;
  // Re-rendering replaces the elements: keep keyboard focus inside the bell, on the same control or the next one.
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement.closest<HTMLElement>(".bell-slot [data-action]") : null;
  const focusedItem = focused?.closest<HTMLElement>("[data-notification]")?.dataset.notification;
  const focusedAction = focused?.dataset.action;
  document.querySelectorAll("[data-slot=bell]").forEach((slot) => (slot.innerHTML = content));
  if (!focused) return;
  const slot = document.querySelector<HTMLElement>("[data-slot=bell]");
  const again = focusedItem !== undefined
    ? (slot?.querySelector<HTMLElement>(`[data-notification="${CSS.escape(focusedItem)}"] ~ li [data-action=read-one]`)
      ?? slot?.querySelector<HTMLElement>("[data-action=read-one]"))
    : slot?.querySelector<HTMLElement>(`[data-action="${focusedAction}"]:not(:disabled)`);
  (again ?? slot?.querySelector<HTMLElement>("[data-action=bell]"))?.focus();
}

function bellContent(): Html {
  const count = unread > 99 ? "99+" : String(unread);
  return html`<button type="button" class="bell ${unread > 0 ? "has-unread" : ""}" data-action="bell" data-testid="bell"
      aria-haspopup="true" aria-expanded="${open ? "true" : "false"}" title="${t("notify.bell", { n: unread })}" aria-label="${t("notify.bell", { n: unread })}">
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1z"/></svg>
      ${unread > 0 ? html`<span class="bell-count" data-testid="bell-count">${count}</span>` : ""}
    </button>
    ${open ? panel() : ""}`;
}

function panel(): Html {
  return html`<div class="bell-panel" role="dialog" aria-label="${t("notify.title")}" data-testid="notifications">
    <div class="bell-head">
      <strong>${t("notify.title")}</strong>
      <button type="button" class="link-button" data-action="read-all" ${unread === 0 ? html`disabled` : ""}>${t("notify.markAllRead")}</button>
    </div>
    ${items.length === 0 ? html`<p class="muted bell-empty">${t("notify.empty")}</p>` : html`<ol class="bell-list">${items.map((n) => html`
      <li class="${n.read ? "read" : "unread"}" data-notification="${n.id}" data-read="${n.read ? "true" : "false"}">${n.read
        ? html`<div class="bell-item">${itemContent(n)}</div>`
        : html`<button type="button" class="bell-item" data-action="read-one" title="${t("notify.markRead")}">${itemContent(n)}</button>`}</li>`)}</ol>`}
  </div>`;
}

function itemContent(n: NotificationItem): Html {
  return html`<span class="bell-kind">${label("notifyKind", n.kind)}</span>
    <span class="bell-text">${pick(n.text.zh, n.text.en)}</span>
    <time datetime="${n.createdAt}">${shortDate(localDateOf(n.createdAt))} ${hhmm(n.createdAt)}</time>`;
}
