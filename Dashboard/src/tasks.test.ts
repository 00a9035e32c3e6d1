import { describe, expect, it } from "vitest";
import { checklistDone, nextState, nextStatuses, subEventLocked } from "./county";
import { dueParts, filtersFromQuery, noFilters, queryOf } from "./tasks";

describe("task filters in the address", () => {
  it("read what is there and ignore nonsense", () => {
    expect(filtersFromQuery({ category: "publicity", overdue: "true", offset: "200" })).toEqual({ ...noFilters, category: "publicity", overdue: true, offset: 200 });
    expect(filtersFromQuery({ offset: "-5", overdue: "yes", unit: ["county:pingyang", "county:ruian"] })).toEqual({ ...noFilters, unit: "county:pingyang" });
  });

  it("write only what is set, and read back the same", () => {
    expect(queryOf(noFilters)).toEqual({});
    const filters = { ...noFilters, q: "平阳", status: "blocked", dueFrom: "2020-06-01", overdue: true, offset: 100 };
    expect(queryOf(filters)).toEqual({ q: "平阳", status: "blocked", dueFrom: "2020-06-01", overdue: "true", offset: "100" });
    expect(filtersFromQuery(queryOf(filters))).toEqual(filters);
  });

  it("split a due date from its time", () => {
    expect(dueParts("2020-06-12")).toEqual({ date: "2020-06-12", time: null });
    expect(dueParts("2020-06-12T17:00")).toEqual({ date: "2020-06-12", time: "17:00" });
  });
});

describe("county checklist rules", () => {
  it("move an item forward with a tap, and a done one back to open", () => {
    expect(nextState.open).toBe("inProgress");
    expect(nextState.inProgress).toBe("done");
    expect(nextState.done).toBe("open");
  });

  it("offer ready only from preparing, and nothing once held", () => {
    expect(nextStatuses.preparing).toContain("ready");
    expect(nextStatuses.planned).not.toContain("ready");
    expect(nextStatuses.held).toEqual([]);
    const all = { venue: "done", programme: "done", guests: "done", epidemicPrevention: "done", publicity: "done", logistics: "done" } as const;
    expect(checklistDone(all)).toBe(true);
    expect(checklistDone({ ...all, guests: "inProgress" })).toBe(false);
    expect(checklistDone({ venue: "done" })).toBe(false);
  });

  it("lock sub-events that are over, set aside, busy or not the account's", () => {
    expect(subEventLocked({ status: "preparing" }, true, false)).toBe(false);
    expect(subEventLocked({ status: "preparing" }, false, false)).toBe(true);
    expect(subEventLocked({ status: "preparing" }, true, true)).toBe(true);
    expect(subEventLocked({ status: "held" }, true, false)).toBe(true);
    expect(subEventLocked({ status: "cancelled" }, true, false)).toBe(true);
    expect(subEventLocked({ status: "planned", setAside: true }, true, false)).toBe(true);
  });
});
