import { describe, expect, it } from "vitest";
import { allowedViews, homeView, mayOpen, viewOf } from "./router";
import { badgeText, mergeNewest } from "./stores/notifications";
import type { NotificationItem } from "./live/contract";

describe("roles", () => {
  it("land on their home view and open only their views", () => {
    expect(homeView("leader")).toBe("screen");
    expect(homeView("secretariat")).toBe("tasks");
    expect(homeView("county")).toBe("county");
    expect(homeView("university")).toBe("university");
    expect(homeView("admin")).toBe("accounts");
    expect(homeView("organization")).toBe("campaigns");
    expect(allowedViews("county")).toEqual(["county", "campaigns", "organizations", "calendar"]);
    expect(allowedViews("university")).toEqual(["university", "tasks", "campaigns", "organizations", "calendar"]);
    expect(allowedViews("organization")).toEqual(["campaigns", "calendar"]);
    expect(allowedViews("leader")).toEqual(["screen", "readiness", "tasks", "gantt", "county", "university", "alliances", "campaigns", "organizations", "calendar"]);
    expect(allowedViews("secretariat")).toEqual(["tasks", "gantt", "readiness", "screen", "county", "university", "alliances", "campaigns", "organizations", "calendar"]);
    expect(allowedViews("admin")).toEqual(["accounts"]);
    for (const role of ["leader", "secretariat", "county", "university", "admin"] as const) expect(allowedViews(role)).toContain(homeView(role));
  });

  it("send a role without views to sign-in instead of redirecting in a circle", () => {
    expect(allowedViews("system")).toEqual([]);
    expect(homeView("system")).toBe("login");
  });

  it("open the calendar feeds for every role but admins", () => {
    for (const role of ["leader", "secretariat", "county", "university", "organization"] as const) expect(mayOpen(role, "calendar")).toBe(true);
    expect(mayOpen("admin", "calendar")).toBe(false);
    expect(viewOf("calendar")).toBe("calendar");
  });

  it("keep account management to admins", () => {
    for (const role of ["leader", "secretariat", "county", "university"] as const) expect(allowedViews(role)).not.toContain("accounts");
  });

  it("open a task's page as part of the task table", () => {
    expect(viewOf("task")).toBe("tasks");
    expect(viewOf("tasks")).toBe("tasks");
    expect(viewOf("gantt")).toBe("gantt");
    expect(viewOf("alliances")).toBe("alliances");
    expect(viewOf("finalists")).toBe("alliances");
    expect(viewOf("readiness")).toBe("readiness");
    expect(viewOf("login")).toBeNull();
    expect(viewOf("other")).toBeNull();
  });

  it("open a notice and a submission as part of the campaigns, for every role but admins", () => {
    expect(viewOf("campaign")).toBe("campaigns");
    expect(viewOf("submission")).toBe("campaigns");
    for (const role of ["leader", "secretariat", "county", "university"] as const) {
      expect(mayOpen(role, "campaigns")).toBe(true);
      expect(mayOpen(role, "submission")).toBe(true);
    }
    expect(mayOpen("admin", "campaign")).toBe(false);
  });

  it("let counties open their tasks' pages but not the task table", () => {
    expect(mayOpen("county", "task")).toBe(true);
    expect(mayOpen("county", "tasks")).toBe(false);
    expect(mayOpen("university", "task")).toBe(true);
    expect(mayOpen("admin", "task")).toBe(false);
    expect(mayOpen("county", "other")).toBe(false);
  });
});

describe("the bell", () => {
  it("counts up to 99 and then says 99+", () => {
    expect(badgeText(0)).toBe("0");
    expect(badgeText(99)).toBe("99");
    expect(badgeText(100)).toBe("99+");
  });

  it("keeps the newest notifications first", () => {
    const n = (id: string, createdAt: string) => ({ id, createdAt }) as NotificationItem;
    const list = mergeNewest([n("b", "2020-06-10T02:00:00Z"), n("a", "2020-06-09T02:00:00Z")], n("c", "2020-06-09T12:00:00Z"), 2);
    expect(list.map((x) => x.id)).toEqual(["b", "c"]);
  });
});
