import { describe, expect, it } from "vitest";
import { countyUnit, statusChoices, taskUpdateForm, taskUpdateOf, type Task } from "./countyTasks";

const task = {
  id: "t1", title: "平阳分会场布置", status: "inProgress", percentComplete: 40, nextStatuses: ["notStarted", "blocked", "done", "cancelled"], version: 7,
} as Task;

describe("a county's task updates", () => {
  it("offer the current status and the API's next ones", () => {
    expect(statusChoices(task)).toEqual(["inProgress", "notStarted", "blocked", "done", "cancelled"]);
  });

  it("send only status, percent and note that changed", () => {
    const form = taskUpdateForm(task);
    expect(taskUpdateOf(task, form)).toBeNull();
    expect(taskUpdateOf(task, { ...form, percentComplete: 60 })).toEqual({ percentComplete: 60 });
    expect(taskUpdateOf(task, { ...form, status: "done" })).toEqual({ status: "done" });
    expect(taskUpdateOf(task, { ...form, note: " 已联系场地 " })).toEqual({ note: "已联系场地" });
  });

  it("filter the list by the county as owner", () => {
    expect(countyUnit("pingyang")).toBe("county:pingyang");
  });
});
