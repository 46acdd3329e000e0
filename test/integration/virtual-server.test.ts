import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { provider } from "../../resources/virtual-server";
import { clientFor, control, emulatorForProviderTests } from "../support/emulator";
import { PROVIDER, driver } from "../support/provider";
import { IMAGE_ID } from "../support/servers";

let emulator: RunningEmulator;
const server = driver(provider);
emulatorForProviderTests((running) => (emulator = running));
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  await clientFor(emulator).call("createKeypair", { body: { name: "kp" } });
});

const base = {
  name: "web",
  imageId: IMAGE_ID,
  serverTypeId: "s1v1m2",
  keypairName: "kp",
  networks: [{ subnetId: "subnet-a" }],
};
const live = (id: string) =>
  control(emulator, "GET", `/objects/servers/${id}`).catch(() => undefined) as Promise<
    Record<string, unknown> | undefined
  >;
const called = async () => ((await control(emulator, "GET", "/requests")) as RequestLogEntry[]).map((r) => r.operation);

describe("VirtualServer create", () => {
  test("waits until ACTIVE and reports addresses, volumes, VPC and type details", async () => {
    const { id, outs } = await server.create({ ...base, userData: "#!/bin/sh\necho hi\n", tags: { tier: "web" } });
    expect(outs).toMatchObject({
      name: "web",
      state: "ACTIVE",
      powerState: "ACTIVE",
      locked: false,
      serverType: { vcpus: 1, ram: 2 },
      tags: { tier: "web" },
    });
    expect(outs.addresses).toEqual([
      expect.objectContaining({ subnetName: expect.any(String), ipAddresses: [expect.stringMatching(/^192\.168\./)] }),
    ]);
    expect(outs.networks).toEqual([{ subnetId: "subnet-a" }]);
    expect(outs.bootVolumeId).toEqual(expect.any(String));
    expect(outs).not.toHaveProperty("volumeIds");
    expect(outs.vpcId).toEqual(expect.any(String));
    expect(outs.userDataHash).toMatch(/^[0-9a-f]{64}$/);
    // The payload goes back to the engine only as a secret output (see the Resource class); e2e checks the state file.
    expect(await live(id)).toMatchObject({ state: "ACTIVE" });
  });

  test("powerState SHUTOFF and locked are applied after the build", async () => {
    const { id, outs } = await server.create({ ...base, powerState: "SHUTOFF", locked: true });
    expect(outs).toMatchObject({ state: "SHUTOFF", powerState: "SHUTOFF", locked: true });
    expect(await live(id)).toMatchObject({ state: "SHUTOFF", locked: true });
  });

  test("a build that ends in ERROR stays in state with its id; the reason comes from the console log, the only documented source", async () => {
    await control(emulator, "POST", "/outcomes", { kind: "server", state: "ERROR", reason: "No valid host was found" });
    const failure = await server.createFailure(base);
    expect(failure.id).toEqual(expect.any(String));
    expect(failure.properties).toMatchObject({ __provider: PROVIDER, state: "ERROR" });
    expect(failure.reasons[0]).toMatch(
      /state ERROR: SCP gives no reason; the console log ends with: .*No valid host was found/,
    );
    expect(await called()).toContain("showVirtualServerConsoleLog");
  });

  test("an unknown image surfaces the API's 404 with the operation and the server", async () => {
    await expect(server.create({ ...base, imageId: "no-such-image" })).rejects.toThrow(
      /server "web": createVirtualServer \(POST \/v1\/servers\) failed: HTTP 404 NOT_FOUND: Image no-such-image not found/,
    );
  });
});

describe("VirtualServer validation", () => {
  test.each([
    [{ ...base, networks: [] }, "networks", /at least one network/],
    [{ ...base, networks: [{ subnetId: "s", fixedIp: "300.1.1.1" }] }, "networks[0].fixedIp", /IPv4/],
    [{ ...base, powerState: "PAUSED" }, "powerState", /ACTIVE or SHUTOFF/],
    [{ ...base, bootVolume: { size: 0 } }, "bootVolume.size", /./],
    [{ ...base, imageId: undefined }, "imageId", /imageId is required/],
  ])("%#: refused at %s", async (inputs, property, reason) => {
    expect(await server.check(inputs)).toEqual(
      expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringMatching(reason) })]),
    );
  });
});

