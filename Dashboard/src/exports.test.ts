import { describe, expect, it } from "vitest";
import { sheetUrl } from "./exports";

describe("sheetUrl", () => {
  it("names the list, the format and only the filters that are set", () => {
    expect(sheetUrl("wyss-2020", "tasks", "xlsx", { q: "平阳", status: "", unit: "county:pingyang", offset: "50" }))
      .toBe("/api/summits/wyss-2020/tasks/export.xlsx?q=%E5%B9%B3%E9%98%B3&unit=county%3Apingyang");
  });

  it("keeps a nested list's path and has no query without filters", () => {
    expect(sheetUrl("wyss-2020", "campaigns/cg 1/board", "csv")).toBe("/api/summits/wyss-2020/campaigns/cg%201/board/export.csv");
    expect(sheetUrl("wyss-2020", "readiness/plan", "csv", { limit: "10" })).toBe("/api/summits/wyss-2020/readiness/plan/export.csv");
  });
});
