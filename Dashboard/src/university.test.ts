import { describe, expect, it } from "vitest";
import { hhmmOf, mayEditUniversity, projectChoices, projectForm, projectPatchOf, subForumChoices, subForumForm, subForumPatchOf, type Project, type SubForum } from "./university";

const forum = {
  summit: "wyss-2020", id: "f1", theme: "生命健康", hostUniversity: "wmu", day: "2020-06-12", start: "14:00:00", end: "17:30:00",
  venue: "温医大报告厅", format: "offline", speakers: [], status: "programmeSet", version: 4, updatedAt: "2020-06-10T01:00:00Z", updatedBy: "secretariat",
} as SubForum;
const project = {
  summit: "wyss-2020", id: "p1", title: "眼视光合作", industry: "医疗", partners: [], county: "ouhai", universities: ["wmu"], stage: "negotiating",
  enterprisesInvolved: 3, signingDate: null, version: 2, updatedAt: "2020-06-10T01:00:00Z", updatedBy: "secretariat",
} as Project;

describe("a university's sub-forums and projects", () => {
  it("offer only the moves the API allows, the current one first", () => {
    expect(subForumChoices("programmeSet")).toEqual(["programmeSet", "planned", "speakersConfirmed"]);
    expect(subForumChoices("planned")).toEqual(["planned", "programmeSet"]);
    expect(subForumChoices("concluded")).toEqual(["concluded", "planned", "programmeSet", "speakersConfirmed", "venueReady", "rehearsed", "live"]);
    expect(projectChoices("negotiating")).toEqual(["negotiating", "matched", "readyToSign"]);
    expect(projectChoices("identified")).toEqual(["identified", "matched"]);
    expect(projectChoices("landed")).toEqual(["landed", "signed"]);
  });

  it("send only what changed, with the note only beside a change", () => {
    const form = subForumForm(forum);
    expect(form.start).toBe("14:00");
    expect(subForumPatchOf(forum, form)).toBeNull();
    expect(subForumPatchOf(forum, { ...form, note: "只写说明" })).toBeNull();
    expect(subForumPatchOf(forum, { ...form, venue: "新会场", status: "speakersConfirmed", note: " 嘉宾已确认 " }))
      .toEqual({ venue: "新会场", status: "speakersConfirmed", note: "嘉宾已确认" });
    expect(subForumPatchOf(forum, { ...form, end: "18:00" })).toEqual({ end: "18:00" });

    const p = projectForm(project);
    expect(projectPatchOf(project, p)).toBeNull();
    expect(projectPatchOf(project, { ...p, enterprisesInvolved: 5, stage: "readyToSign" })).toEqual({ enterprisesInvolved: 5, stage: "readyToSign" });
    expect(projectPatchOf(project, { ...p, signingDate: "2020-06-13" })).toEqual({ signingDate: "2020-06-13" });
  });

  it("let the university itself and the secretariat edit, never leaders or other universities", () => {
    expect(mayEditUniversity({ role: "university", unit: "wmu" }, "wmu")).toBe(true);
    expect(mayEditUniversity({ role: "university", unit: "wzu" }, "wmu")).toBe(false);
    expect(mayEditUniversity({ role: "secretariat" }, "wmu")).toBe(true);
    expect(mayEditUniversity({ role: "leader" }, "wmu")).toBe(false);
    expect(hhmmOf(null)).toBe("");
  });
});
