import type { Schemas } from "./api/client";
import { label, t } from "./i18n";
import { countyCodes, countyName, universityCodes, universityName } from "./labels";

// Innovation alliances and Startup World Cup finalists (#/alliances, #/finalists): the forms, what a save sends, and
// the status moves the Gateway allows (Grains/Abstractions/Rules/Transitions.cs), so a form offers only those.

export type Alliance = Schemas["InnovationAlliance"];
export type Finalist = Schemas["StartupFinalist"];
export type AllianceStatus = Schemas["AllianceStatus"];
export type FinalistStatus = Schemas["FinalistStatus"];
export type UnitKind = Schemas["UnitKind"];

export const outcomesPageSize = 20;
export const allianceStatuses: AllianceStatus[] = ["proposed", "forming", "signed", "cancelled"];
export const finalistStatuses: FinalistStatus[] = ["nominated", "confirmed", "withdrawn"];
export const finalistTracks = ["生命健康", "智能制造", "新材料", "信息技术", "绿色能源", "社会创新"];

const allianceMoves: Record<AllianceStatus, AllianceStatus[]> = {
  proposed: ["forming", "cancelled"],
  forming: ["signed", "proposed", "cancelled"],
  signed: ["forming"],
  cancelled: ["proposed"],
};

const finalistMoves: Record<FinalistStatus, FinalistStatus[]> = {
  nominated: ["confirmed", "withdrawn"],
  confirmed: ["withdrawn", "nominated"],
  withdrawn: ["nominated"],
};

/** The statuses a form offers: the current one and the moves from it; every status for a new entry. */
export function allianceStatusOptions(current: AllianceStatus | null): AllianceStatus[] {
  return current ? [current, ...allianceMoves[current]] : allianceStatuses;
}

export function finalistStatusOptions(current: FinalistStatus | null): FinalistStatus[] {
  return current ? [current, ...finalistMoves[current]] : finalistStatuses;
}

export function allianceStatusName(status: string): string {
  return label("allianceStatus", status);
}

export function finalistStatusName(status: string): string {
  return label("finalistStatus", status);
}

/** Lead units the form offers: the twelve counties, the four partner universities, the secretariat's departments. */
export function leadUnitOptions(kind: UnitKind): { code: string; name: string }[] {
  if (kind === "county") return countyCodes.map((code) => ({ code, name: countyName(code) }));
  if (kind === "university") return universityCodes.map((code) => ({ code, name: universityName(code) }));
  return ["office", "academic", "publicity", "liaison", "logistics", "international", "finance"].map((code) => ({ code, name: label("dept", code) }));
}

/** Member names as the form holds them: one a line. */
export function linesOf(text: string): string[] {
  return text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
}

export interface AllianceForm {
  name: string;
  nameEn: string;
  field: string;
  leadKind: UnitKind;
  leadCode: string;
  memberUnits: string;
  memberEnterprises: string;
  status: AllianceStatus;
  signingDate: string;
  note: string;
}

export const emptyAllianceForm: AllianceForm = {
  name: "", nameEn: "", field: "", leadKind: "county", leadCode: "", memberUnits: "", memberEnterprises: "", status: "proposed", signingDate: "", note: "",
};

export function allianceFormOf(a: Alliance): AllianceForm {
  return {
    name: a.name, nameEn: a.nameEn ?? "", field: a.field, leadKind: a.leadUnit.kind, leadCode: a.leadUnit.code,
    memberUnits: a.memberUnits.join("\n"), memberEnterprises: a.memberEnterprises.join("\n"), status: a.status,
    signingDate: a.signingDate ?? "", note: "",
  };
}

/** The body of a create: blank optional fields left out, so the Gateway names what is missing. */
export function allianceDraftOf(form: AllianceForm): Schemas["CreateAllianceRequest"] {
  return {
    name: form.name, nameEn: form.nameEn.trim() || null, field: form.field,
    leadUnit: form.leadCode ? { kind: form.leadKind, code: form.leadCode } : null,
    memberUnits: linesOf(form.memberUnits), memberEnterprises: linesOf(form.memberEnterprises),
    status: form.status, signingDate: form.signingDate || null,
  } as Schemas["CreateAllianceRequest"];
}

const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** Only what changed, so a save under If-Match never rewrites what someone else changed meanwhile; null when nothing did. */
export function alliancePatchOf(a: Alliance, form: AllianceForm): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  if (form.name !== a.name) patch.name = form.name;
  if ((form.nameEn.trim() || null) !== (a.nameEn ?? null)) patch.nameEn = form.nameEn.trim();
  if (form.field !== a.field) patch.field = form.field;
  if (form.leadKind !== a.leadUnit.kind || form.leadCode !== a.leadUnit.code) patch.leadUnit = { kind: form.leadKind, code: form.leadCode };
  if (!same(linesOf(form.memberUnits), a.memberUnits)) patch.memberUnits = linesOf(form.memberUnits);
  if (!same(linesOf(form.memberEnterprises), a.memberEnterprises)) patch.memberEnterprises = linesOf(form.memberEnterprises);
  if (form.status !== a.status) patch.status = form.status;
  if ((form.signingDate || null) !== (a.signingDate ?? null) && form.signingDate) patch.signingDate = form.signingDate;
  if (form.note.trim()) patch.note = form.note.trim();
  return Object.keys(patch).length > 0 ? patch : null;
}

export interface FinalistForm {
  projectName: string;
  team: string;
  university: string;
  country: string;
  track: string;
  status: FinalistStatus;
  subForum: string;
  note: string;
}

export const emptyFinalistForm: FinalistForm = {
  projectName: "", team: "", university: "", country: "中国", track: "", status: "nominated", subForum: "startup-world-cup", note: "",
};

export function finalistFormOf(f: Finalist): FinalistForm {
  return {
    projectName: f.projectName, team: f.team, university: f.university, country: f.country, track: f.track, status: f.status,
    subForum: f.subForum ?? "", note: "",
  };
}

export function finalistDraftOf(form: FinalistForm): Schemas["CreateFinalistRequest"] {
  return {
    projectName: form.projectName, team: form.team, university: form.university, country: form.country, track: form.track,
    status: form.status, subForum: form.subForum.trim() || null,
  } as Schemas["CreateFinalistRequest"];
}

export function finalistPatchOf(f: Finalist, form: FinalistForm): Record<string, unknown> | null {
  const patch: Record<string, unknown> = {};
  for (const key of ["projectName", "team", "university", "country", "track", "status"] as const) {
    if (form[key] !== f[key]) patch[key] = form[key];
  }
  if ((form.subForum.trim() || null) !== (f.subForum ?? null)) patch.subForum = form.subForum.trim();
  if (form.note.trim()) patch.note = form.note.trim();
  return Object.keys(patch).length > 0 ? patch : null;
}

/** A line of progress against a target, e.g. 已签约 7 / 目标 10. */
export function progressText(kind: "alliances" | "finalists", counted: number, target: number): string {
  return t(kind === "alliances" ? "outcomes.progress" : "outcomes.finalistProgress", { counted, target });
}
