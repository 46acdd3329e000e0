// Catalogue and object lookups (images, server types, volume types, servers, volumes) against the emulator.
import type { RunningEmulator } from "../../emulator";
import {
  ScpLookupError,
  getDefaultVolumeType,
  getImage,
  getServer,
  getServerType,
  getVolume,
  getVolumeType,
  getVolumeTypes,
} from "../../lookups";
import { provider as attachmentProvider } from "../../resources/volume-attachment";
import { provider as volumeProvider } from "../../resources/volume";
import { control, emulatorForProviderTests } from "../support/emulator";
import { driver } from "../support/provider";
import { IMAGE_ID, createEmulatorServer } from "../support/servers";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

const requestCount = async () => ((await control(emulator, "GET", "/requests")) as unknown[]).length;

/** The lookup's rejection, which must be an ScpLookupError. */
async function lookupError(pending: Promise<unknown>): Promise<ScpLookupError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScpLookupError)) throw new Error(`expected an ScpLookupError, got ${String(error)}`);
  return error;
}

describe("getImage", () => {
  test("by OS with mostRecent answers the newest active image, camelCase with the catalogue's values", async () => {
    await expect(getImage({ osDistro: "ubuntu", mostRecent: true })).resolves.toEqual({
      id: "c4d7f203-1b5e-4f90-8c2d-3e4f5a6b7c8d",
      name: "Ubuntu 24.04",
      status: "active",
      osDistro: "ubuntu",
      osVersion: "24.04",
      osBuildVersion: undefined,
      imageType: "standard",
      originalImageType: "standard",
      visibility: "public",
      minDiskGb: 100,
      sizeBytes: 2429747200,
      diskFormat: "qcow2",
      protected: true,
      ownerAccountId: undefined,
      createdAt: "2025-09-01T00:00:00Z",
      updatedAt: "2025-09-01T00:00:00Z",
    });
  });

  test("several matches without mostRecent fail as ambiguous, naming them", async () => {
    const error = await lookupError(getImage({ osDistro: "ubuntu" }));
    expect(error.failure).toBe("ambiguous");
    expect(error.message).toMatch(/^getImage: 2 images match .* mostRecent: true \(Ubuntu 24.04, Ubuntu 22.04\)/);
  });

  test("by name and by id answer the same image", async () => {
    const byName = await getImage({ name: "Rocky Linux 9.4" });
    expect(byName).toMatchObject({ id: IMAGE_ID, osDistro: "rocky" });
    await expect(getImage({ id: IMAGE_ID })).resolves.toEqual(byName);
  });

  test("no match and an unknown id are not-found errors", async () => {
    expect(await lookupError(getImage({ name: "Plan 9" }))).toMatchObject({
      failure: "not-found",
      message: expect.stringMatching(/no active image matches/),
    });
    expect(await lookupError(getImage({ id: "no-such-image" }))).toMatchObject({
      failure: "not-found",
      message: 'getImage: no image has id "no-such-image"',
    });
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getImage({ os_distro: "ubuntu" } as never))).message).toMatch(
      /os_distro: unknown property; did you mean "osDistro"\?/,
    );
    expect((await lookupError(getImage({ id: IMAGE_ID, name: "x" }))).message).toMatch(
      /name cannot be combined with id/,
    );
    expect((await lookupError(getImage({ mostRecent: true }))).failures).toEqual([
      { property: "id", reason: "give id, or at least one of name, osDistro, imageType" },
    ]);
    expect((await lookupError(getImage({ name: "" }))).failure).toBe("invalid-arguments");
    expect(await requestCount()).toBe(before);
  });
});

describe("getServerType", () => {
  test("by id answers the type, camelCase, RAM and disk in GB", async () => {
    await expect(getServerType({ id: "s1v2m4" })).resolves.toEqual({
      id: "s1v2m4",
      name: "s1v2m4",
      description: "2 vCPU, 4 GB",
      vcpus: 2,
      ramGb: 4,
      diskGb: 100,
    });
  });

  test("without an id answers the smallest type that fits", async () => {
    await expect(getServerType({ minVcpus: 2, minRamGb: 6 })).resolves.toMatchObject({ id: "s1v2m8" });
    await expect(getServerType()).resolves.toMatchObject({ id: "s1v1m2" });
  });

  test("nothing fitting and an unknown id are not-found errors", async () => {
    expect((await lookupError(getServerType({ minVcpus: 64 }))).message).toMatch(
      /no server type has at least 64 vCPUs/,
    );
    expect((await lookupError(getServerType({ id: "s9v9m9" }))).failure).toBe("not-found");
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getServerType({ minVcpus: -1 }))).message).toBe(
      "getServerType: minVcpus must be at least 0; got -1",
    );
    expect((await lookupError(getServerType({ minRamGb: "4" } as never))).message).toMatch(/minRamGb must be a number/);
    expect((await lookupError(getServerType({ id: "s1v2m4", minVcpus: 2 }))).message).toMatch(
      /minVcpus cannot be combined with id/,
    );
    expect(await requestCount()).toBe(before);
  });
});

