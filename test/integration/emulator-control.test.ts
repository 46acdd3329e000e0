// Out-of-band creation through the control API (`POST /_emulator/objects/{collection}`): objects made by
// the API's own create handlers, visible through the API exactly like objects a stack created.
import type { RunningEmulator } from "../../emulator";
import type { ScpClient } from "../../provider/http";
import { clientFor, control, untilObject, withEmulator } from "../support/emulator";

const ROCKY = "70a599e0-31e7-49b7-b260-868f441e862b";
const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOutOfBandKeyForTheControlTest";

let emulator: RunningEmulator;
let client: ScpClient;
beforeAll(async () => {
  emulator = await withEmulator({ timeScale: 0.001 });
  client = clientFor(emulator, { maxRetries: 0 });
});
afterAll(() => emulator.close());
beforeEach(() => control(emulator, "POST", "/reset"));

/** A control POST answered as it is (status and parsed body), refusals included. */
async function createOutOfBand(
  collection: string,
  body: unknown,
  query = "",
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${emulator.url}/_emulator/objects/${encodeURIComponent(collection)}${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /_emulator/objects/{collection}", () => {
  test("a volume gets an id, the default type and the creating → available life cycle, and the API shows it", async () => {
    const created = await createOutOfBand("volumes", { name: "legacy-data", size: 50 });
    expect(created).toMatchObject({
      status: 201,
      body: { name: "legacy-data", size: 50, volume_type: "SSD", state: "creating" },
    });
    const id = String(created.body.id);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await untilObject(emulator, "volumes", id, (v) => v?.state === "available");
    const shown = await client.call<Record<string, unknown>>("showVolume", { path: { volume_id: id } });
    expect(shown.body).toMatchObject({ id, name: "legacy-data", size: 50, state: "available", volume_type: "SSD" });
  });

  test("a keypair is keyed by its name, fingerprinted, and listed by the API", async () => {
    const created = await createOutOfBand("keypairs", { name: "legacy-key", public_key: PUBLIC_KEY });
    expect(created).toMatchObject({
      status: 201,
      body: { id: "legacy-key", name: "legacy-key", public_key: PUBLIC_KEY, type: "ssh" },
    });
    expect(created.body.fingerprint).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2})+$/);
    const listed = await client.call<{ keypairs: { name: string }[] }>("listKeypairs");
    expect(listed.body.keypairs.map((k) => k.name)).toEqual(["legacy-key"]);
  });

  test("a server joins its server group and keypair, builds to ACTIVE with a boot volume", async () => {
    const group = await createOutOfBand("server-groups", { name: "legacy-group", policy: "anti-affinity" });
    expect(group).toMatchObject({ status: 201, body: { name: "legacy-group", policy: "anti-affinity" } });
    await createOutOfBand("keypairs", { name: "legacy-key", public_key: PUBLIC_KEY });
    const created = await createOutOfBand("servers", {
      name: "legacy-web",
      image_id: ROCKY,
      server_type_id: "s1v1m2",
      keypair_name: "legacy-key",
      server_group_id: group.body.id,
      networks: [{ subnet_id: "subnet-1" }],
      volumes: [{ size: 20 }],
    });
    expect(created).toMatchObject({ status: 201, body: { name: "legacy-web", state: "BUILD" } });
    const id = String(created.body.id);
    await untilObject(emulator, "servers", id, (s) => s?.state === "ACTIVE");
    const shown = await client.call<Record<string, unknown>>("showVirtualServer", { path: { server_id: id } });
    expect(shown.body).toMatchObject({ name: "legacy-web", state: "ACTIVE", keypair_name: "legacy-key" });
    const groupShown = await client.call<{ members: string }>("showServerGroup", {
      path: { server_group_id: String(group.body.id) },
    });
    expect(groupShown.body.members).toContain(id);
    const bootVolumes = (await control(emulator, "GET", "/objects/volumes")) as { size: number; bootable: boolean }[];
    expect(bootVolumes).toEqual([expect.objectContaining({ size: 20, bootable: true })]);
  });

  test("one request creating several servers (max_count) answers them all", async () => {
    const created = await createOutOfBand("servers", {
      name: "batch",
      image_id: ROCKY,
      server_type_id: "s1v1m2",
      networks: [{ subnet_id: "subnet-1" }],
      max_count: 2,
    });
    expect(created.status).toBe(201);
    expect((created.body as unknown as { name: string }[]).map((s) => s.name).sort()).toEqual(["batch-1", "batch-2"]);
  });

  test("a nested collection (an auto-scaling group's policies) is created under its parent", async () => {
    const lc = await createOutOfBand("launch-configurations", {
      name: "legacy-lc",
      image_id: ROCKY,
      server_type_id: "s1v1m2",
    });
    const group = await createOutOfBand("auto-scaling-groups", {
      name: "legacy-asg",
      launch_configuration_id: lc.body.id,
      min_server_count: 0,
      max_server_count: 2,
      subnet_ids: ["subnet-1"],
    });
    expect(group).toMatchObject({ status: 201, body: { name: "legacy-asg", launch_configuration_id: lc.body.id } });
    const policies = `auto-scaling-groups/${String(group.body.id)}/policies`;
    const policy = await createOutOfBand(policies, {
      name: "cpu-high",
      comparison_operator: "ge",
      evaluation_minutes: 1,
      metric_method: "AVG",
      metric_type: "CPU",
      scale_method: "AMOUNT",
      scale_type: "SCALE_OUT",
      scale_value: 1,
      threshold: 80,
      cooldown_seconds: 300,
    });
    expect(policy).toMatchObject({ status: 201, body: { name: "cpu-high" } });
    expect(await control(emulator, "GET", `/objects/${encodeURIComponent(policies)}`)).toHaveLength(1);
  });

  test("a body of the wrong JSON type is refused like the API refuses it, naming the field", async () => {
    const refused = await createOutOfBand("volumes", { name: "legacy-data", size: "50" });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/size: expected number, got string/);
    expect(await control(emulator, "GET", "/objects/volumes")).toEqual([]);
  });

  test("a server naming a keypair that does not exist is refused with 404 and nothing is created", async () => {
    const refused = await createOutOfBand("servers", {
      name: "orphan",
      image_id: ROCKY,
      server_type_id: "s1v1m2",
      keypair_name: "missing-key",
      networks: [{ subnet_id: "subnet-1" }],
    });
    expect(refused.status).toBe(404);
    expect(await control(emulator, "GET", "/objects/servers")).toEqual([]);
  });

  test("a collection no API operation creates answers 404", async () => {
    const refused = await createOutOfBand("server-types", { name: "s9" });
    expect(refused).toEqual({ status: 404, body: { error: "no API operation creates objects of server-types" } });
  });

  test("an API version the operation does not offer is refused with 400", async () => {
    const refused = await createOutOfBand("volumes", { name: "v", size: 1 }, "?version=9.9");
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/createVolume has no API version 9\.9/);
  });

  test("out-of-band creation is not in the request log", async () => {
    await createOutOfBand("keypairs", { name: "quiet", public_key: PUBLIC_KEY });
    expect(await control(emulator, "GET", "/requests")).toEqual([]);
  });
});

test("an object created out of band reads like one created through the API (same answer keys)", async () => {
  const outOfBand = await createOutOfBand("volumes", { name: "a", size: 10 });
  const viaApi = await client.call<{ id: string }>("createVolume", { body: { name: "b", size: 10 } });
  const show = async (id: string) =>
    Object.keys((await client.call<Record<string, unknown>>("showVolume", { path: { volume_id: id } })).body).sort();
  expect(await show(String(outOfBand.body.id))).toEqual(await show(viaApi.body.id));
});
