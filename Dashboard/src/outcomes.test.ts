import { describe, expect, it } from "vitest";
import {
  allianceDraftOf, allianceFormOf, alliancePatchOf, allianceStatusOptions, emptyAllianceForm, emptyFinalistForm, finalistFormOf,
  finalistPatchOf, finalistStatusOptions, leadUnitOptions, linesOf, type Alliance, type Finalist,
} from "./outcomes";

const alliance: Alliance = {
  summit: "wyss-2020", id: "pumpvalve", name: "泵阀产业产学研用协同创新联盟", nameEn: null, field: "泵阀",
  leadUnit: { kind: "county", code: "longwan" }, memberUnits: ["中国复合材料学会"], memberEnterprises: [], status: "forming",
  signingDate: null, version: 2, updatedAt: "2020-06-10T01:00:00Z", updatedBy: "secretariat",
};

const finalist: Finalist = {
  summit: "wyss-2020", id: "swc-001", projectName: "新型角膜接触镜材料", team: "陈思远团队", university: "温州医科大学", country: "中国",
  track: "生命健康", status: "nominated", subForum: "startup-world-cup", version: 1, updatedAt: "2020-06-10T01:00:00Z", updatedBy: "secretariat",
};

describe("outcome forms", () => {
  it("offers only the status moves the Gateway allows", () => {
    expect(allianceStatusOptions("proposed")).toEqual(["proposed", "forming", "cancelled"]);
    expect(allianceStatusOptions("signed")).toEqual(["signed", "forming"]);
    expect(allianceStatusOptions(null)).toHaveLength(4);
    expect(finalistStatusOptions("withdrawn")).toEqual(["withdrawn", "nominated"]);
  });

  it("reads member names one a line, ignoring blank lines", () => {
    expect(linesOf(" 甲 \n\n乙\r\n")).toEqual(["甲", "乙"]);
  });

  it("sends a create with the lead unit only once chosen", () => {
    const draft = allianceDraftOf({ ...emptyAllianceForm, name: "联盟", field: "服装", memberUnits: "甲\n乙" });
    expect(draft.leadUnit).toBeNull();
    expect(draft.memberUnits).toEqual(["甲", "乙"]);
    expect(allianceDraftOf({ ...emptyAllianceForm, leadCode: "ouhai" }).leadUnit).toEqual({ kind: "county", code: "ouhai" });
  });

  it("patches only what changed", () => {
    expect(alliancePatchOf(alliance, allianceFormOf(alliance))).toBeNull();
    const form = { ...allianceFormOf(alliance), status: "signed" as const, signingDate: "2020-06-09", memberUnits: "中国复合材料学会\n温州大学" };
    expect(alliancePatchOf(alliance, form)).toEqual({ status: "signed", signingDate: "2020-06-09", memberUnits: ["中国复合材料学会", "温州大学"] });
    expect(finalistPatchOf(finalist, finalistFormOf(finalist))).toBeNull();
    expect(finalistPatchOf(finalist, { ...finalistFormOf(finalist), status: "confirmed", note: " 组委会确认 " })).toEqual({ status: "confirmed", note: "组委会确认" });
    expect(finalistPatchOf(finalist, { ...finalistFormOf(finalist), subForum: "" })).toEqual({ subForum: "" });
    expect(emptyFinalistForm.status).toBe("nominated");
  });

  it("names lead units rather than codes", () => {
    expect(leadUnitOptions("county")).toContainEqual({ code: "ruian", name: "瑞安市" });
    expect(leadUnitOptions("university")).toContainEqual({ code: "wmu", name: "温州医科大学" });
    expect(leadUnitOptions("secretariat")[0]).toEqual({ code: "office", name: "秘书处办公室" });
  });
});
