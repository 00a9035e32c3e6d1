import "./styles/base.css";
import "./styles/screen.css";
import "./styles/app.css";
import { onUnauthorized } from "./api";
import { allowedRoutes, type RouteName } from "./chrome";
import { html, setHtml } from "./dom";
import { t } from "./i18n";
import { currentSummit, currentUser, forgetSession, homeRoute, loadSession, logout } from "./session";
import { mountCounty } from "./views/county";
import { mountLogin } from "./views/login";
import { mountScreen } from "./views/screen";
import { mountTasks } from "./views/tasks";
import type { View } from "./views/view";

const root = document.getElementById("app")!;
let view: View | null = null;
let sessionChecked = false;
let returnTo: string | null = null;
let navigation = 0;

function parseHash(): { name: string; params: string[] } {
  const path = location.hash.replace(/^#\/?/, "").split("?")[0];
  const [name = "", ...params] = path.split("/").filter(Boolean).map(decodeURIComponent);
  return { name, params };
}

function show(next: View): void {
  view?.destroy();
  view = next;
}

async function route(): Promise<void> {
  const current = ++navigation;
  const { name, params } = parseHash();
  if (!sessionChecked) {
    try {
      await loadSession();
      sessionChecked = true;
    } catch (error) {
      setHtml(root, html`<p class="notice bad page">${t("app.error", { message: (error as Error).message })}</p>`);
      return;
    }
  }
  if (current !== navigation) return;
  const user = currentUser();
  if (!user) {
    if (name !== "login") {
      returnTo = name ? location.hash : null;
      location.replace("#/login");
      return;
    }
    document.title = t("app.title");
    show(mountLogin(root, returnTo));
    return;
  }
  const allowed = allowedRoutes(user);
  if (!allowed.includes(name as RouteName)) {
    // The root, the sign-in page once signed in, or a view this role does not have.
    location.replace(homeRoute(user));
    return;
  }
  const summit = await currentSummit();
  if (current !== navigation) return;
  const context = { summit, user, params };
  document.title = t("app.title");
  switch (name as RouteName) {
    case "screen":
      show(mountScreen(root, context));
      break;
    case "tasks":
      // Filter changes rewrite the query part of the address; they are not a new navigation.
      show(mountTasks(root, context));
      break;
    case "county":
      show(mountCounty(root, context));
      break;
  }
}

let lastPath = "";
window.addEventListener("hashchange", () => {
  const path = location.hash.split("?")[0];
  if (path === lastPath && path.startsWith("#/tasks")) return;
  lastPath = path;
  void route();
});

document.addEventListener("click", async (event) => {
  const target = (event.target as HTMLElement).closest("[data-action=logout]");
  if (!target) return;
  await logout().catch(() => undefined);
  view?.destroy();
  view = null;
  returnTo = null;
  location.hash = "#/login";
});

onUnauthorized(() => {
  forgetSession();
  if (!location.hash.startsWith("#/login")) {
    returnTo = location.hash;
    location.hash = "#/login";
  }
});

lastPath = location.hash.split("?")[0];
void route();
