// Where a list's spreadsheet comes from: the Gateway's …/export.xlsx and …/export.csv beside each exported list, with
// the list's own filters (never its paging: an export holds every match).

export type SheetFormat = "xlsx" | "csv";

/** The address of a list's export: `/api/summits/{summit}/{list}/export.{format}` with the filters that are set. */
export function sheetUrl(summit: string, list: string, format: SheetFormat, filters: Record<string, string | undefined> = {}): string {
  const path = list.split("/").map(encodeURIComponent).join("/");
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (key === "offset" || key === "limit" || value === undefined || value === "") continue;
    query.set(key, value);
  }
  const text = query.toString();
  return `/api/summits/${encodeURIComponent(summit)}/${path}/export.${format}${text ? `?${text}` : ""}`;
}
