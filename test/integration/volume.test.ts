import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { provider } from "../../resources/volume";
import { clientFor, control, emulatorForProviderTests, untilObject } from "../support/emulator";
import { createEmulatorServer } from "../support/servers";
import { PROVIDER, driver } from "../support/provider";

let emulator: RunningEmulator;
const volume = driver(provider);
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

const operationsCalled = async () =>
  ((await control(emulator, "GET", "/requests")) as RequestLogEntry[]).map((r) => r.operation);
const live = (id: string) =>
  control(emulator, "GET", `/objects/volumes/${id}`).catch(() => undefined) as Promise<
    Record<string, unknown> | undefined
  >;

const activeServer = () => createEmulatorServer(emulator);

describe("Volume create", () => {
  test("waits until the volume is available and reports complete outputs", async () => {
    const { id, outs } = await volume.create({ name: "data", size: 20, tags: { env: "test" } });
    expect(outs).toMatchObject({ name: "data", size: 20, volumeType: "SSD", tags: { env: "test" } });
    // Nothing another resource moves (state, attached servers) is an output.
    expect(outs).not.toHaveProperty("state");
    expect(outs).not.toHaveProperty("attachments");
    expect(await live(id)).toMatchObject({ state: "available" });
  });

  test("a volume that ends in error stays in state with its id; SCP sends no reason, so none is invented", async () => {
    await control(emulator, "POST", "/outcomes", { kind: "volume", state: "error", reason: "backend full" });
    const failure = await volume.createFailure({ name: "bad", size: 10 });
    expect(failure.id).toEqual(expect.any(String));
    expect(failure.properties).toMatchObject({ __provider: PROVIDER, name: "bad" });
    expect(failure.reasons[0]).toMatch(/state error/);
    expect(failure.reasons[0]).not.toMatch(/backend full/);
  });
});

describe("Volume validation", () => {
  test.each([
    [{ name: "v", size: 0 }, "size", /at least 1 GB/],
    [{ name: "v", size: 1.5 }, "size", /whole number/],
    [{ name: "v", size: "ten" }, "size", /./],
    [{ name: "v", size: 99999 }, "size", /at most 16384/],
    [{ size: 10 }, "name", /name is required/],
    [{ name: "v", size: 10, sise: 1 }, "sise", /unknown/i],
  ])("%j is refused at %s", async (inputs, property, reason) => {
    const failures = await volume.check(inputs);
    expect(failures).toEqual(
      expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringMatching(reason) })]),
    );
  });

  test("a smaller size is a planned change (drift when grown by hand), and the update refuses it naming the size to set", async () => {
    const { id, outs } = await volume.create({ name: "v", size: 20 });
    expect(await volume.check({ name: "v", size: 10 }, outs)).toEqual([]);
    expect(await volume.diff(outs, { name: "v", size: 10 })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    await expect(volume.update(id, outs, { name: "v", size: 10 })).rejects.toThrow(
      /size: the volume is 20 GB and volumes cannot shrink \(10 GB requested\): set size to 20 or more/,
    );
    expect(await live(id)).toMatchObject({ size: 20 });
  });
});

