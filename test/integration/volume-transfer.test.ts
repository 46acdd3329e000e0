// VolumeTransfer and VolumeTransferAcceptance (and the transfer lookups) against the emulator, through the
// real provider implementations: a transfer is pending with a secret key, the key accepts it and the volume
// moves, a wrong key is refused with the API's message, a delete cancels, and bad input fails at check.
import type { RunningEmulator } from "../../emulator";
import { ScpLookupError } from "../../lookups/types";
import { getVolumeTransfer, getVolumeTransfers } from "../../lookups/volume-transfers";
import { provider as acceptanceProvider } from "../../resources/volume-transfer-accept";
import { provider as transferProvider, spec as transferSpec } from "../../resources/volume-transfer";
import { clientFor, control, emulatorForProviderTests, untilObject } from "../support/emulator";
import { driver } from "../support/provider";
import { createEmulatorServer } from "../support/servers";

let emulator: RunningEmulator;
const transfer = driver(transferProvider);
const acceptance = driver(acceptanceProvider);
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

type EmulatorObject = Record<string, unknown>;

async function availableVolume(name = "handover"): Promise<string> {
  const id = (await clientFor(emulator).call<{ id: string }>("createVolume", { body: { name, size: 10 } })).body.id;
  await untilObject(emulator, "volumes", id, (v) => v?.state === "available");
  return id;
}

const transfers = async () => (await control(emulator, "GET", "/objects/volume-transfers")) as EmulatorObject[];
const volume = async (id: string) => (await control(emulator, "GET", `/objects/volumes/${id}`)) as EmulatorObject;
const operationsCalled = async () =>
  ((await control(emulator, "GET", "/requests")) as { operation?: string; status: number }[]).map(
    (r) => `${r.operation} ${r.status}`,
  );

/** The rejection of a promise that must fail. */
async function failure(pending: Promise<unknown>): Promise<Error> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error(`expected a failure, got ${String(error)}`);
  return error;
}

