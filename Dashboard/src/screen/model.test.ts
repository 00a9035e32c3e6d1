import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import type { CountyRow, DashboardSnapshot } from "../live/contract";
import { addToFeed, applyPatch, countdown, dueDateOf, feedLimit, lateness, uniqueBySeq } from "./model";

function ev(seq: number): Schemas["ProgressEvent"] {
  return {
    seq, prevSeq: seq - 1, summit: "s", kind: "task", id: `t-${seq}`, version: 2, at: "2020-06-10T02:00:00Z",
    account: "a", role: "secretariat", unit: null, title: null, changes: [], note: null, scope: {}, entity: { big: true },
  };
}

const row = (county: string, checklistDone: number) => ({ county, checklistDone, checklistTotal: 6 }) as unknown as CountyRow;

function snapshot(): DashboardSnapshot {
  return {
    summit: "s", seq: 1, revision: 1, counties: [row("pingyang", 1), row("ruian", 2)], subForums: [],
    tasks: { total: 10 }, overdue: { total: 0, items: [] }, dueThisWeek: { total: 0, items: [] }, funnel: { projects: 0 },
  } as unknown as DashboardSnapshot;
}

describe("a dashboard patch", () => {
  it("replaces only the parts that changed and keeps the others' identity", () => {
    const before = snapshot();
    const { next, parts, counties } = applyPatch(before, {
      summit: "s", seq: 2, revision: 2, counties: [row("pingyang", 2), row("ruian", 2)], tasks: { total: 10 } as never,
    });
    expect([...parts]).toEqual(["counties"]);
    expect(counties).toEqual(["pingyang"]);
    expect(next.counties[0].checklistDone).toBe(2);
    expect(before.counties[0].checklistDone).toBe(1);
    expect(next.tasks).toBe(before.tasks);
    expect(next.overdue).toBe(before.overdue);
    expect(next.subForums).toBe(before.subForums);
  });

  it("redraws the county tiles with the schedule and adds new rows", () => {
    const { next, parts } = applyPatch(snapshot(), { summit: "s", seq: 2, revision: 2, schedule: { atRisk: true } as never, counties: [row("longgang", 0)] });
    expect(parts).toEqual(new Set(["schedule", "counties"]));
    expect(next.counties.map((c) => c.county)).toEqual(["pingyang", "ruian", "longgang"]);
  });

  it("changes nothing when it repeats what is shown", () => {
    const before = snapshot();
    const { parts, next } = applyPatch(before, { summit: "s", seq: 2, revision: 2, counties: before.counties, overdue: before.overdue });
    expect(parts.size).toBe(0);
    expect(next.counties).toBe(before.counties);
  });
});

describe("the activity feed", () => {
  it("keeps each seq once, newest first, at most the limit, without entities", () => {
    const start = uniqueBySeq([ev(3), ev(1), ev(3), ev(2)]);
    expect(start.map((e) => e.seq)).toEqual([3, 2, 1]);
    const { feed, fresh } = addToFeed(start, [ev(3), ev(4), ev(5)]);
    expect(feed.map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
    expect(fresh).toEqual([4, 5]);
    expect(feed[0].entity).toBeUndefined();
    const many = addToFeed([], Array.from({ length: 80 }, (_, i) => ev(i + 1)));
    expect(many.feed).toHaveLength(feedLimit);
    expect(many.feed[0].seq).toBe(80);
  });
});

describe("clock texts", () => {
  it("count down to the opening and stop once it has passed", () => {
    const opening = Date.parse("2020-10-18T00:00:00+08:00");
    expect(countdown(opening, opening - (2 * 86_400 + 3 * 3_600 + 4 * 60 + 5) * 1_000)).toEqual({ days: 2, hours: "03", minutes: "04", seconds: "05" });
    expect(countdown(opening, opening)).toBeNull();
  });

  it("say how late a task is in days, else in hours (at least one)", () => {
    expect(lateness(0, 3 * 86_400_000 + 5)).toEqual({ unit: "days", n: 3 });
    expect(lateness(0, 5 * 3_600_000)).toEqual({ unit: "hours", n: 5 });
    expect(lateness(0, 60_000)).toEqual({ unit: "hours", n: 1 });
  });

  it("read a due date in either wire form", () => {
    expect(dueDateOf({ date: "2020-06-12", time: "17:00" })).toBe("2020-06-12");
    expect(dueDateOf("2020-06-12T17:00")).toBe("2020-06-12");
    expect(dueDateOf(null)).toBe("");
  });
});
