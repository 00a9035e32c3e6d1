// The parts of frappe-gantt (1.2.2, MIT; it ships no types) the Gantt view uses.
declare module "frappe-gantt" {
  export interface GanttTask {
    id: string;
    name: string;
    start: string;
    end: string;
    progress?: number;
    dependencies?: string;
    custom_class?: string;
  }

  export interface GanttOptions {
    view_mode?: string;
    language?: string;
    readonly?: boolean;
    readonly_progress?: boolean;
    popup_on?: "click" | "hover";
    popup?: false | ((ctx: { task: GanttTask; set_title(t: string): void; set_subtitle(t: string): void; set_details(t: string): void }) => void);
    today_button?: boolean;
    scroll_to?: string;
    infinite_padding?: boolean;
    bar_height?: number;
    padding?: number;
    move_dependencies?: boolean;
    on_click?: (task: GanttTask) => void;
    on_date_change?: (task: GanttTask, start: Date, end: Date) => void;
  }

  export default class Gantt {
    constructor(wrapper: string | HTMLElement | SVGElement, tasks: GanttTask[], options?: GanttOptions);
    refresh(tasks: GanttTask[]): void;
    change_view_mode(mode?: string, maintain_pos?: boolean): void;
  }
}
