// npm run openapi:refresh — writes the Gateway's live OpenAPI document over openapi/summit.json, then regenerates
// src/api/schema.d.ts from it. It runs the snapshot test (tests/Summit.Tests.Integration/Api/OpenApiSnapshotTests.cs) in refresh
// mode, which starts the Gateway in-process; without that variable the same test fails when the two differ.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tests = join(root, "..", "tests", "Summit.Tests.Integration");
const windows = process.platform === "win32";

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", shell: windows, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run("dotnet", ["test", tests, "--filter", "FullyQualifiedName~OpenApiSnapshotTests"], {
  env: { ...process.env, SUMMIT_OPENAPI_REFRESH: "1" },
});
run(windows ? "npm.cmd" : "npm", ["run", "openapi:types"], { cwd: root });
console.log("openapi/summit.json refreshed; run npm run check to see what no longer type-checks.");
