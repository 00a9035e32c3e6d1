import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "./i18n";
import { hhmm, hhmmss, learnServerTime, localDateOf, longDate, serverNow, setZone, shortDate, summitZone } from "./time";

afterEach(() => {
  setLang("zh");
  setZone("Asia/Shanghai");
});

describe("time", () => {
  it("shows instants in the summit's time zone", () => {
    expect(summitZone()).toBe("Asia/Shanghai");
    expect(hhmm("2020-06-10T01:05:09Z")).toBe("09:05");
    expect(hhmmss("2020-06-10T01:05:09Z")).toBe("09:05:09");
    expect(localDateOf("2020-06-10T17:30:00Z")).toBe("2020-06-11");
    setZone("Europe/London");
    expect(hhmm("2020-06-10T01:05:09Z")).toBe("02:05");
    setZone(null);
    expect(summitZone()).toBe("Europe/London");
  });

  it("writes local dates for people in either language", () => {
    expect(shortDate("2020-10-18")).toBe("10月18日");
    expect(longDate("2020-10-18")).toBe("2020年10月18日");
    setLang("en");
    expect(shortDate("2020-10-18")).toBe("18 Oct");
    expect(longDate("2020-10-18")).toBe("18 Oct 2020");
    expect(shortDate(null)).toBe("");
    expect(shortDate("soon")).toBe("soon");
  });

  it("follows the server's clock, which may be a demo clock", () => {
    learnServerTime(new Date(Date.now() - 3_600_000).toISOString());
    expect(Math.abs(serverNow() - (Date.now() - 3_600_000))).toBeLessThan(1_000);
    learnServerTime("not a time");
    expect(Math.abs(serverNow() - (Date.now() - 3_600_000))).toBeLessThan(1_000);
    learnServerTime(new Date().toISOString());
  });
});
