import type { Schemas } from "./api/client";
import { label, t } from "./i18n";
import { countyCodes, universityCodes, unitName } from "./labels";
import { departments } from "./tasks";
import { learnServerTime } from "./time";

// Campaigns (notices to units) and their submissions, apart from the screens: the notice form and the bodies it sends,
// the statuses in words, the time left to a deadline, the checks a submission must pass before it is handed in, and
// the conversion of a section's plain text to the HTML the Gateway stores (and back).

export type Campaign = Schemas["CampaignResource"];
export type CampaignStatus = Schemas["CampaignStatus"];
export type Board = Schemas["CampaignBoard"];
export type BoardRow = Schemas["BoardRow"];
export type BoardStatus = Schemas["BoardStatus"];
export type Submission = Schemas["Submission"];
export type SubmissionVersion = Schemas["SubmissionVersion"];
export type FileKind = Schemas["FileKind"];
export type UnitKind = Schemas["UnitKind"];
export type CampaignProgress = Schemas["CampaignProgress"];
export type BoardCounts = Schemas["BoardCounts"];
type OwningUnit = Schemas["OwningUnit"];
type CreateCampaignRequest = Schemas["CreateCampaignRequest"];
type CampaignPatch = Schemas["CampaignPatch"];

export const campaignsPageSize = 20;
export const boardPageSize = 100;
/** The page sizes the board's pager offers (the Gateway takes 1-1000). */
export const boardPageSizes = [10, 20, 50, 100];
/** The open campaigns the big screen shows at most. */
export const screenCampaignLimit = 4;
export const maxTitle = 200;
export const maxComment = 2000;
export const fileKinds: FileKind[] = ["image", "document", "video", "spreadsheet", "other"];
export const boardStatuses: BoardStatus[] = ["notStarted", "draft", "submitted", "returned", "accepted"];
export const unitKinds: UnitKind[] = ["county", "university", "secretariat"];

export interface CampaignForm {
  title: string;
  /** The notice as the editor's HTML. */
  body: string;
  /** YYYY-MM-DD or empty. */
  periodStart: string;
  periodEnd: string;
  /** Every county and/or every partner university. */
  allOf: UnitKind[];
  /** Units chosen one by one, as county:pingyang. */
  units: string[];
  /** YYYY-MM-DD or empty. */
  deadlineDate: string;
  /** HH:mm, or empty for "by the end of the day". */
  deadlineTime: string;
  /** The required sections, one title a line. */
  sections: string;
  minImages: number;
  fileKinds: FileKind[];
  /** The receiving department per kind of unit addressed. */
  receivers: Record<UnitKind, string>;
  note: string;
}

export function emptyCampaignForm(): CampaignForm {
  return {
    title: "", body: "", periodStart: "", periodEnd: "", allOf: [], units: [], deadlineDate: "", deadlineTime: "",
    sections: "", minImages: 0, fileKinds: ["image", "document"], receivers: { county: "office", university: "office", secretariat: "office", organization: "office" },
    note: "",
  };
}

export function unitKeyOf(unit: OwningUnit): string {
  return `${unit.kind}:${unit.code}`;
}

export function unitOfKey(key: string): OwningUnit {
  const at = key.indexOf(":");
  return { kind: key.slice(0, at) as UnitKind, code: key.slice(at + 1) };
}

export function campaignFormOf(c: Campaign): CampaignForm {
  const receivers = emptyCampaignForm().receivers;
  for (const r of c.receivers) receivers[r.unitKind] = r.department;
  const deadline = c.deadline ?? "";
  return {
    title: c.title,
    body: c.body,
    periodStart: c.periodStart ?? "",
    periodEnd: c.periodEnd ?? "",
    allOf: [...c.audience.allOf],
    units: c.audience.units.map(unitKeyOf),
    deadlineDate: deadline.slice(0, 10),
    deadlineTime: deadline.length > 10 ? deadline.slice(11, 16) : "",
    sections: c.template.sections.join("\n"),
    minImages: c.template.minImages,
    fileKinds: [...c.template.fileKinds],
    receivers,
    note: "",
  };
}

/** The kinds of unit the form addresses (every kind of which it names all or some), in the order county, university, secretariat. */
export function addressedKinds(form: Pick<CampaignForm, "allOf" | "units">): UnitKind[] {
  const kinds = new Set<UnitKind>([...form.allOf, ...form.units.map((u) => unitOfKey(u).kind)]);
  return unitKinds.filter((k) => kinds.has(k));
}

