/**
 * The quota check at preview: when the servers, vCPUs, RAM or volumes a stack would create pass the account's
 * quotas, the `check` of the resource that crosses a limit fails with the numbers, before anything is created.
 *
 * All checks of a deployment run in one provider process, so one accumulator per account and region (the
 * settings that pick them) sums the planned demand: the quota sets are read once per process (Show Server /
 * Volume Quota Set), and each resource's demand is kept by its URN, so a second check of the same resource
 * (the engine checks again during `up`) replaces its share instead of adding it. Reading the quotas once is
 * also what keeps the sum right during `up`, where creates run between checks: `in_use` stays the figure
 * from before the first create.
 *
 * What counts: a new server (1 server, its type's vCPUs and RAM, and its boot volume: `bootVolume.size`, else
 * the type's disk), a new volume, an auto-scaling group's `desiredServerCount` (else `minServerCount`) servers
 * of its launch configuration's type and volumes, and growth in place (a larger server type, a larger volume,
 * a larger managed desired count). Not counted: replacements (check cannot tell whether the diff will replace;
 * a create-before-delete replacement holds both for a while), a group whose launch configuration is created in
 * the same stack (its id is unknown at preview: only its servers are counted), values still unknown, and
 * checks without a URN (direct calls, not the engine's). RAM is compared in the server types' unit (GB); the
 * reference states none for the quota: were it MB, the check would only ever under-count, never refuse. The
 * volume quota `usages` is read as the volumes' total GB: the reference does not describe it (its example's
 * limit is ""), and a wrong reading could refuse wrongly, which `scp:quotaCheck false` gets past.
 *
 * A failed read of the quotas or of a server type warns and skips; `scp:quotaCheck false` turns it off.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { toServerType } from "../lookups/common";
import { readServerQuotaSet, readVolumeQuotaSet } from "../lookups/quota-api";
import type { GetQuotaSetUsage, GetServerQuotaSetResult, GetVolumeQuotaSetResult } from "../lookups/quotas";
import { type CheckFailure, UNKNOWN } from "./check";
import { URN_INPUT } from "./create-marker";
import { ScpSettingsError } from "./errors";
import { PROVIDER_SETTINGS } from "./explicit-provider";
import { ScpClient } from "./http";
import { forResource, reportWarning } from "./progress";
import { withoutProvider } from "./resource-provider";
import { getStackConfig, resolveSettings } from "./settings";

type Props = Record<string, unknown>;

/** The quotas a stack's creates are compared with, summed over the stack. */
export type AccountQuota = "instances" | "cores" | "ram" | "volumes" | "usages";

/** What one resource would add, and the property each share comes from (named in the failure). */
export interface Demand {
  readonly add: Partial<Record<AccountQuota, number>>;
  /** The largest single volume it would make or grow to (quota `per_volume_size`). */
  readonly largestVolume?: number | undefined;
  readonly property: Partial<Record<AccountQuota | "largestVolume", string>>;
}

/** A server type's size, as Show Server Type gives it. */
interface TypeSize {
  readonly vcpus: number;
  readonly ramGb: number;
  readonly diskGb?: number | undefined;
}

/** Reads the demand needs (cached per account and region). */
export interface DemandLookups {
  serverType(id: string): Promise<TypeSize | undefined>;
  launchConfiguration(id: string): Promise<{ serverTypeId: string; volumeSizes: number[] } | undefined>;
}

/** A resource kind's demand, from its checked inputs (`olds` empty for a create); undefined: none. */
export type DemandOf = (news: Props, olds: Props, lookups: DemandLookups) => Promise<Demand | undefined>;

interface Quotas {
  readonly server?: GetServerQuotaSetResult | undefined;
  readonly volume?: GetVolumeQuotaSetResult | undefined;
}

interface Scope {
  quotas?: Promise<Quotas>;
  readonly planned: Map<string, Demand>;
  readonly serverTypes: Map<string, Promise<TypeSize | undefined>>;
  readonly launchConfigurations: Map<string, ReturnType<DemandLookups["launchConfiguration"]>>;
}

const scopes = new Map<string, Scope>();
const quotaClients = new Map<string, ScpClient>();
/** One attempt of a quota or server-type read at preview, then the check is skipped with a warning. */
const QUOTA_READ_TIMEOUT_MS = 10_000;

