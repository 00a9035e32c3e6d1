import { afterEach, describe, expect, it } from "vitest";
import { accountUnit, draftOf, emptyAccountForm, hasUnit, patchOf, roleName, unitOptions, type Account } from "./accounts";
import { setLang } from "./i18n";

afterEach(() => setLang("zh"));

const account = (over: Partial<Account> = {}): Account => ({
  username: "county-pingyang", role: "county", unit: "pingyang", createdAt: "2020-06-01T00:00:00Z", createdBy: null,
  passwordChangedAt: "2020-06-01T00:00:00Z", disabled: false, displayName: null, ...over,
}) as Account;

describe("accounts", () => {
  it("show units and roles by their Chinese names, never codes", () => {
    expect(accountUnit(account())).toBe("平阳县");
    expect(accountUnit(account({ role: "university", unit: "wzu" }))).toBe("温州大学");
    expect(accountUnit(account({ role: "leader", unit: null }))).toBe("—");
    expect(roleName("admin")).toBe("系统管理员");
    expect(roleName("county")).toBe("县（市、区）");
    setLang("en");
    expect(accountUnit(account())).toBe("Pingyang");
  });

  it("offer the counties for county accounts, the universities for university accounts, nothing else", () => {
    expect(unitOptions("county")).toHaveLength(12);
    expect(unitOptions("county")).toContainEqual({ code: "pingyang", name: "平阳县" });
    expect(unitOptions("university").map((u) => u.name)).toEqual(["温州医科大学", "温州大学", "温州职业技术学院", "温州科技职业学院"]);
    expect(unitOptions("leader")).toEqual([]);
    expect(hasUnit("county")).toBe(true);
    expect(hasUnit("secretariat")).toBe(false);
  });

  it("send a unit only with roles that have one, and no empty display name", () => {
    const leader = draftOf({ ...emptyAccountForm, username: " boss ", role: "leader", unit: "pingyang", password: "long-enough" });
    expect(leader).toEqual({ username: "boss", role: "leader", unit: null, password: "long-enough" });
    const county = draftOf({ ...emptyAccountForm, username: "county-x", role: "county", unit: "ruian", displayName: " 瑞安筹备办 ", password: "p" });
    expect(county).toEqual({ username: "county-x", role: "county", unit: "ruian", password: "p", displayName: "瑞安筹备办" });
    expect(draftOf({ ...emptyAccountForm, username: "x" }).role).toBeNull();
  });

  it("patch only what changed", () => {
    expect(patchOf(account(), { displayName: "", unit: "pingyang" })).toBeNull();
    expect(patchOf(account(), { displayName: "平阳县筹备办", unit: "pingyang" })).toEqual({ displayName: "平阳县筹备办" });
    expect(patchOf(account({ displayName: "旧名" }), { displayName: "", unit: "ruian" })).toEqual({ displayName: "", unit: "ruian" });
    expect(patchOf(account({ role: "leader", unit: null }), { displayName: "", unit: "ruian" })).toBeNull();
  });
});
