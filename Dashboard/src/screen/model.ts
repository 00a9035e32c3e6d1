import type { DashboardPatch, DashboardSnapshot, ProgressEvent } from "../live/contract";

// The big screen's data rules, kept apart from drawing so they can be tested on their own.

export const feedLimit = 50;

export type Part = "readiness" | "schedule" | "counties" | "subforums" | "overdue" | "due" | "funnel";

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A patch applied to a snapshot: the new snapshot (parts that did not change keep their identity, so what shows them
 * is not drawn again), the parts that changed and the counties whose rows changed. A patch may repeat parts that did
 * not change (the first one after subscribing carries everything), so each part is compared.
 */
export function applyPatch(target: DashboardSnapshot, patch: DashboardPatch): { next: DashboardSnapshot; parts: Set<Part>; counties: string[] } {
  const next: DashboardSnapshot = { ...target };
  const parts = new Set<Part>();
  const changedCounties: string[] = [];
  if (patch.edition) next.edition = patch.edition;
  if (patch.overall && !same(patch.overall, target.overall)) (next.overall = patch.overall), parts.add("readiness");
  if (patch.readinessAsOf && patch.readinessAsOf !== target.readinessAsOf) (next.readinessAsOf = patch.readinessAsOf), parts.add("readiness");
  if (patch.tasks && !same(patch.tasks, target.tasks)) (next.tasks = patch.tasks), parts.add("readiness");
  if (patch.funnel && !same(patch.funnel, target.funnel)) (next.funnel = patch.funnel), parts.add("funnel");
  if (patch.overdue && !same(patch.overdue, target.overdue)) (next.overdue = patch.overdue), parts.add("overdue");
  if (patch.dueThisWeek && !same(patch.dueThisWeek, target.dueThisWeek)) (next.dueThisWeek = patch.dueThisWeek), parts.add("due");
  // The county tiles mark negative slack from the schedule's rollups, so they are drawn again with it.
  if (patch.schedule && !same(patch.schedule, target.schedule)) (next.schedule = patch.schedule), parts.add("schedule"), parts.add("counties");
  for (const row of patch.counties ?? []) {
    const index = next.counties.findIndex((c) => c.county === row.county);
    if (index >= 0 && same(next.counties[index], row)) continue;
    if (next.counties === target.counties) next.counties = [...target.counties];
    if (index >= 0) next.counties[index] = row;
    else next.counties.push(row);
    changedCounties.push(row.county);
    parts.add("counties");
  }
  for (const row of patch.subForums ?? []) {
    const index = next.subForums.findIndex((f) => f.id === row.id);
    if (index >= 0 && same(next.subForums[index], row)) continue;
    if (next.subForums === target.subForums) next.subForums = [...target.subForums];
    if (index >= 0) next.subForums[index] = row;
    else next.subForums.push(row);
    parts.add("subforums");
  }
  return { next, parts, counties: changedCounties };
}

/** Newest first, each seq once. */
export function uniqueBySeq(events: readonly ProgressEvent[]): ProgressEvent[] {
  const seen = new Set<number>();
  return [...events].sort((a, b) => b.seq - a.seq).filter((e) => (seen.has(e.seq) ? false : (seen.add(e.seq), true)));
}

/** The feed with new events on top: newest first, each seq once, at most `feedLimit`; entities are not kept. */
export function addToFeed(feed: readonly ProgressEvent[], events: readonly ProgressEvent[]): { feed: ProgressEvent[]; fresh: number[] } {
  const known = new Set(feed.map((e) => e.seq));
  const fresh = events.filter((e) => !known.has(e.seq)).map(({ entity: _entity, ...rest }) => rest as ProgressEvent);
  const next = uniqueBySeq([...fresh, ...feed]).slice(0, feedLimit);
  return { feed: next, fresh: fresh.map((e) => e.seq) };
}

/** The countdown to an instant: days, hours, minutes and seconds left, or null once it has passed. */
export function countdown(openingMs: number, nowMs: number): { days: number; hours: string; minutes: string; seconds: string } | null {
  const left = openingMs - nowMs;
  if (left <= 0) return null;
  const s = Math.floor(left / 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return { days: Math.floor(s / 86400), hours: pad(Math.floor(s / 3600) % 24), minutes: pad(Math.floor(s / 60) % 60), seconds: pad(s % 60) };
}

/** How late an overdue task is: whole days from one day on, else whole hours (at least 1). */
export function lateness(dueAtMs: number, nowMs: number): { unit: "days" | "hours"; n: number } {
  const late = nowMs - dueAtMs;
  return late >= 86_400_000 ? { unit: "days", n: Math.floor(late / 86_400_000) } : { unit: "hours", n: Math.max(1, Math.floor(late / 3_600_000)) };
}

/**
 * The date of a task item's due (yyyy-MM-dd). The live feed sends a Deadline as {date, time}; the OpenAPI document
 * describes every Deadline as the REST form "2020-06-12T17:00". Both are read, so neither form breaks the screen.
 */
export function dueDateOf(due: string | { date: string; time?: string | null } | null | undefined): string {
  if (!due) return "";
  return typeof due === "string" ? due.slice(0, 10) : due.date;
}
