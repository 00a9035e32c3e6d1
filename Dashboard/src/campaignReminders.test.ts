import { beforeEach, describe, expect, it } from "vitest";
import { campaignNotificationLink, lastRemindedByUnit, mayNudgeNow, nudgeSummary, type CampaignReminders } from "./campaignReminders";
import { setLang } from "./i18n";

const reminders: CampaignReminders = {
  campaign: "workers-day",
  lastNudgeAt: "2020-06-12T01:00:00Z",
  lastNudgeBy: "secretariat",
  nextNudgeAt: "2020-06-12T02:00:00Z",
  units: [
    { unit: { kind: "county", code: "ouhai" }, lastRemindedAt: "2020-06-12T01:00:00Z", count: 2 },
    { unit: { kind: "university", code: "wmu" }, lastRemindedAt: "2020-06-11T01:00:00Z", count: 1 },
  ],
};

describe("campaign reminders", () => {
  beforeEach(() => setLang("zh"));

  it("opens a unit's own submission, and the board for the secretariat and leaders", () => {
    expect(campaignNotificationLink("county", "workers-day")).toEqual({ name: "submission", params: { id: "workers-day" } });
    expect(campaignNotificationLink("university", "workers-day")).toEqual({ name: "submission", params: { id: "workers-day" } });
    expect(campaignNotificationLink("secretariat", "workers-day")).toEqual({ name: "campaign", params: { id: "workers-day" } });
    expect(campaignNotificationLink("leader", "workers-day")).toEqual({ name: "campaign", params: { id: "workers-day" } });
    expect(campaignNotificationLink("admin", "workers-day")).toBeNull();
    expect(campaignNotificationLink("county", null)).toBeNull();
  });

  it("keys the last reminder by unit", () => {
    expect(lastRemindedByUnit(reminders)).toEqual({ "county:ouhai": "2020-06-12T01:00:00Z", "university:wmu": "2020-06-11T01:00:00Z" });
    expect(lastRemindedByUnit(null)).toEqual({});
  });

  it("says what a 催报 did and when the next may be sent, by the summit clock", () => {
    const before = Date.parse("2020-06-12T01:30:00Z");
    const after = Date.parse("2020-06-12T02:00:00Z");
    expect(mayNudgeNow(reminders, before)).toBe(false);
    expect(mayNudgeNow(reminders, after)).toBe(true);
    expect(mayNudgeNow(null, before)).toBe(true);
    // Never sent: the server's nextNudgeAt is its now, a moment ahead of the page's clock.
    expect(mayNudgeNow({ ...reminders, lastNudgeAt: null, lastNudgeBy: null }, before)).toBe(true);
    expect(nudgeSummary({ campaign: "workers-day", reminded: 3, units: [], at: "2020-06-12T01:00:00Z", nextAllowedAt: "2020-06-12T02:00:00Z" }, reminders, before))
      .toBe("已向 3 个尚未提交的单位催报（6月12日 09:00），10:00 后可再次催报");
    expect(nudgeSummary({ campaign: "workers-day", reminded: 0, units: [], at: "2020-06-12T01:00:00Z", nextAllowedAt: "2020-06-12T01:00:00Z" }, null, before))
      .toBe("所有单位均已提交，无需催报");
    expect(nudgeSummary(null, reminders, before)).toBe("上次催报：6月12日 09:00，10:00 后可再次催报");
    expect(nudgeSummary(null, reminders, after)).toBe("上次催报：6月12日 09:00");
    expect(nudgeSummary(null, { ...reminders, lastNudgeAt: null }, after)).toBe("");
    setLang("en");
    expect(nudgeSummary(null, reminders, before)).toBe("Last reminded 12 Jun 09:00; the next reminder from 10:00");
  });
});
