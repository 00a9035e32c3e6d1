import { ApiError } from "./api/client";
import { label, t } from "./i18n";

// The Gateway names each bad field of a request in an RFC 9457 problem ({"errors": {"unit": ["is required ..."]}}), in
// English. Forms show each on its field, in the dashboard's language, with the field's name in people's words.

const patterns: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^is required for a (county|university) account/, () => t("problem.unitRequired")],
  [/^is required\b/, () => t("problem.required")],
  [/^must be at most (\d+) characters/, (m) => t("problem.maxLength", { max: m[1] })],
  [/^must be (\d+) to (\d+) characters/, (m) => t("problem.lengthRange", { min: m[1], max: m[2] })],
  [/^must be between (-?\d+) and (-?\d+)/, (m) => t("problem.range", { min: m[1], max: m[2] })],
  [/^must not contain control characters/, () => t("problem.controlChars")],
  [/^must be 1-64 characters of a-z/, () => t("problem.usernamePattern")],
  [/^must be 1-48 characters of a-z/, () => t("problem.codePattern")],
  [/^must be empty: only county and university accounts/, () => t("problem.unitNotAllowed")],
  [/^you may not (change this field|give this away)/, () => t("problem.notAllowed")],
  [/^cannot move from|^may not move|^can only move/i, () => t("problem.invalidMove")],
  [/is not a known value|is not valid|could not be read|must be one of/i, () => t("problem.unknown")],
];

/** One API message about a field in the dashboard's language; the API's own words when no translation fits. */
export function problemMessage(message: string): string {
  const text = message.trim();
  for (const [pattern, render] of patterns) {
    const match = pattern.exec(text);
    if (match) return render(match);
  }
  return text.replace(/\.$/, "");
}

/** A field's name for people: the form's own label when it has one, else the shared table of field names. */
export function fieldName(field: string, labels: Record<string, string> = {}): string {
  if (labels[field]) return labels[field];
  // partners[0].kind, subEvents.x.status: the last plain name is the one people know.
  const plain = field.replace(/\[\d+\]/g, "").split(".").pop() ?? field;
  return labels[plain] ?? label("field", plain, plain);
}

/** The field errors of a failure, each in the dashboard's language ("用户名：必填"), keyed by the API's field name. */
export function fieldErrors(error: unknown, labels: Record<string, string> = {}): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {};
  const result: Record<string, string> = {};
  for (const [field, messages] of Object.entries(error.problem.errors)) {
    result[field] = t("problem.field", { field: fieldName(field, labels), message: messages.map(problemMessage).join("；") });
  }
  return result;
}

/** A whole failure for a message line: every field error, or the problem's detail in people's words. */
export function describeProblem(error: unknown, labels: Record<string, string> = {}): string {
  const fields = Object.values(fieldErrors(error, labels));
  if (fields.length > 0) return fields.join("；");
  if (error instanceof ApiError) {
    const detail = error.problem.detail ?? "";
    if (/cannot disable your own account/i.test(detail)) return t("problem.ownAccount");
    if (/last enabled admin/i.test(detail)) return t("problem.lastAdmin");
    if (error.status === 409 && /already exists/i.test(detail)) return t("problem.field", { field: fieldName("username", labels), message: t("problem.usernameTaken") });
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
