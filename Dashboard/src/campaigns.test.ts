import { describe, expect, it } from "vitest";
import {
  addressedKinds, boardOffsetOf, campaignDraftOf, campaignFormOf, campaignPatchOf, emptyCampaignForm, htmlToText, moveName, sectionTitles, sectionsBody,
  handedInCount, lastBoardPage, returnCommentProblem, screenDeadlineText, submissionChecks, textsOf, textToHtml, timeLeftText,
  touchesCampaigns, type Campaign,
} from "./campaigns";

const campaign: Campaign = {
  summit: "wyss-2020",
  id: "venue-photos",
  title: "关于报送分会场筹备照片的通知",
  body: "<p>请各县（市、区）报送分会场照片。</p>",
  periodStart: "2020-06-01",
  periodEnd: "2020-06-20",
  audience: { allOf: ["county"], units: [{ kind: "university", code: "wmu" }] },
  addressees: [],
  deadline: "2020-06-30T17:00",
  deadlineAt: "2020-06-30T09:00:00Z",
  template: { sections: ["活动总结", "主要成效"], minImages: 2, fileKinds: ["image", "document"] },
  receivers: [{ unitKind: "county", department: "liaison" }, { unitKind: "university", department: "academic" }],
  status: "draft",
  nextStatuses: ["published", "archived"],
  publishedAt: null,
  version: 3,
  createdAt: "2020-06-10T01:00:00Z",
  updatedAt: "2020-06-10T01:00:00Z",
  updatedBy: "secretariat",
  parent: null,
  owner: null,
  actions: { change: true, review: true, forward: false, submit: false },
};

describe("the notice form", () => {
  it("creates a draft with the audience, deadline, template and a receiver for each kind addressed", () => {
    const form = {
      ...emptyCampaignForm(), title: " 分会场照片 ", body: "<p>正文</p>", allOf: ["county" as const], units: ["secretariat:publicity"],
      deadlineDate: "2020-06-30", deadlineTime: "", sections: "活动总结\n\n 主要成效 \n活动总结", minImages: 2,
    };
    form.receivers.county = "liaison";
    expect(campaignDraftOf(form)).toEqual({
      id: null,
      title: "分会场照片",
      body: "<p>正文</p>",
      periodStart: null,
      periodEnd: null,
      audience: { allOf: ["county"], units: [{ kind: "secretariat", code: "publicity" }] },
      deadline: "2020-06-30",
      template: { sections: ["活动总结", "主要成效"], minImages: 2, fileKinds: ["image", "document"] },
      receivers: [{ unitKind: "county", department: "liaison" }, { unitKind: "secretariat", department: "office" }],
      note: null,
    });
  });

  it("reads a campaign back into the form", () => {
    const form = campaignFormOf(campaign);
    expect(form.deadlineDate).toBe("2020-06-30");
    expect(form.deadlineTime).toBe("17:00");
    expect(form.units).toEqual(["university:wmu"]);
    expect(form.sections).toBe("活动总结\n主要成效");
    expect(form.receivers).toEqual({ county: "liaison", university: "academic", secretariat: "office", organization: "office" });
    expect(addressedKinds(form)).toEqual(["county", "university"]);
  });

  it("patches only what changed, and the audience and template only while a draft", () => {
    expect(campaignPatchOf(campaign, campaignFormOf(campaign))).toBeNull();
    const form = { ...campaignFormOf(campaign), title: "新标题", deadlineTime: "", minImages: 3, note: "延后" };
    expect(campaignPatchOf(campaign, form)).toEqual({
      title: "新标题", deadline: "2020-06-30", template: { sections: ["活动总结", "主要成效"], minImages: 3, fileKinds: ["image", "document"] }, note: "延后",
    });
    const published = { ...campaign, status: "published" as const };
    expect(campaignPatchOf(published, { ...campaignFormOf(published), minImages: 5, sections: "别的" })).toBeNull();
  });

  it("takes one section title a line", () => {
    expect(sectionTitles(" a \r\n\nb\na")).toEqual(["a", "b"]);
  });

  it("names the moves of a campaign", () => {
    expect(moveName("draft", "published")).toBe("发布");
    expect(moveName("closed", "published")).toBe("重新开放");
    expect(moveName("published", "closed")).toBe("截止收集");
  });
});

