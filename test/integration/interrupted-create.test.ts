// A create that a killed `pulumi up` never recorded is taken over by the next run's create (by the marker
// the provider stamps where the API returns it), never made twice; a replacement never takes what it replaces.
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { provider as serverProvider } from "../../resources/virtual-server";
import { provider as snapshotProvider } from "../../resources/snapshot";
import { clientFor, control, emulatorForProviderTests, untilObject } from "../support/emulator";
import { PROVIDER, driver } from "../support/provider";
import { IMAGE_ID } from "../support/servers";

let emulator: RunningEmulator;
const server = driver(serverProvider);
const snapshot = driver(snapshotProvider);
emulatorForProviderTests((running) => (emulator = running));
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  await clientFor(emulator).call("createKeypair", { body: { name: "kp" } });
});

const URN = "urn:pulumi:dev::app::pulumi-nodejs:dynamic/scp:VirtualServer::web";
const base = {
  name: "web",
  imageId: IMAGE_ID,
  serverTypeId: "s1v1m2",
  keypairName: "kp",
  networks: [{ subnetId: "subnet-a" }],
  metadata: { team: "web" },
};
const objects = (collection: string) =>
  control(emulator, "GET", `/objects/${collection}`) as Promise<Record<string, unknown>[]>;
const creates = async (operation: string) =>
  ((await control(emulator, "GET", "/requests")) as RequestLogEntry[]).filter((r) => r.operation === operation).length;

describe("VirtualServer create after an interrupted run", () => {
  test("takes over the server the interrupted create made instead of creating a second", async () => {
    const first = await server.create({ ...base, _urn: URN });
    const resumed = await server.create({ ...base, _urn: URN });
    expect(resumed.id).toBe(first.id);
    expect(await objects("servers")).toHaveLength(1);
    expect(await creates("createVirtualServer")).toBe(1);
    expect(resumed.outs).toMatchObject({ state: "ACTIVE", name: "web" });
  });

  test("the marker stays out of the metadata output, so it is never drift", async () => {
    const { id, outs } = await server.create({ ...base, _urn: URN });
    expect(outs.metadata).toEqual({ team: "web" });
    const read = await server.read(id, outs);
    expect(read.props?.metadata).toEqual({ team: "web" });
    expect(await server.diff(outs, { ...base })).toMatchObject({ changes: false });
  });

  test("another resource (another URN) or other inputs create a server of their own", async () => {
    const first = await server.create({ ...base, _urn: URN });
    const other = await server.create({ ...base, _urn: `${URN}-2` });
    const changed = await server.create({ ...base, metadata: { team: "api" }, _urn: URN });
    expect(new Set([first.id, other.id, changed.id]).size).toBe(3);
    expect(await creates("createVirtualServer")).toBe(3);
  });

  test("a replacement the diff decided never takes over the server it replaces, even with the same inputs", async () => {
    await control(emulator, "POST", "/outcomes", { kind: "server", state: "ERROR", reason: "No valid host was found" });
    const failed = await server.createFailure({ ...base, _urn: URN });
    const olds = failed.properties;
    // A server left in ERROR is replaced by the next up with unchanged inputs (create before delete).
    const diff = await serverProvider.diff!(failed.id, olds, { __provider: PROVIDER, ...base, _urn: URN });
    expect(diff).toMatchObject({ replaces: ["state"], deleteBeforeReplace: false });
    const replacement = await server.create({ ...base, _urn: URN });
    expect(replacement.id).not.toBe(failed.id);
    expect(await creates("createVirtualServer")).toBe(2);
  });

  test("a delete of the server a create of this run took over is skipped (a replacement forced without changes)", async () => {
    const first = await server.create({ ...base, _urn: URN });
    const resumed = await server.create({ ...base, _urn: URN });
    await server.delete(first.id, resumed.outs);
    expect(await objects("servers")).toEqual([expect.objectContaining({ id: first.id, state: "ACTIVE" })]);
  });

  test("program metadata may not use the marker's key", async () => {
    const failures = await server.check({ ...base, metadata: { "pulumi-create-marker": "x" } });
    expect(failures).toEqual([
      expect.objectContaining({ property: "metadata", reason: expect.stringContaining("reserved") }),
    ]);
  });
});

describe("Snapshot create after an interrupted run", () => {
  test("takes over the snapshot the interrupted create made", async () => {
    const client = clientFor(emulator);
    const volumeId = (await client.call<{ id: string }>("createVolume", { body: { name: "data", size: 10 } })).body.id;
    await untilObject(emulator, "volumes", volumeId, (v) => v?.state === "available");
    const urn = "urn:pulumi:dev::app::pulumi-nodejs:dynamic/scp:Snapshot::nightly";
    const first = await snapshot.create({ volumeId, name: "nightly", _urn: urn });
    const resumed = await snapshot.create({ volumeId, name: "nightly", _urn: urn });
    expect(resumed.id).toBe(first.id);
    expect(await objects("snapshots")).toHaveLength(1);
    expect(resumed.outs).toMatchObject({ status: "available", name: "nightly" });
  });
});