/** The section titles: one a line, trimmed, blank lines and repeats dropped. */
export function sectionTitles(text: string): string[] {
  const titles: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const title = line.trim();
    if (title && !titles.includes(title)) titles.push(title);
  }
  return titles;
}

function deadlineOf(form: CampaignForm): string | null {
  if (!form.deadlineDate) return null;
  return form.deadlineTime ? `${form.deadlineDate}T${form.deadlineTime}` : form.deadlineDate;
}

function audienceOf(form: CampaignForm): Schemas["AudienceInput"] {
  return { allOf: [...form.allOf], units: form.units.map(unitOfKey) };
}

function templateOf(form: CampaignForm): Schemas["TemplateInput"] {
  return { sections: sectionTitles(form.sections), minImages: form.minImages, fileKinds: [...form.fileKinds] };
}

function receiversOf(form: CampaignForm): Schemas["ReceiverInput"][] {
  return addressedKinds(form).filter((k) => form.receivers[k]).map((k) => ({ unitKind: k, department: form.receivers[k] }));
}

/** The body that creates the campaign as a draft. */
export function campaignDraftOf(form: CampaignForm): CreateCampaignRequest {
  return {
    id: null,
    title: form.title.trim(),
    body: form.body,
    periodStart: form.periodStart || null,
    periodEnd: form.periodEnd || null,
    audience: audienceOf(form),
    deadline: deadlineOf(form),
    template: templateOf(form),
    receivers: receiversOf(form),
    note: form.note.trim() || null,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The PATCH of what the form changed, or null when nothing did. The audience and the template are sent only while the
 * campaign is a draft (the Gateway fixes them at publishing).
 */
export function campaignPatchOf(current: Campaign, form: CampaignForm): Partial<CampaignPatch> | null {
  const before = campaignFormOf(current);
  const patch: Partial<CampaignPatch> = {};
  if (form.title.trim() !== before.title) patch.title = form.title.trim();
  if (form.body !== before.body) patch.body = form.body;
  if (form.periodStart !== before.periodStart && form.periodStart) patch.periodStart = form.periodStart;
  if (form.periodEnd !== before.periodEnd && form.periodEnd) patch.periodEnd = form.periodEnd;
  const deadline = deadlineOf(form);
  if (deadline && deadline !== (current.deadline ?? null)) patch.deadline = deadline;
  if (current.status === "draft") {
    if (!same(audienceOf(form), audienceOf(before))) patch.audience = audienceOf(form);
    if (!same(templateOf(form), templateOf(before))) patch.template = templateOf(form);
  }
  if (!same(receiversOf(form), receiversOf(before))) patch.receivers = receiversOf(form);
  if (Object.keys(patch).length === 0) return null;
  if (form.note.trim()) patch.note = form.note.trim();
  return patch;
}

export interface UnitChoice {
  value: string;
  text: string;
}

/** Units that may be chosen one by one, by kind: the demo summit's counties, universities and secretariat departments. */
export function unitChoices(kind: UnitKind): UnitChoice[] {
  const codes: readonly string[] = kind === "county" ? countyCodes : kind === "university" ? universityCodes : departments;
  return codes.map((code) => ({ value: `${kind}:${code}`, text: unitName({ kind, code }) }));
}

export function campaignStatusName(status: CampaignStatus): string {
  return label("campaignStatus", status);
}

export function boardStatusName(status: BoardStatus): string {
  return label("boardStatus", status);
}

export function fileKindName(kind: FileKind): string {
  return label("fileKind", kind);
}

export type TagType = "success" | "warning" | "info" | "danger" | "primary";

export function campaignStatusType(status: CampaignStatus): TagType {
  return status === "published" ? "success" : status === "closed" ? "warning" : status === "draft" ? "primary" : "info";
}

export function boardStatusType(status: BoardStatus): TagType {
  switch (status) {
    case "accepted":
      return "success";
    case "submitted":
      return "primary";
    case "returned":
      return "danger";
    case "draft":
      return "warning";
    default:
      return "info";
  }
}

/** The button that moves a campaign from `from` to `to`: 发布, 截止收集, 重新开放, 归档, 恢复为草稿. */
export function moveName(from: CampaignStatus, to: CampaignStatus): string {
  if (to === "published") return t(from === "closed" ? "campaign.reopen" : "campaign.publish");
  if (to === "closed") return t("campaign.close");
  if (to === "archived") return t("campaign.archive");
  return t("campaign.restore");
}

/** The question asked before that move. */
export function moveQuestion(from: CampaignStatus, to: CampaignStatus, title: string): string {
  if (to === "published") return t(from === "closed" ? "campaign.reopenConfirm" : "campaign.publishConfirm", { title });
  if (to === "closed") return t("campaign.closeConfirm", { title });
  if (to === "archived") return t("campaign.archiveConfirm", { title });
  return t("campaign.restoreConfirm", { title });
}

/** Time left to a deadline in words: 还剩 3 天 4 小时, 还剩 25 分钟, 已逾期 2 天 3 小时. */
export function timeLeftText(seconds: number): string {
  const late = seconds < 0;
  let rest = Math.abs(Math.trunc(seconds));
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3_600);
  const minutes = Math.floor((rest - hours * 3_600) / 60);
  const span = days > 0 ? t("campaign.daysHours", { d: days, h: hours })
    : hours > 0 ? t("campaign.hoursMinutes", { h: hours, m: minutes })
    : t("campaign.minutes", { m: Math.max(minutes, late ? 1 : 0) });
  return t(late ? "campaign.overdueBy" : "campaign.left", { span });
}

/** Seconds from `now` (ms, server clock) to an instant, or null without one. */
export function secondsUntil(instant: string | null | undefined, now: number): number | null {
  if (!instant) return null;
  const at = Date.parse(instant);
  return Number.isNaN(at) ? null : Math.floor((at - now) / 1000);
}

/** Learns the summit clock from a board: its deadline less the seconds the server says are left is the server's now. */
export function learnClock(board: Pick<Board, "deadlineAt" | "secondsLeft">): void {
  if (!board.deadlineAt || board.secondsLeft === null || board.secondsLeft === undefined) return;
  const at = Date.parse(board.deadlineAt);
  if (!Number.isNaN(at)) learnServerTime(new Date(at - board.secondsLeft * 1000).toISOString());
}

/** The deadline for people: 2020年6月15日 (by the end of that day) or 2020年6月15日 17:00. */
export function deadlineText(deadline: string | null | undefined, longDate: (d: string) => string): string {
  if (!deadline) return t("campaign.noDeadline");
  const day = longDate(deadline.slice(0, 10));
  return deadline.length > 10 ? `${day} ${deadline.slice(11, 16)}` : t("campaign.endOfDay", { day });
}

/** The reviewer's comment of a return: required once trimmed, at most maxComment characters; the problem in words, or null. */
export function returnCommentProblem(text: string): string | null {
  const comment = text.trim();
  if (!comment) return t("submission.commentRequired");
  if (comment.length > maxComment) return t("submission.commentTooLong", { n: maxComment });
  return null;
}

/** The board page (1-based) that holds the first row at `offset`, and back: the pager's page and the API's offset. */
export function boardOffsetOf(page: number, size: number): number {
  return Math.max(0, Math.floor(page) - 1) * size;
}

/** The last page there is for `total` rows (at least 1), so a page left empty by a change moves back to one with rows. */
export function lastBoardPage(total: number, size: number): number {
  return Math.max(1, Math.ceil(total / size));
}

/** The big screen's stacked bar, from done to not begun (采纳, 已提交, 已退回, 草稿, 未开始). */
export const barOrder: BoardStatus[] = ["accepted", "submitted", "returned", "draft", "notStarted"];

/** How many units have handed in (submitted or accepted; a returned one is back with its unit). */
export function handedInCount(counts: BoardCounts): number {
  return counts.submitted + counts.accepted;
}

/** Whether a batch of live events may change the big screen's campaigns panel: a change of any campaign or submission. */
export function touchesCampaigns(events: readonly { kind: string }[]): boolean {
  return events.some((e) => e.kind === "submission" || e.kind === "campaign");
}

/** A deadline on the big screen, short: 6月15日 (the end of that day) or 6月10日 17:00. */
export function screenDeadlineText(deadline: string | null | undefined, shortDate: (d: string) => string): string {
  if (!deadline) return t("campaign.noDeadline");
  const day = shortDate(deadline.slice(0, 10));
  return deadline.length > 10 ? `${day} ${deadline.slice(11, 16)}` : day;
}

// Section text: the form edits plain text in a textarea; the Gateway stores HTML (cleaned on its side). Each line
// becomes a paragraph; reading back, paragraphs and line breaks become lines again.

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");
}