describe("VolumeTransfer", () => {
  test("create answers a pending transfer with its auth key; Show and List never show the key", async () => {
    const volumeId = await availableVolume();
    const { id, outs } = await transfer.create({ volumeId });
    expect(outs).toMatchObject({ volumeId, name: "handover", authKey: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(outs.createdAt).toEqual(expect.any(String));
    expect(await transfers()).toEqual([expect.objectContaining({ id, volume_id: volumeId })]);

    const shown = (await clientFor(emulator).call("showVolumeTransferDetail", { path: { transfer_id: id } })).body;
    const listed = (await clientFor(emulator).call("listVolumeTransfers")).body;
    expect(JSON.stringify([shown, listed])).not.toContain(String(outs.authKey));

    // Read keeps the key the create answered (nothing else can give it back).
    const read = await transfer.read(id, outs);
    expect(read).toMatchObject({ id, props: { authKey: outs.authKey, volumeId, name: "handover" } });
  });

  test("a name is the program's; another name or volume replaces the transfer, deleting first on the same volume", async () => {
    const volumeId = await availableVolume();
    const { outs } = await transfer.create({ volumeId, name: "to-finance" });
    expect(outs).toMatchObject({ name: "to-finance" });
    expect(await transfer.diff(outs, { volumeId, name: "to-legal" })).toEqual({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: true,
    });
    expect(await transfer.diff(outs, { volumeId: "other-volume", name: "to-finance" })).toEqual({
      changes: true,
      replaces: ["volumeId"],
      deleteBeforeReplace: false,
    });
    expect(await transfer.diff(outs, { volumeId, name: "to-finance", timeouts: { create: "1m" } })).toMatchObject({
      changes: true,
      replaces: [],
    });
  });

  test("delete of a pending transfer cancels it: the volume stays, and the key accepts nothing", async () => {
    const volumeId = await availableVolume();
    const { id, outs } = await transfer.create({ volumeId });
    await transfer.delete(id, outs);
    expect(await transfers()).toEqual([]);
    expect(await volume(volumeId)).toMatchObject({ state: "available" });
    expect((await volume(volumeId))._transfers).toBeUndefined();
    const refused = await failure(acceptance.create({ transferId: id, authKey: outs.authKey }));
    expect(refused.message).toContain(`volume transfer ${id} does not exist: it was accepted already, cancelled`);
    // Deleting it again (or an accepted one) finds nothing and is done.
    await expect(transfer.delete(id, outs)).resolves.toBeUndefined();
  });

  test("importId takes an existing transfer under management, without a key (only its create answered it)", async () => {
    const volumeId = await availableVolume();
    const made = await clientFor(emulator).call<{ id: string }>("createVolumeTransfer", {
      body: { volume_id: volumeId },
    });
    const { id, outs } = await transfer.create({ volumeId, importId: made.body.id });
    expect(id).toBe(made.body.id);
    expect(outs).toMatchObject({ volumeId, name: "handover" });
    expect(outs.authKey).toBeUndefined();
  });

  test("a transfer deleted out of band is dropped on read", async () => {
    const volumeId = await availableVolume();
    const { id, outs } = await transfer.create({ volumeId });
    await control(emulator, "DELETE", `/objects/volume-transfers/${id}`);
    expect(await transfer.read(id, outs)).toEqual({ id: "", props: {} });
  });

  test("drift: a transfer renamed out of band shows as a replacement for its name", async () => {
    const volumeId = await availableVolume();
    const { id, outs } = await transfer.create({ volumeId, name: "to-finance" });
    await control(emulator, "PATCH", `/objects/volume-transfers/${id}`, { name: "renamed" });
    const read = await transfer.read(id, outs);
    expect(read.props).toMatchObject({ name: "renamed", authKey: outs.authKey });
    expect((await transfer.diff(read.props, { volumeId, name: "to-finance" })).replaces).toEqual(["name"]);
  });

  test("a volume with a pending transfer, or attached to a server, is refused with the API's message", async () => {
    const volumeId = await availableVolume();
    const first = await transfer.create({ volumeId });
    const again = await failure(transfer.create({ volumeId, name: "second" }));
    expect(again.message).toContain(`volume ${volumeId} already has a pending transfer (${first.id})`);
    expect(again.message).toContain("createVolumeTransfer");

    const attachedId = await availableVolume("attached");
    const serverId = await createEmulatorServer(emulator);
    await clientFor(emulator).call("attachVolumeToVirtualServer", {
      path: { volume_id: attachedId },
      body: { server_id: serverId },
    });
    await untilObject(emulator, "volumes", attachedId, (v) => v?.state === "in-use");
    const attached = await failure(transfer.create({ volumeId: attachedId }));
    expect(attached.message).toContain("only an available (detached) volume can be transferred");
  });

  test("a create whose answer was lost leaves one transfer, with a key that works", async () => {
    const volumeId = await availableVolume();
    await control(emulator, "PUT", "/faults", {
      next: [{ operation: "createVolumeTransfer", kind: "5xx", status: 503, afterEffect: true }],
    });
    await control(emulator, "DELETE", "/requests");
    const { id, outs } = await transfer.create({ volumeId });
    const calls = await operationsCalled();
    expect(calls.slice(0, 3)).toEqual(["createVolumeTransfer 503", "showVolume 200", "listVolumeTransfers 200"]);
    expect(calls).toContain("deleteVolumeTransfer 202");
    expect((await transfers()).map((t) => t.id)).toEqual([id]);
    await expect(acceptance.create({ transferId: id, authKey: outs.authKey })).resolves.toMatchObject({ id });
  });

  test("findNamed offers the pending transfers of the volume with that name", async () => {
    const volumeId = await availableVolume();
    const { id } = await transfer.create({ volumeId, name: "to-finance" });
    const ctx = { client: clientFor(emulator), timeouts: transferSpec.defaultTimeouts };
    await expect(transferSpec.findNamed?.(ctx, { volumeId, name: "to-finance" })).resolves.toEqual([id]);
    await expect(transferSpec.findNamed?.(ctx, { volumeId, name: "other" })).resolves.toEqual([]);
  });

  test.each([
    [{ volumeId: "" }, "volumeId"],
    [{ volumeId: "a/b" }, "volumeId"],
    [{ volumeId: 7 }, "volumeId"],
    [{}, "volumeId"],
    [{ volumeId: "v", name: "" }, "name"],
    [{ volumeId: "v", name: "a/b" }, "name"],
    [{ volumeId: "v", volume_id: "v" }, "volume_id"],
    [{ volumeId: "v", authKey: "k" }, "authKey"],
  ])("bad input %j fails at check naming %s", async (inputs, property) => {
    const failures = await transfer.check(inputs);
    expect(failures.map((f) => f.property)).toContain(property);
  });
});

describe("VolumeTransferAcceptance", () => {
  test("accepting with the key moves the volume to the accepting user and uses the transfer up", async () => {
    const volumeId = await availableVolume();
    const offered = await transfer.create({ volumeId });
    const before = await volume(volumeId);
    const { id, outs } = await acceptance.create({ transferId: offered.id, authKey: offered.outs.authKey });
    expect(id).toBe(offered.id);
    expect(outs).toMatchObject({ transferId: offered.id, volumeId, name: "handover" });
    expect(await transfers()).toEqual([]);
    const after = await volume(volumeId);
    expect(after).toMatchObject({ state: "available", user_id: expect.any(String) });
    expect(after._transfers).toEqual([
      {
        transfer_id: offered.id,
        from_user_id: before.user_id,
        to_user_id: after.user_id,
        accepted_at: expect.any(String),
      },
    ]);

    // The sending side: the accepted transfer is gone (dropped on refresh), and its delete is done at once.
    expect(await transfer.read(offered.id, offered.outs)).toEqual({ id: "", props: {} });
    await expect(transfer.delete(offered.id, offered.outs)).resolves.toBeUndefined();

    // The receiving side: the acceptance stands while the volume is there.
    expect((await acceptance.read(id, outs)).props).toMatchObject({ volumeId, transferId: offered.id });
  });

  test("a wrong key is refused with the API's 400 message; the transfer stays pending", async () => {
    const volumeId = await availableVolume();
    const offered = await transfer.create({ volumeId });
    const refused = await failure(acceptance.create({ transferId: offered.id, authKey: "0000000000000000" }));
    expect(refused.message).toContain(`auth_key: invalid auth key for volume transfer ${offered.id}`);
    expect(refused.message).toContain("acceptVolumeTransfer");
    expect(refused.message).toContain("authKey must be the authKey output of the VolumeTransfer");
    expect(await transfers()).toEqual([expect.objectContaining({ id: offered.id })]);
    expect((await volume(volumeId))._transfers).toBeUndefined();
  });

  test("an accept whose answer was lost is not sent again: the used-up transfer says it took effect", async () => {
    const volumeId = await availableVolume();
    const offered = await transfer.create({ volumeId });
    await control(emulator, "PUT", "/faults", {
      next: [{ operation: "acceptVolumeTransfer", kind: "5xx", status: 503, afterEffect: true }],
    });
    await control(emulator, "DELETE", "/requests");
    const { outs } = await acceptance.create({ transferId: offered.id, authKey: offered.outs.authKey });
    expect(outs).toMatchObject({ volumeId });
    expect((await operationsCalled()).filter((c) => c.startsWith("acceptVolumeTransfer"))).toEqual([
      "acceptVolumeTransfer 503",
    ]);
    expect((await volume(volumeId))._transfers).toHaveLength(1);
  });

  test("the received volume deleted out of band drops the acceptance on read", async () => {
    const volumeId = await availableVolume();
    const offered = await transfer.create({ volumeId });
    const { id, outs } = await acceptance.create({ transferId: offered.id, authKey: offered.outs.authKey });
    await control(emulator, "DELETE", `/objects/volumes/${volumeId}`);
    expect(await acceptance.read(id, outs)).toEqual({ id: "", props: {} });
  });

  test("delete only forgets the acceptance: the volume stays where the transfer put it", async () => {
    const volumeId = await availableVolume();
    const offered = await transfer.create({ volumeId });
    const { id, outs } = await acceptance.create({ transferId: offered.id, authKey: offered.outs.authKey });
    await control(emulator, "DELETE", "/requests");
    await acceptance.delete(id, outs);
    expect(await operationsCalled()).toEqual([]);
    expect(await volume(volumeId)).toMatchObject({ state: "available" });
  });

  test("another transfer replaces the acceptance; a new key alone changes nothing in SCP", async () => {
    const olds = { transferId: "t1", authKey: "k1", volumeId: "v" };
    expect((await acceptance.diff(olds, { transferId: "t2", authKey: "k1" })).replaces).toEqual(["transferId"]);
    expect(await acceptance.diff(olds, { transferId: "t1", authKey: "k2" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test.each([
    [{ authKey: "k" }, "transferId"],
    [{ transferId: "a/b", authKey: "k" }, "transferId"],
    [{ transferId: "t" }, "authKey"],
    [{ transferId: "t", authKey: "" }, "authKey"],
    [{ transferId: "t", authKey: 1234 }, "authKey"],
    [{ transferId: "t", auth_key: "k" }, "auth_key"],
    [{ transferId: "t", authKey: "k", importId: "t" }, "importId"],
  ])("bad input %j fails at check naming %s", async (inputs, property) => {
    const failures = await acceptance.check(inputs);
    expect(failures.map((f) => f.property)).toContain(property);
  });
});

describe("getVolumeTransfer / getVolumeTransfers", () => {
  test("by id and by name answer the pending transfer, without its key", async () => {
    const volumeId = await availableVolume();
    const { id } = await transfer.create({ volumeId, name: "to-finance" });
    const byId = await getVolumeTransfer({ id });
    expect(byId).toEqual({ id, name: "to-finance", volumeId, createdAt: expect.any(String) });
    await expect(getVolumeTransfer({ name: "to-finance" })).resolves.toEqual({ id, name: "to-finance", volumeId });
  });

  test("every pending transfer, or those of one volume", async () => {
    const first = await availableVolume("first");
    const second = await availableVolume("second");
    const a = await transfer.create({ volumeId: first });
    const b = await transfer.create({ volumeId: second });
    const all = await getVolumeTransfers();
    expect(all.transfers.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    await expect(getVolumeTransfers({ volumeId: second })).resolves.toEqual({
      transfers: [{ id: b.id, name: "second", volumeId: second }],
    });
  });

  test("an accepted transfer is not found; bad arguments name the property before any request", async () => {
    const volumeId = await availableVolume();
    const offered = await transfer.create({ volumeId });
    await acceptance.create({ transferId: offered.id, authKey: offered.outs.authKey });
    const gone = await failure(getVolumeTransfer({ id: offered.id }));
    expect(gone).toBeInstanceOf(ScpLookupError);
    expect((gone as ScpLookupError).failure).toBe("not-found");

    await control(emulator, "DELETE", "/requests");
    const bad = await failure(getVolumeTransfer({ id: "a/b" }));
    expect((bad as ScpLookupError).failures.map((f) => f.property)).toEqual(["id"]);
    const both = await failure(getVolumeTransfer({ id: "x", name: "y" }));
    expect((both as ScpLookupError).failures.map((f) => f.property)).toEqual(["id"]);
    const list = await failure(getVolumeTransfers({ volumeId: "" }));
    expect((list as ScpLookupError).failures.map((f) => f.property)).toEqual(["volumeId"]);
    expect(await operationsCalled()).toEqual([]);
  });
});
