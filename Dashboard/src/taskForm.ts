import type { Schemas } from "./api/client";

// The task form's logic, apart from its screen: the form's fields from a task, the create body, the PATCH body of what
// the user changed, the checks made before sending, the two versions of a conflict, and the bulk edits.

type TaskResource = Schemas["TaskResource"];
type TaskPatch = Schemas["TaskPatch"];
type CreateTaskRequest = Schemas["CreateTaskRequest"];

export interface TaskForm {
  title: string;
  category: string;
  /** county:pingyang, secretariat:office, … */
  owner: string;
  assignee: string;
  /** YYYY-MM-DD */
  dueDate: string;
  /** HH:mm, or empty for "by the end of the day". */
  dueTime: string;
  milestone: boolean;
  dependsOn: string[];
  /** YYYY-MM-DD, or empty when not planned. */
  start: string;
  /** Working days as typed, or empty when not planned. */
  durationDays: string;
  note: string;
}

/** The fields a change compares; the note is not a field of the task but of the change. */
export type FormField = Exclude<keyof TaskForm, "note" | "dueTime">;

export const emptyForm: TaskForm = {
  title: "", category: "", owner: "", assignee: "", dueDate: "", dueTime: "", milestone: false, dependsOn: [],
  start: "", durationDays: "", note: "",
};

export const maxTitle = 200;
export const maxAssignee = 100;
export const maxNote = 2000;
export const maxDurationDays = 1000;

export function formOf(task: TaskResource): TaskForm {
  return {
    title: task.title,
    category: task.category,
    owner: `${task.owner.kind}:${task.owner.code}`,
    assignee: task.assignee ?? "",
    dueDate: task.dueDate.slice(0, 10),
    dueTime: task.dueDate.length > 10 ? task.dueDate.slice(11, 16) : "",
    milestone: task.milestone,
    dependsOn: [...task.dependsOn],
    start: task.start ?? "",
    durationDays: task.durationDays === undefined || task.durationDays === null ? "" : String(task.durationDays),
    note: "",
  };
}

function dueOf(form: TaskForm): string {
  return form.dueTime ? `${form.dueDate}T${form.dueTime}` : form.dueDate;
}

function ownerOf(key: string): { kind: Schemas["UnitKind"]; code: string } {
  const colon = key.indexOf(":");
  return { kind: key.slice(0, colon) as Schemas["UnitKind"], code: key.slice(colon + 1) };
}

/** What is wrong with the form, by field, before anything is sent (the server checks all of it again). */
export function formErrors(form: TaskForm): Partial<Record<keyof TaskForm, "required" | "tooLong" | "badNumber" | "startAfterDue" | "badTime">> {
  const errors: Partial<Record<keyof TaskForm, "required" | "tooLong" | "badNumber" | "startAfterDue" | "badTime">> = {};
  if (!form.title.trim()) errors.title = "required";
  else if (form.title.trim().length > maxTitle) errors.title = "tooLong";
  if (!form.category) errors.category = "required";
  if (!form.owner || !form.owner.includes(":")) errors.owner = "required";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.dueDate)) errors.dueDate = "required";
  if (form.dueTime && !/^\d{2}:\d{2}$/.test(form.dueTime)) errors.dueTime = "badTime";
  if (form.assignee.length > maxAssignee) errors.assignee = "tooLong";
  if (form.note.length > maxNote) errors.note = "tooLong";
  if (form.durationDays !== "") {
    const days = Number(form.durationDays);
    if (!Number.isInteger(days) || days < 0 || days > maxDurationDays) errors.durationDays = "badNumber";
  }
  if (form.start && !errors.dueDate && form.start > form.dueDate) errors.start = "startAfterDue";
  return errors;
}

