import { afterEach, describe, expect, it } from "vitest";
import { setLang } from "./i18n";
import { printRange, printedAt } from "./print";

describe("the header of a printout", () => {
  afterEach(() => setLang("zh"));

  it("says when it was printed, in the summit's zone", () => {
    // 06:05 UTC is 14:05 in Shanghai.
    expect(printedAt(Date.UTC(2020, 5, 12, 6, 5), "Asia/Shanghai")).toBe("打印时间：2020年6月12日 14:05");
    setLang("en");
    expect(printedAt(Date.UTC(2020, 5, 12, 6, 5), "Asia/Shanghai")).toBe("Printed 12 June 2020 at 14:05");
  });

  it("names the rows of a paged list on the paper", () => {
    expect(printRange({ from: 1, to: 50, total: 120 })).toBe("第 1–50 条，共 120 条");
    expect(printRange({ from: 101, to: 120, total: 120 })).toBe("第 101–120 条，共 120 条");
    expect(printRange({ from: 1, to: 0, total: 0 })).toBe("共 0 条");
  });
});