/** Forgets every accumulator (tests that run several deployments in one process). */
export function resetQuotaCheck(): void {
  scopes.clear();
  quotaClients.clear();
}

const known = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));
const TURN_OFF = "set scp:quotaCheck false (or SCP_QUOTA_CHECK=false) to turn the check off";

/** Reads a quota set; a failure warns (once per account and region) and leaves that set unchecked. */
async function readOrWarn<T>(what: string, read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    reportWarning(`quota check skipped for ${what}: the quota read failed: ${errorText(error)}; ${TURN_OFF}`);
    return undefined;
  }
}

const apiLaunchConfiguration = z.looseObject({
  server_type_id: z.string(),
  volumes: z.array(z.looseObject({ size: z.number() })).nullish(),
});

function lookupsFor(scope: Scope, api: ScpClient): DemandLookups {
  const cached = <T>(cache: Map<string, Promise<T>>, id: string, read: () => Promise<T>): Promise<T> => {
    let entry = cache.get(id);
    if (!entry) {
      entry = read();
      cache.set(id, entry);
      // A failed read is not kept: the next check tries again.
      entry.catch(() => cache.delete(id));
    }
    return entry;
  };
  return {
    serverType: (id) =>
      cached(scope.serverTypes, id, async () => {
        const body = await api.find("showServerType", { path: { server_type_id: id } });
        return body === undefined ? undefined : toServerType(body);
      }),
    launchConfiguration: (id) =>
      cached(scope.launchConfigurations, id, async () => {
        const body = await api.find("showLaunchConfiguration", { path: { launch_configuration_id: id } });
        if (body === undefined) return undefined;
        const lc = apiLaunchConfiguration.parse(body);
        return { serverTypeId: lc.server_type_id, volumeSizes: (lc.volumes ?? []).map((v) => v.size) };
      }),
  };
}

// ---- The comparison ---------------------------------------------------------------------------------------

const QUOTAS: readonly {
  readonly key: AccountQuota;
  readonly name: string;
  readonly unit: string;
  readonly usage: (q: Quotas) => GetQuotaSetUsage | undefined;
}[] = [
  { key: "instances", name: "instances", unit: "servers", usage: (q) => q.server?.instances },
  { key: "cores", name: "cores", unit: "vCPUs", usage: (q) => q.server?.cores },
  { key: "ram", name: "ram", unit: "GB of RAM", usage: (q) => q.server?.ram },
  { key: "volumes", name: "volumes", unit: "volumes", usage: (q) => q.volume?.volumes },
  { key: "usages", name: "usages", unit: "GB of volumes", usage: (q) => q.volume?.usages },
];

/** A limit the API states: a number ≥ 0 (OpenStack answers -1 for none; the reference `""`). */
const limitOf = (usage: GetQuotaSetUsage | undefined): number | undefined =>
  usage?.limit !== undefined && usage.limit >= 0 ? usage.limit : undefined;

function failuresFor(quotas: Quotas, planned: Iterable<Demand>, demand: Demand): CheckFailure[] {
  const totals: Partial<Record<AccountQuota, number>> = {};
  for (const d of planned)
    for (const [key, n] of Object.entries(d.add) as [AccountQuota, number][]) totals[key] = (totals[key] ?? 0) + n;
  const failures: CheckFailure[] = [];
  for (const q of QUOTAS) {
    const usage = q.usage(quotas);
    const limit = limitOf(usage);
    const mine = demand.add[q.key] ?? 0;
    if (usage === undefined || limit === undefined || mine <= 0) continue;
    const plannedTotal = totals[q.key] ?? 0;
    const total = usage.inUse + usage.reserved + plannedTotal;
    if (total <= limit) continue;
    const reserved = usage.reserved > 0 ? ` + reserved ${usage.reserved}` : "";
    failures.push({
      property: demand.property[q.key] ?? "",
      reason:
        `quota exceeded: this stack would use ${total} ${q.unit} (in use ${usage.inUse}${reserved} + planned ${plannedTotal}) ` +
        `but the quota allows ${limit} (quota "${q.name}"); ${TURN_OFF}`,
    });
  }
  const perVolume = limitOf(quotas.volume?.perVolumeSize);
  if (perVolume !== undefined && known(demand.largestVolume) && demand.largestVolume > perVolume) {
    failures.push({
      property: demand.property.largestVolume ?? "",
      reason:
        `quota exceeded: a volume of ${demand.largestVolume} GB, but the quota allows at most ${perVolume} GB per volume ` +
        `(quota "per_volume_size"); ${TURN_OFF}`,
    });
  }
  return failures;
}

