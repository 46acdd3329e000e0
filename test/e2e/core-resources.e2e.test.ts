// The core resources through the real Pulumi engine against the emulator: up waits for steady state,
// a refresh right after shows no change, an out-of-band change shows as drift of exactly that property,
// up repairs it, an out-of-band delete is dropped by refresh, and destroy leaves nothing behind.
import { type RunningEmulator, startEmulator } from "../../emulator";
import {
  type E2EStack,
  createStack,
  emulatorControl,
  emulatorObjects,
  plannedSteps,
  providerSizes,
  expectNoSecretsInState,
  stateFileText,
} from "./harness";
import { expectOnlyDocumentedRequestKeys } from "./request-keys";

const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";

const program = `
const scp = require("pulumi-scp-virtualserver");
const key = new scp.Keypair("key", { name: "core-key" });
const group = new scp.ServerGroup("group", { name: "core-group", policy: "anti-affinity" });
const server = new scp.VirtualServer("server", {
  name: "core-web",
  imageId: "${IMAGE_ID}",
  serverTypeId: "s1v1m2",
  keypairName: key.name,
  serverGroupId: group.id,
  networks: [{ subnetId: "subnet-core" }],
  bootVolume: { size: 50, type: "SSD" },
  userData: "#!/bin/sh\\necho core-user-data-payload\\n",
  tags: { tier: "web" },
  powerState: "ACTIVE",
});
const data = new scp.Volume("data", { name: "core-data", size: 20, deleteSnapshots: true });
const attachment = new scp.VolumeAttachment("attachment", { volumeId: data.id, serverId: server.id, deleteOnTermination: false });
const snapshot = new scp.Snapshot("snapshot", { volumeId: data.id, name: "core-snap", description: "nightly" }, { dependsOn: [attachment] });
const template = new scp.LaunchConfiguration("template", { name: "core-lc", imageId: "${IMAGE_ID}", serverTypeId: "s1v1m2", volumes: [{ size: 50 }] });
exports.serverId = server.id;
exports.addresses = server.addresses;
exports.device = attachment.device;
exports.snapshotSize = snapshot.size;
exports.templateId = template.id;
`;

let emulator: RunningEmulator;
let e2e: E2EStack;
let outputs: Record<string, unknown> = {};

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  e2e = await createStack("core", program, emulator);
});
afterAll(async () => {
  await e2e?.dispose();
  await emulator?.close();
});

const one = async (collection: string) => (await emulatorObjects(emulator, collection))[0] as Record<string, unknown>;

