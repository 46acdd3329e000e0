/** Listing every item of a list operation: the one pagination helper (lookups and the shared poller use it). */
import type { ScpClient } from "./http";
import { type OperationId, operations } from "./operations";

/** How many items the provider asks a page to hold: a shorter first page holds every item. */
const PAGE_SIZE = 100;

/** Every item of a list operation (or its first `maxPages` pages), following its pagination (marker, offset or page). */
export async function listAll(
  api: ScpClient,
  operation: OperationId,
  itemsKey: string,
  options: {
    readonly path?: Readonly<Record<string, string>>;
    readonly query?: Readonly<Record<string, string | number | readonly string[] | undefined>>;
    /** The marker of an item (the next page starts after it); default: its `id`. */
    readonly markerOf?: (item: Record<string, unknown>) => string;
    /** Stop after this many pages (a listing that may leave items out; default: all). */
    readonly maxPages?: number;
  } = {},
): Promise<unknown[]> {
  const pageSize = PAGE_SIZE;
  const markerOf = options.markerOf ?? ((item) => String(item.id));
  const items: unknown[] = [];
  const params = operations[operation].queryParams as readonly string[];
  for (let page = 0; ; page++) {
    const last = items[items.length - 1] as Record<string, unknown> | undefined;
    const paging: Record<string, string | number | undefined> = params.includes("page")
      ? { page, size: pageSize }
      : params.includes("marker")
        ? { limit: pageSize, marker: last ? markerOf(last) : undefined }
        : params.includes("offset")
          ? { limit: pageSize, offset: items.length }
          : {};
    const body = (
      await api.call<Record<string, unknown>>(operation, {
        ...(options.path ? { path: options.path } : {}),
        query: { ...options.query, ...paging },
      })
    ).body;
    const batch: unknown = body[itemsKey];
    const list = Array.isArray(batch) ? (batch as unknown[]) : [];
    items.push(...list);
    if (Object.keys(paging).length === 0 || list.length < pageSize) return items;
    if (options.maxPages !== undefined && page + 1 >= options.maxPages) return items;
  }
}

/**
 * A kind's listing for the shared poller (shared-poller.ts): its newest objects, one page newest first (the
 * objects a create waits for are there however large the account); then, for wanted objects not on that
 * page whose state is known and which the operation can filter by, every object in that state, one listing
 * per state — so waits on older objects (a resize, a detach) still share their listings. Entries that do not
 * parse are left out, and objects in neither listing are read by their own show.
 */
export async function listForWaits<T extends { readonly id: string }>(
  api: ScpClient,
  operation: OperationId,
  itemsKey: string,
  schema: { safeParse(item: unknown): { success: true; data: T } | { success: false } },
  wanted: ReadonlyMap<string, string | undefined>,
): Promise<ReadonlyMap<string, T>> {
  const params = operations[operation].queryParams as readonly string[];
  const byId = new Map<string, T>();
  const add = (items: unknown[]) => {
    for (const item of items) {
      const parsed = schema.safeParse(item);
      if (parsed.success) byId.set(parsed.data.id, parsed.data);
    }
  };
  add(
    await listAll(api, operation, itemsKey, {
      ...(params.includes("sort") ? { query: { sort: "created_at:desc" } } : {}),
      maxPages: 1,
    }),
  );
  if (!params.includes("state")) return byId;
  const missingStates = new Set(
    [...wanted].filter(([id, state]) => state !== undefined && !byId.has(id)).map(([, s]) => s),
  );
  for (const state of missingStates) add(await listAll(api, operation, itemsKey, { query: { state } }));
  return byId;
}

/**
 * Every object of a kind when one page holds them all (its first page is shorter than a page), else
 * undefined: the account holds more, and a lookup must filter instead.
 */
export async function listWholeKind(
  api: ScpClient,
  operation: OperationId,
  itemsKey: string,
): Promise<unknown[] | undefined> {
  const items = await listAll(api, operation, itemsKey, { maxPages: 1 });
  return items.length < PAGE_SIZE ? items : undefined;
}
