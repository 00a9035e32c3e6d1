import type { Problem } from "./types";

/** An answer other than 2xx, with the RFC 9457 problem the Gateway sent. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }

  /** The field errors joined for a person, or the detail. */
  describe(): string {
    const fields = this.problem.errors
      ? Object.entries(this.problem.errors).map(([field, messages]) => `${field}: ${messages.join(" ")}`)
      : [];
    return fields.length > 0 ? fields.join("; ") : this.message;
  }
}

const antiforgeryHeader = "X-XSRF-TOKEN";
const antiforgeryCookie = "XSRF-TOKEN";
let antiforgeryToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

export function setAntiforgeryToken(token: string | null): void {
  antiforgeryToken = token;
}

/** Called when the session is gone (401) so the app can show the sign-in page. */
export function onUnauthorized(handler: () => void): void {
  unauthorizedHandler = handler;
}

function cookie(name: string): string | null {
  for (const part of document.cookie.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

async function currentAntiforgeryToken(): Promise<string> {
  // The login answer carries it; after a reload the readable cookie does; failing both, ask for a fresh one.
  const token = antiforgeryToken ?? cookie(antiforgeryCookie);
  if (token) return token;
  const fresh = await request<{ token: string }>("GET", "/api/auth/antiforgery");
  antiforgeryToken = fresh.body.token;
  return fresh.body.token;
}

export interface Answer<T> {
  status: number;
  body: T;
  etag: string | null;
}

export interface RequestOptions {
  ifMatch?: number;
  signal?: AbortSignal;
  /** Leave a 401 to the caller instead of sending the user to the sign-in page. */
  quietUnauthorized?: boolean;
}

export async function request<T>(method: string, url: string, body?: unknown, options: RequestOptions = {}): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (options.ifMatch !== undefined) headers["If-Match"] = `"${options.ifMatch}"`;
  if (method !== "GET" && method !== "HEAD") headers[antiforgeryHeader] = await currentAntiforgeryToken();

  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    signal: options.signal,
    cache: "no-store",
  });
  const text = await response.text();
  const parsed = text.length > 0 && (response.headers.get("Content-Type") ?? "").includes("json") ? JSON.parse(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && !options.quietUnauthorized) unauthorizedHandler?.();
    throw new ApiError(response.status, (parsed as Problem | undefined) ?? { status: response.status, title: response.statusText });
  }
  return { status: response.status, body: parsed as T, etag: response.headers.get("ETag") };
}

export const get = <T>(url: string, options?: RequestOptions) => request<T>("GET", url, undefined, options).then((a) => a.body);

export function summitUrl(summit: string, path = ""): string {
  return `/api/summits/${encodeURIComponent(summit)}${path}`;
}

export function query(params: Record<string, string | number | boolean | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
}
