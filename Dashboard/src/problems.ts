import { ApiError } from "./api/client";
import { label, t } from "./i18n";

// The Gateway names each bad field of a request in an RFC 9457 problem ({"errors": {"unit": ["必填。"]}}), worded in the
// language the screen asked for. Forms show each message on its field, led by the field's name as the form calls it.

/** A field's name for people: the form's own label when it has one, else the shared table of field names. */
export function fieldName(field: string, labels: Record<string, string> = {}): string {
  if (labels[field]) return labels[field];
  // partners[0].kind, subEvents.x.status: the last plain name is the one people know.
  const plain = field.replace(/\[\d+\]/g, "").split(".").pop() ?? field;
  return labels[plain] ?? label("field", plain, plain);
}

function sentence(message: string): string {
  return message.trim().replace(/[。.]$/, "");
}

/** The field errors of a failure, each led by its field's name ("初始密码：须为 8–128 个字符"), keyed by the API's field name. */
export function fieldErrors(error: unknown, labels: Record<string, string> = {}): Record<string, string> {
  if (!(error instanceof ApiError) || !error.problem.errors) return {};
  const result: Record<string, string> = {};
  for (const [field, messages] of Object.entries(error.problem.errors)) {
    result[field] = t("problem.field", { field: fieldName(field, labels), message: messages.map(sentence).join("；") });
  }
  return result;
}

/** A whole failure for a message line: every field error by the form's names, or the problem's worded detail. */
export function describeProblem(error: unknown, labels: Record<string, string> = {}): string {
  const fields = Object.values(fieldErrors(error, labels));
  if (fields.length > 0) return fields.join("；");
  if (error instanceof ApiError) return error.problem.detail ?? error.message;
  return error instanceof Error ? error.message : String(error);
}
