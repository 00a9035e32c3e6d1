import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "./api/client";
import { setLang } from "./i18n";
import { describeProblem, fieldErrors, fieldName } from "./problems";

afterEach(() => setLang("zh"));

const problem = (status: number, errors?: Record<string, string[]>, detail?: string) =>
  new ApiError(status, { status, title: "请求有误", detail, errors } as never);

describe("problems", () => {
  it("name each field as the form or the screens call it", () => {
    expect(fieldName("password", { password: "初始密码" })).toBe("初始密码");
    expect(fieldName("theme")).toBe("主题");
    expect(fieldName("unit")).toBe("所属单位");
    expect(fieldName("partners[0].kind")).toBe("kind");
  });

  it("put each field's message, as the Gateway worded it, behind the field's name", () => {
    const error = problem(400, { password: ["须为 8–128 个字符。"], unit: ["必填。"] }, "请检查：密码：须为 8–128 个字符。；单位：必填。");
    expect(fieldErrors(error, { password: "初始密码" })).toEqual({ password: "初始密码：须为 8–128 个字符", unit: "所属单位：必填" });
    expect(describeProblem(error, { password: "初始密码" })).toBe("初始密码：须为 8–128 个字符；所属单位：必填");
    setLang("en");
    expect(describeProblem(problem(400, { theme: ["is required."] }))).toBe("theme: is required");
  });

  it("show the detail when no field is named", () => {
    expect(describeProblem(problem(409, undefined, "不能停用自己正在使用的账号。"))).toBe("不能停用自己正在使用的账号。");
    expect(describeProblem(new Error("offline"))).toBe("offline");
  });
});
