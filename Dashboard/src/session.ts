import { ApiError, get, request, setAntiforgeryToken } from "./api";
import type { ListResponse, LoginResponse, Me, SummitEdition } from "./types";

let me: Me | null = null;
let summitCode: string | null = null;

export function currentUser(): Me | null {
  return me;
}

/** The signed-in account, or null when there is no valid session cookie. */
export async function loadSession(): Promise<Me | null> {
  try {
    me = await get<Me>("/api/auth/me", { quietUnauthorized: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) me = null;
    else throw error;
  }
  return me;
}

export async function login(username: string, password: string): Promise<Me> {
  const answer = await request<LoginResponse>("POST", "/api/auth/login", { username, password }, { quietUnauthorized: true });
  setAntiforgeryToken(answer.body.antiforgery.token);
  me = { username: answer.body.username, role: answer.body.role, unit: answer.body.unit };
  return me;
}

export async function logout(): Promise<void> {
  try {
    await request("POST", "/api/auth/logout", undefined, { quietUnauthorized: true });
  } finally {
    me = null;
    setAntiforgeryToken(null);
  }
}

export function forgetSession(): void {
  me = null;
  setAntiforgeryToken(null);
}

/** The summit shown: `?summit=` in the address, else the first edition the account may read. */
export async function currentSummit(): Promise<string> {
  if (summitCode) return summitCode;
  const fromQuery = new URLSearchParams(location.search).get("summit");
  if (fromQuery) return (summitCode = fromQuery);
  const list = await get<ListResponse<SummitEdition>>("/api/summits?limit=10");
  summitCode = list.items[0]?.code ?? "wyss-2020";
  return summitCode;
}

/** Where an account lands: leaders on the big screen, the secretariat on tasks, a county on its own venue. */
export function homeRoute(user: Me): string {
  switch (user.role) {
    case "leader":
      return "#/screen";
    case "county":
      return "#/county";
    case "secretariat":
    case "university":
      return "#/tasks";
    default:
      return "#/screen";
  }
}
