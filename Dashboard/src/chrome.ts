import { html, type Html } from "./dom";
import { t, type TextKey } from "./i18n";
import { countyName } from "./labels";
import { notificationBell } from "./notifications";
import type { Me } from "./types";
import { langToggle } from "./status";

export type RouteName = "screen" | "tasks" | "county" | "login";

/** The routes each role may open; anything else sends the account to its home view. */
export function allowedRoutes(user: Me): RouteName[] {
  switch (user.role) {
    case "secretariat":
      return ["tasks", "screen", "county"];
    case "leader":
      return ["screen", "tasks", "county"];
    case "county":
      return ["county"];
    case "university":
      return ["tasks"];
    default:
      return [];
  }
}

const navText: Record<Exclude<RouteName, "login">, TextKey> = {
  screen: "nav.screen",
  tasks: "nav.tasks",
  county: "nav.county",
};

/** The bar above the secretariat's and counties' views (the big screen has none). */
export function appBar(user: Me, active: RouteName): Html {
  const routes = allowedRoutes(user).filter((r): r is Exclude<RouteName, "login"> => r !== "login");
  const who = user.role === "county" && user.unit ? `${user.username} · ${countyName(user.unit)}` : user.username;
  return html`<header class="app-bar">
    <a class="brand" href="#/">${t("app.title")}</a>
    <nav>${routes.length > 1 ? routes.map((r) => html`<a href="#/${r}" class="${r === active ? "active" : ""}">${t(navText[r])}</a>`) : ""}</nav>
    <div class="app-bar-end">
      <span class="live-slot" data-slot="live"></span>
      ${notificationBell(user)}
      ${langToggle()}
      <span class="who" data-testid="who">${t("app.signedInAs", { user: who })}</span>
      <button type="button" class="link-button" data-action="logout">${t("app.signOut")}</button>
    </div>
  </header>`;
}
