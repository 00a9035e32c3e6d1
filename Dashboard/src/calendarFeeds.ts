import type { Schemas } from "./api/client";
import type { User } from "./stores/session";

// #/calendar, the calendar feeds (日历订阅): the pure parts of the screen, tested with vitest.

export type CalendarFeed = Schemas["CalendarFeedResource"];
export type CalendarFeedKind = "unit" | "person";

/** Every role that reads the summit's content may have feeds: all but admins (and accounts of a unit without one). */
export function mayHaveFeeds(user: Pick<User, "role" | "unit">): boolean {
  switch (user.role) {
    case "secretariat":
    case "leader":
      return true;
    case "county":
    case "university":
    case "organization":
      return !!user.unit;
    default:
      return false;
  }
}

/**
 * The feed's address for calendar programs that subscribe by a webcal: link (Apple Calendar, Outlook): the same
 * address with webcal instead of http or https; anything else as it is.
 */
export function webcalAddress(url: string): string {
  return url.replace(/^https?:\/\//i, "webcal://");
}

/** The last characters of a feed's id, enough to tell two feeds apart in the list. */
export function shortId(id: string): string {
  return id.length > 8 ? `…${id.slice(-6)}` : id;
}

/**
 * What a unit feed holds for this account, as an i18n key: the whole summit's for the secretariat and leaders, the
 * unit's own for the others.
 */
export function unitFeedScope(role: User["role"]): "calendar.unitScopeSummit" | "calendar.unitScopeOwn" {
  return role === "secretariat" || role === "leader" ? "calendar.unitScopeSummit" : "calendar.unitScopeOwn";
}

/** Newest first, as the API lists them, so a feed just made tops the list even before the list is read again. */
export function withCreated(feeds: readonly CalendarFeed[], created: CalendarFeed): CalendarFeed[] {
  return [{ ...created, url: null, secret: null }, ...feeds.filter((f) => f.id !== created.id)];
}
