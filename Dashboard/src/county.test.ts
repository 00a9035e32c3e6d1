import { describe, expect, it } from "vitest";
import { subEventForm, subEventPatchOf, type SubEvent } from "./county";

const event = {
  id: "e1", title: "平阳县青年创新论坛", date: "2020-06-11", venue: "平阳县会展中心", status: "preparing", checklist: {}, version: 3,
  lastUpdate: { account: "county-pingyang", at: "2020-06-10T01:00:00Z" },
} as unknown as SubEvent;

describe("a sub-event's details", () => {
  it("send only what changed, the note only beside a change", () => {
    const form = subEventForm(event);
    expect(subEventPatchOf(event, form)).toBeNull();
    expect(subEventPatchOf(event, { ...form, note: "说明" })).toBeNull();
    expect(subEventPatchOf(event, { ...form, venue: "平阳县体育馆", note: " 场地调整 " })).toEqual({ venue: "平阳县体育馆", note: "场地调整" });
    expect(subEventPatchOf(event, { ...form, date: "2020-06-12", title: "新标题" })).toEqual({ title: "新标题", date: "2020-06-12" });
  });

  it("start empty where the sub-event has no date or venue", () => {
    expect(subEventForm({ ...event, date: null, venue: null })).toEqual({ title: event.title, date: "", venue: "", note: "" });
  });
});
