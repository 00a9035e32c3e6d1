import type { RouteLocationRaw } from "vue-router";
import type { Schemas } from "./api/client";
import { label, type TextKey } from "./i18n";
import { unitName } from "./labels";
import type { ViewName } from "./router";

// The app bar's search: what to ask the Gateway, how its answer is shown, and which screen each result opens.

export type SearchHit = Schemas["SearchHit"];
export type SearchGroup = Schemas["SearchGroup"];
export type SearchKind = SearchHit["kind"];

/** The longest query the Gateway takes (characters). */
export const maxQueryLength = 100;
/** Results per kind in the panel. */
export const perKind = 5;
/** Typing pauses this long before a search is sent. */
export const debounceMs = 200;

/** The query as sent: control characters dropped, spaces collapsed, cut to the Gateway's limit; "" for nothing to ask. */
export function cleanQuery(text: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ").replace(/\s+/g, " ").trim();
  // The limit counts UTF-16 units, as the Gateway does; a character is never cut in half.
  let out = "";
  for (const ch of cleaned) {
    if (out.length + ch.length > maxQueryLength) break;
    out += ch;
  }
  return out.trim();
}

export const groupText: Record<SearchKind, TextKey> = {
  task: "search.group.task",
  subEvent: "search.group.subEvent",
  subForum: "search.group.subForum",
  project: "search.group.project",
  county: "search.group.county",
  university: "search.group.university",
  person: "search.group.person",
  alliance: "search.group.alliance",
  finalist: "search.group.finalist",
};

/** The groups worth showing: those with results, in the Gateway's order. */
export function shownGroups(groups: readonly SearchGroup[]): SearchGroup[] {
  return groups.filter((g) => g.items.length > 0);
}

/** Every shown result in display order, for moving through them with the arrow keys. */
export function flatten(groups: readonly SearchGroup[]): SearchHit[] {
  return shownGroups(groups).flatMap((g) => g.items);
}

/** The next highlighted index when moving by step (wrapping), -1 for none. */
export function moveIndex(current: number, step: 1 | -1, count: number): number {
  if (count === 0) return -1;
  if (current < 0) return step === 1 ? 0 : count - 1;
  return (current + step + count) % count;
}

function unitCode(unit: string | null | undefined, kind: "county" | "university"): string | null {
  return unit && unit.startsWith(`${kind}:`) ? unit.slice(kind.length + 1) : null;
}

/**
 * The screen a result opens for an account that may open views: a task in the task table (found by its id), a county,
 * its sub-events and its people on the county's page, a university's or sub-forum's tasks in the task table, a project
 * on the big screen (its funnel) or its county's page, an alliance or a finalist on its list found by its name. Null when
 * none of the account's views shows it.
 */
export function resultLink(hit: SearchHit, views: readonly ViewName[]): RouteLocationRaw | null {
  const tasks = views.includes("tasks");
  const county = views.includes("county");
  const countyOf = hit.county ?? unitCode(hit.unit, "county");
  switch (hit.kind) {
    case "task":
      if (tasks) return { name: "tasks", query: { q: hit.id } };
      return county && countyOf ? { name: "county", params: { code: countyOf } } : null;
    case "subEvent":
    case "county":
      if (county && countyOf) return { name: "county", params: { code: countyOf } };
      return tasks && countyOf ? { name: "tasks", query: { unit: `county:${countyOf}` } } : null;
    case "subForum":
      return tasks ? { name: "tasks", query: { q: hit.id } } : null;
    case "university":
      return tasks ? { name: "tasks", query: { unit: `university:${hit.id}` } } : null;
    case "project":
      if (views.includes("screen")) return { name: "screen" };
      return county && countyOf ? { name: "county", params: { code: countyOf } } : null;
    case "person": {
      const university = unitCode(hit.unit, "university");
      if (county && countyOf) return { name: "county", params: { code: countyOf } };
      if (tasks && university) return { name: "tasks", query: { unit: `university:${university}` } };
      return tasks ? { name: "tasks", query: { q: hit.id } } : null;
    }
    case "alliance":
      return views.includes("alliances") ? { name: "alliances", query: { q: hit.title } } : null;
    case "finalist":
      return views.includes("alliances") ? { name: "finalists", query: { q: hit.title } } : null;
    default:
      return null;
  }
}

/** Where a result's title matches the query, to mark it: [before, match, after]; the match empty when it is elsewhere. */
export function highlight(title: string, query: string): [string, string, string] {
  const words = cleanQuery(query).split(" ").filter((w) => w.length > 0);
  const lower = title.toLowerCase();
  for (const word of [cleanQuery(query), ...words]) {
    const at = word ? lower.indexOf(word.toLowerCase()) : -1;
    if (at >= 0) return [title.slice(0, at), title.slice(at, at + word.length), title.slice(at + word.length)];
  }
  return [title, "", ""];
}

function parseUnit(unit: string | null | undefined): Schemas["OwningUnit"] | null {
  const colon = unit ? unit.indexOf(":") : -1;
  return unit && colon > 0 ? ({ kind: unit.slice(0, colon), code: unit.slice(colon + 1) } as Schemas["OwningUnit"]) : null;
}

/** The line under a result's title: whose it is (a task's owner, a sub-event's county, a person's unit) and its date. */
export function hitDetail(hit: SearchHit): string {
  const parts: string[] = [];
  const unit = parseUnit(hit.unit);
  if (hit.kind !== "county" && hit.kind !== "university" && unit) parts.push(unitName(unit));
  if (hit.kind === "person" && !unit && hit.status) parts.push(label("role", hit.status, hit.status));
  if (hit.kind === "person" && hit.title !== hit.id) parts.push(hit.id);
  if (hit.date) parts.push(hit.date);
  return parts.join(" · ");
}