describe("VirtualServer diff", () => {
  const olds = {
    ...base,
    securityGroupIds: ["sg-1"],
    locked: false,
    powerState: "ACTIVE",
    tags: {},
    metadata: {},
    userDataHash: undefined,
    bootVolume: { size: 100, type: "SSD" },
  };

  test.each([
    [{ name: "web2" }, []],
    [{ serverTypeId: "s1v2m4" }, []],
    [{ powerState: "SHUTOFF" }, []],
    [{ locked: true }, []],
    [{ securityGroupIds: ["sg-1", "sg-2"] }, ["securityGroupIds"]],
    [{ securityGroupIds: ["sg-1", "sg-2"], securityGroupUpdate: "attach-detach" }, []],
    [{ bootVolume: { size: 200 } }, []],
    [{ bootVolume: { size: 100, type: "HDD" } }, ["bootVolume"]],
    [{ imageId: "other" }, ["imageId"]],
    [{ keypairName: "other" }, ["keypairName"]],
    [{ networks: [{ subnetId: "subnet-b" }] }, ["networks"]],
    [{ serverGroupId: "g" }, ["serverGroupId"]],
    [{ metadata: { role: "web" } }, ["metadata"]],
    [{ userData: "#!/bin/sh" }, ["userData"]],
    [{ tags: { a: "b" } }, []],
  ])("%j: replaces %j", async (change, replaces) => {
    const result = await server.diff(olds, { ...base, securityGroupIds: ["sg-1"], ...change });
    expect(result).toMatchObject({ changes: true, replaces });
  });

  test("security groups compare as a set", async () => {
    expect(
      await server.diff({ ...olds, securityGroupIds: ["b", "a"] }, { ...base, securityGroupIds: ["a", "b"] }),
    ).toMatchObject({ changes: false });
  });
});

describe("VirtualServer updates in place", () => {
  test("rename, resize (keeping SHUTOFF), start, lock and unlock", async () => {
    const { id, outs } = await server.create({ ...base, powerState: "SHUTOFF" });
    const resized = await server.update(id, outs, {
      ...base,
      name: "web-2",
      serverTypeId: "s1v2m4",
      powerState: "SHUTOFF",
    });
    expect(resized).toMatchObject({
      name: "web-2",
      serverTypeId: "s1v2m4",
      state: "SHUTOFF",
      serverType: { vcpus: 2, ram: 4 },
    });
    const started = await server.update(id, resized, {
      ...base,
      name: "web-2",
      serverTypeId: "s1v2m4",
      powerState: "ACTIVE",
      locked: true,
    });
    expect(started).toMatchObject({ state: "ACTIVE", locked: true });
    // An input left unset is no opinion: unlocking takes locked: false.
    const unlocked = await server.update(id, started, {
      ...base,
      name: "web-2",
      serverTypeId: "s1v2m4",
      locked: false,
    });
    expect(unlocked).toMatchObject({ locked: false });
    expect(await called()).toEqual(
      expect.arrayContaining([
        "updateVirtualServer",
        "updateVirtualServerType",
        "startVirtualServer",
        "lockVirtualServer",
        "unlockVirtualServer",
      ]),
    );
  });

  test("attach-detach: a refusal of the 1.0-only operations names the operation, the version and the way out", async () => {
    const { id, outs } = await server.create(base);
    const news = { ...base, securityGroupIds: ["sg-new"], securityGroupUpdate: "attach-detach" };
    await expect(server.update(id, outs, news)).rejects.toThrow(
      /attachVirtualServerSecurityGroup \(API version 1\.0\) was refused: 406 .*supported until 2025-12-31\. Set securityGroupUpdate: "replace"/,
    );
  });

  test("attach-detach: security groups change in place where the API still serves 1.0", async () => {
    await control(emulator, "PUT", "/settings", { today: "2025-06-01" });
    try {
      const { id, outs } = await server.create({ ...base, securityGroupIds: ["sg-1"] });
      const updated = await server.update(id, outs, {
        ...base,
        securityGroupIds: ["sg-2"],
        securityGroupUpdate: "attach-detach",
      });
      expect(updated.securityGroupIds).toEqual(["sg-2"]);
    } finally {
      await control(emulator, "PUT", "/settings", { today: new Date().toISOString().slice(0, 10) });
    }
  });
});

