import { describe, expect, it } from "vitest";
import { cleanQuery, flatten, highlight, hitDetail, maxQueryLength, moveIndex, resultLink, shownGroups, type SearchGroup, type SearchHit } from "./search";

const hit = (kind: SearchHit["kind"], id: string, extra: Partial<SearchHit> = {}): SearchHit =>
  ({ kind, id, title: id, rank: 2, unit: null, county: null, date: null, status: null, ...extra }) as SearchHit;

describe("cleanQuery", () => {
  it("drops control characters, collapses spaces and trims", () => {
    expect(cleanQuery("  平阳\u0000 签约\n\t ")).toBe("平阳 签约");
    expect(cleanQuery("\u0085\u007f")).toBe("");
  });
  it("cuts at the Gateway's limit without splitting a character", () => {
    expect(cleanQuery("平".repeat(150))).toHaveLength(maxQueryLength);
    const emoji = cleanQuery("🎉".repeat(80));
    expect(emoji.length).toBeLessThanOrEqual(maxQueryLength);
    expect(emoji).not.toMatch(/[\ud800-\udbff]$/);
  });
});

describe("groups", () => {
  const groups: SearchGroup[] = [
    { kind: "task", items: [hit("task", "t-1"), hit("task", "t-2")], more: true },
    { kind: "subEvent", items: [], more: false },
    { kind: "county", items: [hit("county", "pingyang")], more: false },
  ];
  it("shows only groups with results, in order, and moves through them with wrapping", () => {
    expect(shownGroups(groups).map((g) => g.kind)).toEqual(["task", "county"]);
    expect(flatten(groups).map((h) => h.id)).toEqual(["t-1", "t-2", "pingyang"]);
    expect(moveIndex(-1, 1, 3)).toBe(0);
    expect(moveIndex(-1, -1, 3)).toBe(2);
    expect(moveIndex(2, 1, 3)).toBe(0);
    expect(moveIndex(0, -1, 3)).toBe(2);
    expect(moveIndex(0, 1, 0)).toBe(-1);
  });
});

describe("resultLink", () => {
  const secretariat = ["tasks", "screen", "county"] as const;
  const county = ["county"] as const;
  const university = ["tasks"] as const;
  it("opens tasks in the task table found by id, or a county's page for a county account", () => {
    expect(resultLink(hit("task", "t-00001", { unit: "county:pingyang" }), secretariat)).toEqual({ name: "tasks", query: { q: "t-00001" } });
    expect(resultLink(hit("task", "t-00001", { unit: "county:pingyang" }), county)).toEqual({ name: "county", params: { code: "pingyang" } });
    expect(resultLink(hit("task", "t-00002", { unit: "secretariat:office" }), county)).toBeNull();
  });
  it("opens counties, sub-events and county people on the county's page", () => {
    expect(resultLink(hit("county", "pingyang", { county: "pingyang", unit: "county:pingyang" }), secretariat)).toEqual({ name: "county", params: { code: "pingyang" } });
    expect(resultLink(hit("subEvent", "e-1", { county: "ruian", unit: "county:ruian" }), county)).toEqual({ name: "county", params: { code: "ruian" } });
    expect(resultLink(hit("person", "county-pingyang", { county: "pingyang", unit: "county:pingyang" }), secretariat)).toEqual({ name: "county", params: { code: "pingyang" } });
    expect(resultLink(hit("county", "pingyang", { county: "pingyang" }), university)).toEqual({ name: "tasks", query: { unit: "county:pingyang" } });
  });
  it("opens universities, sub-forums, projects and other people where they are shown", () => {
    expect(resultLink(hit("university", "wmu", { unit: "university:wmu" }), university)).toEqual({ name: "tasks", query: { unit: "university:wmu" } });
    expect(resultLink(hit("subForum", "forum-ai"), secretariat)).toEqual({ name: "tasks", query: { q: "forum-ai" } });
    expect(resultLink(hit("subForum", "forum-ai"), county)).toBeNull();
    expect(resultLink(hit("project", "p-1", { county: "pingyang" }), secretariat)).toEqual({ name: "screen" });
    expect(resultLink(hit("project", "p-1", { county: "pingyang" }), county)).toEqual({ name: "county", params: { code: "pingyang" } });
    expect(resultLink(hit("alliance", "pumpvalve", { title: "泵阀联盟" }), ["tasks", "alliances"])).toEqual({ name: "alliances", query: { q: "泵阀联盟" } });
    expect(resultLink(hit("finalist", "swc-001", { title: "新型角膜接触镜材料" }), ["alliances"])).toEqual({ name: "finalists", query: { q: "新型角膜接触镜材料" } });
    expect(resultLink(hit("alliance", "pumpvalve"), county)).toBeNull();
    expect(resultLink(hit("person", "university-wmu", { unit: "university:wmu" }), university)).toEqual({ name: "tasks", query: { unit: "university:wmu" } });
    expect(resultLink(hit("person", "secretariat"), secretariat)).toEqual({ name: "tasks", query: { q: "secretariat" } });
  });
});

describe("highlight", () => {
  it("marks the phrase or the first word found, ignoring case", () => {
    expect(highlight("平阳子活动报批", "平阳")).toEqual(["", "平阳", "子活动报批"]);
    expect(highlight("Pump Valve forum", "valve")).toEqual(["Pump ", "Valve", " forum"]);
    expect(highlight("鳐鱼平阳共建签约", "平阳 签约")).toEqual(["鳐鱼", "平阳", "共建签约"]);
    expect(highlight("其他", "平阳")).toEqual(["其他", "", ""]);
  });
});

describe("hitDetail", () => {
  it("names the owner and date of a task and the unit of a person", () => {
    expect(hitDetail(hit("task", "t-1", { unit: "county:pingyang", date: "2020-07-15" }))).toMatch(/平阳.* · 2020-07-15$/);
    expect(hitDetail(hit("county", "pingyang", { unit: "county:pingyang" }))).toBe("");
    expect(hitDetail(hit("person", "county-pingyang", { unit: "county:pingyang", status: "county" }))).toMatch(/平阳/);
    expect(hitDetail(hit("person", "leader", { status: "leader" }))).toContain("领导");
  });
});
