import { lang } from "./i18n";

// The server may run on a demo clock (it starts in June 2020), so countdowns and "last updated" use the
// server's time: the offset is learned from each snapshot's generatedAt.
let offsetMs = 0;
let zone = "Asia/Shanghai";

export function learnServerTime(serverInstant: string): void {
  const server = Date.parse(serverInstant);
  if (!Number.isNaN(server)) offsetMs = server - Date.now();
}

export function serverNow(): number {
  return Date.now() + offsetMs;
}

export function setZone(timeZone: string | null | undefined): void {
  if (timeZone) zone = timeZone;
}

export function summitZone(): string {
  return zone;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang()}|${zone}|${JSON.stringify(options)}`;
  let formatter = formats.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(lang() === "zh" ? "zh-CN" : "en-GB", { timeZone: zone, ...options });
    formats.set(key, formatter);
  }
  return formatter;
}

const asDate = (value: number | string) => (typeof value === "number" ? new Date(value) : new Date(value));

/** HH:mm in the summit's time zone. */
export function hhmm(value: number | string): string {
  return format({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(asDate(value));
}

/** HH:mm:ss in the summit's time zone. */
export function hhmmss(value: number | string): string {
  return format({ hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(asDate(value));
}

/** A local date (2020-10-18) as a short day for people: 10月18日 / 18 Oct. */
export function shortDate(localDate: string | null | undefined): string {
  if (!localDate) return "";
  const [y, m, d] = localDate.split("-").map(Number);
  if (!y || !m || !d) return localDate;
  return new Intl.DateTimeFormat(lang() === "zh" ? "zh-CN" : "en-GB", { month: "short", day: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** A local date with the year: 2020年10月18日 / 18 Oct 2020. */
export function longDate(localDate: string | null | undefined): string {
  if (!localDate) return "";
  const [y, m, d] = localDate.split("-").map(Number);
  if (!y || !m || !d) return localDate;
  return new Intl.DateTimeFormat(lang() === "zh" ? "zh-CN" : "en-GB", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

/** The summit-zone calendar date of an instant, as yyyy-MM-dd. */
export function localDateOf(value: number | string): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(asDate(value));
  return parts;
}