describe("Volume changes", () => {
  test("rename and growth update in place and wait for the new size", async () => {
    const { id, outs } = await volume.create({ name: "data", size: 10 });
    expect(await volume.diff(outs, { name: "data2", size: 30 })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await volume.update(id, outs, { name: "data2", size: 30 });
    expect(updated).toMatchObject({ name: "data2", size: 30 });
    expect(await operationsCalled()).toEqual(expect.arrayContaining(["updateVolume", "extendVolume"]));
  });

  test.each([
    [{ volumeType: "HDD" }, "volumeType"],
    [{ snapshotId: "snap-1" }, "snapshotId"],
  ])("%j replaces the volume", async (change, property) => {
    const olds = { name: "v", size: 10, volumeType: "SSD", tags: {} };
    expect((await volume.diff(olds, { name: "v", size: 10, ...change })).replaces).toEqual([property]);
  });

  test("a tag change is recorded in state, never a replacement (SCP applies tags only at creation)", async () => {
    const { id, outs } = await volume.create({ name: "v", size: 10, tags: { a: "1" } });
    const news = { name: "v", size: 10, tags: { a: "2" } };
    expect(await volume.diff(outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    const updated = await volume.update(id, outs, news);
    expect(updated).toMatchObject({ tags: { a: "2" } });
    expect(await volume.diff(updated, news)).toMatchObject({ changes: false });
    expect((await operationsCalled()).filter((o) => !/^(show|list)/.test(o ?? ""))).toEqual(["createVolume"]);
  });

  test("revertToSnapshotId reverts the volume once when it changes", async () => {
    const { id, outs } = await volume.create({ name: "v", size: 10 });
    const { body } = await clientFor(emulator).call<{ id: string }>("createSnapshot", {
      body: { volume_id: id, name: "s" },
    });
    await untilObject(emulator, "snapshots", body.id, (o) => o?.status === "available");
    await volume.update(id, outs, { name: "v", size: 10, revertToSnapshotId: body.id });
    expect((await operationsCalled()).filter((o) => o === "revertVolumeToSnapshot")).toHaveLength(1);
  });
});

describe("Volume read and drift", () => {
  test("an out-of-band resize shows as drift of size", async () => {
    const { id, outs } = await volume.create({ name: "v", size: 10 });
    await control(emulator, "PATCH", `/objects/volumes/${id}`, { size: 50 });
    const read = await volume.read(id, outs);
    expect(read.inputs).toMatchObject({ name: "v", size: 50 });
    expect(await volume.diff(read.props, { name: "v", size: 10 })).toMatchObject({ changes: true, replaces: [] });
  });

  test("an existing volume is adopted by id (read with no prior state)", async () => {
    const { id } = await volume.create({ name: "existing", size: 30, tags: { team: "db" } });
    const adopted = await volume.read(id, {});
    expect(adopted.props).toMatchObject({ name: "existing", size: 30, volumeType: "SSD" });
    // SCP never returns tags: an adopted volume's tags are not known.
    expect(adopted.props).not.toHaveProperty("tags");
    expect(adopted.inputs).toMatchObject({ name: "existing", size: 30 });
  });

  test("an out-of-band delete drops it from state", async () => {
    const { id, outs } = await volume.create({ name: "v", size: 10 });
    await control(emulator, "DELETE", `/objects/volumes/${id}`);
    expect(await volume.read(id, outs)).toEqual({ id: "", props: {} });
  });
});

describe("Volume delete", () => {
  test("waits until gone; deleting an already-deleted volume succeeds", async () => {
    const { id, outs } = await volume.create({ name: "v", size: 10 });
    await volume.delete(id, outs);
    expect(await live(id)).toBeUndefined();
    await expect(volume.delete(id, outs)).resolves.toBeUndefined();
  });

  test("attached to a server the stack does not manage: a clear error, nothing deleted", async () => {
    const server = await activeServer();
    const { id, outs } = await volume.create({ name: "v", size: 10 });
    await clientFor(emulator).call("attachVolumeToVirtualServer", {
      path: { volume_id: id },
      body: { server_id: server },
    });
    await untilObject(emulator, "volumes", id, (o) => o?.state === "in-use");
    await expect(volume.delete(id, outs)).rejects.toThrow(
      new RegExp(`attached to server ${server}.*detachOnDelete: true`),
    );
    expect(await live(id)).toBeDefined();
  });

  test("detachOnDelete detaches first, then deletes", async () => {
    const server = await activeServer();
    const { id, outs } = await volume.create({ name: "v", size: 10, detachOnDelete: true });
    await clientFor(emulator).call("attachVolumeToVirtualServer", {
      path: { volume_id: id },
      body: { server_id: server },
    });
    await untilObject(emulator, "volumes", id, (o) => o?.state === "in-use");
    await volume.delete(id, outs);
    expect(await live(id)).toBeUndefined();
  });

  test("deleteSnapshots takes the snapshots along; without it deletion is refused by the API", async () => {
    const api = clientFor(emulator);
    const { id, outs } = await volume.create({ name: "v", size: 10 });
    const snapshot = await api.call<{ id: string }>("createSnapshot", { body: { volume_id: id, name: "s" } });
    await untilObject(emulator, "snapshots", snapshot.body.id, (o) => o?.status === "available");
    await expect(volume.delete(id, outs)).rejects.toThrow(/409.*snapshot/);
    await volume.delete(id, { ...outs, deleteSnapshots: true });
    expect(await control(emulator, "GET", "/objects/snapshots")).toEqual([]);
  });
});

describe("Volume refresh", () => {
  test("inputs are rebuilt only for what the program set, so values the cloud chose are not reported as changes", async () => {
    const { id, outs } = await volume.create({ name: "v", size: 10 });
    expect(outs.volumeType).toBe("SSD");
    const read = await volume.read(id, outs);
    expect(read.inputs).toEqual({ name: "v", size: 10 });
    expect(read.props).toMatchObject({ volumeType: "SSD", _inputKeys: ["name", "size"] });
  });
});
