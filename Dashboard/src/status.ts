import { html, type Html } from "./dom";
import { lang, setLang, t } from "./i18n";
import type { LiveStatus } from "./live";
import { hhmm, hhmmss } from "./time";

/** The connection pill and "last updated" line every live view shows. */
export function connectionBadge(status: LiveStatus): Html {
  const text =
    status.state === "live" ? t("conn.live")
    : status.state === "reconnecting" ? t("conn.reconnecting")
    : status.state === "stale" ? t("conn.stale", { time: status.staleSince === null ? "—" : hhmm(status.staleSince) })
    : t("conn.connecting");
  const updated = status.lastUpdated === null ? t("conn.never") : t("conn.lastUpdated", { time: hhmmss(status.lastUpdated) });
  return html`<span class="conn conn-${status.state}" data-testid="connection" data-state="${status.state}"><span class="conn-dot"></span><span class="conn-text">${text}</span></span>
    <span class="updated" data-testid="last-updated">${updated}</span>`;
}

export function langToggle(): Html {
  return html`<button type="button" class="lang-toggle" data-action="lang" title="${t("app.langTitle")}">${t("app.lang")}</button>`;
}

/** Wires every [data-action=lang] button under root. */
export function bindLangToggle(root: HTMLElement): void {
  root.addEventListener("click", (event) => {
    const target = (event.target as HTMLElement).closest("[data-action=lang]");
    if (target) setLang(lang() === "zh" ? "en" : "zh");
  });
}
