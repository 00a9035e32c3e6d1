import { hasLabel, label, t } from "./i18n";
import type { Schemas } from "./api/client";

type FieldChange = Schemas["FieldChange"];
type OwningUnit = Schemas["OwningUnit"];
type ProgressEvent = Schemas["ProgressEvent"];

/** A county's name: the table's (both languages) for the known twelve, else the server's name or the code. */
export function countyName(code: string, serverName?: string | null): string {
  if (hasLabel("countyName", code)) return label("countyName", code);
  return serverName ?? code;
}

export function universityName(code: string | null | undefined, serverName?: string | null): string {
  if (!code) return "";
  if (hasLabel("universityName", code)) return label("universityName", code);
  return serverName ?? code;
}

export function unitName(unit: OwningUnit | null | undefined): string {
  if (!unit) return "";
  switch (unit.kind) {
    case "county":
      return countyName(unit.code);
    case "university":
      return universityName(unit.code);
    default:
      return label("dept", unit.code, unit.code);
  }
}

/** The task-list filter form of a unit (county:pingyang). */
export function unitKey(unit: OwningUnit): string {
  return `${unit.kind}:${unit.code}`;
}

// Enum families a changed value may belong to, tried in order, so "inProgress" reads as a status.
const valueFamilies: Record<string, string[]> = {
  status: ["workStatus", "subEventStatus", "subForumStatus"],
  stage: ["projectStage"],
  checklist: ["checklistState"],
  category: ["category"],
  engagement: ["engagement"],
  milestone: ["flag"],
  archived: ["flag"],
  setAside: ["flag"],
};

export function fieldLabel(field: string): { name: string; families: string[] } {
  // Sub-event changes are reported as subEvents.<id>.<field> or subEvents.<id>.checklist.<item>.
  const parts = field.split(".");
  const last = parts[parts.length - 1];
  if (parts.includes("checklist") && hasLabel("checklist", last)) return { name: label("checklist", last), families: valueFamilies.checklist };
  if (last === "checklist") return { name: t("kind.subEvent"), families: valueFamilies.checklist };
  return { name: label("field", last, last), families: valueFamilies[last] ?? ["workStatus", "subEventStatus", "subForumStatus", "projectStage", "checklistState", "category"] };
}

export function valueLabel(value: string | null | undefined, families: string[]): string {
  if (value === null || value === undefined || value === "") return "—";
  // History renders enum values as .NET names (InProgress); the table is keyed by the API's camelCase.
  const camel = value.charAt(0).toLowerCase() + value.slice(1);
  for (const family of families) if (hasLabel(family, camel)) return label(family, camel);
  const unit = /^(secretariat|county|university):([a-z0-9-]+)$/i.exec(value);
  if (unit) return unitName({ kind: unit[1].toLowerCase() as OwningUnit["kind"], code: unit[2] });
  return value.length > 40 ? `${value.slice(0, 39)}…` : value;
}

export function describeChange(change: FieldChange): string {
  const { name, families } = fieldLabel(change.field);
  if (change.from === null || change.from === undefined) return `${name} ${valueLabel(change.to, families)}`;
  return `${name} ${valueLabel(change.from, families)} → ${valueLabel(change.to, families)}`;
}

/** The kind shown for an event: sub-event changes are county events with a county/sub-event id. */
export function eventKind(event: ProgressEvent): string {
  if (event.kind === "county" && event.id.includes("/")) return t("kind.subEvent");
  return label("kind", event.kind);
}

/** Who made a change, in people's terms (county-pingyang → 平阳县). */
export function actorName(event: ProgressEvent): string {
  if (event.role === "county" && event.unit) return countyName(event.unit);
  if (event.role === "university" && event.unit) return universityName(event.unit);
  if (event.role === "secretariat") return label("unitKind", "secretariat");
  if (event.role === "system") return t("actor.system");
  return event.account;
}

/** The demo summit's counties and partner universities, in the order people list them (see the README). */
export const countyCodes = ["lucheng", "longwan", "ouhai", "dongtou", "yueqing", "ruian", "yongjia", "wencheng", "pingyang", "taishun", "cangnan", "longgang"] as const;
export const universityCodes = ["wmu", "wzu", "wzpt", "wzvcst"] as const;
