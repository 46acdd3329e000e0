/**
 * Quotas: Show Server / Volume Quota Set answer what the account has, and creates beyond a limit are refused.
 *
 * `in_use` is counted from the objects that exist (a server or volume being deleted still holds its share
 * until it is gone): instances = servers, cores and ram = the sums of their server types' `vcpus` and `ram`
 * (ram in the server types' unit, GB: the reference states no unit for the quota), keypairs, server_groups,
 * volumes (boot volumes included), snapshots, usages = the GB of every volume. Three quotas limit one
 * object, not the account, and count the largest one: metadata_items (items of one server's metadata),
 * server_group_members (servers in one group), per_volume_size (GB of one volume). `reserved` is always 0:
 * the emulator applies a create at once.
 *
 * Limits come from the emulator's options (`quotas`), `--quota name=N` and `PUT /_emulator/settings
 * {"quotas": {…}}`; the defaults are far above what any test or benchmark creates. A server quota always
 * has a number (the reference's type); a volume quota may be null, no limit, answered as the reference's
 * example answers it: `""` (volume limits are strings there: "500" when set).
 *
 * A create, grow, resize or scale-out that would pass a limit is refused before it changes anything, with
 * 400 (every such operation documents it) naming the quota, what was asked and what is in use.
 */
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS } from "../collections";
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { ApiFault } from "../errors";
import { defaultBootSize } from "./servers";

export const SERVER_QUOTAS = [
  "cores",
  "instances",
  "keypairs",
  "metadata_items",
  "ram",
  "server_group_members",
  "server_groups",
] as const;
export const VOLUME_QUOTAS = ["per_volume_size", "snapshots", "usages", "volumes"] as const;
export type ServerQuota = (typeof SERVER_QUOTAS)[number];
export type VolumeQuota = (typeof VOLUME_QUOTAS)[number];
export type QuotaName = ServerQuota | VolumeQuota;

/** The limit of each quota: a whole number; a volume quota may be null (no limit). */
export type QuotaLimits = { [K in ServerQuota]: number } & { [K in VolumeQuota]: number | null };

/** Far above what the tests and benchmarks create (the emulator benchmark makes tens of thousands of volumes). */
export const DEFAULT_QUOTA_LIMITS: Readonly<QuotaLimits> = {
  instances: 10_000,
  cores: 100_000,
  ram: 400_000,
  keypairs: 1_000_000,
  metadata_items: 128,
  server_groups: 10_000,
  server_group_members: 1_000,
  volumes: null,
  snapshots: null,
  usages: null,
  per_volume_size: null,
};

const isServerQuota = (name: string): name is ServerQuota => (SERVER_QUOTAS as readonly string[]).includes(name);
const isVolumeQuota = (name: string): name is VolumeQuota => (VOLUME_QUOTAS as readonly string[]).includes(name);

/** Applies `given` (quota name → whole number, or null for a volume quota) to `limits`; throws on a bad entry. */
export function applyQuotaLimits(limits: QuotaLimits, given: unknown): void {
  if (typeof given !== "object" || given === null || Array.isArray(given))
    throw new RangeError('quotas must be an object, e.g. {"cores": 20, "volumes": 10}');
  const entries = Object.entries(given as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (!isServerQuota(name) && !isVolumeQuota(name))
      throw new RangeError(`unknown quota ${name}; known: ${[...SERVER_QUOTAS, ...VOLUME_QUOTAS].join(", ")}`);
    if (value === null && isServerQuota(name))
      throw new RangeError(`quota ${name} needs a number: server quotas always have a limit`);
    if (value !== null && !(typeof value === "number" && Number.isInteger(value) && value >= 0))
      throw new RangeError(`quota ${name} must be a whole number ≥ 0${isVolumeQuota(name) ? " or null" : ""}`);
  }
  Object.assign(limits, Object.fromEntries(entries));
}

export function quotaLimits(given: Partial<QuotaLimits> = {}): QuotaLimits {
  const limits = { ...DEFAULT_QUOTA_LIMITS };
  applyQuotaLimits(limits, given);
  return limits;
}

// ---- What is in use -------------------------------------------------------------------------------------

const all = (world: EmulatorWorld, name: (typeof COLLECTIONS)[keyof typeof COLLECTIONS]) =>
  world.store.collection(name).values();

function serverType(world: EmulatorWorld, id: unknown): ApiObject | undefined {
  return typeof id === "string" ? world.store.get(COLLECTIONS.serverTypes, id) : undefined;
}

function sumOfServers(world: EmulatorWorld, field: "vcpus" | "ram"): number {
  let total = 0;
  for (const s of all(world, COLLECTIONS.servers)) total += Number(serverType(world, s._server_type_id)?.[field] ?? 0);
  return total;
}

