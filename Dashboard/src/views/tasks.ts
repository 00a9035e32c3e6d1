import { ApiError, get, query, request, summitUrl } from "../api";
import { appBar } from "../chrome";
import { $, html, perFrame, setHtml, toast, type Html } from "../dom";
import { label, onLangChange, t } from "../i18n";
import { countyName, unitKey, unitName, universityName } from "../labels";
import { LiveFeed } from "../live";
import { bindLangToggle, connectionBadge } from "../status";
import { longDate } from "../time";
import { TaskCategories, WorkStatuses, type CountyVenue, type ListResponse, type PartnerUniversity, type TaskResource } from "../types";
import type { View, ViewContext } from "./view";

const pageSize = 100;
const departments = ["office", "academic", "publicity", "liaison", "logistics", "international", "finance"];

interface Filters {
  category: string;
  unit: string;
  status: string;
  dueFrom: string;
  dueTo: string;
  overdue: boolean;
  offset: number;
}

function filtersFromHash(): Filters {
  const search = new URLSearchParams(location.hash.split("?")[1] ?? "");
  return {
    category: search.get("category") ?? "",
    unit: search.get("unit") ?? "",
    status: search.get("status") ?? "",
    dueFrom: search.get("dueFrom") ?? "",
    dueTo: search.get("dueTo") ?? "",
    overdue: search.get("overdue") === "true",
    offset: Math.max(0, Number(search.get("offset") ?? 0) || 0),
  };
}

function hashOf(filters: Filters): string {
  return `#/tasks${query({ ...filters, overdue: filters.overdue ? "true" : "", offset: filters.offset || "" })}`;
}

/**
 * The secretariat's task table: filters kept in the address (so a filtered list can be shared), inline status
 * changes sent with If-Match, and rows refreshed live when someone else changes them.
 */
