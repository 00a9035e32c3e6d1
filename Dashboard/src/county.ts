import type { Schemas } from "./api/client";

export type SubEventStatus = Schemas["SubEventStatus"];
export type ChecklistState = "open" | "inProgress" | "done";
export type ChecklistItem = "venue" | "programme" | "guests" | "epidemicPrevention" | "publicity" | "logistics";
/**
 * A sub-event's checklist on the wire: item → state, both camelCase. The OpenAPI document describes this enum-keyed
 * map as an untyped schema (IReadOnlyDictionaryOfChecklistItemAndChecklistState), so its type is written here.
 */
export type Checklist = Partial<Record<ChecklistItem, ChecklistState>>;
export type SubEvent = Omit<Schemas["SubEvent"], "checklist"> & { checklist: Checklist };
export type CountyVenue = Omit<Schemas["CountyVenue"], "subEvents"> & { subEvents: SubEvent[] };

export const ChecklistItems: ChecklistItem[] = ["venue", "programme", "guests", "epidemicPrevention", "publicity", "logistics"];

// The sub-event pipeline of Rules/Transitions.cs, so only moves that will succeed are offered.
export const nextStatuses: Record<SubEventStatus, SubEventStatus[]> = {
  planned: ["preparing", "cancelled"],
  preparing: ["ready", "planned", "cancelled"],
  ready: ["held", "preparing", "cancelled"],
  held: [],
  cancelled: ["planned"],
};

// One tap moves an item forward; a done item goes back to open (inspections do find "done" items that are not).
export const nextState: Record<ChecklistState, ChecklistState> = { open: "inProgress", inProgress: "done", done: "open" };

/** Every checklist item done: the sub-event may be set ready. */
export function checklistDone(checklist: Checklist): boolean {
  return ChecklistItems.every((item) => checklist[item] === "done");
}

/** Whether a sub-event's checklist and status may be changed: writable, not busy, not over, not set aside. */
export function subEventLocked(event: { status: SubEventStatus; setAside?: boolean }, writable: boolean, pending: boolean): boolean {
  return !writable || pending || event.status === "held" || event.status === "cancelled" || event.setAside === true;
}

export interface SubEventForm {
  title: string;
  date: string;
  venue: string;
  note: string;
}

export function subEventForm(event: SubEvent): SubEventForm {
  return { title: event.title, date: event.date ?? "", venue: event.venue ?? "", note: "" };
}

/** The PATCH body of a sub-event's details: only what changed, the note only beside a change; null when nothing did. */
export function subEventPatchOf(event: SubEvent, form: SubEventForm): Partial<Schemas["SubEventPatch"]> | null {
  const patch: Partial<Schemas["SubEventPatch"]> = {};
  if (form.title !== event.title) patch.title = form.title;
  if (form.date && form.date !== (event.date ?? "")) patch.date = form.date;
  if (form.venue !== (event.venue ?? "")) patch.venue = form.venue;
  if (Object.keys(patch).length === 0) return null;
  if (form.note.trim()) patch.note = form.note.trim();
  return patch;
}
