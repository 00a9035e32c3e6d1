import type { LocationQuery } from "vue-router";
import type { Schemas } from "./api/client";

// The task list's filters live in the address (#/tasks?category=publicity&overdue=true), so a filtered list can be shared.

export const pageSize = 100;
export const departments = ["office", "academic", "publicity", "liaison", "logistics", "international", "finance"] as const;

export const TaskCategories: Schemas["TaskCategory"][] = [
  "approval", "plan", "organisation", "budget", "logistics", "office", "venue", "publicity",
  "epidemicPrevention", "contingency", "partnership", "awards", "policy",
];
export const WorkStatuses: Schemas["WorkStatus"][] = ["notStarted", "inProgress", "blocked", "done", "cancelled"];

export interface Filters {
  /** Text (the API's q): any part of a task's id, title, assignee, owner's code or sub-forum. */
  q: string;
  category: string;
  unit: string;
  status: string;
  dueFrom: string;
  dueTo: string;
  overdue: boolean;
  /** Only archived tasks (the default list leaves them out). */
  archived: boolean;
  offset: number;
}

export const noFilters: Filters = { q: "", category: "", unit: "", status: "", dueFrom: "", dueTo: "", overdue: false, archived: false, offset: 0 };

function one(value: LocationQuery[string] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? "";
}

export function filtersFromQuery(query: LocationQuery): Filters {
  return {
    q: one(query.q),
    category: one(query.category),
    unit: one(query.unit),
    status: one(query.status),
    dueFrom: one(query.dueFrom),
    dueTo: one(query.dueTo),
    overdue: one(query.overdue) === "true",
    archived: one(query.archived) === "true",
    offset: Math.max(0, Number(one(query.offset)) || 0),
  };
}

/** The address query of a filter set: only what is set, so the plain list has a plain address. */
export function queryOf(filters: Filters): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of ["q", "category", "unit", "status", "dueFrom", "dueTo"] as const) if (filters[key]) query[key] = filters[key];
  if (filters.overdue) query.overdue = "true";
  if (filters.archived) query.archived = "true";
  if (filters.offset) query.offset = String(filters.offset);
  return query;
}

/** A task's due date for people: the date, and the time when it has one (2020-06-12T17:00). */
export function dueParts(dueDate: string): { date: string; time: string | null } {
  return { date: dueDate.slice(0, 10), time: dueDate.length > 10 ? dueDate.slice(11, 16) : null };
}
