import { afterEach, describe, expect, it } from "vitest";
import { hasLabel, label, lang, pick, setLang, t } from "./i18n";

afterEach(() => setLang("zh"));

describe("texts", () => {
  it("are Chinese by default and fill placeholders", () => {
    expect(lang()).toBe("zh");
    expect(t("app.title")).toBe("峰会筹备协调平台");
    expect(t("tasks.count", { total: 120, from: 1, to: 100 })).toBe("共 120 项，第 1–100 项");
  });

  it("switch to English and mark the document's language", () => {
    setLang("en");
    expect(t("screen.readiness")).toBe("Overall readiness");
    expect(document.documentElement.lang).toBe("en");
    expect(localStorage.getItem("summit.lang")).toBe("en");
    setLang("zh");
    expect(document.documentElement.lang).toBe("zh-CN");
  });

  it("label enum values and fall back for unknown ones", () => {
    expect(label("workStatus", "inProgress")).toBe("进行中");
    expect(label("workStatus", "someday")).toBe("someday");
    expect(label("dept", "unknown", "fallback")).toBe("fallback");
    expect(label("workStatus", null)).toBe("");
    expect(hasLabel("countyName", "pingyang")).toBe(true);
    expect(hasLabel("countyName", "atlantis")).toBe(false);
  });

  it("pick the server's text in the current language", () => {
    expect(pick("中文", "English")).toBe("中文");
    setLang("en");
    expect(pick("中文", "English")).toBe("English");
  });
});
