import type { Schemas } from "./api/client";
import { shiftDate } from "./taskForm";

// The Gantt view's model, apart from the chart: one bar per task (planned start to due date), the critical path and the
// schedule conflicts from the server's schedule, the opening day as a milestone, and a dragged bar back to a PATCH.

type TaskResource = Schemas["TaskResource"];
type ScheduleResponse = Schemas["ScheduleResponse"];

export interface Bar {
  id: string;
  name: string;
  /** YYYY-MM-DD, the first day of the bar. */
  start: string;
  /** YYYY-MM-DD, the last day of the bar (the due date). */
  end: string;
  progress: number;
  /** Ids of the prerequisites, comma-separated, as the chart wants them. */
  dependencies: string;
  /** The one class the chart puts on the bar (it takes a single name): the most telling of classes. */
  custom_class: string;
  /** Every class of the bar, set on it once drawn: task, critical, conflict, milestone, done, opening. */
  classes: string[];
}

/** A prerequisite that is projected to finish after the task it holds up is due. */
export interface Conflict {
  task: string;
  prerequisite: string;
  /** The prerequisite's projected finish (or due date when it is not scheduled). */
  finish: string;
  due: string;
}

export const openingBarId = "opening-day";

/** Where a task's bar starts: its planned start, else the schedule's earliest start, else its length back from the due date. */
export function barStart(task: TaskResource, earliestStart?: string | null): string {
  const due = task.dueDate.slice(0, 10);
  const candidate = task.start ?? earliestStart ?? shiftDate(due, -Math.max(0, (task.durationDays ?? 1) - 1));
  return candidate > due ? due : candidate;
}

/**
 * The conflicts of a set of tasks: each dependency whose prerequisite finishes (as projected by the schedule, or by
 * its due date when the schedule has no projection, e.g. it is closed) after the dependent task's due date.
 */
export function conflicts(tasks: readonly TaskResource[], schedule: ScheduleResponse | null): Conflict[] {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const projected = new Map((schedule?.tasks ?? []).map((s) => [s.id, s.projectedFinish]));
  const found: Conflict[] = [];
  for (const task of tasks) {
    const due = task.dueDate.slice(0, 10);
    for (const id of task.dependsOn) {
      const prerequisite = byId.get(id);
      if (!prerequisite || prerequisite.status === "done" || prerequisite.status === "cancelled") continue;
      const finish = projected.get(id) ?? prerequisite.dueDate.slice(0, 10);
      if (finish > due) found.push({ task: task.id, prerequisite: id, finish, due });
    }
  }
  return found;
}

/** The chart's bars: the tasks, classed by what they are, and the opening day as the last milestone. */
export function bars(tasks: readonly TaskResource[], schedule: ScheduleResponse | null, openingDate: string | null): Bar[] {
  const slack = new Map((schedule?.tasks ?? []).map((s) => [s.id, s]));
  const critical = new Set(schedule?.criticalPath ?? []);
  const late = conflicts(tasks, schedule);
  const conflicted = new Set(late.flatMap((c) => [c.task, c.prerequisite]));
  const shown = new Set(tasks.map((t) => t.id));
  const result: Bar[] = tasks.map((task) => {
    const scheduled = slack.get(task.id);
    const classes = ["task"];
    if (critical.has(task.id) || scheduled?.critical) classes.push("critical");
    if (conflicted.has(task.id) || (scheduled && scheduled.slack < 0)) classes.push("conflict");
    if (task.milestone) classes.push("milestone");
    if (task.status === "done") classes.push("done");
    return {
      id: task.id,
      name: task.title,
      start: barStart(task, scheduled?.earliestStart),
      end: task.dueDate.slice(0, 10),
      progress: task.percentComplete,
      // Only arrows between bars on the chart: a prerequisite filtered out has no bar to start from.
      dependencies: task.dependsOn.filter((d) => shown.has(d)).join(", "),
      custom_class: ["conflict", "critical", "milestone"].find((c) => classes.includes(c)) ?? "task",
      classes,
    };
  });
  if (openingDate) result.push({ id: openingBarId, name: "", start: openingDate, end: openingDate, progress: 0, dependencies: "", custom_class: "opening", classes: ["opening", "milestone"] });
  return result;
}

/** A Date the chart reports, as the local calendar day it falls on. */
export function dayOf(date: Date): string {
  const y = date.getFullYear();
  const m = String(date.getMonth() + 1).padStart(2, "0");
  const d = String(date.getDate()).padStart(2, "0");
  return `${y}-${m}-${d}`;
}

/**
 * A bar dragged or resized to [start, end) as the chart reports it (end is the moment just past the last day, or
 * within it), as the PATCH of the task: the new start and due date; a due time of day is kept. Null when neither moved.
 */
export function movePatch(task: TaskResource, start: Date, end: Date): { start?: string; dueDate?: string } | null {
  const newStart = dayOf(start);
  // The chart's end is exclusive: the last day of the bar is the day of the moment just before it.
  const lastDay = dayOf(new Date(end.getTime() - 1));
  const due = lastDay < newStart ? newStart : lastDay;
  const body: { start?: string; dueDate?: string } = {};
  if (due !== task.dueDate.slice(0, 10)) body.dueDate = due + task.dueDate.slice(10);
  if (newStart !== barStart(task)) body.start = newStart;
  return Object.keys(body).length === 0 ? null : body;
}

type BaselineTaskResource = Schemas["BaselineTaskResource"];

/** Whole days from one YYYY-MM-DD to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

/** Where a task stood in the baseline: its first and last day, as its bar would have been drawn then. */
export function baselineSpan(row: BaselineTaskResource): { start: string; end: string } {
  const end = row.dueDate.slice(0, 10);
  const start = row.start ?? shiftDate(end, -Math.max(0, (row.durationDays ?? 1) - 1));
  return { start: start > end ? end : start, end };
}

/** How a task's due date moved against the baseline: calendar days later (positive) or earlier (negative). */
export interface Slip {
  task: string;
  baselineDue: string;
  due: string;
  days: number;
}

/** The tasks whose due date is not the baseline's, latest slip first (then by id); tasks the baseline does not hold are left out. */
export function slips(tasks: readonly TaskResource[], baseline: ReadonlyMap<string, BaselineTaskResource>): Slip[] {
  const found: Slip[] = [];
  for (const task of tasks) {
    const row = baseline.get(task.id);
    if (!row) continue;
    const days = daysBetween(row.dueDate, task.dueDate);
    if (days !== 0) found.push({ task: task.id, baselineDue: row.dueDate.slice(0, 10), due: task.dueDate.slice(0, 10), days });
  }
  return found.sort((a, b) => b.days - a.days || (a.task < b.task ? -1 : a.task > b.task ? 1 : 0));
}

/**
 * The baseline's mark under a drawn bar, in the bar's own pixels: the bar spans its start to its end day (inclusive), so
 * one day is its width over its days, and the baseline span is placed by its distance in days from the bar's start.
 */
export function baselineRect(
  bar: { start: string; end: string; x: number; width: number },
  span: { start: string; end: string },
): { x: number; width: number } {
  const dayWidth = bar.width / (daysBetween(bar.start, bar.end) + 1);
  return { x: bar.x + daysBetween(bar.start, span.start) * dayWidth, width: (daysBetween(span.start, span.end) + 1) * dayWidth };
}
