import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

// The Gateway serves dist/ beside its binaries; `npm run dev` proxies the API and hub to a local Gateway.
export default defineConfig({
  base: "./",
  plugins: [vue()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 1200,
    rollupOptions: {
      onwarn(warning, warn) {
        // @microsoft/signalr ships /*#__PURE__*/ comments in places Rollup ignores; harmless, and not ours to fix.
        if (warning.code === "INVALID_ANNOTATION" && warning.id?.includes("node_modules")) return;
        warn(warning);
      },
      output: {
        // Vendor code changes far less often than ours; separate chunks keep browser caches warm across deploys.
        // Element Plus is left to Rollup: a manual chunk would keep all of it, used or not.
        manualChunks: (id) =>
          id.includes("node_modules/echarts") || id.includes("node_modules/zrender") ? "echarts"
          : id.includes("node_modules/@microsoft/signalr") ? "signalr"
          : id.includes("node_modules/@vue") || id.includes("node_modules/vue") ? "vue"
          : undefined,
      },
    },
  },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.ts"],
  },
  server: {
    proxy: {
      "/api": "http://localhost:5080",
      "/hubs": { target: "http://localhost:5080", ws: true },
      "/healthz": "http://localhost:5080",
    },
  },
});
