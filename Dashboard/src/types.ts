// Wire shapes of the Gateway's API and of the live progress contract
// (Grains/Abstractions/Progress/ProgressContracts.cs). JSON is camelCase, enums are camelCase strings,
// instants are ISO strings, and null members are left out.

export type Role = "secretariat" | "county" | "university" | "leader" | "admin";

export interface Me {
  username: string;
  role: Role;
  unit?: string | null;
}

export interface LoginResponse extends Me {
  antiforgery: { headerName: string; token: string };
}

export type EntityKind = "summit" | "task" | "subForum" | "county" | "project" | "university";
export type WorkStatus = "notStarted" | "inProgress" | "blocked" | "done" | "cancelled";
export type SubEventStatus = "planned" | "preparing" | "ready" | "held" | "cancelled";
export type ChecklistItem = "venue" | "programme" | "guests" | "epidemicPrevention" | "publicity" | "logistics";
export type ChecklistState = "open" | "inProgress" | "done";
export type SubForumStatus =
  | "planned" | "programmeSet" | "speakersConfirmed" | "venueReady" | "rehearsed" | "live" | "concluded";
export type ProjectStage = "identified" | "matched" | "negotiating" | "readyToSign" | "signed" | "landed";
export type UnitKind = "secretariat" | "county" | "university";

export const TaskCategories = [
  "approval", "plan", "organisation", "budget", "logistics", "office", "venue", "publicity",
  "epidemicPrevention", "contingency", "partnership", "awards", "policy",
] as const;
export type TaskCategory = (typeof TaskCategories)[number];

export const WorkStatuses: WorkStatus[] = ["notStarted", "inProgress", "blocked", "done", "cancelled"];
export const ChecklistItems: ChecklistItem[] = ["venue", "programme", "guests", "epidemicPrevention", "publicity", "logistics"];
export const SubForumStatuses: SubForumStatus[] =
  ["planned", "programmeSet", "speakersConfirmed", "venueReady", "rehearsed", "live", "concluded"];
export const ProjectStages: ProjectStage[] = ["identified", "matched", "negotiating", "readyToSign", "signed", "landed"];

export interface OwningUnit { kind: UnitKind; code: string }

export interface ListResponse<T> { items: T[]; total: number }

export interface SummitEdition {
  code: string;
  name: string;
  city: string;
  openingDate: string;
  closingDate: string;
  timeZone: string;
  version: number;
}

export interface TaskResource {
  id: string;
  title: string;
  category: TaskCategory;
  owner: OwningUnit;
  assignee?: string | null;
  dueDate: string;
  dueAt: string;
  overdue: boolean;
  status: WorkStatus;
  percentComplete: number;
  milestone: boolean;
  nextStatuses: WorkStatus[];
  version: number;
  updatedAt: string;
  updatedBy: string;
}

export interface LastUpdate { account: string; at: string; note?: string | null }

export interface SubEvent {
  id: string;
  title: string;
  date?: string | null;
  venue?: string | null;
  status: SubEventStatus;
  checklist: Partial<Record<ChecklistItem, ChecklistState>>;
  version: number;
  lastUpdate: LastUpdate;
  /** The summit mode whose contingency plan it belongs to; absent for every mode. */
  plan?: "offline" | "online" | "hybrid" | null;
  /** True while the summit runs another mode's plan. */
  setAside?: boolean;
}

export interface CountyVenue {
  county: string;
  name: string;
  venue: string;
  lead?: string | null;
  subEvents: SubEvent[];
  version: number;
  lastUpdate: LastUpdate;
}

export interface PartnerUniversity { code: string; name: string }

// --- Live progress contract -------------------------------------------------------------------------

export interface ReadinessReason { code: string; zh: string; en: string; count?: number; item?: string; points: number }

export interface ReadinessScore {
  scope: string;
  key?: string | null;
  score: number;
  taskPercent?: number | null;
  checklistPercent?: number | null;
  schedulePercent?: number | null;
  reasons: ReadinessReason[];
}

export interface FieldChange { field: string; from?: string | null; to?: string | null }

export interface ProgressEvent {
  seq: number;
  prevSeq: number;
  summit: string;
  kind: EntityKind;
  id: string;
  version: number;
  at: string;
  account: string;
  role: Role | "system";
  unit?: string | null;
  title?: string | null;
  changes: FieldChange[];
  note?: string | null;
  scope: { county?: string | null; universities?: string[] | null; owner?: OwningUnit | null };
  entity?: unknown;
}

export interface DashboardScope { kind: "summit" | "county" | "university"; unit?: string | null }

export interface DashboardEdition {
  code: string;
  name: string;
  city: string;
  openingDate: string;
  closingDate: string;
  timeZone: string;
  opening: string;
  mode: string;
  targets: Record<string, number>;
  version: number;
}

export interface TaskTotals {
  total: number; open: number; done: number; blocked: number; cancelled: number; overdue: number; dueThisWeek: number;
}

