// Quota sets, default configs and the maximum partition size against the emulator: each lookup answers
// what the API answers, camelCase, with the reference's "" read as "no number stated".
import type { RunningEmulator } from "../../emulator";
import type { RequestLogEntry } from "../../emulator/server";
import {
  ScpLookupError,
  getDefaultConfigs,
  getMaximumPartitionSize,
  getServerQuotaSet,
  getVolumeQuotaSet,
} from "../../lookups";
import { clientFor, control, emulatorForProviderTests } from "../support/emulator";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

type RawUsage = { in_use: number; reserved: number; limit: number | string };
const raw = async <T>(operation: Parameters<ReturnType<typeof clientFor>["call"]>[0]): Promise<T> =>
  (await clientFor(emulator).call<T>(operation)).body;
const usage = (u: RawUsage | undefined) => ({
  inUse: u?.in_use,
  reserved: u?.reserved,
  limit: u?.limit === "" ? undefined : Number(u?.limit),
});
const requestCount = async () => ((await control(emulator, "GET", "/requests")) as unknown[]).length;

async function lookupError(pending: Promise<unknown>): Promise<ScpLookupError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScpLookupError)) throw new Error(`expected an ScpLookupError, got ${String(error)}`);
  return error;
}

describe("quota sets", () => {
  test("getServerQuotaSet answers Show Server Quota Set's quotas, camelCase", async () => {
    const api = await raw<Record<string, RawUsage> & { id: string }>("showServerQuotaSet");
    const quotas = await getServerQuotaSet();
    expect(quotas).toEqual({
      id: api.id,
      instances: usage(api.instances),
      cores: usage(api.cores),
      ram: usage(api.ram),
      keypairs: usage(api.keypairs),
      metadataItems: usage(api.metadata_items),
      serverGroups: usage(api.server_groups),
      serverGroupMembers: usage(api.server_group_members),
    });
    expect(typeof quotas.cores.inUse).toBe("number");
  });

  test('getVolumeQuotaSet answers Show Volume Quota Set\'s quotas; a limit of "" is no number', async () => {
    const api = await raw<Record<string, RawUsage> & { id: string }>("showVolumeQuotaSet");
    const quotas = await getVolumeQuotaSet();
    expect(quotas).toEqual({
      id: api.id,
      volumes: usage(api.volumes),
      snapshots: usage(api.snapshots),
      perVolumeSize: usage(api.per_volume_size),
      usages: usage(api.usages),
    });
    if (api.volumes?.limit === "") expect(quotas.volumes.limit).toBeUndefined();
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getServerQuotaSet({ region: 1 } as never))).message).toBe(
      "getServerQuotaSet: region must be a string; got the number 1",
    );
    expect((await lookupError(getVolumeQuotaSet({ project: "p" } as never))).message).toMatch(
      /^getVolumeQuotaSet: project: unknown property; known properties are region$/,
    );
    expect(await requestCount()).toBe(before);
  });
});

describe("getDefaultConfigs", () => {
  test("answers the configs as a map, the API's Python dict literal read", async () => {
    const api = await raw<{ configs: unknown; count: number }>("listDefaultConfigs");
    expect(typeof api.configs).toBe("string");
    const defaults = await getDefaultConfigs({ category: "AUTO_SCALING_GROUP" });
    // The defaults the emulator's create applies to a group that leaves them out.
    expect(defaults).toEqual({
      configs: { desired_server_count_editable: true, drain_enabled: false, drain_timeout: 300 },
      count: 3,
    });
    expect((await getDefaultConfigs({ name: "drain_timeout" })).configs).toEqual({ drain_timeout: 300 });
  });

  test("sends the name and category filters as the API's query parameters", async () => {
    await control(emulator, "DELETE", "/requests");
    await getDefaultConfigs({ name: "key", category: "AUTO_SCALING_GROUP" });
    const [request] = (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
    expect(request?.operation).toBe("listDefaultConfigs");
    expect(new URL(request?.path ?? "", emulator.url).searchParams.toString()).toBe(
      "category=AUTO_SCALING_GROUP&name=key",
    );
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getDefaultConfigs({ category: "" }))).message).toBe(
      "getDefaultConfigs: category must not be empty",
    );
    expect(await requestCount()).toBe(before);
  });
});

describe("getMaximumPartitionSize", () => {
  test("answers the region's partition size as a number", async () => {
    const api = await raw<{ partition_size: string | number }>("getMaximumPartitionSize");
    const { partitionSize } = await getMaximumPartitionSize();
    expect(partitionSize).toBe(api.partition_size === "" ? undefined : Number(api.partition_size));
    expect(partitionSize === undefined || Number.isInteger(partitionSize)).toBe(true);
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getMaximumPartitionSize({ regoin: "kr-west1" } as never))).message).toMatch(
      /regoin: unknown property; did you mean "region"\?/,
    );
    expect(await requestCount()).toBe(before);
  });
});
