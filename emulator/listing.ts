/**
 * Lists as the reference documents them: filters on the documented query parameters, `sort=key:dir,…`,
 * and the three pagination styles (marker/limit, offset/limit, page/size).
 */
import type { OperationSpec } from "../provider/operations";
import { badRequest } from "./errors";
import type { ApiObject } from "./store";

const PAGING = new Set(["limit", "marker", "offset", "page", "size", "sort", "with_count"]);

function intParam(query: URLSearchParams, name: string, fallback: number | undefined): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^\d+$/.test(raw)) throw badRequest(`${name} must be a non-negative integer`);
  return Number(raw);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  return a < b ? -1 : 1;
}

/** Filters by every documented, non-paging query parameter that maps to a field of the objects. */
export function filterObjects(op: OperationSpec, query: URLSearchParams, objects: ApiObject[]): ApiObject[] {
  let result = objects;
  for (const param of op.queryParams) {
    if (PAGING.has(param)) continue;
    const values = query.getAll(param);
    if (values.length === 0) continue;
    result = result.filter((o) => {
      const field = o[param];
      if (param === "name" && typeof field === "string") return values.some((v) => field.includes(v));
      if (param === "min_ram") return Number(o.ram ?? 0) >= Number(values[0]);
      if (param === "min_disk") return Number(o.disk ?? 0) >= Number(values[0]);
      if (field === undefined) return true;
      return values.includes(String(field));
    });
  }
  return result;
}

export function sortObjects(query: URLSearchParams, objects: ApiObject[], fallback = "created_at:desc"): ApiObject[] {
  const spec = query.get("sort") || fallback;
  const keys = spec.split(",").map((part) => {
    const [key = "", dir = "asc"] = part.split(":");
    if (!/^[a-z_]+$/.test(key) || !["asc", "desc"].includes(dir)) throw badRequest(`invalid sort "${part}"`);
    return { key, sign: dir === "desc" ? -1 : 1 };
  });
  return [...objects].sort((a, b) => {
    for (const { key, sign } of keys) {
      const c = compare(a[key], b[key]);
      if (c !== 0) return c * sign;
    }
    return compare(a.id, b.id);
  });
}

/** One page, in the style the operation documents; `count` is the total after filtering. */
export function paginate(
  op: OperationSpec,
  query: URLSearchParams,
  objects: ApiObject[],
  markerKey: (o: ApiObject) => string = (o) => o.id,
): { items: ApiObject[]; count: number; page?: number; size?: number } {
  const count = objects.length;
  if (op.queryParams.includes("page")) {
    const page = intParam(query, "page", 0) ?? 0;
    const size = intParam(query, "size", 20) ?? 20;
    return { items: objects.slice(page * size, page * size + size), count, page, size };
  }
  let start = 0;
  const marker = query.get("marker");
  if (marker && op.queryParams.includes("marker")) {
    const index = objects.findIndex((o) => markerKey(o) === marker);
    if (index < 0) throw badRequest(`marker ${marker} not found`);
    start = index + 1;
  } else if (op.queryParams.includes("offset")) {
    start = intParam(query, "offset", 0) ?? 0;
  }
  const limit = op.queryParams.includes("limit") ? intParam(query, "limit", undefined) : undefined;
  return { items: objects.slice(start, limit === undefined ? undefined : start + limit), count };
}

/** Filter, sort and paginate, and wrap in the list envelope the reference shows. */
export function listResponse(
  op: OperationSpec,
  query: URLSearchParams,
  objects: ApiObject[],
  itemsKey: string,
  options: {
    withCount?: boolean;
    markerKey?: (o: ApiObject) => string;
    sortFallback?: string;
    view?: (o: ApiObject) => unknown;
  } = {},
): Record<string, unknown> {
  const filtered = sortObjects(query, filterObjects(op, query, objects), options.sortFallback);
  const page = paginate(op, query, filtered, options.markerKey);
  const body: Record<string, unknown> = { [itemsKey]: page.items.map(options.view ?? ((o) => o)) };
  if (options.withCount) body.count = page.count;
  if (page.page !== undefined) {
    body.page = page.page;
    body.size = page.size;
    // The sort applied, as the reference's page envelope shows it (the default when none was asked).
    body.sort = (query.get("sort") || options.sortFallback || "created_at:desc").split(",").filter(Boolean);
  }
  return body;
}
