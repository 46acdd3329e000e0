import type { RunningEmulator } from "../../emulator";
import { provider as serverGroupProvider } from "../../resources/server-group";
import { provider as snapshotProvider } from "../../resources/snapshot";
import { clientFor, control, emulatorForProviderTests, untilObject } from "../support/emulator";
import { PROVIDER, driver } from "../support/provider";
import { IMAGE_ID } from "../support/servers";

let emulator: RunningEmulator;
const snapshot = driver(snapshotProvider);
const group = driver(serverGroupProvider);
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

async function availableVolume(): Promise<string> {
  const id = (await clientFor(emulator).call<{ id: string }>("createVolume", { body: { name: "data", size: 10 } })).body
    .id;
  await untilObject(emulator, "volumes", id, (v) => v?.state === "available");
  return id;
}

describe("Snapshot", () => {
  test("create waits until available; name and description change in place; delete waits until gone", async () => {
    const volumeId = await availableVolume();
    const { id, outs } = await snapshot.create({ volumeId, name: "nightly", description: "before upgrade" });
    expect(outs).toMatchObject({
      volumeId,
      name: "nightly",
      description: "before upgrade",
      status: "available",
      size: 10,
    });
    expect(await snapshot.diff(outs, { volumeId, name: "weekly" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await snapshot.update(id, outs, { volumeId, name: "weekly", description: "renamed" });
    expect(updated).toMatchObject({ name: "weekly", description: "renamed" });
    await snapshot.delete(id, updated);
    expect(await control(emulator, "GET", "/objects/snapshots")).toEqual([]);
    await expect(snapshot.delete(id, updated)).resolves.toBeUndefined();
  });

  test("another volume replaces the snapshot", async () => {
    expect((await snapshot.diff({ volumeId: "a", name: "s" }, { volumeId: "b", name: "s" })).replaces).toEqual([
      "volumeId",
    ]);
  });

  test("a snapshot that fails stays in state; SCP sends no reason, so none is invented", async () => {
    const volumeId = await availableVolume();
    await control(emulator, "POST", "/outcomes", { kind: "snapshot", state: "error", reason: "quota exceeded" });
    const failure = await snapshot.createFailure({ volumeId, name: "s" });
    expect(failure.properties).toMatchObject({ __provider: PROVIDER, status: "error" });
    expect(failure.reasons[0]).toMatch(/failed: state error$/);
  });

  test("drift: an out-of-band rename shows as a change of name", async () => {
    const volumeId = await availableVolume();
    const { id, outs } = await snapshot.create({ volumeId, name: "s" });
    await control(emulator, "PATCH", `/objects/snapshots/${id}`, { name: "renamed" });
    const read = await snapshot.read(id, outs);
    expect(await snapshot.diff(read.props, { volumeId, name: "s" })).toMatchObject({ changes: true, replaces: [] });
  });

  test("a long description is refused at preview", async () => {
    expect((await snapshot.check({ volumeId: "v", name: "s", description: "x".repeat(300) }))[0]?.property).toBe(
      "description",
    );
  });
});

describe("ServerGroup", () => {
  test("create; a server joining later moves no output; delete", async () => {
    const { id, outs } = await group.create({ name: "web", policy: "anti-affinity", tags: { tier: "web" } });
    expect(outs).toMatchObject({ name: "web", policy: "anti-affinity", tags: { tier: "web" } });
    await clientFor(emulator).call("createVirtualServer", {
      body: {
        name: "s",
        image_id: IMAGE_ID,
        server_type_id: "s1v1m2",
        networks: [{ subnet_id: "x" }],
        server_group_id: id,
      },
    });
    expect((await group.read(id, outs)).props).toEqual(outs);
    await group.delete(id, outs);
    expect(await group.read(id, outs)).toEqual({ id: "", props: {} });
    await expect(group.delete(id, outs)).resolves.toBeUndefined();
  });

  test("a tag change is recorded, never a replacement", async () => {
    const olds = { name: "web", policy: "affinity", tags: {} };
    expect(await group.diff(olds, { name: "web", policy: "affinity", tags: { a: "1" } })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("a name or policy change replaces; the same name deletes first", async () => {
    const olds = { name: "web", policy: "affinity", tags: {} };
    expect(await group.diff(olds, { name: "web", policy: "anti-affinity" })).toEqual({
      changes: true,
      replaces: ["policy"],
      deleteBeforeReplace: true,
    });
    expect(await group.diff(olds, { name: "web2", policy: "affinity" })).toEqual({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: false,
    });
  });

  test("an unknown policy is refused at preview", async () => {
    expect(await group.check({ name: "g", policy: "spread" })).toEqual([
      { property: "policy", reason: expect.stringMatching(/policy must be one of affinity, anti-affinity/) },
    ]);
  });
});
