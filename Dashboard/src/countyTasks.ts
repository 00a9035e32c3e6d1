import type { Schemas } from "./api/client";

// A county's own tasks on its phone: status, percent complete and a note are the fields a county may change
// (AccessRules.UnitTaskFields; the assignee is left to the task table).

export type Task = Schemas["TaskResource"];
export const countyTaskPageSize = 20;

export interface TaskUpdateForm {
  status: Schemas["WorkStatus"];
  percentComplete: number;
  note: string;
}

export function taskUpdateForm(task: Task): TaskUpdateForm {
  return { status: task.status, percentComplete: task.percentComplete, note: "" };
}

/** The statuses offered: the current one, then those the API allows next. */
export function statusChoices(task: Task): Schemas["WorkStatus"][] {
  return [task.status, ...task.nextStatuses.filter((s) => s !== task.status)];
}

/** The PATCH body: only what changed; a note alone is a progress note too. Null when nothing would change. */
export function taskUpdateOf(task: Task, form: TaskUpdateForm): Partial<Schemas["TaskPatch"]> | null {
  const patch: Partial<Schemas["TaskPatch"]> = {};
  if (form.status !== task.status) patch.status = form.status;
  // Done without a percent sets 100 on the server; an unchanged percent is left out so that rule applies.
  if (form.percentComplete !== task.percentComplete) patch.percentComplete = form.percentComplete;
  if (form.note.trim()) patch.note = form.note.trim();
  return Object.keys(patch).length > 0 ? patch : null;
}

/** The owner filter of the task list for a county (county:pingyang). */
export function countyUnit(code: string): string {
  return `county:${code}`;
}
