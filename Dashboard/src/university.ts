import type { Schemas } from "./api/client";

// A university's sub-forums and partner projects: the moves the API allows, and PATCH bodies of only what changed.

export type SubForum = Schemas["SubForum"];
export type Project = Schemas["CooperationProject"];
export type SubForumStatus = Schemas["SubForumStatus"];
export type ProjectStage = Schemas["ProjectStage"];
export type EventFormat = Schemas["EventFormat"];

export const subForumStatuses: SubForumStatus[] = ["planned", "programmeSet", "speakersConfirmed", "venueReady", "rehearsed", "live", "concluded"];
export const projectStages: ProjectStage[] = ["identified", "matched", "negotiating", "readyToSign", "signed", "landed"];
export const eventFormats: EventFormat[] = ["offline", "online", "hybrid"];

/** Rules/Transitions.cs: a sub-forum moves one stage on, or back to any earlier stage. The current one comes first. */
export function subForumChoices(status: SubForumStatus): SubForumStatus[] {
  const at = subForumStatuses.indexOf(status);
  return [status, ...subForumStatuses.filter((_, i) => i < at || i === at + 1)];
}

/** Rules/Transitions.cs: a project moves one stage on or one back. The current one comes first. */
export function projectChoices(stage: ProjectStage): ProjectStage[] {
  const at = projectStages.indexOf(stage);
  return [stage, ...projectStages.filter((_, i) => i === at - 1 || i === at + 1)];
}

/** 14:00:00 → 14:00. */
export function hhmmOf(time: string | null | undefined): string {
  return time ? time.slice(0, 5) : "";
}

export interface SubForumForm {
  theme: string;
  venue: string;
  format: EventFormat;
  start: string;
  end: string;
  status: SubForumStatus;
  note: string;
}

export function subForumForm(forum: SubForum): SubForumForm {
  return { theme: forum.theme, venue: forum.venue, format: forum.format, start: hhmmOf(forum.start), end: hhmmOf(forum.end), status: forum.status, note: "" };
}

/** The PATCH body of a sub-forum's form: only the fields that changed, the note only with a change; null when none did. */
export function subForumPatchOf(forum: SubForum, form: SubForumForm): Partial<Schemas["SubForumPatch"]> | null {
  const patch: Partial<Schemas["SubForumPatch"]> = {};
  if (form.theme !== forum.theme) patch.theme = form.theme;
  if (form.venue !== forum.venue) patch.venue = form.venue;
  if (form.format !== forum.format) patch.format = form.format;
  if (form.start !== hhmmOf(forum.start)) patch.start = form.start;
  if (form.end !== hhmmOf(forum.end)) patch.end = form.end;
  if (form.status !== forum.status) patch.status = form.status;
  if (Object.keys(patch).length === 0) return null;
  if (form.note.trim()) patch.note = form.note.trim();
  return patch;
}

export interface ProjectForm {
  title: string;
  industry: string;
  enterprisesInvolved: number;
  stage: ProjectStage;
  signingDate: string;
  note: string;
}

export function projectForm(project: Project): ProjectForm {
  return {
    title: project.title, industry: project.industry, enterprisesInvolved: project.enterprisesInvolved, stage: project.stage,
    signingDate: project.signingDate ?? "", note: "",
  };
}

export function projectPatchOf(project: Project, form: ProjectForm): Partial<Schemas["ProjectPatch"]> | null {
  const patch: Partial<Schemas["ProjectPatch"]> = {};
  if (form.title !== project.title) patch.title = form.title;
  if (form.industry !== project.industry) patch.industry = form.industry;
  if (form.enterprisesInvolved !== project.enterprisesInvolved) patch.enterprisesInvolved = form.enterprisesInvolved;
  if (form.stage !== project.stage) patch.stage = form.stage;
  if (form.signingDate && form.signingDate !== (project.signingDate ?? "")) patch.signingDate = form.signingDate;
  if (Object.keys(patch).length === 0) return null;
  if (form.note.trim()) patch.note = form.note.trim();
  return patch;
}

/** Whether the account may change this university's sub-forums and projects: the secretariat, or the university itself. */
export function mayEditUniversity(user: { role: string; unit?: string | null }, code: string): boolean {
  return user.role === "secretariat" || (user.role === "university" && user.unit === code);
}
