// A server's IPs (List / Show Server Ips) and volumes (List Server Volumes), looked up against the emulator.
import * as pulumi from "@pulumi/pulumi";
import type { RunningEmulator } from "../../emulator";
import {
  ScpLookupError,
  getServer,
  getServerIp,
  getServerIpOutput,
  getServerIps,
  getServerIpsOutput,
  getServerVolumes,
  getServerVolumesOutput,
  getVolume,
} from "../../lookups";
import { provider as attachmentProvider } from "../../resources/volume-attachment";
import { clientFor, control, emulatorForProviderTests, untilObject } from "../support/emulator";
import { driver } from "../support/provider";
import { IMAGE_ID } from "../support/servers";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));

let serverId: string;
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  // Two subnets, the second with a public IP: two addresses there.
  const created = await clientFor(emulator).call<{ servers: { id: string }[] }>("createVirtualServer", {
    body: {
      name: "web-1",
      image_id: IMAGE_ID,
      server_type_id: "s1v1m2",
      networks: [{ subnet_id: "subnet-a1" }, { subnet_id: "subnet-b2", public_ip_id: "public-ip-1" }],
    },
  });
  serverId = created.body.servers[0]?.id ?? "";
  await untilObject(emulator, "servers", serverId, (s) => s?.state === "ACTIVE");
});

const requestCount = async () => ((await control(emulator, "GET", "/requests")) as unknown[]).length;

async function lookupError(pending: Promise<unknown>): Promise<ScpLookupError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScpLookupError)) throw new Error(`expected an ScpLookupError, got ${String(error)}`);
  return error;
}

const valueOf = <T>(output: pulumi.Output<T>) => new Promise<T>((resolve) => output.apply(resolve));

describe("getServerIps", () => {
  test("answers every subnet's addresses, camelCase, as getServer shows them", async () => {
    const result = await getServerIps({ serverId });
    expect(result.serverId).toBe(serverId);
    expect(result.addresses).toHaveLength(2);
    expect(result.addresses[1]).toEqual({
      subnetName: expect.any(String),
      ipAddresses: [
        { ipAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/), version: 4 },
        { ipAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/), version: 4 },
      ],
    });
    expect(result.addresses).toEqual((await getServer({ id: serverId })).addresses);
  });

  test("an unknown server is a not-found error", async () => {
    expect(await lookupError(getServerIps({ serverId: "no-such-server" }))).toMatchObject({
      failure: "not-found",
      message: 'getServerIps: no server has id "no-such-server"',
    });
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getServerIps({} as never))).message).toBe("getServerIps: serverId is required");
    expect((await lookupError(getServerIps({ serverId, subnetId: "x" } as never))).message).toMatch(
      /subnetId: unknown property/,
    );
    expect(await requestCount()).toBe(before);
  });

  test("the Output form settles to what getServerIps answers", async () => {
    await expect(valueOf(getServerIpsOutput({ serverId: pulumi.output(serverId) }))).resolves.toEqual(
      await getServerIps({ serverId }),
    );
  });
});

describe("getServerIp", () => {
  test("answers one subnet's addresses, the same as that subnet's entry of getServerIps", async () => {
    const all = await getServerIps({ serverId });
    const one = await getServerIp({ serverId, subnetId: "subnet-b2" });
    expect(one).toEqual({ serverId, subnetId: "subnet-b2", ...all.addresses[1] });
    expect(one.ipAddresses).toHaveLength(2);
  });

  test("a subnet the server has no address in is a not-found error", async () => {
    expect(await lookupError(getServerIp({ serverId, subnetId: "subnet-zz" }))).toMatchObject({
      failure: "not-found",
      message: `getServerIp: server "${serverId}" has no address in subnet "subnet-zz" (or no server has that id)`,
    });
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getServerIp({ serverId } as never))).failures).toEqual([
      { property: "subnetId", reason: "subnetId is required" },
    ]);
    expect((await lookupError(getServerIp({ serverId: "", subnetId: "subnet-a1" }))).failures).toEqual([
      { property: "serverId", reason: expect.stringContaining("serverId") },
    ]);
    expect(await requestCount()).toBe(before);
  });

  test("the Output form settles to what getServerIp answers", async () => {
    await expect(
      valueOf(getServerIpOutput({ serverId: pulumi.output(serverId), subnetId: Promise.resolve("subnet-a1") })),
    ).resolves.toEqual(await getServerIp({ serverId, subnetId: "subnet-a1" }));
  });
});

describe("getServerVolumes", () => {
  test("answers the boot volume, and a volume attached by VolumeAttachment with its device", async () => {
    const api = clientFor(emulator);
    const dataId = (await api.call<{ id: string }>("createVolume", { body: { name: "data", size: 10 } })).body.id;
    await untilObject(emulator, "volumes", dataId, (v) => v?.state === "available");
    const attachment = await driver(attachmentProvider).create({ serverId, volumeId: dataId });
    expect(attachment.outs?.device).toMatch(/^\/dev\/vd[a-z]$/);

    const { serverId: answeredFor, volumes } = await getServerVolumes({ serverId });
    expect(answeredFor).toBe(serverId);
    const bootId = (await getServer({ id: serverId })).volumes[0]?.id;
    expect(volumes.map((v) => v.volumeId)).toEqual([bootId, dataId]);
    expect(volumes[1]).toEqual({
      id: expect.any(String),
      volumeId: dataId,
      serverId,
      device: attachment.outs?.device,
      deleteOnTermination: false,
    });
    // The volume side shows the same attachment.
    expect((await getVolume({ id: dataId })).servers).toEqual([
      { id: serverId, device: attachment.outs?.device, attachedAt: expect.any(String) },
    ]);
  });

  test("an unknown server is a not-found error", async () => {
    expect(await lookupError(getServerVolumes({ serverId: "no-such-server" }))).toMatchObject({
      failure: "not-found",
      message: 'getServerVolumes: no server has id "no-such-server"',
    });
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getServerVolumes({} as never))).message).toBe("getServerVolumes: serverId is required");
    expect(await requestCount()).toBe(before);
  });

  test("the Output form settles to what getServerVolumes answers", async () => {
    await expect(valueOf(getServerVolumesOutput({ serverId: pulumi.output(serverId) }))).resolves.toEqual(
      await getServerVolumes({ serverId }),
    );
  });
});
