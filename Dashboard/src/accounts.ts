import type { Schemas } from "./api/client";
import { label, t } from "./i18n";
import { countyCodes, countyName, universityCodes, universityName } from "./labels";

// The admin's account screen: which roles there are, which units each may be bound to, and the bodies of its requests.

export type Account = Schemas["Account"] & { displayName?: string | null };
export type AccountRole = Exclude<Schemas["Role"], "system">;

export const accountRoles: AccountRole[] = ["secretariat", "leader", "county", "university", "organization", "admin"];
export const accountsPageSize = 20;

/** Only county, university and organisation accounts belong to a unit. */
export function hasUnit(role: string | null | undefined): role is "county" | "university" | "organization" {
  return role === "county" || role === "university" || role === "organization";
}

/** An organisation's code is typed (the register is the summit's, which an admin does not read); others are chosen. */
export function typesUnit(role: string | null | undefined): boolean {
  return role === "organization";
}

/** The units an account of this role may be bound to, by their names (平阳县, 温州大学). */
export function unitOptions(role: string | null | undefined): { code: string; name: string }[] {
  if (role === "county") return countyCodes.map((code) => ({ code, name: countyName(code) }));
  if (role === "university") return universityCodes.map((code) => ({ code, name: universityName(code) }));
  return [];
}

/** An account's unit for people: its county's or university's name, never the code when the name is known. */
export function accountUnit(account: { role: string; unit?: string | null }): string {
  if (!account.unit) return t("accounts.noUnit");
  if (account.role === "organization") return account.unit;
  return account.role === "university" ? universityName(account.unit) : countyName(account.unit);
}

export function roleName(role: string): string {
  return label("role", role);
}

export interface AccountForm {
  username: string;
  displayName: string;
  role: AccountRole | "";
  unit: string;
  password: string;
}

export const emptyAccountForm: AccountForm = { username: "", displayName: "", role: "", unit: "", password: "" };

/** The create request of the form: the unit only for roles that have one, no empty display name. */
export function draftOf(form: AccountForm): Schemas["AccountDraft"] & { displayName?: string } {
  const draft: Schemas["AccountDraft"] & { displayName?: string } = {
    username: form.username.trim(),
    role: form.role === "" ? null : form.role,
    unit: hasUnit(form.role) ? form.unit || null : null,
    password: form.password,
  };
  if (form.displayName.trim()) draft.displayName = form.displayName.trim();
  return draft;
}

/** The PATCH body of an edit: only what changed (null when nothing did). */
export function patchOf(account: Account, form: { displayName: string; unit: string }): Partial<Schemas["AccountPatch"]> | null {
  const patch: Partial<Schemas["AccountPatch"]> = {};
  if (form.displayName.trim() !== (account.displayName ?? "")) patch.displayName = form.displayName.trim();
  if (hasUnit(account.role) && form.unit && form.unit !== account.unit) patch.unit = form.unit;
  return Object.keys(patch).length > 0 ? patch : null;
}
