import { Chart, funnelOption, gaugeOption, scoreColor, targetsOption } from "../charts";
import { $, fitLists, html, perFrame, setHtml, type Html } from "../dom";
import { label, onLangChange, pick, t } from "../i18n";
import { actorName, countyName, describeChange, eventKind, unitName, universityName } from "../labels";
import { LiveFeed } from "../live";
import { bindLangToggle, connectionBadge, langToggle } from "../status";
import { hhmm, hhmmss, longDate, serverNow, setZone, shortDate } from "../time";
import {
  SubForumStatuses,
  type CountyRow,
  type DashboardPatch,
  type DashboardSnapshot,
  type ProgressEvent,
  type ScheduleSummary,
  type SubForumRow,
  type TaskItem,
} from "../types";
import type { View, ViewContext } from "./view";

const feedLimit = 50;

/**
 * The leaders' big screen: kiosk layout for 1920×1080 and up, dark, no navigation. Everything comes from the
 * live feed: a snapshot, then dashboard patches and events applied in seq order.
 */
export function mountScreen(root: HTMLElement, context: ViewContext): View {
  document.body.classList.add("kiosk");
  root.innerHTML = "";
  const screen = document.createElement("div");
  screen.className = "screen";
  screen.dataset.testid = "screen";
  root.appendChild(screen);
  setHtml(screen, layout());
  bindLangToggle(screen);

  let data: DashboardSnapshot | null = null;
  let feed: ProgressEvent[] = [];
  const flashCounties = new Set<string>();
  let freshSeqs = new Set<number>();

  let charts = createCharts();

  // Only the parts whose data changed are drawn again: at hundreds of updates a second the screen must not
  // redo its charts and grids for every batch.
  type Part = "readiness" | "schedule" | "counties" | "subforums" | "overdue" | "due" | "funnel" | "feed";
  const allParts: Part[] = ["readiness", "schedule", "counties", "subforums", "overdue", "due", "funnel", "feed"];
  const dirty = new Set<Part>();
  const mark = (...parts: Part[]) => {
    for (const part of parts) dirty.add(part);
    render();
  };

  const render = perFrame(() => {
    renderHeader();
    if (!data) return;
    const d = data;
    const parts = new Set(dirty);
    dirty.clear();
    if (parts.has("readiness")) renderReadiness(d);
    if (parts.has("schedule")) renderSchedule(d.schedule ?? null);
    if (parts.has("counties")) renderCounties(d.counties, d.schedule ?? null);
    if (parts.has("subforums")) renderSubForums(d.subForums);
    if (parts.has("overdue")) renderTaskList($("[data-slot=overdue]", screen), d.overdue.items, d.overdue.total, "overdue");
    if (parts.has("due")) renderTaskList($("[data-slot=due]", screen), d.dueThisWeek.items, d.dueThisWeek.total, "due");
    if (parts.has("funnel")) {
      charts.funnel.set(funnelOption(d.funnel));
      charts.targets.set(targetsOption(d.funnel));
    }
    if (parts.has("feed")) renderFeed();
    fitLists([...screen.querySelectorAll<HTMLElement>(".task-list, .feed, .reasons")]
      .filter((list) => parts.has(list.dataset.slot === "reasons" ? "readiness" : (list.dataset.slot as Part))));
    screen.dataset.seq = String(live.seq ?? "");
  });

  const live = new LiveFeed(context.summit, {
    snapshot(snapshot) {
      data = snapshot;
      setZone(snapshot.edition?.timeZone);
      // A snapshot's activity is the truth; the feed restarts from it (newest first, unique by seq).
      feed = uniqueBySeq(snapshot.activity).slice(0, feedLimit);
      freshSeqs = new Set();
      mark(...allParts);
    },
    events(events) {
      addToFeed(events);
      mark("feed");
    },
    patch(patch) {
      if (data) mark(...applyPatch(data, patch));
    },
    state() {
      render();
    },
  });
  live.start();

  /**
   * Applies a patch and answers the parts it changed. A patch may repeat parts that did not change (e.g. the first
   * one after subscribing carries everything), so each part is compared before it is marked for drawing.
   */
  function applyPatch(target: DashboardSnapshot, patch: DashboardPatch): Part[] {
    const parts = new Set<Part>();
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    if (patch.edition) target.edition = patch.edition;
    if (patch.overall && !same(patch.overall, target.overall)) (target.overall = patch.overall), parts.add("readiness");
    if (patch.readinessAsOf && patch.readinessAsOf !== target.readinessAsOf) (target.readinessAsOf = patch.readinessAsOf), parts.add("readiness");
    if (patch.tasks && !same(patch.tasks, target.tasks)) (target.tasks = patch.tasks), parts.add("readiness");
    if (patch.funnel && !same(patch.funnel, target.funnel)) (target.funnel = patch.funnel), parts.add("funnel");
    if (patch.overdue && !same(patch.overdue, target.overdue)) (target.overdue = patch.overdue), parts.add("overdue");
    if (patch.dueThisWeek && !same(patch.dueThisWeek, target.dueThisWeek)) (target.dueThisWeek = patch.dueThisWeek), parts.add("due");
    // The county tiles mark negative slack from the schedule's rollups, so they are drawn again with it.
    if (patch.schedule && !same(patch.schedule, target.schedule)) (target.schedule = patch.schedule), parts.add("schedule"), parts.add("counties");
    for (const row of patch.counties ?? []) {
      const index = target.counties.findIndex((c) => c.county === row.county);
      if (index >= 0 && same(target.counties[index], row)) continue;
      if (index >= 0) target.counties[index] = row;
      else target.counties.push(row);
      flashCounties.add(row.county);
      parts.add("counties");
    }
    for (const row of patch.subForums ?? []) {
      const index = target.subForums.findIndex((f) => f.id === row.id);
      if (index >= 0 && same(target.subForums[index], row)) continue;
      if (index >= 0) target.subForums[index] = row;
      else target.subForums.push(row);
      parts.add("subforums");
    }
    return [...parts];
  }

  function addToFeed(events: ProgressEvent[]): void {
    const known = new Set(feed.map((e) => e.seq));
    const fresh = events.filter((e) => !known.has(e.seq)).map(({ entity: _entity, ...rest }) => rest as ProgressEvent);
    for (const e of fresh) freshSeqs.add(e.seq);
    feed = [...fresh.reverse(), ...feed].sort((a, b) => b.seq - a.seq).slice(0, feedLimit);
  }

  // The countdown and the minutes of "overdue by" move with the clock, not with data.
  const ticker = window.setInterval(() => renderHeader(), 1_000);
  const offLang = onLangChange(() => {
    disposeCharts();
    setHtml(screen, layout());
    charts = createCharts();
    mark(...allParts);
  });

  function createCharts() {
    return {
      gauge: new Chart($("[data-chart=gauge]", screen)),
      funnel: new Chart($("[data-chart=funnel]", screen)),
      targets: new Chart($("[data-chart=targets]", screen)),
    };
  }

  function disposeCharts(): void {
    charts.gauge.dispose();
    charts.funnel.dispose();
    charts.targets.dispose();
  }

  function layout(): Html {
    return html`
      <header class="screen-header">
        <div class="title-block">
          <h1 data-slot="name">${t("app.title")}</h1>
          <div class="subtitle" data-slot="opening"></div>
        </div>
        <div class="countdown" data-slot="countdown" data-testid="countdown"></div>
        <div class="status-block"><span data-slot="status"></span>${langToggle()}</div>
      </header>
      <section class="schedule-banner" data-slot="schedule" data-testid="schedule" hidden></section>
      <main class="screen-grid">
        <section class="panel panel-readiness">
          <h2>${t("screen.readiness")}</h2>
          <div class="gauge" data-chart="gauge" data-testid="readiness-gauge"></div>
          <div class="readiness-inputs" data-slot="inputs"></div>
          <h3>${t("screen.reasons")}</h3>
          <ul class="reasons" data-slot="reasons" data-testid="readiness-reasons"></ul>
        </section>
        <section class="panel panel-funnel">
          <h2>${t("screen.funnel")}</h2>
          <div class="funnel" data-chart="funnel" data-testid="funnel"></div>
          <h3>${t("screen.targets")}</h3>
          <div class="targets" data-chart="targets" data-testid="targets"></div>
        </section>
        <section class="panel panel-counties">
          <h2>${t("screen.counties")}</h2>
          <div class="county-grid" data-slot="counties" data-testid="counties"></div>
        </section>
        <section class="panel panel-subforums">
          <h2>${t("screen.subForums")}</h2>
          <div class="subforum-board" data-slot="subforums" data-testid="subforums"></div>
        </section>
        <section class="panel panel-overdue">
          <h2>${t("screen.overdue")} <span class="count bad" data-slot="overdue-total"></span></h2>
          <ol class="task-list" data-slot="overdue" data-testid="overdue"></ol>
        </section>
        <section class="panel panel-due">
          <h2>${t("screen.dueThisWeek")} <span class="count" data-slot="due-total"></span></h2>
          <ol class="task-list" data-slot="due" data-testid="due-this-week"></ol>
        </section>
        <section class="panel panel-feed">
          <h2>${t("screen.feed")}</h2>
          <ol class="feed" data-slot="feed" data-testid="feed"></ol>
        </section>
      </main>`;
  }

  function renderHeader(): void {
    setHtml($("[data-slot=status]", screen), connectionBadge(live.current));
    screen.dataset.state = live.current.state;
    const edition = data?.edition;
    if (!edition) return;
    $("[data-slot=name]", screen).textContent = edition.name;
    $("[data-slot=opening]", screen).textContent = t("screen.openingOn", { date: longDate(edition.openingDate), city: edition.city });
    const left = Date.parse(edition.opening) - serverNow();
    const slot = $("[data-slot=countdown]", screen);
    if (left <= 0) {
      setHtml(slot, html`<span class="countdown-label">${t("screen.opened")}</span>`);
      return;
    }
    const s = Math.floor(left / 1000);
    const days = Math.floor(s / 86400);
    const pad = (n: number) => String(n).padStart(2, "0");
    setHtml(slot, html`<span class="countdown-label">${t("screen.countdown")}</span>
      <span class="countdown-value"><b data-testid="countdown-days">${days}</b><i>${t("screen.days")}</i><b>${pad(Math.floor(s / 3600) % 24)}</b><i>${t("screen.hours")}</i><b>${pad(Math.floor(s / 60) % 60)}</b><i>${t("screen.minutes")}</i><b>${pad(s % 60)}</b><i>${t("screen.seconds")}</i></span>`);
  }

  function renderReadiness(d: DashboardSnapshot): void {
    const overall = d.overall;
    charts.gauge.set(gaugeOption(overall?.score ?? null));
    const percent = (n: number | null | undefined) => (n === null || n === undefined ? "—" : `${n}%`);
    const totals = d.tasks;
    setHtml($("[data-slot=inputs]", screen), html`
      <div>${t("screen.inputs", { task: percent(overall?.taskPercent), checklist: percent(overall?.checklistPercent), schedule: percent(overall?.schedulePercent) })}</div>
      <div>${t("screen.tasks", { done: totals.done, total: totals.total - totals.cancelled, open: totals.open })}</div>
      ${d.readinessAsOf ? html`<div class="muted">${t("screen.readinessAsOf", { time: hhmm(d.readinessAsOf) })}</div>` : ""}`);
    const reasons = overall?.reasons ?? [];
    setHtml($("[data-slot=reasons]", screen), reasons.length === 0
      ? html`<li class="muted">${t("screen.noReasons")}</li>`
      : html`${reasons.slice(0, 8).map((r) => html`<li><span>${pick(r.zh, r.en)}</span><b>${t("screen.points", { points: r.points.toFixed(1) })}</b></li>`)}`);
  }

  /** Red while any open task has negative slack (the opening is at risk), calm otherwise. */
  function renderSchedule(schedule: ScheduleSummary | null): void {
    const slot = $("[data-slot=schedule]", screen);
    slot.hidden = schedule === null;
    if (!schedule) return;
    slot.dataset.state = schedule.atRisk ? "risk" : "ok";
    const finish = schedule.preparationFinish
      ? t("screen.projectedFinish", { finish: shortDate(schedule.preparationFinish), opening: shortDate(schedule.openingDate) })
      : t("screen.preparationDone", { opening: shortDate(schedule.openingDate) });
    const critical = schedule.criticalTasks.slice(0, 3);
    const more = schedule.criticalPathLength > critical.length ? " → …" : "";
    setHtml(slot, html`
      <span class="schedule-state" data-testid="schedule-state">${schedule.atRisk ? "⚠" : "✓"} ${t(schedule.atRisk ? "screen.atRisk" : "screen.onSchedule")}</span>
      ${schedule.atRisk ? html`<span class="schedule-count" data-testid="schedule-negative">${t("screen.negativeSlack", { n: schedule.negativeSlackTasks })}</span>` : ""}
      <span class="schedule-finish ${schedule.openingAtRisk ? "bad" : ""}" data-testid="schedule-finish">${finish}</span>
      ${critical.length > 0 ? html`<span class="schedule-path" data-testid="schedule-critical"><b>${t("screen.criticalPath", { n: schedule.criticalPathLength })}</b>
        ${critical.map((c) => c.title).join(" → ")}${more}</span>` : ""}`);
  }

  function renderCounties(rows: CountyRow[], schedule: ScheduleSummary | null): void {
    const slot = $("[data-slot=counties]", screen);
    const rollups = new Map((schedule?.counties ?? []).map((r) => [r.key ?? "", r]));
    setHtml(slot, html`${rows.map((row) => {
      const score = row.readiness?.score ?? null;
      const subEvents = row.subEvents.filter((e) => e.status !== "cancelled").length;
      const rollup = rollups.get(row.county);
      const behind = rollup?.minSlack != null && rollup.minSlack < 0 ? -rollup.minSlack : 0;
      const badge = behind > 0
        ? html`<span class="slack-badge" data-testid="county-behind" title="${t("screen.countyBehindTitle", { slack: rollup!.minSlack!, finish: shortDate(rollup!.projectedFinish) })}">⚠ ${t("screen.countyBehind", { n: behind })}</span>`
        : "";
      return html`<article class="county-card${behind > 0 ? " behind" : ""}" data-county="${row.county}" data-version="${row.version}">
        <header><span class="county-title"><span class="county-name">${countyName(row.county, row.name)}</span>${badge}</span>
          <span class="score" style="color:${score === null ? "#8ea3c7" : scoreColor(score)}" data-testid="county-score">${score ?? "—"}</span></header>
        <div class="bar"><span style="width:${score ?? 0}%;background:${score === null ? "transparent" : scoreColor(score)}"></span></div>
        <div class="county-facts">
          <div class="${row.overdueTasks > 0 ? "fact bad" : "fact"}"><b data-testid="county-overdue">${row.overdueTasks}</b><span>${t("screen.overdueLabel")}</span></div>
          <div class="fact"><b data-testid="county-subevents">${row.subEventsReady}/${subEvents}</b><span>${t("screen.subEventsReadyLabel")}</span></div>
          <div class="fact"><b data-testid="county-checklist">${row.checklistDone}/${row.checklistTotal}</b><span>${t("screen.checklistLabel")}</span></div>
        </div>
      </article>`;
    })}`);
    for (const code of flashCounties) slot.querySelector(`[data-county="${CSS.escape(code)}"]`)?.classList.add("flash");
    flashCounties.clear();
  }

  function renderSubForums(rows: SubForumRow[]): void {
    const sorted = [...rows].sort((a, b) => (a.day + a.start).localeCompare(b.day + b.start) || a.id.localeCompare(b.id));
    setHtml($("[data-slot=subforums]", screen), html`${sorted.map((row) => {
      const stage = SubForumStatuses.indexOf(row.status);
      return html`<div class="subforum" data-subforum="${row.id}" data-status="${row.status}">
        <div class="subforum-theme" title="${row.theme}">${row.theme}</div>
        <div class="subforum-meta">${[universityName(row.hostUniversity), `${shortDate(row.day)} ${row.start.slice(0, 5)}`].filter(Boolean).join(" · ")}</div>
        <div class="pipeline" aria-label="${label("subForumStatus", row.status)}">
          ${SubForumStatuses.map((s, i) => html`<span class="step ${i < stage ? "done" : i === stage ? "current" : ""}" title="${label("subForumStatus", s)}"></span>`)}
        </div>
        <div class="subforum-status">${label("subForumStatus", row.status)}</div>
        <div class="subforum-speakers ${row.confirmedSpeakers < row.plannedSpeakers ? "muted" : "good"}">${t("screen.speakers", { confirmed: row.confirmedSpeakers, planned: row.plannedSpeakers })}</div>
      </div>`;
    })}`);
  }

  function renderTaskList(slot: HTMLElement, items: TaskItem[], total: number, kind: "overdue" | "due"): void {
    $(`[data-slot=${kind === "overdue" ? "overdue-total" : "due-total"}]`, screen).textContent = t("screen.ofTotal", { n: total });
    if (items.length === 0) {
      setHtml(slot, html`<li class="muted empty">${t("screen.none")}</li>`);
      return;
    }
    const now = serverNow();
    setHtml(slot, html`${items.slice(0, 12).map((item) => {
      const late = now - Date.parse(item.dueAt);
      const when = kind === "overdue"
        ? late >= 86_400_000 ? t("screen.overdueBy", { n: Math.floor(late / 86_400_000) }) : t("screen.overdueHours", { n: Math.max(1, Math.floor(late / 3_600_000)) })
        : t("screen.dueOn", { date: shortDate(item.due.date) });
      return html`<li data-task="${item.id}"><span class="task-title">${item.milestone ? html`<i class="milestone">◆</i>` : ""}${item.title}</span>
        <span class="task-unit">${unitName(item.owner)}</span><span class="task-when ${kind === "overdue" ? "bad" : ""}">${when}</span></li>`;
    })}`);
  }

  function renderFeed(): void {
    const slot = $("[data-slot=feed]", screen);
    if (feed.length === 0) {
      setHtml(slot, html`<li class="muted empty">${t("screen.feedEmpty")}</li>`);
      return;
    }
    setHtml(slot, html`${feed.map((e) => html`<li data-seq="${e.seq}" data-key="${e.kind}:${e.id}:${e.version}" class="${freshSeqs.has(e.seq) ? "fresh" : ""}">
      <time>${hhmmss(e.at)}</time>
      <div class="feed-body">
        <div class="feed-head"><span class="tag">${eventKind(e)}</span><b>${actorName(e)}</b> <span class="feed-title">${e.title ?? e.id}</span></div>
        ${e.version === 1 ? html`<div class="feed-changes">${t("feed.created")}</div>`
          : e.changes.length > 0 ? html`<div class="feed-changes">${e.changes.slice(0, 3).map(describeChange).join(t("feed.separator"))}</div>` : ""}
        ${e.note ? html`<div class="feed-note">${e.note}</div>` : ""}
      </div></li>`)}`);
    freshSeqs.clear();
  }

  return {
    destroy() {
      window.clearInterval(ticker);
      offLang();
      void live.stop();
      disposeCharts();
      document.body.classList.remove("kiosk");
    },
  };
}

function uniqueBySeq(events: ProgressEvent[]): ProgressEvent[] {
  const seen = new Set<number>();
  return [...events].sort((a, b) => b.seq - a.seq).filter((e) => (seen.has(e.seq) ? false : (seen.add(e.seq), true)));
}
