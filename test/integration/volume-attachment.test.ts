import type { RunningEmulator } from "../../emulator";
import { provider } from "../../resources/volume-attachment";
import { clientFor, control, emulatorForProviderTests, untilObject } from "../support/emulator";
import { driver } from "../support/provider";
import { createEmulatorServer } from "../support/servers";

let emulator: RunningEmulator;
const attachment = driver(provider);
let serverId: string;
let volumeId: string;
emulatorForProviderTests((running) => (emulator = running));
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  serverId = await createEmulatorServer(emulator);
  volumeId = (await clientFor(emulator).call<{ id: string }>("createVolume", { body: { name: "data", size: 10 } })).body
    .id;
  await untilObject(emulator, "volumes", volumeId, (v) => v?.state === "available");
});

describe("VolumeAttachment", () => {
  test("create attaches and waits until the volume is in use on both sides", async () => {
    const { id, outs } = await attachment.create({ volumeId, serverId });
    expect(id).toBe(`${serverId}:${volumeId}`);
    expect(outs).toMatchObject({
      volumeId,
      serverId,
      deleteOnTermination: false,
      device: expect.stringMatching(/^\/dev\/vd/),
    });
    expect(await control(emulator, "GET", `/objects/volumes/${volumeId}`)).toMatchObject({ state: "in-use" });
    const server = (await control(emulator, "GET", `/objects/servers/${serverId}`)) as { volumes: { id: string }[] };
    expect(server.volumes.map((v) => v.id)).toContain(volumeId);
  });

  test("a volume already attached to this server (an interrupted run, or by hand) is taken over, not attached twice", async () => {
    await clientFor(emulator).call("attachVolumeToVirtualServer", {
      path: { volume_id: volumeId },
      body: { server_id: serverId },
    });
    await untilObject(emulator, "volumes", volumeId, (v) => v?.state === "in-use");
    await control(emulator, "DELETE", "/requests");
    const { id } = await attachment.create({ volumeId, serverId });
    expect(id).toBe(`${serverId}:${volumeId}`);
    // The attach is sent (no read before it) and refused, as SCP refuses a volume that is not free; the
    // refusal is what makes the provider look, find the attachment and take it over.
    const log = (await control(emulator, "GET", "/requests")) as { operation?: string; status?: number }[];
    expect(log.filter((r) => r.operation === "attachVolumeToVirtualServer").map((r) => r.status)).toEqual([409]);
    const volume = (await control(emulator, "GET", `/objects/volumes/${volumeId}`)) as { servers: { id: string }[] };
    expect(volume.servers.map((s) => s.id)).toEqual([serverId]);
  });

  test("a volume attached to another server is not taken from it: a clear error says what to do", async () => {
    const other = await createEmulatorServer(emulator, "other");
    await clientFor(emulator).call("attachVolumeToVirtualServer", {
      path: { volume_id: volumeId },
      body: { server_id: other },
    });
    await untilObject(emulator, "volumes", volumeId, (v) => v?.state === "in-use");
    await expect(attachment.create({ volumeId, serverId })).rejects.toThrow(
      new RegExp(`attached to server ${other}, not to server ${serverId}: .*detach it there first`),
    );
  });

  test("an attach refused for another reason than the volume's state surfaces the API's answer, unread", async () => {
    await control(emulator, "DELETE", "/requests");
    await expect(attachment.create({ volumeId, serverId: "no-such-server" })).rejects.toThrow(/404|not found/i);
    const log = (await control(emulator, "GET", "/requests")) as { operation?: string }[];
    expect(log.map((r) => r.operation)).not.toContain("showVolume");
  });

  test("a refusal whose volume cannot be read fails with the refusal itself", async () => {
    const other = await createEmulatorServer(emulator, "other");
    await clientFor(emulator).call("attachVolumeToVirtualServer", {
      path: { volume_id: volumeId },
      body: { server_id: other },
    });
    await untilObject(emulator, "volumes", volumeId, (v) => v?.state === "in-use");
    await control(emulator, "PUT", "/faults", {
      next: [{ operation: "showVolume", kind: "5xx", status: 500, times: 50 }],
    });
    process.env.SCP_MAX_RETRIES = "1";
    try {
      await expect(attachment.create({ volumeId, serverId })).rejects.toThrow(/409|in-use, not available/);
    } finally {
      delete process.env.SCP_MAX_RETRIES;
      await control(emulator, "PUT", "/faults", {});
    }
  });

  test("deleteOnTermination updates in place; another volume or server replaces, detaching first", async () => {
    const { id, outs } = await attachment.create({ volumeId, serverId });
    expect(await attachment.diff(outs, { volumeId, serverId, deleteOnTermination: true })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await attachment.update(id, outs, { volumeId, serverId, deleteOnTermination: true });
    expect(updated.deleteOnTermination).toBe(true);
    expect((await attachment.read(id, updated)).props).toMatchObject({ deleteOnTermination: true });
    expect(await attachment.diff(outs, { volumeId: "other", serverId })).toEqual({
      changes: true,
      replaces: ["volumeId"],
      deleteBeforeReplace: true,
    });
  });

  test("delete detaches and waits until the volume is available; a second delete is done", async () => {
    const { id, outs } = await attachment.create({ volumeId, serverId });
    await attachment.delete(id, outs);
    expect(await control(emulator, "GET", `/objects/volumes/${volumeId}`)).toMatchObject({
      state: "available",
      servers: [],
    });
    await expect(attachment.delete(id, outs)).resolves.toBeUndefined();
  });

  test("an out-of-band detach drops it from state", async () => {
    const { id, outs } = await attachment.create({ volumeId, serverId });
    await clientFor(emulator).call("detachVolumeFromVirtualServer", {
      path: { volume_id: volumeId, server_id: serverId },
    });
    await untilObject(emulator, "volumes", volumeId, (v) => v?.state === "available");
    expect(await attachment.read(id, outs)).toEqual({ id: "", props: {} });
  });

  test("an attachment that ends in error stays in state with its id", async () => {
    await control(emulator, "POST", "/outcomes", { kind: "attach", state: "error_attaching", reason: "device busy" });
    const failure = await attachment.createFailure({ volumeId, serverId });
    expect(failure.id).toBe(`${serverId}:${volumeId}`);
    // SCP reports no reason for a failed attachment, so none is invented.
    expect(failure.reasons[0]).toMatch(/failed: state error_attaching$/);
  });

  test("missing ids are refused at preview", async () => {
    expect((await attachment.check({ volumeId })).map((f) => f.property)).toEqual(["serverId"]);
  });

  test("attaching to a server that is not running is refused with ", async () => {
    await control(emulator, "PATCH", `/objects/servers/${serverId}`, { state: "BUILD" });
    await expect(attachment.create({ volumeId, serverId })).rejects.toThrow(/HTTP 409 CONFLICT: Server .* is BUILD/);
  });
});