/** Items of a server's metadata: the API takes it as a JSON string of a map (or a map). */
export function metadataItems(metadata: unknown): number {
  let value = metadata;
  if (typeof value === "string") {
    if (value.trim() === "") return 0;
    try {
      value = JSON.parse(value);
    } catch {
      return 0;
    }
  }
  return typeof value === "object" && value !== null && !Array.isArray(value) ? Object.keys(value).length : 0;
}

function membersOf(world: EmulatorWorld, groupId: string): number {
  let n = 0;
  for (const s of all(world, COLLECTIONS.servers)) if (s.server_group_id === groupId) n++;
  return n;
}

function largest(values: Iterable<number>): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

function* map<T, U>(items: Iterable<T>, f: (item: T) => U): Iterable<U> {
  for (const item of items) yield f(item);
}

const IN_USE: Readonly<Record<QuotaName, (world: EmulatorWorld) => number>> = {
  instances: (w) => w.store.collection(COLLECTIONS.servers).size,
  cores: (w) => sumOfServers(w, "vcpus"),
  ram: (w) => sumOfServers(w, "ram"),
  keypairs: (w) => w.store.collection(COLLECTIONS.keypairs).size,
  metadata_items: (w) => largest(map(all(w, COLLECTIONS.servers), (s) => metadataItems(s.metadata))),
  server_groups: (w) => w.store.collection(COLLECTIONS.serverGroups).size,
  server_group_members: (w) => largest(map(all(w, COLLECTIONS.serverGroups), (g) => membersOf(w, g.id))),
  volumes: (w) => w.store.collection(COLLECTIONS.volumes).size,
  snapshots: (w) => w.store.collection(COLLECTIONS.snapshots).size,
  usages: (w) => {
    let total = 0;
    for (const v of all(w, COLLECTIONS.volumes)) total += Number(v.size ?? 0);
    return total;
  },
  per_volume_size: (w) => largest(map(all(w, COLLECTIONS.volumes), (v) => Number(v.size ?? 0))),
};

// ---- The answers ------------------------------------------------------------------------------------------

const serverUsage = (world: EmulatorWorld, name: ServerQuota) => ({
  in_use: IN_USE[name](world),
  limit: world.quotas[name],
  reserved: 0,
});

const volumeUsage = (world: EmulatorWorld, name: VolumeQuota) => {
  const limit = world.quotas[name];
  return { in_use: IN_USE[name](world), limit: limit === null ? "" : String(limit), reserved: 0 };
};

// ---- Refusals -----------------------------------------------------------------------------------------

/**
 * What a request would add: to an account-wide quota (`add`), or the size of the one object a per-object
 * quota limits (`each`: metadata_items, server_group_members, per_volume_size).
 */
interface Demand {
  readonly add?: Partial<Record<QuotaName, number>>;
  readonly each?: Partial<Record<QuotaName, number>>;
}

/** Refuses the request when its demand passes a limit; nothing is counted for quotas without one. */
function refuseBeyondLimits(world: EmulatorWorld, demand: Demand): void {
  for (const [name, requested] of Object.entries(demand.add ?? {}) as [QuotaName, number][]) {
    const limit = world.quotas[name];
    if (limit === null || requested <= 0) continue;
    const inUse = IN_USE[name](world);
    if (inUse + requested > limit)
      throw new ApiFault(
        400,
        `Quota exceeded for ${name}: requested ${requested}, in use ${inUse}, limit ${limit} (quota "${name}")`,
      );
  }
  for (const [name, requested] of Object.entries(demand.each ?? {}) as [QuotaName, number][]) {
    const limit = world.quotas[name];
    if (limit !== null && requested > limit)
      throw new ApiFault(400, `Quota exceeded for ${name}: requested ${requested}, limit ${limit} (quota "${name}")`);
  }
}

const num = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;

type LaunchVolume = { size?: unknown };

/** What `count` servers of a type with these volumes take (a server without volumes boots from its type's disk). */
function serversDemand(world: EmulatorWorld, count: number, typeId: unknown, volumes: unknown): Demand | undefined {
  const type = serverType(world, typeId);
  if (!type || count <= 0) return undefined;
  const sizes = (
    Array.isArray(volumes) && volumes.length > 0
      ? (volumes as LaunchVolume[])
      : [{ size: defaultBootSize(world, typeId) }]
  ).map((v) => num(v?.size) ?? 0);
  return {
    add: {
      instances: count,
      cores: count * Number(type.vcpus ?? 0),
      ram: count * Number(type.ram ?? 0),
      volumes: count * sizes.length,
      usages: count * sizes.reduce((a, b) => a + b, 0),
    },
    each: { per_volume_size: largest(sizes) },
  };
}

