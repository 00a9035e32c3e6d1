import { ApiError } from "../api";
import { $, html, setHtml } from "../dom";
import { onLangChange, t } from "../i18n";
import { homeRoute, login } from "../session";
import { bindLangToggle, langToggle } from "../status";
import type { View } from "./view";

/** Cookie sign-in; on success the account goes to its home view (or the page it first asked for). */
export function mountLogin(root: HTMLElement, returnTo: string | null): View {
  const shell = document.createElement("div");
  shell.className = "login-view";
  root.innerHTML = "";
  root.appendChild(shell);
  bindLangToggle(shell);
  let error: string | null = null;
  let busy = false;
  let username = "";

  function render(): void {
    setHtml(shell, html`
      <form class="login-card" data-testid="login-form" novalidate>
        <div class="login-top"><h1>${t("app.title")}</h1>${langToggle()}</div>
        <h2>${t("login.heading")}</h2>
        <label>${t("login.username")}<input name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${username}"></label>
        <label>${t("login.password")}<input name="password" type="password" autocomplete="current-password" required></label>
        ${error ? html`<p class="notice bad" role="alert" data-testid="login-error">${error}</p>` : ""}
        <button type="submit" class="primary" ${busy ? html`disabled` : ""}>${busy ? t("login.busy") : t("login.submit")}</button>
        <p class="muted hint">${t("login.hint")}</p>
      </form>`);
    if (!busy) (shell.querySelector<HTMLInputElement>(username ? "input[name=password]" : "input[name=username]"))?.focus();
  }

  shell.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = $("form", shell) as HTMLFormElement;
    username = (form.elements.namedItem("username") as HTMLInputElement).value.trim();
    const password = (form.elements.namedItem("password") as HTMLInputElement).value;
    busy = true;
    error = null;
    render();
    try {
      const user = await login(username, password);
      location.hash = returnTo && returnTo !== "#/login" ? returnTo : homeRoute(user);
    } catch (e) {
      busy = false;
      error = e instanceof ApiError && e.status === 429 ? t("login.throttled")
        : e instanceof ApiError && (e.status === 401 || e.status === 400) ? t("login.failed")
        : t("app.error", { message: (e as Error).message });
      render();
    }
  });

  const offLang = onLangChange(render);
  render();
  return { destroy: offLang };
}
