import { describe, expect, it } from "vitest";
import { ApiError, describeError } from "./client";

describe("ApiError", () => {
  it("shows the problem's detail, which the Gateway words in the screen's language with field labels", () => {
    const error = new ApiError(400, { title: "请求中有不正确的内容", detail: "请检查：截止日期：须为日期（格式如 2020-06-12）。", errors: { dueDate: ["须为日期（格式如 2020-06-12）。"] } });
    expect(describeError(error)).toBe("请检查：截止日期：须为日期（格式如 2020-06-12）。");
  });

  it("joins the field errors when there is no detail", () => {
    const error = new ApiError(400, { title: "The request has invalid fields.", errors: { dueDate: ["must be a date like 2020-06-12."] } });
    expect(describeError(error)).toBe("dueDate: must be a date like 2020-06-12.");
  });

  it("falls back to the title, then the status", () => {
    expect(describeError(new ApiError(404, { title: "未找到" }))).toBe("未找到");
    expect(describeError(new ApiError(500, {}))).toBe("HTTP 500");
  });
});
