/** Listing every item of a list operation: the one pagination helper (lookups and the shared poller use it). */
import type { ScpClient } from "./http";
import { type OperationId, operations } from "./operations";

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
  const pageSize = 100;
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
