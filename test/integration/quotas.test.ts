// Quotas against the emulator: Show Server / Volume Quota Set count what exists, creates beyond a limit are
// refused with the API's error, and the provider's check at preview sums a stack's planned creates against them.
import { DEFAULT_QUOTA_LIMITS, type RunningEmulator } from "../../emulator";
import { ScpApiError } from "../../provider/errors";
import { resetQuotaCheck } from "../../provider/quota-check";
import { provider as autoScalingGroupProvider } from "../../resources/auto-scaling-group";
import { provider as serverProvider } from "../../resources/virtual-server";
import { provider as volumeProvider } from "../../resources/volume";
import { clientFor, control, emulatorForProviderTests, untilObject, withEmulator } from "../support/emulator";
import { driver } from "../support/provider";
import { IMAGE_ID } from "../support/servers";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  // Every limit back to the default (a reset keeps quotas, as it keeps the other settings).
  await control(emulator, "PUT", "/settings", { quotas: DEFAULT_QUOTA_LIMITS });
  resetQuotaCheck();
});

type Usage = { in_use: number; limit: number | string; reserved: number };
const api = () => clientFor(emulator);
const serverQuotas = async () =>
  (await api().call<Record<string, Usage>>("showServerQuotaSet")).body as Record<string, Usage>;
const volumeQuotas = async () =>
  (await api().call<Record<string, Usage>>("showVolumeQuotaSet")).body as Record<string, Usage>;
const inUse = (set: Record<string, Usage>) =>
  Object.fromEntries(Object.entries(set).flatMap(([k, u]) => (typeof u === "object" ? [[k, u.in_use]] : [])));

const server = (body: Record<string, unknown> = {}) =>
  api().call<{ servers: { id: string }[] }>("createVirtualServer", {
    body: { name: "q", image_id: IMAGE_ID, server_type_id: "s1v2m4", networks: [{ subnet_id: "subnet-1" }], ...body },
  });

async function refusal(pending: Promise<unknown>): Promise<ScpApiError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScpApiError)) throw new Error(`expected an ScpApiError, got ${String(error)}`);
  return error;
}

describe("the emulator's quota sets", () => {
  test("in_use counts the servers, their types' vCPUs and RAM, keypairs, groups, volumes, snapshots and GB", async () => {
    await api().call("createKeypair", { body: { name: "k" } });
    const group = await api().call<{ id: string }>("createServerGroup", {
      body: { name: "g", policy: "anti-affinity" },
    });
    await server({ server_group_id: group.body.id, metadata: JSON.stringify({ a: "1", b: "2" }) });
    // s1v4m8 with a 30 GB boot volume.
    await server({ server_type_id: "s1v4m8", volumes: [{ size: 30, boot_index: 0 }] });
    const volume = await api().call<{ id: string }>("createVolume", { body: { name: "d", size: 50 } });
    await untilObject(emulator, "volumes", volume.body.id, (v) => v?.state === "available");
    await api().call("createSnapshot", { body: { volume_id: volume.body.id } });

    expect(inUse(await serverQuotas())).toEqual({
      instances: 2,
      cores: 6,
      ram: 12,
      keypairs: 1,
      server_groups: 1,
      server_group_members: 1,
      metadata_items: 2,
    });
    // Two boot volumes (the emulator's default 100 GB and the 30 GB one) and the data volume.
    expect(inUse(await volumeQuotas())).toEqual({ volumes: 3, usages: 180, per_volume_size: 100, snapshots: 1 });
  });

  test("in_use falls when objects are deleted, once they are gone", async () => {
    const created = await server();
    const id = created.body.servers[0]?.id ?? "";
    await untilObject(emulator, "servers", id, (s) => s?.state === "ACTIVE");
    expect((await serverQuotas()).instances?.in_use).toBe(1);
    await api().call("deleteVirtualServer", { path: { server_id: id } });
    await untilObject(emulator, "servers", id, (s) => s === undefined);
    expect(inUse(await serverQuotas())).toMatchObject({ instances: 0, cores: 0, ram: 0 });
    // Its boot volume (delete on termination) went with it.
    expect((await volumeQuotas()).volumes?.in_use).toBe(0);
  });

  test('limits are the configured ones: numbers for servers, strings for volumes ("" for none)', async () => {
    await control(emulator, "PUT", "/settings", { quotas: { cores: 20, volumes: 5 } });
    const servers = await serverQuotas();
    expect(servers.cores).toEqual({ in_use: 0, limit: 20, reserved: 0 });
    expect(servers.instances?.limit).toBe(10_000);
    const volumes = await volumeQuotas();
    expect(volumes.volumes).toEqual({ in_use: 0, limit: "5", reserved: 0 });
    expect(volumes.usages?.limit).toBe("");
  });

  test("an emulator started with quotas answers them; the control API refuses a bad limit", async () => {
    const other = await withEmulator({ timeScale: 0.002, quotas: { instances: 3, usages: 500 } });
    try {
      const client = clientFor(other);
      expect((await client.call<Record<string, Usage>>("showServerQuotaSet")).body.instances?.limit).toBe(3);
      expect((await client.call<Record<string, Usage>>("showVolumeQuotaSet")).body.usages?.limit).toBe("500");
    } finally {
      await other.close();
    }
    await expect(control(emulator, "PUT", "/settings", { quotas: { cores: null } })).rejects.toThrow(
      /400.*server quotas always have a limit/,
    );
    await expect(control(emulator, "PUT", "/settings", { quotas: { coers: 1 } })).rejects.toThrow(
      /400.*unknown quota coers/,
    );
  });
});

