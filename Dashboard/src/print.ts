import { api, call } from "./api/client";
import { lang, t } from "./i18n";
import { summitZone } from "./time";

// What the header of a printout says besides the page's title: when it was printed and, for a paged list, which
// rows of how many are on the paper (a printout holds what the screen shows, not the whole list).

export interface PrintRange {
  /** 1-based number of the first row shown. */
  from: number;
  /** Number of the last row shown. */
  to: number;
  /** Rows matching the filters, on every page. */
  total: number;
}

/** The moment of printing in the summit's zone, in full: 打印时间：2020年6月12日 14:05. */
export function printedAt(instant: number, zone: string = summitZone()): string {
  const text = new Intl.DateTimeFormat(lang() === "zh" ? "zh-CN" : "en-GB", {
    timeZone: zone, year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).format(new Date(instant));
  return t("print.printedAt", { time: text });
}

/** 第 x–y 条，共 N 条 for the rows on the page; "共 0 条" for an empty list. */
export function printRange(range: PrintRange): string {
  if (range.total <= 0 || range.to < range.from) return t("print.none");
  return t("print.range", { from: range.from, to: Math.min(range.to, range.total), total: range.total });
}

const names = new Map<string, Promise<string>>();

/** The edition's name for the header, asked once per summit; "" when it cannot be read (the header then names the platform). */
export function summitName(code: string): Promise<string> {
  let name = names.get(code);
  if (!name) {
    name = call(api.GET("/api/summits/{summit}", { params: { path: { summit: code } } })).then((s) => s.name, () => "");
    names.set(code, name);
  }
  return name;
}
