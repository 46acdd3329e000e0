import type { RunningEmulator } from "../../emulator";
import { getDefaultVolumeType, getImage, getServer, getServerType, getVolume, getVolumeTypes } from "../../lookups";
import { clientFor, control, emulatorForProviderTests } from "../support/emulator";
import { createEmulatorServer } from "../support/servers";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

describe("lookups", () => {
  test("getImage by OS picks the most recent when asked, and refuses ambiguity otherwise", async () => {
    await expect(getImage({ osDistro: "ubuntu", mostRecent: true })).resolves.toMatchObject({
      name: "Ubuntu 24.04",
      status: "active",
    });
    await expect(getImage({ osDistro: "ubuntu" })).rejects.toThrow(/2 images match .* mostRecent: true/);
    await expect(getImage({ name: "Rocky Linux 9.4" })).resolves.toMatchObject({ osDistro: "rocky" });
    await expect(getImage({ name: "Plan 9" })).rejects.toThrow(/no active image matches/);
  });

  test("getServerType by id, or the smallest that fits", async () => {
    await expect(getServerType({ id: "s1v2m4" })).resolves.toEqual({ id: "s1v2m4", vcpus: 2, ramGb: 4, diskGb: 100 });
    await expect(getServerType({ minVcpus: 2, minRamGb: 6 })).resolves.toMatchObject({ id: "s1v2m8" });
    await expect(getServerType({ minVcpus: 64 })).rejects.toThrow(/no server type has at least 64 vCPUs/);
  });

  test("volume types and the default type", async () => {
    expect((await getVolumeTypes()).map((t) => t.name)).toEqual(["HDD", "SSD", "SSD_Encrypted"]);
    await expect(getDefaultVolumeType()).resolves.toMatchObject({ name: "SSD" });
  });

  test("an existing server and volume by id or name", async () => {
    const serverId = await createEmulatorServer(emulator, "existing");
    await expect(getServer({ name: "existing" })).resolves.toMatchObject({ id: serverId });
    await expect(getServer({ id: serverId })).resolves.toMatchObject({ name: "existing" });
    const volume = await clientFor(emulator).call<{ id: string }>("createVolume", { body: { name: "vol", size: 1 } });
    await expect(getVolume({ name: "vol" })).resolves.toMatchObject({ id: volume.body.id });
    await expect(getVolume({ name: "nope" })).rejects.toThrow(/0 volumes are named "nope"/);
  });
});