export function createBody(form: TaskForm): CreateTaskRequest {
  // Members left out are absent, not null: the positional members of the request are typed as required-or-null.
  const body: Partial<CreateTaskRequest> = {
    title: form.title.trim(),
    category: form.category as Schemas["TaskCategory"],
    owner: ownerOf(form.owner),
    dueDate: dueOf(form),
    milestone: form.milestone,
  };
  if (form.assignee.trim()) body.assignee = form.assignee.trim();
  if (form.dependsOn.length > 0) body.dependsOn = [...form.dependsOn];
  if (form.start) body.start = form.start;
  if (form.durationDays !== "") body.durationDays = Number(form.durationDays);
  if (form.note.trim()) body.note = form.note.trim();
  return body as CreateTaskRequest;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The fields the user changed compared with the task the form was opened on. */
export function changedFields(before: TaskForm, after: TaskForm): FormField[] {
  const fields: FormField[] = [];
  if (after.title.trim() !== before.title) fields.push("title");
  if (after.category !== before.category) fields.push("category");
  if (after.owner !== before.owner) fields.push("owner");
  if (after.assignee.trim() !== before.assignee) fields.push("assignee");
  if (dueOf(after) !== dueOf(before)) fields.push("dueDate");
  if (after.milestone !== before.milestone) fields.push("milestone");
  if (!sameList(after.dependsOn, before.dependsOn)) fields.push("dependsOn");
  if (after.start !== before.start) fields.push("start");
  if (after.durationDays !== before.durationDays) fields.push("durationDays");
  return fields;
}

/** The PATCH of exactly what changed (and the note); null when there is nothing to send. */
export function patchBody(before: TaskForm, after: TaskForm): TaskPatch | null {
  const body: Record<string, unknown> = {};
  for (const field of changedFields(before, after)) {
    switch (field) {
      case "title":
        body.title = after.title.trim();
        break;
      case "owner":
        body.owner = ownerOf(after.owner);
        break;
      case "assignee":
        // An empty string clears it.
        body.assignee = after.assignee.trim();
        break;
      case "dueDate":
        body.dueDate = dueOf(after);
        break;
      case "durationDays":
        // A planned length can be changed but not taken away; an emptied field leaves it as it was.
        if (after.durationDays !== "") body.durationDays = Number(after.durationDays);
        break;
      case "start":
        if (after.start) body.start = after.start;
        break;
      default:
        body[field] = after[field];
    }
  }
  if (after.note.trim()) body.note = after.note.trim();
  return Object.keys(body).length === 0 ? null : (body as TaskPatch);
}

/** A field's value for people, for the conflict table: the form's text form. */
export function shown(form: TaskForm, field: FormField): string {
  switch (field) {
    case "dueDate":
      return form.dueTime ? `${form.dueDate} ${form.dueTime}` : form.dueDate;
    case "dependsOn":
      return form.dependsOn.join(", ");
    case "milestone":
      return form.milestone ? "✓" : "—";
    default:
      return form[field];
  }
}

export interface ConflictRow {
  field: FormField;
  mine: string;
  theirs: string;
}

/**
 * Someone else saved the task first: for each field the user changed, their value (mine) and the stored one (theirs),
 * and the fields the other person changed meanwhile that the user left alone.
 */
export function conflictRows(opened: TaskForm, mine: TaskForm, theirs: TaskForm): ConflictRow[] {
  const fields = new Set<FormField>([...changedFields(opened, mine), ...changedFields(opened, theirs)]);
  return [...fields].map((field) => ({ field, mine: shown(mine, field), theirs: shown(theirs, field) }));
}

/** My changes put on top of the stored version: what "keep mine" sends next, with the stored version's If-Match. */
export function reapply(opened: TaskForm, mine: TaskForm, theirs: TaskForm): TaskForm {
  const next: TaskForm = { ...theirs, dependsOn: [...theirs.dependsOn], note: mine.note };
  for (const field of changedFields(opened, mine)) {
    if (field === "dueDate") {
      next.dueDate = mine.dueDate;
      next.dueTime = mine.dueTime;
    } else if (field === "dependsOn") next.dependsOn = [...mine.dependsOn];
    else (next as unknown as Record<string, unknown>)[field] = mine[field];
  }
  return next;
}

/** A date moved by whole days (negative moves it earlier), in the calendar, whatever the time zone. */
export function shiftDate(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const moved = new Date(Date.UTC(y, m - 1, d + days));
  return moved.toISOString().slice(0, 10);
}

/** A due date (with its time, if any) moved by whole days. */
export function shiftDue(dueDate: string, days: number): string {
  return shiftDate(dueDate.slice(0, 10), days) + dueDate.slice(10);
}

export interface BulkEdit {
  /** county:pingyang …, or empty to leave it. */
  owner: string;
  /** Days to move the deadline by (as typed); 0 or empty leaves it. */
  shiftDays: number | string;
  /** A status, or empty to leave it. */
  status: string;
  note: string;
}

/** The PATCH one task of a bulk edit gets; null when the edit changes nothing of it. */
export function bulkPatch(task: TaskResource, edit: BulkEdit): TaskPatch | null {
  const body: Record<string, unknown> = {};
  if (edit.owner && edit.owner !== `${task.owner.kind}:${task.owner.code}`) body.owner = ownerOf(edit.owner);
  const days = Math.trunc(Number(edit.shiftDays) || 0);
  if (days) body.dueDate = shiftDue(task.dueDate, days);
  if (edit.status && edit.status !== task.status) body.status = edit.status;
  if (Object.keys(body).length === 0) return null;
  if (edit.note.trim()) body.note = edit.note.trim();
  return body as TaskPatch;
}