describe("time left", () => {
  it("says days and hours, hours and minutes, or how late", () => {
    expect(timeLeftText(3 * 86_400 + 4 * 3_600 + 59)).toBe("还剩 3 天 4 小时");
    expect(timeLeftText(2 * 3_600 + 5 * 60)).toBe("还剩 2 小时 5 分钟");
    expect(timeLeftText(30)).toBe("还剩 0 分钟");
    expect(timeLeftText(-(86_400 + 3_600))).toBe("已逾期 1 天 1 小时");
    expect(timeLeftText(-10)).toBe("已逾期 1 分钟");
  });
});

describe("sections", () => {
  it("turn lines into paragraphs, escaped, and back", () => {
    const html = textToHtml("第一段 <b>\n\n第二段 & 结束\n");
    expect(html).toBe("<p>第一段 &lt;b&gt;</p><p></p><p>第二段 &amp; 结束</p>");
    expect(htmlToText(html)).toBe("第一段 <b>\n\n第二段 & 结束");
    expect(htmlToText("<p>一<br>二</p><ul><li>三</li></ul>")).toBe("一\n二\n三");
    expect(textToHtml("  \n")).toBe("");
  });

  it("are sent in the template's order and read back by title", () => {
    expect(sectionsBody(["活动总结", "主要成效"], { 主要成效: "很好", 活动总结: "完成" })).toEqual([
      { title: "活动总结", text: "<p>完成</p>" }, { title: "主要成效", text: "<p>很好</p>" },
    ]);
    expect(textsOf({ sections: [{ title: "活动总结", text: "<p>完成</p>" }] }, ["活动总结", "主要成效"])).toEqual({ 活动总结: "完成", 主要成效: "" });
  });

  it("are checked against the template before submitting", () => {
    const checks = submissionChecks(campaign.template, { 活动总结: "完成", 主要成效: "  " }, 1);
    expect(checks.map((c) => [c.text, c.ok])).toEqual([
      ["已填写“活动总结”", true], ["已填写“主要成效”", false], ["至少 2 张图片（已有 1 张）", false],
    ]);
    expect(submissionChecks({ sections: [], minImages: 0, fileKinds: [] }, {}, 0)).toEqual([]);
  });
});

describe("the return dialog's comment", () => {
  it("is required once trimmed and at most 2000 characters", () => {
    expect(returnCommentProblem("")).toBe("请填写退回意见");
    expect(returnCommentProblem("  \n ")).toBe("请填写退回意见");
    expect(returnCommentProblem("请补充照片说明")).toBeNull();
    expect(returnCommentProblem(` ${"字".repeat(2000)} `)).toBeNull();
    expect(returnCommentProblem("字".repeat(2001))).toBe("退回意见不能超过 2000 个字");
  });
});

describe("the board's pager", () => {
  it("turns a page into an offset and finds the last page with rows", () => {
    expect(boardOffsetOf(1, 20)).toBe(0);
    expect(boardOffsetOf(3, 10)).toBe(20);
    expect(boardOffsetOf(0, 10)).toBe(0);
    expect(lastBoardPage(0, 20)).toBe(1);
    expect(lastBoardPage(16, 10)).toBe(2);
    expect(lastBoardPage(20, 10)).toBe(2);
  });
});

describe("the big screen's campaigns", () => {
  const counts = { total: 16, notStarted: 11, draft: 1, submitted: 2, returned: 1, accepted: 1, late: 3 };

  it("counts as handed in what is submitted or accepted", () => {
    expect(handedInCount(counts)).toBe(3);
  });

  it("reloads on a change of a campaign or submission only", () => {
    expect(touchesCampaigns([{ kind: "task" }, { kind: "submission" }])).toBe(true);
    expect(touchesCampaigns([{ kind: "campaign" }])).toBe(true);
    expect(touchesCampaigns([{ kind: "task" }, { kind: "county" }])).toBe(false);
    expect(touchesCampaigns([])).toBe(false);
  });

  it("writes a deadline short, with its time when it has one", () => {
    const day = (d: string) => `${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
    expect(screenDeadlineText("2020-06-15", day)).toBe("6月15日");
    expect(screenDeadlineText("2020-06-10T17:00", day)).toBe("6月10日 17:00");
  });
});