describe("creates beyond a limit", () => {
  test("a server beyond the vCPU quota is refused with 400 naming the quota, and nothing is created", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { cores: 5 } });
    await server({ server_type_id: "s1v4m8" });
    const error = await refusal(server({ name: "second" }));
    expect(error.status).toBe(400);
    expect(error.detail).toBe('Quota exceeded for cores: requested 2, in use 4, limit 5 (quota "cores")');
    expect((await serverQuotas()).instances?.in_use).toBe(1);
  });

  test("volumes beyond the count, capacity or size per volume are refused; a grow beyond capacity too", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { volumes: 2, usages: 100, per_volume_size: 60 } });
    expect((await refusal(api().call("createVolume", { body: { name: "big", size: 61 } }))).detail).toMatch(
      /^Quota exceeded for per_volume_size: requested 61, limit 60/,
    );
    const first = await api().call<{ id: string }>("createVolume", { body: { name: "a", size: 60 } });
    expect((await refusal(api().call("createVolume", { body: { name: "b", size: 41 } }))).detail).toMatch(
      /^Quota exceeded for usages: requested 41, in use 60, limit 100/,
    );
    await api().call("createVolume", { body: { name: "b", size: 40 } });
    expect((await refusal(api().call("createVolume", { body: { name: "c", size: 1 } }))).detail).toMatch(
      /^Quota exceeded for volumes: requested 1, in use 2, limit 2/,
    );
    await untilObject(emulator, "volumes", first.body.id, (v) => v?.state === "available");
    expect(
      (await refusal(api().call("extendVolume", { path: { volume_id: first.body.id }, body: { size: 61 } }))).detail,
    ).toMatch(/^Quota exceeded for usages: requested 1, in use 100, limit 100/);
  });

  test("keypairs, server groups, snapshots and the members of one group stop at their limits", async () => {
    await control(emulator, "PUT", "/settings", {
      quotas: { keypairs: 1, server_groups: 1, server_group_members: 1, snapshots: 0 },
    });
    await api().call("createKeypair", { body: { name: "k1" } });
    expect((await refusal(api().call("createKeypair", { body: { name: "k2" } }))).detail).toMatch(/keypairs/);
    const group = await api().call<{ id: string }>("createServerGroup", { body: { name: "g", policy: "affinity" } });
    expect(
      (await refusal(api().call("createServerGroup", { body: { name: "h", policy: "affinity" } }))).detail,
    ).toMatch(/server_groups/);
    await server({ server_group_id: group.body.id });
    expect((await refusal(server({ name: "m2", server_group_id: group.body.id }))).detail).toMatch(
      /^Quota exceeded for server_group_members: requested 2, limit 1/,
    );
    const volume = await api().call<{ id: string }>("createVolume", { body: { name: "d", size: 10 } });
    await untilObject(emulator, "volumes", volume.body.id, (v) => v?.state === "available");
    expect((await refusal(api().call("createSnapshot", { body: { volume_id: volume.body.id } }))).detail).toMatch(
      /snapshots/,
    );
  });
});

