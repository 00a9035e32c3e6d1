import { describe, expect, it } from "vitest";
import type { Schemas } from "./api/client";
import { barStart, bars, baselineRect, baselineSpan, conflicts, daysBetween, movePatch, openingBarId, slips } from "./gantt";

function task(id: string, over: Partial<Schemas["TaskResource"]> = {}): Schemas["TaskResource"] {
  return {
    summit: "wyss-2020", id, title: `任务${id}`, category: "plan", owner: { kind: "county", code: "pingyang" }, assignee: null,
    dueDate: "2020-07-10", dueAt: "2020-07-10T16:00:00Z", overdue: false, status: "inProgress", percentComplete: 10,
    milestone: false, dependsOn: [], nextStatuses: [], version: 1, createdAt: "", updatedAt: "", updatedBy: "secretariat",
    setAside: false, archived: false, ...over,
  } as Schemas["TaskResource"];
}

const schedule = {
  criticalPath: ["a", "b"],
  tasks: [
    { id: "a", projectedFinish: "2020-07-15", earliestStart: "2020-07-01", slack: -3, critical: true },
    { id: "b", projectedFinish: "2020-07-20", earliestStart: "2020-07-16", slack: -3, critical: true },
  ],
} as unknown as Schemas["ScheduleResponse"];

describe("the Gantt chart", () => {
  it("starts a bar at the planned start, else the schedule's, else its length before the due date", () => {
    expect(barStart(task("x", { start: "2020-07-01" }))).toBe("2020-07-01");
    expect(barStart(task("x"), "2020-07-05")).toBe("2020-07-05");
    expect(barStart(task("x", { durationDays: 3 }))).toBe("2020-07-08");
    expect(barStart(task("x"))).toBe("2020-07-10");
    expect(barStart(task("x"), "2020-07-12")).toBe("2020-07-10");
  });

  it("flags a prerequisite that finishes after its dependent is due, and not a finished one", () => {
    const a = task("a", { dueDate: "2020-07-08" });
    const b = task("b", { dueDate: "2020-07-12", dependsOn: ["a"] });
    expect(conflicts([a, b], schedule)).toEqual([{ task: "b", prerequisite: "a", finish: "2020-07-15", due: "2020-07-12" }]);
    expect(conflicts([a, b], null)).toEqual([]);
    expect(conflicts([{ ...a, status: "done" }, b], schedule)).toEqual([]);
    const late = task("c", { dueDate: "2020-07-20" });
    expect(conflicts([late, task("d", { dueDate: "2020-07-11", dependsOn: ["c"] })], null)).toHaveLength(1);
  });

  it("classes bars as critical, in conflict and milestones, adds the opening day, and draws only arrows it can", () => {
    const list = bars([task("a"), task("b", { dependsOn: ["a", "gone"], milestone: true }), task("e")], schedule, "2020-07-28");
    expect(list.find((b) => b.id === "b")).toMatchObject({
      dependencies: "a", custom_class: "conflict", classes: ["task", "critical", "conflict", "milestone"], start: "2020-07-10" });
    expect(list.find((b) => b.id === "a")!.custom_class).toBe("conflict");
    expect(list.find((b) => b.id === "e")).toMatchObject({ custom_class: "task", classes: ["task"] });
    expect(list.at(-1)).toMatchObject({ id: openingBarId, start: "2020-07-28", end: "2020-07-28" });
  });

  it("turns a dragged bar into the new start and due date, keeping a due time", () => {
    const t = task("x", { start: "2020-07-01", dueDate: "2020-07-10T17:00" });
    expect(movePatch(t, new Date(2020, 6, 3), new Date(2020, 6, 13))).toEqual({ start: "2020-07-03", dueDate: "2020-07-12T17:00" });
    expect(movePatch(t, new Date(2020, 6, 1), new Date(2020, 6, 11))).toBeNull();
    expect(movePatch(t, new Date(2020, 6, 1), new Date(2020, 6, 15, 23, 59, 59))).toEqual({ dueDate: "2020-07-15T17:00" });
  });
});

describe("the plan baseline on the Gantt chart", () => {
  const row = (id: string, dueDate: string, over: Partial<Schemas["BaselineTaskResource"]> = {}) =>
    ({ task: id, owner: "county:pingyang", start: null, dueDate, durationDays: null, milestone: false, ...over }) as Schemas["BaselineTaskResource"];

  it("counts calendar days between dates, across months", () => {
    expect(daysBetween("2020-06-30", "2020-07-10")).toBe(10);
    expect(daysBetween("2020-07-10", "2020-06-30")).toBe(-10);
    expect(daysBetween("2020-04-01", "2020-04-01T00:00")).toBe(0);
  });

  it("spans a baseline task from its approved start, else its length back from its approved due date", () => {
    expect(baselineSpan(row("a", "2020-06-30", { start: "2020-06-01" }))).toEqual({ start: "2020-06-01", end: "2020-06-30" });
    expect(baselineSpan(row("a", "2020-06-30", { durationDays: 5 }))).toEqual({ start: "2020-06-26", end: "2020-06-30" });
    expect(baselineSpan(row("a", "2020-06-30"))).toEqual({ start: "2020-06-30", end: "2020-06-30" });
  });

  it("lists the tasks that moved against the baseline, latest slip first, and leaves out new and unmoved ones", () => {
    const baseline = new Map([["a", row("a", "2020-06-30")], ["b", row("b", "2020-07-10")], ["c", row("c", "2020-07-01")]]);
    const moved = slips([task("a", { dueDate: "2020-07-10" }), task("b", { dueDate: "2020-07-10" }), task("c", { dueDate: "2020-06-29" }), task("new")], baseline);
    expect(moved).toEqual([
      { task: "a", baselineDue: "2020-06-30", due: "2020-07-10", days: 10 },
      { task: "c", baselineDue: "2020-07-01", due: "2020-06-29", days: -2 },
    ]);
  });

  it("places the baseline mark in the bar's own day width", () => {
    // A bar of 10 days, 300 px wide from x = 100: 30 px a day.
    const bar = { start: "2020-07-01", end: "2020-07-10", x: 100, width: 300 };
    expect(baselineRect(bar, { start: "2020-06-29", end: "2020-07-03" })).toEqual({ x: 40, width: 150 });
    expect(baselineRect(bar, bar)).toEqual({ x: 100, width: 300 });
  });
});
