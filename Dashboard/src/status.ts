import { t } from "./i18n";
import type { LiveStatus } from "./live/feed";
import { hhmm, hhmmss } from "./time";

/** The connection pill's text. */
export function connectionText(status: LiveStatus): string {
  switch (status.state) {
    case "live":
      return t("conn.live");
    case "reconnecting":
      return t("conn.reconnecting");
    case "stale":
      return t("conn.stale", { time: status.staleSince === null ? "—" : hhmm(status.staleSince) });
    default:
      return t("conn.connecting");
  }
}

/** "Last updated hh:mm:ss", or "not updated yet". */
export function updatedText(status: LiveStatus): string {
  return status.lastUpdated === null ? t("conn.never") : t("conn.lastUpdated", { time: hhmmss(status.lastUpdated) });
}
