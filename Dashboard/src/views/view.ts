import type { Me } from "../types";

export interface ViewContext {
  summit: string;
  user: Me;
  /** The rest of the route after the view's name, e.g. a county code. */
  params: string[];
}

export interface View {
  destroy(): void;
}
