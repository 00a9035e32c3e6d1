import { ref } from "vue";
import { api, call, setAntiforgeryToken, type Schemas } from "../api/client";

export type Role = Schemas["Role"];
export interface User {
  username: string;
  role: Role;
  unit?: string | null;
}

const me = ref<User | null>(null);
let checked = false;
let summitCode: string | null = null;

/** The signed-in account (reactive), or null. */
export const currentUser = me;

/** Reads the session once per page load: the account of the session cookie, or none. */
export async function ensureSession(): Promise<User | null> {
  if (checked) return me.value;
  const answer = await call(api.GET("/api/auth/session"), { quietUnauthorized: true });
  me.value = answer.signedIn && answer.account ? { username: answer.account.username, role: answer.account.role, unit: answer.account.unit } : null;
  checked = true;
  return me.value;
}

export async function login(username: string, password: string): Promise<User> {
  const answer = await call(api.POST("/api/auth/login", { body: { username, password } }), { quietUnauthorized: true });
  setAntiforgeryToken(answer.antiforgery.token);
  me.value = { username: answer.username, role: answer.role, unit: answer.unit };
  checked = true;
  return me.value;
}

export async function logout(): Promise<void> {
  try {
    await call(api.POST("/api/auth/logout"), { quietUnauthorized: true });
  } finally {
    forgetSession();
  }
}

export function forgetSession(): void {
  me.value = null;
  setAntiforgeryToken(null);
}

/** The summit shown: `?summit=` in the address, else the first edition the account may read. */
export async function currentSummit(): Promise<string> {
  if (summitCode) return summitCode;
  const fromQuery = new URLSearchParams(location.search).get("summit");
  if (fromQuery) return (summitCode = fromQuery);
  const list = await call(api.GET("/api/summits", { params: { query: { limit: 10 } } }));
  summitCode = list.items[0]?.code ?? "wyss-2020";
  return summitCode;
}