describe("the quota check at preview (provider check)", () => {
  const URN = (name: string) => `urn:pulumi:test::quotas::pulumi-nodejs:dynamic/scp:VirtualServer::${name}`;
  const servers = driver(serverProvider);
  const volumes = driver(volumeProvider);
  const groups = driver(autoScalingGroupProvider);
  const serverInputs = (name: string, serverTypeId = "s1v4m8") => ({
    name,
    imageId: IMAGE_ID,
    serverTypeId,
    networks: [{ subnetId: "subnet-1" }],
    bootVolume: { size: 20 },
    _urn: URN(name),
  });

  test("the check that takes the stack's vCPUs past the quota fails with the numbers", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { cores: 10 } });
    await server(); // 2 vCPUs in use
    expect(await servers.check(serverInputs("a"))).toEqual([]);
    expect(await servers.check(serverInputs("b"))).toEqual([]);
    expect(await servers.check(serverInputs("c"))).toEqual([
      {
        property: "serverTypeId",
        reason:
          'quota exceeded: this stack would use 14 vCPUs (in use 2 + planned 12) but the quota allows 10 (quota "cores"); ' +
          "set scp:quotaCheck false (or SCP_QUOTA_CHECK=false) to turn the check off",
      },
    ]);
  });

  test("a second check of the same resource replaces its share instead of adding it", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { cores: 8 } });
    expect(await servers.check(serverInputs("a"))).toEqual([]);
    expect(await servers.check(serverInputs("a"))).toEqual([]);
    expect(await servers.check(serverInputs("b"))).toEqual([]);
    expect(await servers.check(serverInputs("b"))).toEqual([]);
  });

  test("the quota sets are read once per process and account, not once per check", async () => {
    await control(emulator, "DELETE", "/requests");
    for (const name of ["a", "b", "c"]) await servers.check(serverInputs(name));
    const log = (await control(emulator, "GET", "/requests")) as { operation: string }[];
    expect(log.map((r) => r.operation).sort()).toEqual(["showServerQuotaSet", "showServerType", "showVolumeQuotaSet"]);
  });

  test("servers, RAM, boot volumes and volumes each count against their quota", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { instances: 1, ram: 100, volumes: 2, usages: 50 } });
    expect(await servers.check(serverInputs("a"))).toEqual([]);
    const failures = await servers.check(serverInputs("b"));
    expect(failures.map((f) => [f.property, f.reason.split(";")[0]])).toEqual([
      [
        "name",
        'quota exceeded: this stack would use 2 servers (in use 0 + planned 2) but the quota allows 1 (quota "instances")',
      ],
    ]);
    const volume = (name: string, size: number) => ({ name, size, _urn: URN(`vol-${name}`) });
    // 20 + 20 GB of boot volumes are planned; 11 more pass the capacity of 50.
    expect((await volumes.check(volume("d", 11))).map((f) => f.reason.split(";")[0])).toEqual([
      'quota exceeded: this stack would use 3 volumes (in use 0 + planned 3) but the quota allows 2 (quota "volumes")',
      'quota exceeded: this stack would use 51 GB of volumes (in use 0 + planned 51) but the quota allows 50 (quota "usages")',
    ]);
  });

  test("a volume larger than the size per volume fails on its size", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { per_volume_size: 100 } });
    expect(await volumes.check({ name: "v", size: 101, _urn: URN("vol-v") })).toEqual([
      expect.objectContaining({
        property: "size",
        reason: expect.stringMatching(
          /^quota exceeded: a volume of 101 GB, but the quota allows at most 100 GB per volume \(quota "per_volume_size"\)/,
        ),
      }),
    ]);
  });

  test("growing a volume in place counts the growth", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { usages: 150 } });
    await api().call("createVolume", { body: { name: "w", size: 100 } });
    const olds = { name: "w", size: 100, _urn: URN("vol-w") };
    expect(await volumes.check({ ...olds, size: 150 }, olds)).toEqual([]);
    expect((await volumes.check({ ...olds, size: 151 }, olds)).map((f) => f.reason.split(";")[0])).toEqual([
      'quota exceeded: this stack would use 151 GB of volumes (in use 100 + planned 51) but the quota allows 150 (quota "usages")',
    ]);
  });

  test("an auto-scaling group counts its desired servers of the launch configuration's type", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { cores: 15 } });
    const lc = await api().call<{ id: string }>("createLaunchConfiguration", {
      body: { name: "lc", image_id: IMAGE_ID, server_type_id: "s1v4m8", volumes: [{ size: 20, boot_index: 0 }] },
    });
    const group = {
      name: "asg",
      launchConfigurationId: lc.body.id,
      minServerCount: 2,
      maxServerCount: 10,
      desiredServerCount: 4,
      subnetIds: ["subnet-1"],
      _urn: URN("asg"),
    };
    expect((await groups.check(group)).map((f) => [f.property, f.reason.split(";")[0]])).toEqual([
      [
        "desiredServerCount",
        'quota exceeded: this stack would use 16 vCPUs (in use 0 + planned 16) but the quota allows 15 (quota "cores")',
      ],
    ]);
    expect(await groups.check({ ...group, desiredServerCount: 3 })).toEqual([]);
  });

  test("a failed quota read skips the check instead of failing it", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { cores: 1 } });
    await control(emulator, "PUT", "/faults", {
      next: [{ operation: "showServerQuotaSet", kind: "5xx", status: 403 }],
    });
    expect(await servers.check(serverInputs("a"))).toEqual([]);
  });

  test("scp:quotaCheck false (SCP_QUOTA_CHECK=false) turns the check off: no quota is read", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { cores: 1 } });
    await control(emulator, "DELETE", "/requests");
    process.env.SCP_QUOTA_CHECK = "false";
    try {
      expect(await servers.check(serverInputs("a"))).toEqual([]);
    } finally {
      delete process.env.SCP_QUOTA_CHECK;
    }
    expect(await control(emulator, "GET", "/requests")).toEqual([]);
  });

  test("a check without a URN (not the engine's) and an existing server's unchanged type are not counted", async () => {
    await control(emulator, "PUT", "/settings", { quotas: { cores: 1 } });
    const { _urn: _, ...withoutUrn } = serverInputs("a");
    expect(await servers.check(withoutUrn)).toEqual([]);
    const olds = serverInputs("b");
    expect(await servers.check(olds, olds)).toEqual([]);
  });
});
