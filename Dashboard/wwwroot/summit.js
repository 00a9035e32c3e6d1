// First overview page: reads the demo summit from the API. The live dashboard replaces it.
const summit = new URLSearchParams(location.search).get("summit") ?? "wyss-2020";

async function get(path) {
  const response = await fetch(`/api/summits/${encodeURIComponent(summit)}${path}`);
  if (!response.ok) throw new Error(`${path || "/"}: HTTP ${response.status}`);
  return response.json();
}

async function load() {
  const edition = await get("");
  document.getElementById("summit-name").textContent = edition.name;
  document.getElementById("summit-meta").textContent =
    `${edition.city} · ${edition.openingDate} 至 ${edition.closingDate} · ${edition.timeZone}`;
  const [tasks, subforums, counties, projects] = await Promise.all([
    get("/tasks?limit=1000"), get("/subforums"), get("/counties"), get("/projects")]);
  document.getElementById("tasks").textContent = tasks.total;
  document.getElementById("done").textContent = tasks.items.filter(t => t.status === "done").length;
  document.getElementById("subforums").textContent = subforums.total;
  document.getElementById("counties").textContent = counties.total;
  document.getElementById("projects").textContent = projects.total;
  document.getElementById("status").textContent = `更新于 ${new Date().toLocaleTimeString("zh-CN")}`;
}

load().catch(error => { document.getElementById("status").textContent = `加载失败：${error.message}`; });