export function mountTasks(root: HTMLElement, context: ViewContext): View {
  const { summit, user } = context;
  let filters = filtersFromHash();
  let rows: TaskResource[] = [];
  let total = 0;
  let loading = true;
  let failure: string | null = null;
  let unitOptions: { value: string; text: string }[] = [];
  let abort: AbortController | null = null;
  const saving = new Set<string>();

  const shell = document.createElement("div");
  shell.className = "app tasks-view";
  root.innerHTML = "";
  root.appendChild(shell);
  bindLangToggle(shell);

  const live = new LiveFeed(summit, {
    snapshot() {},
    patch() {},
    events(events) {
      // Someone changed a task on this page: fetch its new row (the feed carries the stored entity, the table the API's view).
      for (const event of events) {
        if (event.kind !== "task") continue;
        const row = rows.find((r) => r.id === event.id);
        if (row && event.version > row.version && !saving.has(row.id)) void refreshRow(row.id);
      }
    },
    state() {
      renderLive();
    },
  });

  const renderLive = perFrame(() => {
    const slot = shell.querySelector("[data-slot=live]");
    if (slot) setHtml(slot, connectionBadge(live.current));
  });

  function layout(): Html {
    const select = (name: keyof Filters, options: { value: string; text: string }[]) => html`
      <select name="${name}" data-filter="${name}">
        <option value="">${t("tasks.all")}</option>
        ${options.map((o) => html`<option value="${o.value}" ${filters[name] === o.value ? html`selected` : ""}>${o.text}</option>`)}
      </select>`;
    return html`${appBar(user, "tasks")}
      <main class="page">
        <h1>${t("tasks.heading")}</h1>
        <form class="filters" data-testid="task-filters">
          <label>${t("tasks.category")} ${select("category", TaskCategories.map((c) => ({ value: c, text: label("category", c) })))}</label>
          ${user.role === "university" ? "" : html`<label>${t("tasks.unit")} ${select("unit", unitOptions)}</label>`}
          <label>${t("tasks.status")} ${select("status", WorkStatuses.map((s) => ({ value: s, text: label("workStatus", s) })))}</label>
          <label>${t("tasks.dueFrom")} <input type="date" name="dueFrom" data-filter="dueFrom" value="${filters.dueFrom}"></label>
          <label>${t("tasks.dueTo")} <input type="date" name="dueTo" data-filter="dueTo" value="${filters.dueTo}"></label>
          <label class="check"><input type="checkbox" name="overdue" data-filter="overdue" ${filters.overdue ? html`checked` : ""}> ${t("tasks.overdueOnly")}</label>
          <button type="button" class="link-button" data-action="reset">${t("tasks.reset")}</button>
        </form>
        <div class="table-status" data-slot="count"></div>
        <div class="table-wrap"><table class="task-table" data-testid="task-table">
          <thead><tr>
            <th>${t("tasks.title")}</th><th>${t("tasks.category")}</th><th>${t("tasks.unit")}</th><th>${t("tasks.assignee")}</th>
            <th>${t("tasks.due")}</th><th>${t("tasks.status")}</th><th>${t("tasks.progress")}</th>
          </tr></thead>
          <tbody data-slot="rows"></tbody>
        </table></div>
        <div class="pager" data-slot="pager"></div>
      </main>`;
  }

  function rowHtml(task: TaskResource): Html {
    const mayChange = user.role === "secretariat" || user.role === "county" || user.role === "university";
    const options = [task.status, ...task.nextStatuses];
    return html`<tr data-task="${task.id}" data-version="${task.version}" class="${task.overdue ? "overdue" : ""}">
      <td class="title">${task.milestone ? html`<span class="milestone" title="${t("tasks.milestone")}">◆</span>` : ""}${task.title}</td>
      <td>${label("category", task.category)}</td>
      <td>${unitName(task.owner)}</td>
      <td>${task.assignee ?? ""}</td>
      <td class="due">${longDate(task.dueDate.slice(0, 10))}${task.dueDate.length > 10 ? ` ${task.dueDate.slice(11, 16)}` : ""} ${task.overdue ? html`<span class="badge bad">${t("tasks.overdueBadge")}</span>` : ""}</td>
      <td><select class="status status-${task.status}" data-action="status" data-id="${task.id}" aria-label="${t("tasks.status")}"
        ${!mayChange || saving.has(task.id) ? html`disabled` : ""}>
        ${options.map((s) => html`<option value="${s}" ${s === task.status ? html`selected` : ""}>${label("workStatus", s)}</option>`)}
      </select></td>
      <td><div class="progress"><span style="width:${task.percentComplete}%"></span></div><small>${task.percentComplete}%</small></td>
    </tr>`;
  }

  const render = perFrame(() => {
    const body = $("[data-slot=rows]", shell);
    if (failure) setHtml(body, html`<tr><td colspan="7" class="bad">${t("app.error", { message: failure })}</td></tr>`);
    else if (loading && rows.length === 0) setHtml(body, html`<tr><td colspan="7" class="muted">${t("app.loading")}</td></tr>`);
    else if (rows.length === 0) setHtml(body, html`<tr><td colspan="7" class="muted">${t("tasks.empty")}</td></tr>`);
    else setHtml(body, html`${rows.map(rowHtml)}`);
    $("[data-slot=count]", shell).textContent = total === 0 ? "" :
      t("tasks.count", { total, from: filters.offset + 1, to: Math.min(total, filters.offset + rows.length) });
    setHtml($("[data-slot=pager]", shell), html`
      <button type="button" data-action="prev" ${filters.offset === 0 ? html`disabled` : ""}>${t("tasks.prev")}</button>
      <button type="button" data-action="next" ${filters.offset + pageSize >= total ? html`disabled` : ""}>${t("tasks.next")}</button>`);
    shell.dataset.loading = String(loading);
  });

  function redraw(): void {
    setHtml(shell, layout());
    renderLive();
    render();
  }

  async function load(): Promise<void> {
    abort?.abort();
    abort = new AbortController();
    loading = true;
    render();
    try {
      const page = await get<ListResponse<TaskResource>>(summitUrl(summit, "/tasks" + query({
        category: filters.category, unit: filters.unit, status: filters.status, dueFrom: filters.dueFrom, dueTo: filters.dueTo,
        overdue: filters.overdue ? "true" : "", offset: filters.offset, limit: pageSize,
      })), { signal: abort.signal });
      rows = page.items;
      total = page.total;
      failure = null;
    } catch (error) {
      if ((error as Error).name === "AbortError") return;
      failure = error instanceof ApiError ? error.describe() : (error as Error).message;
    }
    loading = false;
    render();
  }

  async function loadUnits(): Promise<void> {
    if (user.role === "university") return;
    const [counties, universities] = await Promise.all([
      get<ListResponse<CountyVenue>>(summitUrl(summit, "/counties?limit=100")).catch(() => ({ items: [], total: 0 })),
      get<ListResponse<PartnerUniversity>>(summitUrl(summit, "/universities?limit=100")).catch(() => ({ items: [], total: 0 })),
    ]);
    unitOptions = [
      ...(user.role === "county" ? [] : departments.map((d) => ({ value: unitKey({ kind: "secretariat", code: d }), text: label("dept", d) }))),
      ...counties.items.map((c) => ({ value: unitKey({ kind: "county", code: c.county }), text: countyName(c.county, c.name) })),
      ...universities.items.map((u) => ({ value: unitKey({ kind: "university", code: u.code }), text: universityName(u.code, u.name) })),
    ];
    redraw();
  }

  async function refreshRow(id: string): Promise<void> {
    try {
      const fresh = await get<TaskResource>(summitUrl(summit, `/tasks/${encodeURIComponent(id)}`));
      const index = rows.findIndex((r) => r.id === id);
      if (index >= 0 && fresh.version >= rows[index].version) rows[index] = fresh;
    } catch {
      // Gone or no longer visible: the next load shows the truth.
    }
    render();
  }

  async function changeStatus(id: string, status: string): Promise<void> {
    const row = rows.find((r) => r.id === id);
    if (!row || row.status === status) return;
    saving.add(id);
    render();
    try {
      const answer = await request<TaskResource>("PATCH", summitUrl(summit, `/tasks/${encodeURIComponent(id)}`), { status }, { ifMatch: row.version });
      const index = rows.findIndex((r) => r.id === id);
      if (index >= 0) rows[index] = answer.body;
      toast(t("tasks.saved", { title: answer.body.title }));
    } catch (error) {
      if (error instanceof ApiError && error.status === 412) toast(t("tasks.conflict"), "error");
      else toast(t("tasks.refused", { detail: error instanceof ApiError ? error.describe() : (error as Error).message }), "error");
      saving.delete(id);
      await refreshRow(id);
      return;
    }
    saving.delete(id);
    render();
  }

  function applyFilters(): void {
    const form = shell.querySelector<HTMLFormElement>("form.filters");
    if (!form) return;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | null)?.value ?? "";
    filters = {
      category: value("category"),
      unit: value("unit"),
      status: value("status"),
      dueFrom: value("dueFrom"),
      dueTo: value("dueTo"),
      overdue: (form.elements.namedItem("overdue") as HTMLInputElement).checked,
      offset: 0,
    };
    history.replaceState(null, "", hashOf(filters));
    void load();
  }

  shell.addEventListener("change", (event) => {
    const target = event.target as HTMLElement;
    if (target.matches("[data-action=status]")) {
      const select = target as HTMLSelectElement;
      void changeStatus(select.dataset.id!, select.value);
    } else if (target.matches("[data-filter]")) applyFilters();
  });
  shell.addEventListener("click", (event) => {
    const target = (event.target as HTMLElement).closest<HTMLElement>("[data-action]");
    if (!target) return;
    const action = target.dataset.action;
    if (action === "reset") {
      filters = { category: "", unit: "", status: "", dueFrom: "", dueTo: "", overdue: false, offset: 0 };
      history.replaceState(null, "", hashOf(filters));
      redraw();
      void load();
    } else if (action === "prev" || action === "next") {
      filters = { ...filters, offset: Math.max(0, filters.offset + (action === "next" ? pageSize : -pageSize)) };
      history.replaceState(null, "", hashOf(filters));
      void load();
    }
  });

  const offLang = onLangChange(redraw);
  redraw();
  void load();
  void loadUnits();
  live.start();

  return {
    destroy() {
      abort?.abort();
      offLang();
      void live.stop();
    },
  };
}
