import { describe, expect, it } from "vitest";
import type { Schemas } from "./api/client";
import {
  bulkPatch, changedFields, conflictRows, createBody, emptyForm, formErrors, formOf, patchBody, reapply, shiftDue,
} from "./taskForm";

const task = {
  summit: "wyss-2020", id: "t-1", title: "布置主会场", category: "venue", owner: { kind: "county", code: "pingyang" },
  assignee: "张三", dueDate: "2020-07-10", dueAt: "2020-07-10T16:00:00Z", overdue: false, status: "inProgress",
  percentComplete: 20, milestone: false, dependsOn: ["t-0"], nextStatuses: ["blocked", "done"], version: 3,
  createdAt: "2020-06-01T00:00:00Z", updatedAt: "2020-06-02T00:00:00Z", updatedBy: "secretariat",
  setAside: false, archived: false, start: "2020-06-20", durationDays: 5,
} as unknown as Schemas["TaskResource"];

describe("the task form", () => {
  it("reads a task and sends back only what changed, with the note", () => {
    const opened = formOf(task);
    expect(opened).toMatchObject({ owner: "county:pingyang", dueDate: "2020-07-10", dueTime: "", start: "2020-06-20", durationDays: "5" });
    expect(patchBody(opened, { ...opened })).toBeNull();
    const edited = { ...opened, title: " 布置主会场（二） ", dueTime: "17:00", durationDays: "0", note: "工期调整" };
    expect(changedFields(opened, edited)).toEqual(["title", "dueDate", "durationDays"]);
    expect(patchBody(opened, edited)).toEqual({ title: "布置主会场（二）", dueDate: "2020-07-10T17:00", durationDays: 0, note: "工期调整" });
    expect(patchBody(opened, { ...opened, assignee: "" })).toEqual({ assignee: "" });
    expect(patchBody(opened, { ...opened, owner: "secretariat:office" })).toEqual({ owner: { kind: "secretariat", code: "office" } });
  });

  it("builds a create body without empty members", () => {
    const form = { ...emptyForm, title: "新任务", category: "plan", owner: "university:wmu", dueDate: "2020-07-01" };
    expect(createBody(form)).toEqual({ title: "新任务", category: "plan", owner: { kind: "university", code: "wmu" }, dueDate: "2020-07-01", milestone: false });
    expect(createBody({ ...form, start: "2020-06-15", durationDays: "3", dependsOn: ["t-1"], note: "  " }))
      .toMatchObject({ start: "2020-06-15", durationDays: 3, dependsOn: ["t-1"] });
  });

  it("checks the fields before sending", () => {
    expect(formErrors(emptyForm)).toMatchObject({ title: "required", category: "required", owner: "required", dueDate: "required" });
    const ok = { ...emptyForm, title: "x", category: "plan", owner: "county:ruian", dueDate: "2020-07-01" };
    expect(formErrors(ok)).toEqual({});
    expect(formErrors({ ...ok, start: "2020-07-02" })).toEqual({ start: "startAfterDue" });
    expect(formErrors({ ...ok, start: "2020-07-01" })).toEqual({});
    for (const bad of ["-1", "1.5", "abc", "1001"]) expect(formErrors({ ...ok, durationDays: bad })).toEqual({ durationDays: "badNumber" });
    expect(formErrors({ ...ok, title: "x".repeat(201) })).toEqual({ title: "tooLong" });
    expect(formErrors({ ...ok, dueTime: "5pm" })).toEqual({ dueTime: "badTime" });
  });

  it("shows both versions of a conflict and can put mine on top of theirs", () => {
    const opened = formOf(task);
    const mine = { ...opened, title: "我的标题", note: "我的说明" };
    const theirs = { ...opened, assignee: "李四", title: "他们的标题" };
    expect(conflictRows(opened, mine, theirs)).toEqual([
      { field: "title", mine: "我的标题", theirs: "他们的标题" },
      { field: "assignee", mine: "张三", theirs: "李四" },
    ]);
    const next = reapply(opened, mine, theirs);
    expect(next).toMatchObject({ title: "我的标题", assignee: "李四", note: "我的说明" });
    expect(patchBody(theirs, next)).toEqual({ title: "我的标题", note: "我的说明" });
  });
});

describe("bulk edits", () => {
  it("move deadlines by days across months, keeping the time", () => {
    expect(shiftDue("2020-06-29", 3)).toBe("2020-07-02");
    expect(shiftDue("2020-03-01T17:00", -1)).toBe("2020-02-29T17:00");
  });

  it("send each task only what changes for it", () => {
    const none = { owner: "", shiftDays: 0, status: "", note: "" };
    expect(bulkPatch(task, none)).toBeNull();
    expect(bulkPatch(task, { ...none, owner: "county:pingyang", status: "inProgress" })).toBeNull();
    expect(bulkPatch(task, { ...none, shiftDays: "-3" })).toEqual({ dueDate: "2020-07-07" });
    expect(bulkPatch(task, { ...none, shiftDays: "abc" })).toBeNull();
    expect(bulkPatch(task, { owner: "county:ruian", shiftDays: 2, status: "done", note: "批量调整" }))
      .toEqual({ owner: { kind: "county", code: "ruian" }, dueDate: "2020-07-12", status: "done", note: "批量调整" });
  });
});