function volumeSize(world: EmulatorWorld, id: unknown): number | undefined {
  return typeof id === "string" ? num(world.store.get(COLLECTIONS.volumes, id)?.size) : undefined;
}

/** The demand of each operation that makes or grows something a quota counts; undefined: nothing to check. */
const DEMAND: Readonly<
  Partial<Record<OperationId, (req: HandlerRequest, world: EmulatorWorld) => Demand | undefined>>
> = {
  createVirtualServer: (req, world) => {
    const count = req.body.max_count === undefined ? 1 : num(req.body.max_count);
    const servers =
      count === undefined ? undefined : serversDemand(world, count, req.body.server_type_id, req.body.volumes);
    if (!servers || count === undefined) return undefined;
    const group = typeof req.body.server_group_id === "string" ? req.body.server_group_id : "";
    return {
      add: servers.add,
      each: {
        ...servers.each,
        metadata_items: metadataItems(req.body.metadata),
        ...(group ? { server_group_members: membersOf(world, group) + count } : {}),
      },
    };
  },
  updateVirtualServerType: (req, world) => {
    const server = world.store.get(COLLECTIONS.servers, req.params.server_id ?? "");
    const from = serverType(world, server?._server_type_id);
    const to = serverType(world, req.body.server_type);
    if (!from || !to) return undefined;
    return {
      add: { cores: Number(to.vcpus) - Number(from.vcpus), ram: Number(to.ram) - Number(from.ram) },
    };
  },
  createVolume: (req) => {
    const size = num(req.body.size);
    return size === undefined ? undefined : { add: { volumes: 1, usages: size }, each: { per_volume_size: size } };
  },
  extendVolume: (req, world) => {
    const size = num(req.body.size);
    const current = volumeSize(world, req.params.volume_id);
    if (size === undefined || current === undefined) return undefined;
    return { add: { usages: size - current }, each: { per_volume_size: size } };
  },
  createSnapshot: () => ({ add: { snapshots: 1 } }),
  createKeypair: () => ({ add: { keypairs: 1 } }),
  createServerGroup: () => ({ add: { server_groups: 1 } }),
  createAutoScalingGroup: (req, world) => {
    const desired = num(req.body.desired_server_count) ?? num(req.body.min_server_count);
    const lc = world.store.get(COLLECTIONS.launchConfigurations, String(req.body.launch_configuration_id));
    return desired === undefined || !lc ? undefined : serversDemand(world, desired, lc.server_type_id, lc.volumes);
  },
  updateAutoScalingGroupServerCount: (req, world) => {
    const group = world.store.get(COLLECTIONS.autoScalingGroups, req.params.auto_scaling_group_id ?? "");
    if (!group) return undefined;
    const min = num(req.body.min_server_count) ?? Number(group.min_server_count);
    const desired = Math.max(num(req.body.desired_server_count) ?? Number(group.desired_server_count), min);
    let live = 0;
    for (const s of all(world, COLLECTIONS.servers))
      if (s.auto_scaling_group_id === group.id && s.state !== "DELETING") live++;
    const lc = world.store.get(COLLECTIONS.launchConfigurations, String(group.launch_configuration_id));
    return lc ? serversDemand(world, desired - live, lc.server_type_id, lc.volumes) : undefined;
  },
};

/** The operations `DEMAND` knows, each refusing beyond a limit before the operation's own handler runs. */
export function withQuotaLimits(handlers: Readonly<Record<OperationId, Handler>>): Record<OperationId, Handler> {
  const guarded = { ...handlers };
  for (const [id, demandOf] of Object.entries(DEMAND) as [OperationId, NonNullable<(typeof DEMAND)[OperationId]>][]) {
    const handler = handlers[id];
    guarded[id] = (req, world) => {
      const demand = demandOf(req, world);
      if (demand) refuseBeyondLimits(world, demand);
      return handler(req, world);
    };
  }
  return guarded;
}

export const quotaHandlers = {
  showServerQuotaSet: (_req, world) => ({
    status: 200,
    body: {
      cores: serverUsage(world, "cores"),
      id: world.accountId,
      instances: serverUsage(world, "instances"),
      keypairs: serverUsage(world, "keypairs"),
      metadata_items: serverUsage(world, "metadata_items"),
      ram: serverUsage(world, "ram"),
      server_group_members: serverUsage(world, "server_group_members"),
      server_groups: serverUsage(world, "server_groups"),
    },
  }),
  showVolumeQuotaSet: (_req, world) => ({
    status: 200,
    body: {
      id: world.accountId,
      per_volume_size: volumeUsage(world, "per_volume_size"),
      snapshots: volumeUsage(world, "snapshots"),
      usages: volumeUsage(world, "usages"),
      volumes: volumeUsage(world, "volumes"),
    },
  }),
} satisfies Partial<Record<OperationId, Handler>>;