describe("VirtualServer read and drift", () => {
  test("an out-of-band rename and stop show as drift of name and powerState", async () => {
    const { id, outs } = await server.create(base);
    await control(emulator, "PATCH", `/objects/servers/${id}`, { name: "renamed", state: "SHUTOFF" });
    const read = await server.read(id, outs);
    expect(read.inputs).toMatchObject({ name: "renamed" });
    expect(read.props).toMatchObject({ name: "renamed", powerState: "SHUTOFF" });
    expect(await server.diff(read.props, base)).toMatchObject({ changes: true, replaces: [] });
  });

  test("server group, metadata and the boot volume are read back from the API", async () => {
    const group = await clientFor(emulator).call<{ id: string }>("createServerGroup", {
      body: { name: "g", policy: "anti-affinity" },
    });
    const declared = { ...base, serverGroupId: group.body.id, metadata: { role: "web" }, bootVolume: { size: 50 } };
    const { id, outs } = await server.create(declared);
    expect(outs).toMatchObject({ serverGroupId: group.body.id, metadata: { role: "web" }, bootVolume: { size: 50 } });
    await control(emulator, "PATCH", `/objects/servers/${id}`, { server_group_id: null, metadata: "" });
    await control(emulator, "PATCH", `/objects/volumes/${outs.bootVolumeId}`, { size: 80 });
    const read = await server.read(id, outs);
    expect(read.inputs).toMatchObject({ metadata: {}, bootVolume: { size: 80 } });
    expect(read.inputs).not.toHaveProperty("serverGroupId");
    expect(await server.diff(read.props, declared)).toMatchObject({
      changes: true,
      replaces: expect.arrayContaining(["serverGroupId", "metadata"]),
    });
  });

  test("a right-after-create read changes nothing", async () => {
    const { id, outs } = await server.create({ ...base, bootVolume: { size: 50 }, securityGroupIds: ["sg-1"] });
    const read = await server.read(id, outs);
    expect(read.props).toEqual(outs);
  });

  test("an out-of-band delete drops it from state", async () => {
    const { id, outs } = await server.create(base);
    await control(emulator, "DELETE", `/objects/servers/${id}`);
    expect(await server.read(id, outs)).toEqual({ id: "", props: {} });
  });
});

describe("VirtualServer delete", () => {
  test("waits until gone (with API version 1.3); an already-deleted server is done", async () => {
    const { id, outs } = await server.create(base);
    await server.delete(id, outs);
    expect(await live(id)).toBeUndefined();
    const log = (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
    expect(log.find((r) => r.operation === "deleteVirtualServer")?.version).toBe("1.3");
    await expect(server.delete(id, outs)).resolves.toBeUndefined();
  });

  test("a locked server is not unlocked behind the user's back", async () => {
    const { id, outs } = await server.create({ ...base, locked: true });
    await expect(server.delete(id, outs)).rejects.toThrow(/is locked: set locked: false and run pulumi up/);
    expect(await live(id)).toMatchObject({ locked: true });
    expect(await called()).not.toContain("unlockVirtualServer");
  });
});

describe("VirtualServer after a failed build", () => {
  test("a server left in ERROR is replaced by the next up", async () => {
    const olds = { ...base, state: "ERROR", locked: false, powerState: "ACTIVE" };
    expect(await server.diff(olds, base)).toMatchObject({ changes: true, replaces: ["state"] });
  });
});
