import { createRouter, createWebHashHistory, type RouteLocationRaw, type RouteRecordInfo } from "vue-router";
import { onUnauthorized } from "./api/client";
import { currentSummit, ensureSession, forgetSession, type User } from "./stores/session";
import { ref } from "vue";

// Hash routes (#/screen, #/tasks?category=…, #/county/pingyang): the Gateway serves one index.html for every address.

export interface RouteNamedMap {
  home: RouteRecordInfo<"home", "/", Record<never, never>, Record<never, never>>;
  login: RouteRecordInfo<"login", "/login", Record<never, never>, Record<never, never>>;
  screen: RouteRecordInfo<"screen", "/screen", Record<never, never>, Record<never, never>>;
  tasks: RouteRecordInfo<"tasks", "/tasks", Record<never, never>, Record<never, never>>;
  county: RouteRecordInfo<"county", "/county/:code?", { code?: string | null }, { code?: string }>;
  other: RouteRecordInfo<"other", "/:rest(.*)*", { rest?: string | string[] | null }, { rest?: string[] }>;
}

declare module "vue-router" {
  interface TypesConfig {
    RouteNamedMap: RouteNamedMap;
  }
}

export type ViewName = "screen" | "tasks" | "county";

/** The views each role may open; anything else sends the account to its home view. */
export function allowedViews(role: User["role"]): ViewName[] {
  switch (role) {
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

/** Where an account lands: leaders on the big screen, the secretariat on tasks, a county on its own venue. */
export function homeView(role: User["role"]): ViewName {
  switch (role) {
    case "leader":
      return "screen";
    case "county":
      return "county";
    case "secretariat":
    case "university":
      return "tasks";
    default:
      return "screen";
  }
}

/** The summit the views show, known once the first view is let in. */
export const summit = ref("");
/** A failure to read the session at all (the Gateway is down): shown instead of any view. */
export const bootError = ref<string | null>(null);
/** Where to go after signing in: the address first asked for. */
let returnTo: string | null = null;

export function takeReturnTo(): string | null {
  const target = returnTo;
  returnTo = null;
  return target;
}

export function forgetReturnTo(): void {
  returnTo = null;
}

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: "/", name: "home", component: () => Promise.resolve({ render: () => null }) },
    { path: "/login", name: "login", component: () => import("./views/LoginView.vue") },
    { path: "/screen", name: "screen", component: () => import("./views/ScreenView.vue") },
    { path: "/tasks", name: "tasks", component: () => import("./views/TasksView.vue") },
    { path: "/county/:code?", name: "county", component: () => import("./views/CountyView.vue") },
    { path: "/:rest(.*)*", name: "other", component: () => Promise.resolve({ render: () => null }) },
  ],
});

router.beforeEach(async (to): Promise<boolean | RouteLocationRaw> => {
  let user: User | null;
  try {
    user = await ensureSession();
  } catch (error) {
    bootError.value = (error as Error).message;
    return false;
  }
  bootError.value = null;
  if (!user) {
    if (to.name === "login") return true;
    returnTo = to.name === "home" ? null : to.fullPath;
    return { name: "login", replace: true };
  }
  const view = to.name as ViewName;
  // The root, the sign-in page once signed in, or a view this role does not have.
  if (!allowedViews(user.role).includes(view)) return { name: homeView(user.role), replace: true };
  summit.value = await currentSummit();
  return true;
});

onUnauthorized(() => {
  forgetSession();
  const current = router.currentRoute.value;
  if (current.name !== "login") {
    returnTo = current.fullPath;
    void router.push({ name: "login" });
  }
});
