// A small, safe way to write markup: values interpolated into html`` are escaped unless they are Html
// themselves, so names and notes from the server can never inject markup.

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const escapes: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escape(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => escapes[c]);
}

function piece(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(piece).join("");
  if (value === null || value === undefined || value === false) return "";
  return escape(value);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0];
  for (let i = 0; i < values.length; i++) out += piece(values[i]) + strings[i + 1];
  return new Html(out);
}

export function setHtml(element: Element, content: Html): void {
  element.innerHTML = content.text;
}

export function $(selector: string, root: ParentNode = document): HTMLElement {
  const element = root.querySelector<HTMLElement>(selector);
  if (!element) throw new Error(`Missing element ${selector}`);
  return element;
}

/** Runs fn at most once per animation frame, however often it is asked for. */
export function perFrame(fn: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      fn();
    });
  };
}

export function toast(message: string, kind: "ok" | "error" = "ok"): void {
  let host = document.getElementById("toasts");
  if (!host) {
    host = document.createElement("div");
    host.id = "toasts";
    host.setAttribute("role", "status");
    host.setAttribute("aria-live", "polite");
    document.body.appendChild(host);
  }
  const item = document.createElement("div");
  item.className = `toast toast-${kind}`;
  item.textContent = message;
  host.appendChild(item);
  window.setTimeout(() => item.remove(), kind === "error" ? 6_000 : 2_500);
}

/**
 * Hides the items of lists that would be cut off at their bottom edge, so a fixed-height panel never shows half a
 * row. Reads every position first and writes after, so the page is laid out once however long the lists are.
 */
export function fitLists(lists: HTMLElement[]): void {
  const all = lists.map((list) => [...list.children] as HTMLElement[]);
  for (const items of all) for (const item of items) item.hidden = false;
  const cut = lists.map((list, i) => {
    const limit = list.clientHeight;
    const top = list.getBoundingClientRect().top;
    return all[i].map((item) => limit > 0 && item.getBoundingClientRect().bottom - top > limit + 1);
  });
  lists.forEach((_, i) => all[i].forEach((item, j) => (item.hidden = cut[i][j])));
}
