import type { Directive } from "vue";

/**
 * Hides the items of a list that would be cut off at its bottom edge, so a fixed-height panel never shows half a
 * row. Reads every position first and writes after, so the page is laid out once however long the list is.
 */
export function fitList(list: HTMLElement): void {
  const items = [...list.children] as HTMLElement[];
  for (const item of items) item.hidden = false;
  const limit = list.clientHeight;
  const top = list.getBoundingClientRect().top;
  const cut = items.map((item) => limit > 0 && item.getBoundingClientRect().bottom - top > limit + 1);
  items.forEach((item, i) => (item.hidden = cut[i]));
}

/** v-fit on a list: fitted after every drawing of it. */
export const vFit: Directive<HTMLElement> = {
  mounted: (el) => fitList(el),
  updated: (el) => fitList(el),
};
