import { ApiError, get, request, summitUrl } from "../api";
import { scoreColor } from "../charts";
import { appBar } from "../chrome";
import { $, html, perFrame, setHtml, toast, type Html } from "../dom";
import { label, onLangChange, pick, t } from "../i18n";
import { countyName } from "../labels";
import { LiveFeed } from "../live";
import { bindLangToggle, connectionBadge } from "../status";
import { hhmm, longDate, setZone, shortDate } from "../time";
import {
  ChecklistItems,
  type ChecklistItem,
  type ChecklistState,
  type CountyRow,
  type CountyVenue,
  type ListResponse,
  type ReadinessScore,
  type ScheduleRollup,
  type ScheduleSummary,
  type SubEvent,
  type SubEventStatus,
} from "../types";
import type { View, ViewContext } from "./view";

// The sub-event pipeline of Rules/Transitions.cs, so only moves that will succeed are offered.
const nextStatuses: Record<SubEventStatus, SubEventStatus[]> = {
  planned: ["preparing", "cancelled"],
  preparing: ["ready", "planned", "cancelled"],
  ready: ["held", "preparing", "cancelled"],
  held: [],
  cancelled: ["planned"],
};

// One tap moves an item forward; a done item goes back to open (inspections do find "done" items that are not).
const nextState: Record<ChecklistState, ChecklistState> = { open: "inProgress", inProgress: "done", done: "open" };

/**
 * A county's own venue and sub-events with the readiness checklist; one tap changes an item or the status.
 * Laid out for a phone first. Other counties' data is never requested except when named in the address, and then
 * the Gateway answers 404 for an account that may not see it.
 */
