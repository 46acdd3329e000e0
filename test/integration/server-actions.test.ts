// Server actions the way IaC users expect them: a changed trigger reboots, rebuilds or dumps in place; the
// console log and the password are one-off reads (the password a secret).
import * as pulumi from "@pulumi/pulumi";
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { getServerConsoleLog, getServerPassword, getServerPasswordOutput } from "../../lookups";
import { provider } from "../../resources/virtual-server";
import { clientFor, control, emulatorForProviderTests } from "../support/emulator";
import { driver } from "../support/provider";
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
const sent = async () =>
  ((await control(emulator, "GET", "/requests")) as RequestLogEntry[])
    .map((r) => r.operation ?? "")
    .filter((op) => /^(reboot|rebuild|createVirtualServerDump)/.test(op));

describe("server action triggers", () => {
  test("a trigger set at creation runs nothing", async () => {
    await server.create({ ...base, rebootTrigger: "v1", rebuildTrigger: "v1", dumpTrigger: "v1" });
    expect(await sent()).toEqual([]);
  });

  test("a changed rebootTrigger reboots in place (soft) and waits until ACTIVE; the diff is an update", async () => {
    const { id, outs } = await server.create({ ...base, rebootTrigger: "v1" });
    const news = { ...base, rebootTrigger: "v2" };
    expect(await server.diff(outs, news)).toMatchObject({ changes: true, replaces: [] });
    const updated = await server.update(id, outs, news);
    expect(updated).toMatchObject({ state: "ACTIVE", rebootTrigger: "v2" });
    const requests = (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
    expect(requests.find((r) => r.operation === "rebootVirtualServer")?.body).toEqual({ reboot_type: "SOFT" });
    expect(await server.diff(updated, news)).toMatchObject({ changes: false });
  });

  test("a changed rebuildTrigger rebuilds in place (same id), and a rebuild includes the reboot", async () => {
    const { id, outs } = await server.create({ ...base, rebootTrigger: "a", rebuildTrigger: "a" });
    const updated = await server.update(id, outs, { ...base, rebootTrigger: "b", rebuildTrigger: "b" });
    expect(updated).toMatchObject({ state: "ACTIVE" });
    expect(await sent()).toEqual(["rebuildVirtualServer"]);
  });

  test("a changed dumpTrigger creates a dump (an image of the server)", async () => {
    const { id, outs } = await server.create({ ...base, dumpTrigger: "d1" });
    await server.update(id, outs, { ...base, dumpTrigger: "d2" });
    expect(await sent()).toEqual(["createVirtualServerDump"]);
  });

  test("removing a trigger does nothing", async () => {
    const { id, outs } = await server.create({ ...base, rebootTrigger: "v1" });
    expect(await server.diff(outs, { ...base })).toMatchObject({ changes: false });
    await server.update(id, outs, { ...base });
    expect(await sent()).toEqual([]);
  });

  test("a trigger must be a string", async () => {
    expect(await server.check({ ...base, rebootTrigger: 3 })).toEqual([
      expect.objectContaining({ property: "rebootTrigger" }),
    ]);
  });
});

describe("getServerConsoleLog and getServerPassword", () => {
  test("the console log of a server", async () => {
    const { id } = await server.create(base);
    expect((await getServerConsoleLog({ serverId: id })).output).toContain("web is ACTIVE");
  });

  test("the password, for the keypair's private key; the Output form is a secret", async () => {
    const { id } = await server.create(base);
    const result = await getServerPassword({ serverId: id, privateKey: "-----BEGIN RSA PRIVATE KEY-----\nx\n" });
    expect(result.password).toEqual(expect.any(String));
    const requests = (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
    expect(requests.find((r) => r.operation === "showVirtualServerPassword")?.body).toEqual({
      private_key: "-----BEGIN RSA PRIVATE KEY-----\nx\n",
    });
    expect(await pulumi.isSecret(getServerPasswordOutput({ serverId: id, privateKey: "k" }))).toBe(true);
  });

  test("an unknown server is not-found; an empty private key fails before any request", async () => {
    await expect(getServerConsoleLog({ serverId: "no-such-server" })).rejects.toMatchObject({ failure: "not-found" });
    await expect(getServerPassword({ serverId: "x", privateKey: "" })).rejects.toThrow(/privateKey must not be empty/);
  });
});
