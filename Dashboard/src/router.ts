import { createRouter, createWebHashHistory, type RouteLocationRaw, type RouteRecordInfo } from "vue-router";
import { onUnauthorized } from "./api/client";
import { currentSummit, ensureSession, forgetSession, type User } from "./stores/session";
import { ref } from "vue";

// Hash routes (#/screen, #/tasks?category=…, #/county/pingyang, #/campaigns/venue-photos/submission): the Gateway serves one index.html for every address.

export interface RouteNamedMap {
  home: RouteRecordInfo<"home", "/", Record<never, never>, Record<never, never>>;
  login: RouteRecordInfo<"login", "/login", Record<never, never>, Record<never, never>>;
  screen: RouteRecordInfo<"screen", "/screen", Record<never, never>, Record<never, never>>;
  tasks: RouteRecordInfo<"tasks", "/tasks", Record<never, never>, Record<never, never>>;
  task: RouteRecordInfo<"task", "/tasks/:id", { id: string }, { id: string }>;
  gantt: RouteRecordInfo<"gantt", "/gantt", Record<never, never>, Record<never, never>>;
  readiness: RouteRecordInfo<"readiness", "/readiness", Record<never, never>, Record<never, never>>;
  county: RouteRecordInfo<"county", "/county/:code?", { code?: string | null }, { code?: string }>;
  university: RouteRecordInfo<"university", "/university/:code?", { code?: string | null }, { code?: string }>;
  accounts: RouteRecordInfo<"accounts", "/accounts", Record<never, never>, Record<never, never>>;
  alliances: RouteRecordInfo<"alliances", "/alliances", Record<never, never>, Record<never, never>>;
  finalists: RouteRecordInfo<"finalists", "/finalists", Record<never, never>, Record<never, never>>;
  campaigns: RouteRecordInfo<"campaigns", "/campaigns", Record<never, never>, Record<never, never>>;
  organizations: RouteRecordInfo<"organizations", "/organizations", Record<never, never>, Record<never, never>>;
  calendar: RouteRecordInfo<"calendar", "/calendar", Record<never, never>, Record<never, never>>;
  campaign: RouteRecordInfo<"campaign", "/campaigns/:id", { id: string }, { id: string }>;
  submission: RouteRecordInfo<"submission", "/campaigns/:id/submission/:unit?", { id: string; unit?: string | null }, { id: string; unit?: string }>;
  other: RouteRecordInfo<"other", "/:rest(.*)*", { rest?: string | string[] | null }, { rest?: string[] }>;
}

declare module "vue-router" {
  interface TypesConfig {
    RouteNamedMap: RouteNamedMap;
  }
}

export type ViewName = "screen" | "tasks" | "gantt" | "readiness" | "county" | "university" | "alliances" | "campaigns" | "organizations" | "calendar" | "accounts";

/**
 * The view a route belongs to, for who may open it: a task's page is part of the task table, the finalists part of the
 * alliances' view (one view, two tabs), a notice's page and a unit's submission part of the campaigns.
 */
export function viewOf(route: string): ViewName | null {
  if (route === "task") return "tasks";
  if (route === "finalists") return "alliances";
  if (route === "campaign" || route === "submission") return "campaigns";
  const views: string[] = ["screen", "tasks", "gantt", "readiness", "county", "university", "alliances", "campaigns", "organizations", "calendar", "accounts"];
  return views.includes(route) ? (route as ViewName) : null;
}

/** The views each role may open; anything else sends the account to its home view. */
export function allowedViews(role: User["role"]): ViewName[] {
  switch (role) {
    case "secretariat":
      return ["tasks", "gantt", "readiness", "screen", "county", "university", "alliances", "campaigns", "organizations", "calendar"];
    case "leader":
      return ["screen", "readiness", "tasks", "gantt", "county", "university", "alliances", "campaigns", "organizations", "calendar"];
    case "county":
      return ["county", "campaigns", "organizations", "calendar"];
    case "university":
      return ["university", "tasks", "campaigns", "organizations", "calendar"];
    case "organization":
      return ["campaigns", "calendar"];
    case "admin":
      return ["accounts"];
    default:
      return [];
  }
}

/**
 * Whether a role may open a route: the views of {@link allowedViews}, and a task's page for every role that reads tasks,
 * counties included (their own tasks, to read the history and comment; the API answers 404 for any other).
 */
export function mayOpen(role: User["role"], route: string): boolean {
  const view = viewOf(route);
  if (view === null) return false;
  return allowedViews(role).includes(view) || (route === "task" && role === "county");
}

/**
 * Where an account lands: leaders on the big screen, the secretariat on tasks, a county on its own venue, a university
 * on its sub-forums and projects, an admin on the accounts. Always one of {@link allowedViews}, so a redirect ends there.
 */
export function homeView(role: User["role"]): ViewName | "login" {
  switch (role) {
    case "leader":
      return "screen";
    case "county":
      return "county";
    case "secretariat":
      return "tasks";
    case "university":
      return "university";
    case "admin":
      return "accounts";
    case "organization":
      return "campaigns";
    default:
      // A role with no view of its own (none is shown to people): back to sign-in rather than round in circles.
      return "login";
  }
}

/** Views that show no summit: they need not ask which summit the account reads (an admin reads none). */
const summitFree: ViewName[] = ["accounts"];

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
    { path: "/tasks/:id", name: "task", component: () => import("./views/TaskDetailView.vue") },
    { path: "/gantt", name: "gantt", component: () => import("./views/GanttView.vue") },
    { path: "/readiness", name: "readiness", component: () => import("./views/ReadinessView.vue") },
    { path: "/county/:code?", name: "county", component: () => import("./views/CountyView.vue") },
    { path: "/university/:code?", name: "university", component: () => import("./views/UniversityView.vue") },
    { path: "/accounts", name: "accounts", component: () => import("./views/AccountsView.vue") },
    { path: "/organizations", name: "organizations", component: () => import("./views/OrganizationsView.vue") },
    { path: "/calendar", name: "calendar", component: () => import("./views/CalendarView.vue") },
    { path: "/alliances", name: "alliances", component: () => import("./views/OutcomesView.vue") },
    { path: "/finalists", name: "finalists", component: () => import("./views/OutcomesView.vue") },
    { path: "/campaigns", name: "campaigns", component: () => import("./views/CampaignsView.vue") },
    { path: "/campaigns/:id", name: "campaign", component: () => import("./views/CampaignView.vue") },
    { path: "/campaigns/:id/submission/:unit?", name: "submission", component: () => import("./views/SubmissionView.vue") },
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
  const view = viewOf(String(to.name));
  // The root, the sign-in page once signed in, or a view this role does not have.
  if (view === null || !mayOpen(user.role, String(to.name))) {
    const home = homeView(user.role);
    if (home === "login") {
      if (to.name === "login") return true;
      forgetSession();
      return { name: "login", replace: true };
    }
    return { name: home, replace: true };
  }
  if (!summitFree.includes(view)) summit.value = await currentSummit();
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
