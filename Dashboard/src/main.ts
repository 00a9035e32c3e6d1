// Element Plus's styles first, so the dashboard's own rules (same specificity) come after them and win.
import "./element";
// Noto Sans SC ships with the dashboard (OFL, split by Unicode range: a page loads only the slices of the characters it
// shows), so Chinese renders on a machine without CJK system fonts. The stack in base.css prefers an installed copy.
import "@fontsource/noto-sans-sc/400.css";
import "@fontsource/noto-sans-sc/700.css";
import "./styles/base.css";
import "./styles/screen.css";
import "./styles/app.css";
// Last: A4 printouts of the task list and the unit pages (applies only to print).
import "./styles/print.css";
import { createApp } from "vue";
import App from "./App.vue";
import { router } from "./router";

createApp(App).use(router).mount("#app");
