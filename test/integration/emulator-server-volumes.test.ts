// The emulator's two routes to one attachment: the volume side (Attach / Detach Volume, reference L237-L275,
// L3668-L3700) and the server side (Create / Show / Update / Delete Server Volume and List Server Volumes,
// L1932-L1979, L8464-L8502, L10611-L10651, L3438-L3470, L5888-L5931). An attachment made through either is
// seen through both, and either route's detach ends it.
import type { RunningEmulator } from "../../emulator";
import { ScpApiError } from "../../provider/errors";
import type { ScpClient } from "../../provider/http";
import { clientFor, control, untilObject, withEmulator } from "../support/emulator";
import { createEmulatorServer } from "../support/servers";

let emulator: RunningEmulator;
let client: ScpClient;
let serverId: string;
let volumeId: string;
beforeAll(async () => {
  emulator = await withEmulator();
  client = clientFor(emulator, { maxRetries: 0 });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  serverId = await createEmulatorServer(emulator);
  volumeId = (await client.call<{ id: string }>("createVolume", { body: { name: "data", size: 10 } })).body.id;
  await untilVolume("available");
});

type ServerVolume = {
  id: string;
  volume_id: string;
  server_id: string;
  device: string;
  delete_on_termination: boolean;
};
type VolumeServer = { id: string; device: string };

const untilVolume = (state: string) => untilObject(emulator, "volumes", volumeId, (v) => v?.state === state);

/** The attachment as each read shows it: the volume's `servers`, Show Server Volume, List Server Volumes. */
async function bothSides() {
  const volume = (await client.call<{ servers: VolumeServer[] }>("showVolume", { path: { volume_id: volumeId } })).body;
  const listed = (
    await client.call<{ volumes: ServerVolume[] }>("listServerVolumes", { path: { server_id: serverId } })
  ).body.volumes;
  const shown = await client.find<ServerVolume>("showServerVolume", {
    path: { server_id: serverId, volume_id: volumeId },
  });
  const server = (
    await client.call<{ volumes: { id: string; delete_on_termination: boolean }[] }>("showVirtualServer", {
      path: { server_id: serverId },
    })
  ).body;
  return {
    volumeSide: volume.servers.find((s) => s.id === serverId),
    listed: listed.find((v) => v.volume_id === volumeId),
    shown,
    onServer: server.volumes.find((v) => v.id === volumeId),
  };
}

const attachThroughVolume = () =>
  client.call<{ device: string }>("attachVolumeToVirtualServer", {
    path: { volume_id: volumeId },
    body: { server_id: serverId, delete_on_termination: true },
  });
const attachThroughServer = () =>
  client.call<ServerVolume>("createServerVolume", {
    path: { server_id: serverId },
    body: { volume_id: volumeId, delete_on_termination: true },
  });
const detachThroughVolume = () =>
  client.call("detachVolumeFromVirtualServer", { path: { volume_id: volumeId, server_id: serverId } });
const detachThroughServer = () =>
  client.call("deleteServerVolume", { path: { server_id: serverId, volume_id: volumeId } });

async function status(pending: Promise<unknown>): Promise<number | undefined> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScpApiError)) throw new Error(`expected an ScpApiError, got ${String(error)}`);
  return error.status;
}

describe.each([
  ["Attach Volume", attachThroughVolume],
  ["Create Server Volume", attachThroughServer],
])("an attachment made through %s", (_route, attach) => {
  test("is seen by the volume and by the server side with the same device and deleteOnTermination", async () => {
    const device = (await attach()).body.device;
    await untilVolume("in-use");
    const seen = await bothSides();
    expect(seen.volumeSide).toMatchObject({ id: serverId, device });
    const expected = { volume_id: volumeId, server_id: serverId, device, delete_on_termination: true };
    expect(seen.listed).toMatchObject(expected);
    expect(seen.shown).toMatchObject(expected);
    expect(seen.shown?.id).toBe(seen.listed?.id);
    expect(seen.onServer).toEqual({ id: volumeId, delete_on_termination: true });
  });

  test("cannot be made again through the other route (409)", async () => {
    await attach();
    await untilVolume("in-use");
    const other = attach === attachThroughVolume ? attachThroughServer : attachThroughVolume;
    expect(await status(other())).toBe(409);
    expect((await bothSides()).volumeSide).toBeDefined();
  });

  test.each([
    ["Detach Volume", detachThroughVolume],
    ["Delete Server Volume", detachThroughServer],
  ])("ends through %s, on both sides, and the volume is available again", async (_detachRoute, detach) => {
    await attach();
    await untilVolume("in-use");
    await detach();
    await untilVolume("available");
    expect(await bothSides()).toEqual({
      volumeSide: undefined,
      listed: undefined,
      shown: undefined,
      onServer: undefined,
    });
  });
});

test("Update Server Volume's deleteOnTermination is what the server and both server-side reads show", async () => {
  await attachThroughVolume();
  await untilVolume("in-use");
  await client.call("updateServerVolume", {
    path: { server_id: serverId, volume_id: volumeId },
    body: { volume_id: volumeId, delete_on_termination: false },
  });
  const seen = await bothSides();
  expect(seen.listed?.delete_on_termination).toBe(false);
  expect(seen.shown?.delete_on_termination).toBe(false);
  expect(seen.onServer?.delete_on_termination).toBe(false);
});