/** A create's check: no prior inputs beyond the engine's and this package's bookkeeping. */
const isCreate = (olds: Props) => Object.keys(withoutProvider(olds)).length === 0;

async function quotaFailures(olds: Props, news: Props, demandOf: DemandOf): Promise<CheckFailure[]> {
  const urn = news[URN_INPUT];
  const explicit = news[PROVIDER_SETTINGS];
  // Without a URN the check cannot be told from a repeat of itself; with settings still unknown, nor its account.
  if (typeof urn !== "string" || urn === "" || explicit === UNKNOWN) return [];
  if (isCreate(olds) && typeof news.importId === "string") return [];
  // A region unknown at preview is some region's: not necessarily the default one's quota.
  if (news.region === UNKNOWN) return [];
  const region = typeof news.region === "string" ? news.region : undefined;
  const explicitSettings =
    typeof explicit === "object" && explicit !== null ? (explicit as Record<string, string>) : undefined;
  let key: string;
  let api: ScpClient;
  try {
    const s = resolveSettings({ stackConfig: getStackConfig(), explicit: explicitSettings, resource: { region } });
    if (!s.quotaCheck) return [];
    // A digest, so that no credential is kept as a map key in clear text (as provider/clients.ts does).
    key = createHash("sha256")
      .update(JSON.stringify([s.accessKey, s.accountId, s.region, s.environment, s.endpointOverride, s.authUrl]))
      .digest("hex");
    // Its own client: a quota endpoint that fails is skipped at once, not retried for minutes of a preview.
    api = quotaClients.get(key) ?? new ScpClient({ ...s, maxRetries: 0, requestTimeoutMs: QUOTA_READ_TIMEOUT_MS });
    quotaClients.set(key, api);
  } catch (error) {
    // Missing or bad settings fail the create itself, with the full message.
    if (error instanceof ScpSettingsError) return [];
    throw error;
  }
  let scope = scopes.get(key);
  if (!scope) {
    scope = { planned: new Map(), serverTypes: new Map(), launchConfigurations: new Map() };
    scopes.set(key, scope);
  }
  let demand: Demand | undefined;
  try {
    demand = await demandOf(news, isCreate(olds) ? {} : olds, lookupsFor(scope, api));
  } catch (error) {
    reportWarning(`quota check skipped: ${errorText(error)}; ${TURN_OFF}`);
    return [];
  }
  const counted = Object.values(demand?.add ?? {}).some((n) => n > 0) || known(demand?.largestVolume);
  if (!demand || !counted) {
    scope.planned.delete(urn);
    return [];
  }
  scope.planned.set(urn, demand);
  scope.quotas ??= Promise.all([
    readOrWarn("servers", () => readServerQuotaSet(api)),
    readOrWarn("volumes", () => readVolumeQuotaSet(api)),
  ]).then(([server, volume]) => ({ server, volume }));
  return failuresFor(await scope.quotas, scope.planned.values(), demand);
}

/**
 * The resource's provider with the quota check after its own `check`: a check that already failed (bad
 * input) is returned as it is.
 */
export function withQuotaCheck<P extends pulumi.dynamic.ResourceProvider>(provider: P, demandOf: DemandOf): P {
  const check = provider.check?.bind(provider);
  if (!check) return provider;
  return {
    ...provider,
    check: async (olds: Props, news: Props) => {
      const result = await check(olds, news);
      if ((result.failures ?? []).length > 0) return result;
      const inputs = (result.inputs ?? news) as Props;
      const failures = await forResource(inputs[URN_INPUT], () => quotaFailures(olds, inputs, demandOf));
      return failures.length > 0 ? { ...result, failures } : result;
    },
  };
}

// ---- Each kind's demand -----------------------------------------------------------------------------------

