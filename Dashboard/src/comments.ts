import type { Schemas } from "./api/client";
import { label, t } from "./i18n";
import { countyName, unitKey, unitName, universityName } from "./labels";
import { departments } from "./tasks";

// A task's comments: threads one level deep (a reply names the thread's first comment), who wrote each in people's
// terms, and which units a comment may mention (the server's rule: units whose accounts may read the task).

type Comment = Schemas["CommentResource"];
type OwningUnit = Schemas["OwningUnit"];

export interface Thread {
  comment: Comment;
  replies: Comment[];
}

/**
 * The comments as threads, in the server's order (oldest first, each reply after its thread). A reply whose thread is
 * not on the loaded pages yet is shown as a thread of its own rather than dropped.
 */
export function threads(comments: readonly Comment[]): Thread[] {
  const result: Thread[] = [];
  const byId = new Map<string, Thread>();
  for (const comment of comments) {
    const parent = comment.parent ? byId.get(comment.parent) : undefined;
    if (parent) {
      parent.replies.push(comment);
      continue;
    }
    const thread = { comment, replies: [] };
    byId.set(comment.id, thread);
    result.push(thread);
  }
  return result;
}

/** Who wrote a comment: the account, and the unit it spoke for by name (平阳县), or its role (秘书处, 领导). */
export function author(comment: Pick<Comment, "author" | "role" | "unit">): string {
  const unit = comment.unit;
  const who = unit?.kind === "county" ? countyName(unit.code)
    : unit?.kind === "university" ? universityName(unit.code)
    : comment.role === "system" ? t("actor.system")
    : label("role", comment.role, comment.role);
  return `${comment.author}（${who}）`;
}

export interface UnitChoice {
  value: string;
  text: string;
}

/**
 * The units a comment on this task may mention, by name: the secretariat's departments (the secretariat reads every
 * task) and the owning county or university (the only unit of its kind that may read the task). The Gateway applies the
 * same rule (AccessRules.MayBeMentioned) and refuses any other.
 */
export function mentionable(owner: OwningUnit): UnitChoice[] {
  const choices: UnitChoice[] = [];
  if (owner.kind === "county" || owner.kind === "university") choices.push({ value: unitKey(owner), text: unitName(owner) });
  for (const code of departments) choices.push({ value: unitKey({ kind: "secretariat", code }), text: label("dept", code) });
  return choices;
}

/** The body of a new comment or reply: the text without surrounding space, the parent when replying, the picked mentions. */
export function commentBody(text: string, parent: string | null, mentions: readonly string[]): Schemas["CommentInput"] {
  return { text: text.trim(), parent: parent ?? null, mentions: [...mentions] };
}

/**
 * A fresh Idempotency-Key: 32 random hex digits. crypto.getRandomValues, not randomUUID, which browsers offer only on
 * https or localhost, and the dashboard may be served over plain http inside an office network.
 */
export function idempotencyKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
