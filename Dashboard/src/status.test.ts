import { afterEach, describe, expect, it } from "vitest";
import { mount } from "@vue/test-utils";
import ConnectionBadge from "./components/ConnectionBadge.vue";
import { setLang } from "./i18n";
import { connectionText, updatedText } from "./status";

afterEach(() => setLang("zh"));

describe("connection state", () => {
  it("reads as people expect it", () => {
    expect(connectionText({ state: "live", lastUpdated: null, staleSince: null })).toBe("实时");
    expect(connectionText({ state: "reconnecting", lastUpdated: null, staleSince: null })).toBe("重新连接中");
    expect(connectionText({ state: "connecting", lastUpdated: null, staleSince: null })).toBe("连接中");
    expect(connectionText({ state: "stale", lastUpdated: null, staleSince: Date.parse("2020-06-10T01:05:00Z") })).toBe("数据停留于 09:05");
    expect(connectionText({ state: "stale", lastUpdated: null, staleSince: null })).toBe("数据停留于 —");
    expect(updatedText({ state: "live", lastUpdated: null, staleSince: null })).toBe("尚未更新");
    expect(updatedText({ state: "live", lastUpdated: Date.parse("2020-06-10T01:05:09Z"), staleSince: null })).toBe("更新于 09:05:09");
    setLang("en");
    expect(connectionText({ state: "live", lastUpdated: null, staleSince: null })).toBe("Live");
  });

  it("is shown with its state for tests and styles", async () => {
    const badge = mount(ConnectionBadge);
    const pill = badge.get("[data-testid=connection]");
    expect(pill.attributes("data-state")).toBe("connecting");
    expect(pill.text()).toBe("连接中");
    setLang("en");
    await badge.vm.$nextTick();
    expect(badge.get("[data-testid=connection]").text()).toBe("Connecting");
    expect(badge.get("[data-testid=last-updated]").text()).toBe("Not updated yet");
  });
});
