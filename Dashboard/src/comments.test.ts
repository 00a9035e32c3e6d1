import { afterEach, describe, expect, it } from "vitest";
import type { Schemas } from "./api/client";
import { setLang } from "./i18n";
import { author, commentBody, idempotencyKey, mentionable, threads } from "./comments";

afterEach(() => setLang("zh"));

function comment(over: Partial<Schemas["CommentResource"]>): Schemas["CommentResource"] {
  return {
    id: "c-1", taskId: "t-1", parent: null, author: "secretariat", role: "secretariat", unit: null, text: "x", mentions: [],
    createdAt: "2020-06-10T02:00:00Z", ...over,
  };
}

describe("comments", () => {
  it("group replies under their thread in the server's order, and keep a reply whose thread is not loaded", () => {
    const list = threads([
      comment({ id: "a" }), comment({ id: "a1", parent: "a" }), comment({ id: "a2", parent: "a" }), comment({ id: "b" }),
      comment({ id: "z1", parent: "z" }),
    ]);
    expect(list.map((x) => [x.comment.id, x.replies.map((r) => r.id)])).toEqual([["a", ["a1", "a2"]], ["b", []], ["z1", []]]);
  });

  it("name the author's unit, or the role, never a code", () => {
    expect(author(comment({ author: "county-pingyang", role: "county", unit: { kind: "county", code: "pingyang" } }))).toBe("county-pingyang（平阳县）");
    expect(author(comment({ author: "university-wmu", role: "university", unit: { kind: "university", code: "wmu" } }))).toBe("university-wmu（温州医科大学）");
    expect(author(comment({}))).toBe("secretariat（秘书处）");
    expect(author(comment({ author: "leader", role: "leader" }))).toBe("leader（领导）");
    setLang("en");
    expect(author(comment({ author: "county-pingyang", role: "county", unit: { kind: "county", code: "pingyang" } }))).toBe("county-pingyang（Pingyang）");
  });

  it("offer the owning county or university and the secretariat's departments, by name", () => {
    const choices = mentionable({ kind: "county", code: "pingyang" });
    expect(choices[0]).toEqual({ value: "county:pingyang", text: "平阳县" });
    expect(choices.map((c) => c.value)).toContain("secretariat:office");
    expect(choices.every((c) => !c.text.includes(":"))).toBe(true);
    expect(mentionable({ kind: "secretariat", code: "office" }).some((c) => c.value.startsWith("county:"))).toBe(false);
  });

  it("send the trimmed text, the parent only for a reply, the picked mentions", () => {
    expect(commentBody("  好的 \n", null, [])).toEqual({ text: "好的", parent: null, mentions: [] });
    expect(commentBody("收到", "c-1", ["county:pingyang"])).toEqual({ text: "收到", parent: "c-1", mentions: ["county:pingyang"] });
  });

  it("make a new visible-ASCII key for each comment", () => {
    const a = idempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(idempotencyKey()).not.toBe(a);
  });
});