export function textToHtml(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && !lines[lines.length - 1].trim()) lines.pop();
  while (lines.length > 0 && !lines[0].trim()) lines.shift();
  return lines.map((line) => (line.trim() ? `<p>${escapeHtml(line)}</p>` : "<p></p>")).join("");
}

export function htmlToText(html: string): string {
  if (!html) return "";
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, "text/html");
  const lines: string[] = [];
  let line = "";
  const blocks = new Set(["P", "DIV", "LI", "H2", "H3", "H4", "BLOCKQUOTE", "TR", "UL", "OL", "TABLE"]);
  const walk = (node: Node): void => {
    for (const child of Array.from(node.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) line += child.textContent ?? "";
      else if (child.nodeName === "BR") {
        lines.push(line);
        line = "";
      } else if (blocks.has(child.nodeName)) {
        if (line) lines.push(line);
        line = "";
        walk(child);
        if (line || child.nodeName === "P") lines.push(line);
        line = "";
      } else walk(child);
    }
  };
  walk(doc.body);
  if (line) lines.push(line);
  return lines.join("\n").trim();
}

/** Whether a section's text says anything (what the Gateway counts as written). */
export function isWritten(text: string): boolean {
  return text.trim().length > 0;
}

export interface SubmissionCheck {
  ok: boolean;
  text: string;
}