export function mountCounty(root: HTMLElement, context: ViewContext): View {
  const { summit, user } = context;
  const code = context.params[0] ?? (user.role === "county" ? user.unit ?? "" : "");
  const mayWrite = (county: string) => user.role === "secretariat" || (user.role === "county" && user.unit === county);

  let venue: CountyVenue | null = null;
  let readiness: ReadinessScore | null = null;
  // Null until the live view brings the schedule; then this county's rollup, or none when it has no tasks.
  let schedule: { rollup: ScheduleRollup | null } | null = null;
  let choices: { code: string; name: string }[] = [];
  let failure: "notFound" | string | null = null;
  const busy = new Set<string>();
  let live: LiveFeed | null = null;

  const shell = document.createElement("div");
  shell.className = "app county-view";
  shell.dataset.testid = "county-view";
  root.innerHTML = "";
  root.appendChild(shell);
  bindLangToggle(shell);

  function layout(): Html {
    return html`${appBar(user, "county")}<main class="page county-page" data-slot="body"></main>`;
  }

  const renderLive = perFrame(() => {
    const slot = shell.querySelector("[data-slot=live]");
    if (slot && live) setHtml(slot, connectionBadge(live.current));
  });

  const render = perFrame(() => {
    const body = $("[data-slot=body]", shell);
    const chooser = choices.length > 1 ? html`<label class="chooser">${t("county.choose")}
      <select data-action="choose">${choices.map((c) => html`<option value="${c.code}" ${c.code === code ? html`selected` : ""}>${c.name}</option>`)}</select></label>` : "";
    if (failure === "notFound") {
      setHtml(body, html`${chooser}<p class="notice bad" data-testid="county-error">${t("county.notFound")}</p>`);
      return;
    }
    if (failure) {
      setHtml(body, html`${chooser}<p class="notice bad" data-testid="county-error">${t("app.error", { message: failure })}</p>`);
      return;
    }
    if (!venue) {
      setHtml(body, html`${chooser}<p class="muted">${t("app.loading")}</p>`);
      return;
    }
    const writable = mayWrite(venue.county);
    const score = readiness?.score ?? null;
    setHtml(body, html`${chooser}
      <section class="county-summary" data-county="${venue.county}">
        <div>
          <h1>${t("county.heading", { name: countyName(venue.county, venue.name) })}</h1>
          <p>${t("county.venue", { venue: venue.venue })}</p>
          ${venue.lead ? html`<p>${t("county.lead", { lead: venue.lead })}</p>` : ""}
          ${scheduleLine()}
          ${writable ? html`<p class="muted hint">${t("county.tapHint")}</p>` : html`<p class="badge">${t("county.readOnly")}</p>`}
        </div>
        <div class="county-score">
          <span class="label">${t("county.readiness")}</span>
          <span class="value" style="color:${score === null ? "inherit" : scoreColor(score)}" data-testid="county-readiness">${score ?? "—"}</span>
        </div>
      </section>
      ${readiness && readiness.reasons.length > 0 ? html`<ul class="reasons compact">${readiness.reasons.slice(0, 4).map((r) => html`<li>${pick(r.zh, r.en)}</li>`)}</ul>` : ""}
      <h2>${t("county.subEvents")}</h2>
      ${venue.subEvents.length === 0 ? html`<p class="muted">${t("county.noSubEvents")}</p>` : ""}
      <div class="sub-events">${venue.subEvents.map((e) => subEventCard(e, writable))}</div>`);
  });

  function scheduleLine(): Html | string {
    if (!schedule) return "";
    const rollup = schedule.rollup;
    if (!rollup?.projectedFinish || rollup.minSlack == null) return html`<p class="muted" data-testid="county-schedule">${t("county.scheduleNone")}</p>`;
    return html`<p class="${rollup.minSlack < 0 ? "bad" : ""}" data-testid="county-schedule">${t("county.schedule", { finish: shortDate(rollup.projectedFinish), slack: rollup.minSlack })}</p>`;
  }

  function applySchedule(summary: ScheduleSummary | null | undefined): void {
    if (summary) schedule = { rollup: summary.counties.find((c) => c.key === code) ?? null };
  }

  function subEventCard(event: SubEvent, writable: boolean): Html {
    const allDone = ChecklistItems.every((item) => event.checklist[item] === "done");
    const pending = busy.has(event.id);
    const disabled = !writable || pending || event.status === "held" || event.status === "cancelled" || event.setAside === true;
    return html`<article class="sub-event status-${event.status}${event.setAside ? " set-aside" : ""}" data-subevent="${event.id}" data-version="${event.version}" data-status="${event.status}">
      <header>
        <h3>${event.title}</h3>
        <span class="chip chip-${event.status}" data-testid="subevent-status">${label("subEventStatus", event.status)}</span>
        ${event.setAside ? html`<span class="chip chip-set-aside" data-testid="subevent-set-aside" title="${t("county.setAsideHint")}">${t("county.setAside")}</span>` : ""}
      </header>
      <p class="meta">${event.date ? longDate(event.date) : ""}${event.venue ? ` · ${event.venue}` : ""}</p>
      <div class="checklist">
        ${ChecklistItems.map((item) => {
          const state = event.checklist[item] ?? "open";
          return html`<button type="button" class="check-item state-${state}" data-action="check" data-id="${event.id}" data-item="${item}" data-state="${state}"
            ${disabled ? html`disabled` : ""} aria-label="${label("checklist", item)}: ${label("checklistState", state)}">
            <span class="check-mark" aria-hidden="true"></span><span class="check-name">${label("checklist", item)}</span><span class="check-state">${label("checklistState", state)}</span>
          </button>`;
        })}
      </div>
      ${writable && nextStatuses[event.status].length > 0 ? html`<div class="moves"><span class="muted">${t("county.move")}</span>
        ${nextStatuses[event.status].map((s) => {
          const blocked = s === "ready" && !allDone;
          return html`<button type="button" class="move move-${s}" data-action="status" data-id="${event.id}" data-status="${s}"
            ${pending || blocked ? html`disabled` : ""} title="${blocked ? t("county.readyNeedsChecklist") : ""}">${label("subEventStatus", s)}</button>`;
        })}</div>
        ${nextStatuses[event.status].includes("ready") && !allDone ? html`<p class="muted hint">${t("county.readyNeedsChecklist")}</p>` : ""}` : ""}
      <p class="updated-by muted">${t("county.updatedBy", { account: event.lastUpdate.account, time: hhmm(event.lastUpdate.at) })}</p>
    </article>`;
  }

  async function loadVenue(): Promise<void> {
    if (!code) {
      failure = "notFound";
      render();
      return;
    }
    try {
      const fresh = await get<CountyVenue>(summitUrl(summit, `/counties/${encodeURIComponent(code)}`));
      if (!venue || fresh.version >= venue.version) venue = fresh;
      failure = null;
    } catch (error) {
      failure = error instanceof ApiError && (error.status === 404 || error.status === 403) ? "notFound"
        : error instanceof ApiError ? error.describe() : (error as Error).message;
    }
    render();
  }

  async function loadChoices(): Promise<void> {
    if (user.role === "county") return;
    try {
      const list = await get<ListResponse<CountyVenue>>(summitUrl(summit, "/counties?limit=100"));
      choices = list.items.map((c) => ({ code: c.county, name: countyName(c.county, c.name) }));
      render();
    } catch {
      // Without the list the chooser is simply not shown.
    }
  }

  function applyRow(row: CountyRow): void {
    if (row.county !== code) return;
    if (row.readiness) readiness = row.readiness;
    if (venue && row.version > venue.version) {
      venue = { ...venue, name: row.name, venue: row.venue, lead: row.lead, subEvents: row.subEvents, version: row.version, lastUpdate: row.lastUpdate };
    }
  }

  function applyVenue(fresh: CountyVenue): void {
    if (fresh.county === code && venue && fresh.version > venue.version) venue = fresh;
  }

  async function patchSubEvent(id: string, body: Record<string, unknown>): Promise<void> {
    const event = venue?.subEvents.find((e) => e.id === id);
    if (!venue || !event) return;
    busy.add(id);
    render();
    try {
      const answer = await request<SubEvent>("PATCH",
        summitUrl(summit, `/counties/${encodeURIComponent(venue.county)}/sub-events/${encodeURIComponent(id)}`), body, { ifMatch: event.version });
      // The county's version moves too; the live feed or the next read brings it, the sub-event is shown at once.
      if (venue) venue = { ...venue, subEvents: venue.subEvents.map((e) => (e.id === id && answer.body.version >= e.version ? answer.body : e)) };
      toast(t("county.saved"));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) toast(t("county.conflict"), "error");
      else toast(t("county.refused", { detail: error instanceof ApiError ? error.describe() : (error as Error).message }), "error");
      busy.delete(id);
      await loadVenue();
      return;
    }
    busy.delete(id);
    render();
  }

  shell.addEventListener("click", (e) => {
    const target = (e.target as HTMLElement).closest<HTMLButtonElement>("button[data-action]");
    if (!target || target.disabled) return;
    const id = target.dataset.id!;
    if (target.dataset.action === "check") {
      const item = target.dataset.item as ChecklistItem;
      const state = (target.dataset.state ?? "open") as ChecklistState;
      void patchSubEvent(id, { checklist: { [item]: nextState[state] } });
    } else if (target.dataset.action === "status") {
      void patchSubEvent(id, { status: target.dataset.status });
    }
  });
  shell.addEventListener("change", (e) => {
    const target = e.target as HTMLSelectElement;
    if (target.matches("[data-action=choose]")) location.hash = `#/county/${encodeURIComponent(target.value)}`;
  });

  setHtml(shell, layout());
  const offLang = onLangChange(() => {
    setHtml(shell, layout());
    renderLive();
    render();
  });
  render();
  void loadChoices();
  void loadVenue().then(() => {
    if (failure || !venue) return;
    // A county account follows its own group; others ask for this county's group explicitly.
    live = new LiveFeed(summit, {
      snapshot(snapshot) {
        setZone(snapshot.edition?.timeZone);
        for (const row of snapshot.counties) applyRow(row);
        applySchedule(snapshot.schedule);
        render();
      },
      patch(patch) {
        for (const row of patch.counties ?? []) applyRow(row);
        applySchedule(patch.schedule);
        render();
      },
      events(events) {
        for (const event of events) {
          if (event.kind === "county" && (event.id === code || event.id.startsWith(`${code}/`)) && event.entity) applyVenue(event.entity as CountyVenue);
        }
        render();
      },
      state() {
        renderLive();
      },
    }, user.role === "county" ? null : `${summit}/county/${code}`);
    live.start();
    renderLive();
  });

  return {
    destroy() {
      offLang();
      void live?.stop();
    },
  };
}
