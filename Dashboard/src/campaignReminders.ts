import type { Schemas } from "./api/client";
import { unitKeyOf } from "./campaigns";
import { t } from "./i18n";
import { hhmm, localDateOf, shortDate } from "./time";

// Campaign reminders in the dashboard: where a campaign notification in the bell leads, the board's "last reminded"
// column, and the words of a 催报's result. Pure, tested by vitest apart from the screens.

export type CampaignReminders = Schemas["CampaignRemindersResource"];
export type RemindResult = Schemas["CampaignRemindResult"];
export type NotificationKind = Schemas["NotificationKind"];

/** The notification kinds about a campaign; each carries its campaignId. */
export const campaignNotificationKinds: readonly NotificationKind[] = [
  "campaignDueSoon", "campaignDueToday", "campaignOverdue", "campaignEscalated", "campaignNudged",
];

/**
 * Where a notification about a campaign opens: a county's or university's own submission page, the campaign's board
 * for the secretariat and leaders; nothing for other roles or notifications about no campaign.
 */
export function campaignNotificationLink(
  role: string | undefined, campaignId: string | null | undefined,
): { name: "submission" | "campaign"; params: { id: string } } | null {
  if (!campaignId) return null;
  if (role === "county" || role === "university") return { name: "submission", params: { id: campaignId } };
  if (role === "secretariat" || role === "leader") return { name: "campaign", params: { id: campaignId } };
  return null;
}

/** Each reminded unit (county:pingyang) and when it was last reminded. */
export function lastRemindedByUnit(reminders: CampaignReminders | null | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const u of reminders?.units ?? []) map[unitKeyOf(u.unit)] = u.lastRemindedAt;
  return map;
}

/** "6月12日 09:00" in the summit's zone. */
export function remindedAtText(at: string | null | undefined): string {
  return at ? `${shortDate(localDateOf(at))} ${hhmm(at)}` : "";
}

/**
 * Whether a 催报 may be sent now by the summit clock: always before the first, then once the next allowed moment has
 * come. Without a last 催报 the server's nextNudgeAt is its own now, which the page's clock (learned to the second) may
 * not have reached yet, so it does not hold the button back.
 */
export function mayNudgeNow(reminders: CampaignReminders | null | undefined, nowMs: number): boolean {
  return !reminders?.lastNudgeAt || Date.parse(reminders.nextNudgeAt) <= nowMs;
}

/** The line under the 催报 button: what the last one did, or when the next may be sent. */
export function nudgeSummary(result: RemindResult | null, reminders: CampaignReminders | null | undefined, nowMs: number): string {
  if (result) {
    return result.reminded === 0
      ? t("remind.none")
      : t("remind.sent", { n: result.reminded, at: remindedAtText(result.at), next: hhmm(result.nextAllowedAt) });
  }
  if (!reminders?.lastNudgeAt) return "";
  return mayNudgeNow(reminders, nowMs)
    ? t("remind.last", { at: remindedAtText(reminders.lastNudgeAt) })
    : t("remind.wait", { at: remindedAtText(reminders.lastNudgeAt), next: hhmm(reminders.nextNudgeAt) });
}
