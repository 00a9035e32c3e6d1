import { afterEach, describe, expect, it } from "vitest";
import type { Schemas } from "./api/client";
import { setLang } from "./i18n";
import { actorName, countyName, describeChange, eventKind, unitKey, unitName, universityName } from "./labels";

afterEach(() => setLang("zh"));

function event(over: Partial<Schemas["ProgressEvent"]>): Schemas["ProgressEvent"] {
  return {
    seq: 1, prevSeq: 0, summit: "wyss-2020", kind: "task", id: "t-1", version: 2, at: "2020-06-10T02:00:00Z",
    account: "secretariat", role: "secretariat", unit: null, title: "T", changes: [], note: null, scope: {}, ...over,
  };
}

describe("labels", () => {
  it("name counties and universities from the table, else the server's name or the code", () => {
    expect(countyName("pingyang")).toBe("平阳县");
    expect(countyName("atlantis", "亚特兰蒂斯")).toBe("亚特兰蒂斯");
    expect(countyName("atlantis")).toBe("atlantis");
    expect(universityName("wzu")).toBe("温州大学");
    expect(universityName(null)).toBe("");
    setLang("en");
    expect(countyName("pingyang")).toBe("Pingyang");
  });

  it("name owning units and write their filter key", () => {
    expect(unitName({ kind: "county", code: "ruian" })).toBe("瑞安市");
    expect(unitName({ kind: "secretariat", code: "publicity" })).toBe("宣传部");
    expect(unitName(null)).toBe("");
    expect(unitKey({ kind: "county", code: "ruian" })).toBe("county:ruian");
  });

  it("describe changes with enum labels, .NET names and units", () => {
    expect(describeChange({ field: "status", from: "notStarted", to: "inProgress" })).toBe("状态 未开始 → 进行中");
    expect(describeChange({ field: "status", from: "InProgress", to: "Done" })).toBe("状态 进行中 → 已完成");
    expect(describeChange({ field: "subEvents.se-1.checklist.venue", from: null, to: "done" })).toBe("场地 已完成");
    expect(describeChange({ field: "owner", from: "county:pingyang", to: "secretariat:office" })).toBe("责任单位 平阳县 → 秘书处办公室");
    expect(describeChange({ field: "title", from: "x".repeat(50), to: "y" })).toBe(`标题 ${"x".repeat(39)}… → y`);
  });

  it("say who changed what in people's terms", () => {
    expect(eventKind(event({ kind: "county", id: "pingyang/se-1" }))).toBe("子活动");
    expect(eventKind(event({ kind: "county", id: "pingyang" }))).toBe("分会场");
    expect(actorName(event({ role: "county", unit: "pingyang" }))).toBe("平阳县");
    expect(actorName(event({ role: "system" }))).toBe("系统");
    expect(actorName(event({ role: "leader", account: "leader" }))).toBe("leader");
  });
});