/**
 * The template's checks a submission must pass before it is handed in, each with whether it does: every required
 * section written, at least the minimum of images. The Gateway makes the same checks and refuses otherwise.
 */
export function submissionChecks(template: Schemas["SubmissionTemplate"], texts: Record<string, string>, images: number): SubmissionCheck[] {
  const checks: SubmissionCheck[] = template.sections.map((title) => ({
    ok: isWritten(texts[title] ?? ""),
    text: t("submission.checkSection", { title }),
  }));
  if (template.minImages > 0) {
    checks.push({ ok: images >= template.minImages, text: t("submission.checkImages", { n: template.minImages, have: images }) });
  }
  return checks;
}

/** The sections as the API takes them, in the template's order, each line of text a paragraph. */
export function sectionsBody(titles: readonly string[], texts: Record<string, string>): Schemas["SectionInput"][] {
  return titles.map((title) => ({ title, text: textToHtml(texts[title] ?? "") }));
}

/** The texts of a submission's sections by title, as the textareas edit them. */
export function textsOf(submission: Pick<Submission, "sections"> | null, titles: readonly string[]): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const title of titles) texts[title] = "";
  for (const s of submission?.sections ?? []) texts[s.title] = htmlToText(s.text);
  return texts;
}

/** Who reads a campaign's board and may open any unit's submission: the secretariat and leaders. */
export function readsWholeBoard(role: string | undefined): boolean {
  return role === "secretariat" || role === "leader";
}

/** The address segment of a unit (county:pingyang), or the own unit of a county or university account. */
export function ownUnitKey(role: string | undefined, unit: string | null | undefined): string | null {
  if ((role === "county" || role === "university" || role === "organization") && unit) return `${role}:${unit}`;
  return null;
}

export type Organization = Schemas["Organization"];
export type OrganizationCategory = Schemas["OrganizationCategory"];
export const organizationCategories: OrganizationCategory[] = ["society", "company", "school", "agency", "other"];

/** What the forward dialog holds: the requirements added (plain text), the internal deadline, the organisations chosen. */
export interface ForwardForm {
  title: string;
  requirements: string;
  deadlineDate: string;
  organizations: string[];
}

export function emptyForwardForm(): ForwardForm {
  return { title: "", requirements: "", deadlineDate: "", organizations: [] };
}

/** The forward request: the requirements as paragraphs, the chosen organisations; blank fields left out. */
export function forwardBodyOf(form: ForwardForm): Schemas["ForwardRequest"] {
  return {
    title: form.title.trim() || null,
    body: form.requirements.trim() ? textToHtml(form.requirements) : null,
    deadline: form.deadlineDate || null,
    organizations: form.organizations,
    allOrganizations: null,
    unit: null,
    note: null,
  };
}

/** A row's forward in brief: how many of its organisations have handed in and been accepted. */
export function forwardProgressText(forward: NonNullable<BoardRow["forward"]>): string {
  return t("forward.progress", { handedIn: forward.handedIn, addressed: forward.addressed, accepted: forward.accepted });
}

/** The files a submission may attach, as the upload's accept attribute: images, documents, videos, spreadsheets. */
export function acceptOf(kinds: readonly FileKind[]): string {
  if (kinds.includes("other")) return "";
  const types: Record<FileKind, string[]> = {
    image: ["image/jpeg", "image/png", "image/gif", "image/webp"],
    document: [".pdf", ".doc", ".docx", ".ppt", ".pptx", ".txt"],
    video: ["video/mp4", "video/quicktime"],
    spreadsheet: [".xls", ".xlsx"],
    other: [],
  };
  return kinds.flatMap((k) => types[k]).join(",");
}

/** A file's size for people: 820 B, 12.5 KB, 3.2 MB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