export interface CountyRow {
  county: string;
  name: string;
  venue: string;
  lead?: string | null;
  readiness?: ReadinessScore | null;
  openTasks: number;
  overdueTasks: number;
  dueThisWeek: number;
  subEventsReady: number;
  checklistDone: number;
  checklistTotal: number;
  subEvents: SubEvent[];
  version: number;
  lastUpdate: LastUpdate;
}

export interface SubForumRow {
  id: string;
  theme: string;
  hostUniversity?: string | null;
  day: string;
  start: string;
  end: string;
  venue: string;
  format: string;
  status: SubForumStatus;
  plannedSpeakers: number;
  confirmedSpeakers: number;
  readiness?: ReadinessScore | null;
  version: number;
}

export interface FunnelStage { stage: ProjectStage; projects: number; enterprises: number }
export interface TargetProgress { key: string; target: number; actual: number; tracked: boolean; basis: string }
export interface ProjectFunnel { projects: number; stages: FunnelStage[]; targets: TargetProgress[] }

export interface TaskItem {
  id: string;
  title: string;
  category: TaskCategory;
  owner: OwningUnit;
  assignee?: string | null;
  due: { date: string; time?: string | null };
  dueAt: string;
  status: WorkStatus;
  percentComplete: number;
  milestone: boolean;
  version: number;
}

export interface TaskList { total: number; items: TaskItem[] }

/** Projected finish of a county's or sub-forum's open tasks; slack in working days. */
export interface ScheduleRollup {
  key?: string | null;
  openTasks: number;
  projectedFinish?: string | null;
  minSlack?: number | null;
  atRisk: boolean;
  hostUniversity?: string | null;
}

export interface CriticalTask {
  id: string;
  title: string;
  owner: OwningUnit;
  due: { date: string; time?: string | null };
  projectedFinish: string;
  slack: number;
}

/** The deadline engine's schedule in brief (ScheduleSummary); atRisk is the "opening at risk" state. */
export interface ScheduleSummary {
  revision: number;
  asOf: string;
  today: string;
  openingDate: string;
  preparationFinish?: string | null;
  projectedFinish?: string | null;
  openingAtRisk: boolean;
  openTasks: number;
  negativeSlackTasks: number;
  criticalPathLength: number;
  criticalTasks: CriticalTask[];
  counties: ScheduleRollup[];
  subForums: ScheduleRollup[];
  atRisk: boolean;
}

export interface DashboardSnapshot {
  summit: string;
  seq: number;
  revision: number;
  generatedAt: string;
  scope: DashboardScope;
  edition?: DashboardEdition | null;
  overall?: ReadinessScore | null;
  readinessAsOf?: string | null;
  tasks: TaskTotals;
  counties: CountyRow[];
  subForums: SubForumRow[];
  funnel: ProjectFunnel;
  overdue: TaskList;
  dueThisWeek: TaskList;
  activity: ProgressEvent[];
  schedule?: ScheduleSummary | null;
}

export interface DashboardPatch {
  summit: string;
  seq: number;
  revision: number;
  edition?: DashboardEdition | null;
  overall?: ReadinessScore | null;
  readinessAsOf?: string | null;
  tasks?: TaskTotals | null;
  counties?: CountyRow[] | null;
  subForums?: SubForumRow[] | null;
  funnel?: ProjectFunnel | null;
  overdue?: TaskList | null;
  dueThisWeek?: TaskList | null;
  schedule?: ScheduleSummary | null;
}

export interface ProgressBatch {
  summit: string;
  events: ProgressEvent[];
  dashboard?: DashboardPatch | null;
  /** The server lost continuity, or this connection fell behind and its queued batches were dropped: Subscribe again. */
  resync?: boolean;
}

export interface SubscribeRequest { summit: string; afterSeq?: number | null; group?: string | null; afterRevision?: number | null }

export interface SubscribeResult {
  summit: string;
  group: string;
  scope: DashboardScope;
  seq: number;
  events?: ProgressEvent[] | null;
  snapshot?: DashboardSnapshot | null;
  dashboard?: DashboardPatch | null;
}

export interface Problem { status?: number; title?: string; detail?: string; errors?: Record<string, string[]> }

// In-app notifications: GET /api/me/notifications, and the hub's "notification" message (NotificationHub).
export type NotificationKind = "dueSoon" | "dueToday" | "overdue" | "escalated" | "modeSwitched";
export interface NotificationTarget { audience: "account" | "unit" | "secretariat"; account?: string | null; unit?: OwningUnit | null }
export interface NotificationItem {
  id: string;
  summit: string;
  kind: NotificationKind;
  taskId?: string | null;
  level?: "owner" | "lead" | "secretariat" | null;
  target: NotificationTarget;
  text: { zh: string; en: string };
  createdAt: string;
  read: boolean;
}
export interface NotificationList extends ListResponse<NotificationItem> { unread: number }
