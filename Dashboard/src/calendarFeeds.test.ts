import { describe, expect, it } from "vitest";
import { mayHaveFeeds, shortId, unitFeedScope, webcalAddress, withCreated, type CalendarFeed } from "./calendarFeeds";

const feed = (id: string, extra: Partial<CalendarFeed> = {}): CalendarFeed => ({
  id, kind: "unit", unit: "county:pingyang", account: "county-pingyang", createdAt: "2020-06-10T01:00:00Z", url: null, secret: null, ...extra,
});

describe("calendar feeds", () => {
  it("are for every role but admins, and for unit accounts only with their unit", () => {
    expect(mayHaveFeeds({ role: "secretariat", unit: null })).toBe(true);
    expect(mayHaveFeeds({ role: "leader", unit: null })).toBe(true);
    expect(mayHaveFeeds({ role: "county", unit: "pingyang" })).toBe(true);
    expect(mayHaveFeeds({ role: "organization", unit: "pingyang-kx" })).toBe(true);
    expect(mayHaveFeeds({ role: "county", unit: null })).toBe(false);
    expect(mayHaveFeeds({ role: "admin", unit: null })).toBe(false);
  });

  it("offer the address as a webcal link too", () => {
    expect(webcalAddress("https://summit.example/feeds/abc.ics")).toBe("webcal://summit.example/feeds/abc.ics");
    expect(webcalAddress("http://localhost:5080/feeds/abc.ics")).toBe("webcal://localhost:5080/feeds/abc.ics");
    expect(webcalAddress("webcal://x/feeds/a.ics")).toBe("webcal://x/feeds/a.ics");
  });

  it("shorten ids and say what a unit feed holds", () => {
    expect(shortId("cf-0123456789ab")).toBe("…6789ab");
    expect(shortId("cf-1")).toBe("cf-1");
    expect(unitFeedScope("leader")).toBe("calendar.unitScopeSummit");
    expect(unitFeedScope("county")).toBe("calendar.unitScopeOwn");
  });

  it("put a feed just made first without keeping its secret in the list", () => {
    const list = withCreated([feed("cf-a"), feed("cf-b")], feed("cf-b", { url: "http://x/feeds/s.ics", secret: "s" }));
    expect(list.map((f) => f.id)).toEqual(["cf-b", "cf-a"]);
    expect(list[0].secret).toBeNull();
    expect(list[0].url).toBeNull();
  });
});