describe("volume types", () => {
  const ssd = {
    id: "c643ac35-3aec-43e6-b97a-3d6f666c5207",
    name: "SSD",
    description: "SSD block storage",
    multiattach: false,
    extraSpecs: { multiattach: "<is> False" },
  };

  test("getVolumeTypes lists every type, getDefaultVolumeType answers the default", async () => {
    expect((await getVolumeTypes()).volumeTypes.map((t) => t.name)).toEqual(["HDD", "SSD", "SSD_Encrypted"]);
    await expect(getDefaultVolumeType()).resolves.toEqual(ssd);
  });

  test("getVolumeType by id and by name answer the same type", async () => {
    await expect(getVolumeType({ id: ssd.id })).resolves.toEqual(ssd);
    await expect(getVolumeType({ name: "SSD" })).resolves.toEqual(ssd);
  });

  test("getVolumeType of an unknown id or name is a not-found error", async () => {
    expect((await lookupError(getVolumeType({ id: "nope" }))).message).toBe(
      'getVolumeType: no volume type has id "nope"',
    );
    expect((await lookupError(getVolumeType({ name: "NVMe" }))).failure).toBe("not-found");
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getVolumeType({}))).message).toBe("getVolumeType: id: give id or name");
    expect((await lookupError(getVolumeType({ id: "a/b" }))).message).toMatch(/id must not contain \//);
    expect((await lookupError(getVolumeTypes({ region: "" }))).message).toBe(
      "getVolumeTypes: region must not be empty",
    );
    expect(await requestCount()).toBe(before);
  });
});

describe("getServer", () => {
  test("by name and by id answer the server created through the API, camelCase", async () => {
    const id = await createEmulatorServer(emulator, "existing");
    const server = await getServer({ name: "existing" });
    expect(server).toMatchObject({
      id,
      name: "existing",
      state: "ACTIVE",
      imageId: IMAGE_ID,
      serverTypeId: "s1v1m2",
      serverType: { id: "s1v1m2", vcpus: 1, ramGb: 2, diskGb: 100 },
      locked: false,
      metadata: {},
    });
    expect(server.addresses[0]?.ipAddresses[0]).toEqual({
      ipAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      version: 4,
    });
    expect(server.volumes[0]).toMatchObject({ id: expect.any(String) });
    expect(server).not.toHaveProperty("image_id");
    await expect(getServer({ id })).resolves.toEqual(server);
  });

  test("an unknown id or name is a not-found error; a shared name is ambiguous", async () => {
    expect((await lookupError(getServer({ id: "no-such-server" }))).message).toBe(
      'getServer: no server has id "no-such-server"',
    );
    expect((await lookupError(getServer({ name: "nobody" }))).failure).toBe("not-found");
    await createEmulatorServer(emulator, "twin");
    await createEmulatorServer(emulator, "twin");
    expect(await lookupError(getServer({ name: "twin" }))).toMatchObject({
      failure: "ambiguous",
      message: 'getServer: 2 servers are named "twin"; look it up by id',
    });
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getServer({ id: "x", name: "y" }))).message).toMatch(/give id or name, not both/);
    expect((await lookupError(getServer({ server_name: "web" } as never))).message).toMatch(
      /server_name: unknown property; did you mean "name"\?/,
    );
    expect(await requestCount()).toBe(before);
  });
});

describe("getVolume", () => {
  test("by name and by id answer the volume, with where it is attached", async () => {
    const serverId = await createEmulatorServer(emulator, "host");
    const { id } = await driver(volumeProvider).create({ name: "data", size: 20, volumeType: "HDD" });
    const { outs } = await driver(attachmentProvider).create({ volumeId: id, serverId });
    const volume = await getVolume({ name: "data" });
    expect(volume).toMatchObject({
      id,
      name: "data",
      size: 20,
      state: "in-use",
      volumeType: "HDD",
      volumeTypeId: "d754bd46-4bfd-44f7-a08b-4e7f777d6318",
      bootable: false,
      servers: [{ id: serverId, device: outs.device }],
    });
    expect(volume.snapshotId).toBeUndefined();
    await expect(getVolume({ id })).resolves.toEqual(volume);
  });

  test("an unknown id or name is a not-found error", async () => {
    expect((await lookupError(getVolume({ name: "nope" }))).message).toBe('getVolume: no volume is named "nope"');
    expect((await lookupError(getVolume({ id: "nope" }))).failure).toBe("not-found");
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getVolume({ name: 7 } as never))).message).toBe(
      "getVolume: name must be a string; got the number 7",
    );
    expect(await requestCount()).toBe(before);
  });
});
