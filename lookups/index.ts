/**
 * Lookups: plain async functions for use in Pulumi programs (and anywhere else), with the same settings
 * as the resources: the stack config `scp:*`, the environment, or `~/.scpconf`.
 *
 *   const image = await scp.getImage({ osDistro: "ubuntu", mostRecent: true });
 *   const type = await scp.getServerType({ minVcpus: 2, minRamGb: 4 });
 */
import { clientFor } from "../provider/clients";
import type { ScpClient } from "../provider/http";
import { type OperationId, operations } from "../provider/operations";

export interface LookupOptions {
  /** Region override; otherwise the settings decide. */
  readonly region?: string;
}

/** Stack config of the running Pulumi program, when there is one. */
function programConfig(): Record<string, string> | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require("@pulumi/pulumi") as typeof import("@pulumi/pulumi")).runtime.allConfig();
  } catch {
    return undefined;
  }
}

function client(options: LookupOptions): ScpClient {
  return clientFor({ region: options.region }, { stackConfig: programConfig() });
}

/** Every item of a list operation, following its pagination (marker, offset or page). */
async function listAll<T extends Record<string, unknown>>(
  api: ScpClient,
  operation: OperationId,
  itemsKey: string,
  query: Record<string, string | number | undefined> = {},
  markerOf: (item: T) => string = (item) => String(item.id),
): Promise<T[]> {
  const pageSize = 100;
  const items: T[] = [];
  const params = operations[operation].queryParams as readonly string[];
  for (let page = 0; ; page++) {
    const paging: Record<string, string | number | undefined> = params.includes("page")
      ? { page, size: pageSize }
      : params.includes("marker")
        ? { limit: pageSize, marker: items.length > 0 ? markerOf(items[items.length - 1] as T) : undefined }
        : params.includes("offset")
          ? { limit: pageSize, offset: items.length }
          : {};
    const body = (await api.call<Record<string, unknown>>(operation, { query: { ...query, ...paging } })).body;
    const batch = (body[itemsKey] as T[] | undefined) ?? [];
    items.push(...batch);
    if (Object.keys(paging).length === 0 || batch.length < pageSize) return items;
  }
}

export interface Image {
  readonly id: string;
  readonly name: string;
  readonly osDistro?: string;
  readonly osVersion?: string;
  readonly imageType?: string;
  readonly status: string;
  readonly minDiskGb?: number;
  readonly createdAt?: string;
}

/** Finds one image by name, OS distribution and image type; `mostRecent` picks the newest of several. */
export async function getImage(
  args: { name?: string; osDistro?: string; imageType?: string; mostRecent?: boolean } & LookupOptions,
): Promise<Image> {
  const all = await listAll<Record<string, unknown>>(client(args), "listImages", "images", {
    name: args.name,
    os_distro: args.osDistro,
    scp_image_type: args.imageType,
    status: "active",
  });
  const matches = all
    .filter(
      (i) =>
        (args.name === undefined || i.name === args.name) &&
        (args.osDistro === undefined || i.os_distro === args.osDistro),
    )
    .sort((a, b) => String(b.created_at ?? "").localeCompare(String(a.created_at ?? "")));
  const criteria = JSON.stringify({ name: args.name, osDistro: args.osDistro, imageType: args.imageType });
  if (matches.length === 0) throw new Error(`no active image matches ${criteria}`);
  if (matches.length > 1 && !args.mostRecent) {
    throw new Error(
      `${matches.length} images match ${criteria}: narrow the criteria or set mostRecent: true (${matches.map((m) => m.name).join(", ")})`,
    );
  }
  const i = matches[0] as Record<string, unknown>;
  return {
    id: String(i.id),
    name: String(i.name),
    osDistro: i.os_distro as string | undefined,
    osVersion: i.scp_os_version as string | undefined,
    imageType: i.scp_image_type as string | undefined,
    status: String(i.status),
    minDiskGb: i.min_disk as number | undefined,
    createdAt: i.created_at as string | undefined,
  };
}

export interface ServerType {
  readonly id: string;
  readonly vcpus: number;
  readonly ramGb: number;
  readonly diskGb?: number;
}

/** A server type by id, or the smallest one with at least `minVcpus` vCPUs and `minRamGb` GB of RAM. */
export async function getServerType(
  args: ({ id: string } | { minVcpus?: number; minRamGb?: number }) & LookupOptions,
): Promise<ServerType> {
  const toType = (t: Record<string, unknown>): ServerType => ({
    id: String(t.id),
    vcpus: Number(t.vcpus),
    ramGb: Number(t.ram),
    diskGb: t.disk as number | undefined,
  });
  const api = client(args);
  if ("id" in args)
    return toType(
      (await api.call<Record<string, unknown>>("showServerType", { path: { server_type_id: args.id } })).body,
    );
  const minVcpus = args.minVcpus ?? 0;
  const minRam = args.minRamGb ?? 0;
  const fitting = (await listAll<Record<string, unknown>>(api, "listServerTypes", "server_types"))
    .map(toType)
    .filter((t) => t.vcpus >= minVcpus && t.ramGb >= minRam)
    .sort((a, b) => a.vcpus - b.vcpus || a.ramGb - b.ramGb);
  const smallest = fitting[0];
  if (!smallest) throw new Error(`no server type has at least ${minVcpus} vCPUs and ${minRam} GB RAM`);
  return smallest;
}

export interface VolumeType {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
}

/** Every volume type the region offers. */
export async function getVolumeTypes(options: LookupOptions = {}): Promise<VolumeType[]> {
  const types = await listAll<Record<string, unknown>>(client(options), "listVolumeTypes", "volume_types");
  return types.map((t) => ({
    id: String(t.id),
    name: String(t.name),
    description: t.description as string | undefined,
  }));
}

/** The region's default volume type. */
export async function getDefaultVolumeType(options: LookupOptions = {}): Promise<VolumeType> {
  const t = (await client(options).call<Record<string, unknown>>("showDefaultVolumeType")).body;
  return { id: String(t.id), name: String(t.name), description: t.description as string | undefined };
}

/** An existing server, by id or by (unique) name: id, name, state, addresses. */
export async function getServer(
  args: ({ id: string } | { name: string }) & LookupOptions,
): Promise<Record<string, unknown>> {
  const api = client(args);
  if ("id" in args)
    return (await api.call<Record<string, unknown>>("showVirtualServer", { path: { server_id: args.id } })).body;
  const found = (
    await listAll<Record<string, unknown>>(api, "listVirtualServers", "servers", { name: args.name })
  ).filter((s) => s.name === args.name);
  if (found.length !== 1) throw new Error(`${found.length} servers are named "${args.name}"; look it up by id`);
  return found[0] as Record<string, unknown>;
}

/** An existing volume, by id or by (unique) name. */
export async function getVolume(
  args: ({ id: string } | { name: string }) & LookupOptions,
): Promise<Record<string, unknown>> {
  const api = client(args);
  if ("id" in args)
    return (await api.call<Record<string, unknown>>("showVolume", { path: { volume_id: args.id } })).body;
  const found = (await listAll<Record<string, unknown>>(api, "listVolumes", "volumes", { name: args.name })).filter(
    (v) => v.name === args.name,
  );
  if (found.length !== 1) throw new Error(`${found.length} volumes are named "${args.name}"; look it up by id`);
  return found[0] as Record<string, unknown>;
}