const count = (value: unknown): number | undefined => (known(value) && value >= 0 ? value : undefined);
const text = (value: unknown): string | undefined =>
  typeof value === "string" && value !== "" && value !== UNKNOWN ? value : undefined;

/** `n` servers of a type with these volume sizes (none: one boot volume of the type's disk). */
async function serversOf(
  lookups: DemandLookups,
  n: number,
  typeId: string | undefined,
  volumeSizes: readonly (number | undefined)[] | undefined,
): Promise<Demand["add"] & { largestVolume?: number }> {
  const type = typeId === undefined ? undefined : await lookups.serverType(typeId);
  const sizes = volumeSizes && volumeSizes.length > 0 ? volumeSizes : [type?.diskGb];
  const knownSizes = sizes.filter(known);
  return {
    instances: n,
    ...(type ? { cores: n * type.vcpus, ram: n * type.ramGb } : {}),
    volumes: n * sizes.length,
    usages: n * knownSizes.reduce((a, b) => a + b, 0),
    ...(knownSizes.length > 0 ? { largestVolume: Math.max(...knownSizes) } : {}),
  };
}

/** A VirtualServer: a new server with its boot volume, or a larger server type in place. */
export const serverDemand: DemandOf = async (news, olds, lookups) => {
  const typeId = text(news.serverTypeId);
  if (Object.keys(olds).length > 0) {
    const before = text(olds.serverTypeId);
    if (!typeId || !before || typeId === before) return undefined;
    const [from, to] = await Promise.all([lookups.serverType(before), lookups.serverType(typeId)]);
    if (!from || !to) return undefined;
    return {
      add: { cores: Math.max(0, to.vcpus - from.vcpus), ram: Math.max(0, to.ramGb - from.ramGb) },
      property: { cores: "serverTypeId", ram: "serverTypeId" },
    };
  }
  const boot = news.bootVolume as { size?: unknown } | undefined;
  const bootSize = typeof boot === "object" && boot !== null ? [count(boot.size)] : undefined;
  const { largestVolume, ...add } = await serversOf(lookups, 1, typeId, bootSize);
  const volume = bootSize ? "bootVolume.size" : "serverTypeId";
  return {
    add,
    largestVolume,
    property: {
      instances: "name",
      cores: "serverTypeId",
      ram: "serverTypeId",
      volumes: volume,
      usages: volume,
      largestVolume: volume,
    },
  };
};

/** A Volume: a new volume, or a larger one in place. */
export const volumeDemand: DemandOf = async (news, olds) => {
  const size = count(news.size);
  const property = { volumes: "size", usages: "size", largestVolume: "size" };
  if (Object.keys(olds).length === 0) return { add: { volumes: 1, usages: size ?? 0 }, largestVolume: size, property };
  const before = count(olds.size);
  if (size === undefined || before === undefined || size <= before) return undefined;
  return { add: { usages: size - before }, largestVolume: size, property };
};

/**
 * An AutoScalingGroup: its desired (else minimum) count of servers of its launch configuration, or the growth
 * of a desired count the program manages. A launch configuration not created yet (id unknown) gives the
 * servers only, without their size.
 */
export const autoScalingGroupDemand: DemandOf = async (news, olds, lookups) => {
  const desired = count(news.desiredServerCount);
  const target = desired ?? count(news.minServerCount);
  const property = desired === undefined ? "minServerCount" : "desiredServerCount";
  let n: number | undefined = target;
  if (Object.keys(olds).length > 0) {
    // Without a managed desired count, policies move the live count: no growth can be told from the inputs.
    const before = count(olds.desiredServerCount);
    n = desired === undefined || before === undefined ? undefined : desired - before;
  }
  if (n === undefined || n <= 0) return undefined;
  const lcId = text(news.launchConfigurationId);
  const lc = lcId === undefined ? undefined : await lookups.launchConfiguration(lcId);
  const { largestVolume, ...add } = lc
    ? await serversOf(lookups, n, lc.serverTypeId, lc.volumeSizes)
    : { instances: n, largestVolume: undefined };
  return {
    add,
    largestVolume,
    property: {
      instances: property,
      cores: property,
      ram: property,
      volumes: property,
      usages: property,
      largestVolume: "launchConfigurationId",
    },
  };
};
