// Element Plus's styles first, so the dashboard's own rules (same specificity) come after them and win.
import "./element";
import "./styles/base.css";
import "./styles/screen.css";
import "./styles/app.css";
import { createApp } from "vue";
import App from "./App.vue";
import { router } from "./router";

createApp(App).use(router).mount("#app");
