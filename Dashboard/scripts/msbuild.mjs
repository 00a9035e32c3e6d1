// Called by the Gateway's build (Gateway/Summit.Gateway.csproj): `node scripts/msbuild.mjs install|build`; the
// integration tests' build installs their S3 server with it too: `node …/msbuild.mjs install <folder>` (tests/tools/s3).
// Several builds may run at once on one checkout (the solution and a test run, or parallel engineers), and two
// `npm ci` in one folder corrupt each other, so each step runs under a lock and is skipped when another build
// already did it while this one waited.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = process.argv[3] ? resolve(process.argv[3]) : join(dirname(fileURLToPath(import.meta.url)), "..");
// Outside the project: npm ci deletes node_modules and vite empties dist, and nothing here needs ignoring in git.
const lock = join(tmpdir(), `summit-dashboard-${createHash("sha256").update(root).digest("hex").slice(0, 16)}.lock`);
const installStamp = join(root, "node_modules", ".summit-npm-ci.stamp");
const builtIndex = join(root, "dist", "index.html");
const staleLockMs = 10 * 60 * 1000;

const step = process.argv[2];
if ((step !== "install" && step !== "build") || (step === "build" && process.argv[3])) {
  console.error("usage: node scripts/msbuild.mjs install [folder] | build");
  process.exit(2);
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1;
  }
}

function newest(paths) {
  let latest = -1;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    if (statSync(path).isDirectory()) {
      for (const entry of readdirSync(path, { recursive: true })) latest = Math.max(latest, mtime(join(path, String(entry))));
    } else latest = Math.max(latest, mtime(path));
  }
  return latest;
}

const manifests = ["package.json", "package-lock.json"].map((f) => join(root, f));
const sources = [...manifests, ...["src", "openapi", "scripts", "index.html", "vite.config.ts", "tsconfig.json"].map((f) => join(root, f))];

const upToDate = {
  install: () => mtime(installStamp) >= newest(manifests),
  build: () => mtime(builtIndex) >= Math.max(newest(sources), mtime(installStamp)),
};

async function acquire() {
  for (;;) {
    try {
      mkdirSync(lock); // atomic: exactly one process creates it
      return;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // A build that died holding the lock must not block every later build.
      if (Date.now() - mtime(lock) > staleLockMs) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function run(args) {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const result = spawnSync(npm, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

await acquire();
let status = 0;
try {
  if (!upToDate[step]()) {
    if (step === "install") {
      status = run(["ci", "--no-audit", "--no-fund"]);
      if (status === 0) writeFileSync(installStamp, new Date().toISOString());
    } else {
      status = run(["run", "build"]);
    }
  }
} finally {
  rmSync(lock, { recursive: true, force: true });
}
process.exit(status);