describe("core resources with the real engine", () => {
  test("up creates every resource and waits for steady state", async () => {
    const result = await e2e.stack.up();
    expect(result.summary.result).toBe("succeeded");
    outputs = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]));
    expect(outputs.device).toMatch(/^\/dev\/vd/);
    expect(outputs.snapshotSize).toBe(20);
    expect(await one("servers")).toMatchObject({ name: "core-web", state: "ACTIVE" });
    expect(await one("snapshots")).toMatchObject({ status: "available" });
    const data = (await emulatorObjects(emulator, "volumes")).find((v) => v.name === "core-data");
    expect(data).toMatchObject({ state: "in-use" });
  });

  test("preview --refresh --expect-no-changes passes right after", async () => {
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("the state file holds no credential and no user data payload", async () => {
    const text = stateFileText(e2e, "core");
    expect(text).toContain("core-web");
    expectNoSecretsInState(text, emulator, ["core-user-data-payload"]);
  });

  test("the provider stored with each resource is the 0.4 kB loader", async () => {
    const sizes = await providerSizes(e2e.stack);
    const state = JSON.parse(stateFileText(e2e, "core")) as {
      checkpoint: { latest: { resources: { type: string }[] } };
    };
    const resources = state.checkpoint.latest.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    const perResource = resources.map((r) => `${r.type.split(":").pop()}=${Buffer.byteLength(JSON.stringify(r))}`);
    console.log(
      `stored provider bytes per resource: ${JSON.stringify(sizes)}; state bytes per resource: ${perResource.join(" ")}`,
    );
    expect(Object.keys(sizes)).toHaveLength(7);
    for (const size of Object.values(sizes)) expect(size).toBeLessThan(600);
  });

  // [resource, collection, emulator name, out-of-band change, planned op, properties, replaced dependents]
  test.each([
    ["server", "servers", "core-web", { name: "renamed-out-of-band" }, "update", ["name"], []],
    ["server", "servers", "core-web", { state: "SHUTOFF" }, "update", ["powerState"], []],
    ["data", "volumes", "core-data", { name: "renamed" }, "update", ["name"], []],
    ["snapshot", "snapshots", "core-snap", { description: "changed" }, "update", ["description"], []],
    // A server group cannot change: the servers placed in it are replaced with it, and what hangs on them.
    ["group", "server-groups", "core-group", { policy: "affinity" }, "replace", ["policy"], ["attachment", "server"]],
    ["template", "launch-configurations", "core-lc", { server_type_id: "s1v2m4" }, "replace", ["serverTypeId"], []],
  ])(
    "drift of %s (%j) is reported as %s of exactly that property, and up repairs it",
    async (resource, collection, name, change, op, properties, dependents) => {
      const target = (await emulatorObjects(emulator, collection)).find((o) => o.name === name);
      const original = Object.fromEntries(Object.keys(change).map((k) => [k, target?.[k]]));
      await emulatorControl(emulator, "PATCH", `/objects/${collection}/${String(target?.id)}`, change);
      const steps = await plannedSteps(e2e.stack);
      expect(steps.find((step) => step.name === resource)).toEqual({ name: resource, op, properties });
      const others = steps.filter((step) => step.name !== resource).map((step) => `${step.name} ${step.op}`);
      expect(others.sort()).toEqual(dependents.map((d) => `${d} replace`));
      const up = await e2e.stack.up({ refresh: true });
      expect(up.summary.result).toBe("succeeded");
      const repaired = (await emulatorObjects(emulator, collection)).find((o) => o.name === name);
      expect(repaired).toMatchObject(original);
      await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
    },
  );

  test("drift of an attachment's deleteOnTermination is reported and repaired", async () => {
    const server = (await emulatorObjects(emulator, "servers")).find((s) => s.name === "core-web") as {
      id: string;
      volumes: { id: string; delete_on_termination: boolean }[];
    };
    const volumes = server.volumes.map((v) =>
      v.id === server.volumes[1]?.id ? { ...v, delete_on_termination: true } : v,
    );
    await emulatorControl(emulator, "PATCH", `/objects/servers/${server.id}`, { volumes });
    expect(await plannedSteps(e2e.stack)).toEqual([
      { name: "attachment", op: "update", properties: ["deleteOnTermination"] },
    ]);
    await e2e.stack.up({ refresh: true });
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("an out-of-band delete is dropped by refresh and recreated by up", async () => {
    const snapshot = await one("snapshots");
    await emulatorControl(emulator, "DELETE", `/objects/snapshots/${String(snapshot.id)}`);
    const refresh = await e2e.stack.refresh();
    expect(refresh.summary.resourceChanges?.delete).toBe(1);
    const up = await e2e.stack.up();
    expect(up.summary.resourceChanges?.create).toBe(1);
  });

  test("destroy leaves the emulator with no objects", async () => {
    await e2e.stack.destroy();
    for (const collection of [
      "servers",
      "volumes",
      "snapshots",
      "keypairs",
      "server-groups",
      "launch-configurations",
    ]) {
      expect({ collection, objects: await emulatorObjects(emulator, collection) }).toEqual({ collection, objects: [] });
    }
  });

  // Issue 11 item 6: every request body the provider sent (creates, updates, deletes) has only keys the
  // reference's request example for that operation and version shows.
  test("every request body sent has only documented keys", () => {
    expectOnlyDocumentedRequestKeys(emulator);
  });
});
