// The live hub's contract (Grains/Abstractions/Progress/ProgressContracts.cs and Notifications/NotificationHub.cs).
// Shapes the REST API also serves (snapshots, events, rows) come from the OpenAPI types; the messages only the hub
// carries are written out below. tests/Summit.Tests/Browser/HubContractTests.cs compares this file with the C#
// contract by reflection (names, members and optionality) and fails on drift. JSON is camelCase and null members
// are left out, so every nullable member may also be missing.

import type { components } from "../api/schema";

type Schemas = components["schemas"];

/** Names from ProgressHub and NotificationHub. */
export const hub = {
  /** ProgressHub.Path */
  path: "/hubs/progress",
  /** ProgressHub.Subscribe: Subscribe(SubscribeRequest) → SubscribeResult */
  subscribe: "Subscribe",
  /** ProgressHub.OnProgress: progress(ProgressBatch) */
  onProgress: "progress",
  /** NotificationHub.OnNotification: notification(NotificationResource) */
  onNotification: "notification",
} as const;

export type ProgressEvent = Schemas["ProgressEvent"];
export type DashboardSnapshot = Schemas["DashboardSnapshot"];
export type DashboardEdition = Schemas["DashboardEdition"];
export type DashboardScope = Schemas["DashboardScope"];
export type ReadinessScore = Schemas["ReadinessScore"];
export type TaskTotals = Schemas["TaskTotals"];
export type CountyRow = Schemas["CountyRow"];
export type SubForumRow = Schemas["SubForumRow"];
export type ProjectFunnel = Schemas["ProjectFunnel"];
export type TaskList = Schemas["TaskList"];
export type TaskItem = Schemas["TaskItem"];
export type ScheduleSummary = Schemas["ScheduleSummary"];
export type ScheduleRollup = Schemas["ScheduleRollup"];
export type NotificationItem = Schemas["NotificationResource"];

// --- Messages only the hub carries ---------------------------------------------------------------------------

/** ProgressHub.OnProgress's argument. */
export interface ProgressBatch {
  summit: string;
  events: ProgressEvent[];
  dashboard?: DashboardPatch | null;
  /** The server lost continuity, or this connection fell behind and its queued batches were dropped: Subscribe again. */
  resync?: boolean;
}

/** The dashboard parts that changed; a part left out did not. */
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

/** ProgressHub.Subscribe's argument. */
export interface SubscribeRequest {
  summit: string;
  afterSeq?: number | null;
  group?: string | null;
  afterRevision?: number | null;
}

/** ProgressHub.Subscribe's result: the missed events, or a snapshot. */
export interface SubscribeResult {
  summit: string;
  group: string;
  scope: DashboardScope;
  seq: number;
  events: ProgressEvent[];
  snapshot?: DashboardSnapshot | null;
  dashboard?: DashboardPatch | null;
}
