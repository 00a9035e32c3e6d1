import { afterEach, describe, expect, it } from "vitest";
import { ApiError } from "./api/client";
import { setLang } from "./i18n";
import { describeProblem, fieldErrors, fieldName, problemMessage } from "./problems";

afterEach(() => setLang("zh"));

const problem = (status: number, errors?: Record<string, string[]>, detail?: string) =>
  new ApiError(status, { status, title: "Bad", detail, errors } as never);

describe("problems", () => {
  it("say the API's field messages in Chinese", () => {
    expect(problemMessage("is required.")).toBe("必填");
    expect(problemMessage("must be 8 to 128 characters.")).toBe("须为 8–128 个字符");
    expect(problemMessage("must be at most 100 characters.")).toBe("最多 100 个字符");
    expect(problemMessage("must not contain control characters.")).toBe("不能包含控制字符");
    expect(problemMessage("is required for a county account: the county code.")).toBe("县（市、区）和高校账号必须选择所属单位");
    expect(problemMessage("cannot move from Planned to Live; allowed next: ProgrammeSet.")).toBe("不能直接改为该状态");
    expect(problemMessage("something new.")).toBe("something new");
  });

  it("name each field as people know it", () => {
    expect(fieldName("password", { password: "初始密码" })).toBe("初始密码");
    expect(fieldName("theme")).toBe("主题");
    expect(fieldName("partners[0].kind")).toBe("kind");
    expect(fieldName("unit")).toBe("所属单位");
  });

  it("map each field of a problem to a message naming it", () => {
    const error = problem(400, { password: ["must be 8 to 128 characters."], unit: ["is required."] });
    expect(fieldErrors(error, { password: "初始密码" })).toEqual({ password: "初始密码：须为 8–128 个字符", unit: "所属单位：必填" });
    expect(describeProblem(error, { password: "初始密码" })).toBe("初始密码：须为 8–128 个字符；所属单位：必填");
    setLang("en");
    expect(describeProblem(problem(400, { theme: ["is required."] }))).toBe("theme: is required");
  });

  it("explain the account conflicts in Chinese", () => {
    expect(describeProblem(problem(409, undefined, "An account 'x' already exists."))).toBe("用户名：该用户名已被使用");
    expect(describeProblem(problem(409, undefined, "You cannot disable your own account."))).toBe("不能停用自己正在使用的账号");
    expect(describeProblem(problem(409, undefined, "This is the last enabled admin account."))).toBe("这是最后一个启用的系统管理员账号，不能停用");
    expect(describeProblem(new Error("offline"))).toBe("offline");
  });
});
