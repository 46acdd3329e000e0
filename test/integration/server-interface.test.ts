import type { RunningEmulator } from "../../emulator";
import { getServerIps } from "../../lookups/server-ips";
import { provider } from "../../resources/server-interface";
import { provider as serverProvider } from "../../resources/virtual-server";
import { clientFor, control, emulatorForProviderTests, untilObject } from "../support/emulator";
import { driver } from "../support/provider";
import { IMAGE_ID, createEmulatorServer } from "../support/servers";

let emulator: RunningEmulator;
const serverInterface = driver(provider);
let serverId: string;
emulatorForProviderTests((running) => (emulator = running));
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  serverId = await createEmulatorServer(emulator);
});

const SUBNET = "subnet-backend";
const PUBLIC_IP = "615fa9cd5cff486c9de679b3ce63e601";
const PRIVATE_NAT = {
  privateNatId: "3a6c1dc6b1b24e02a444d672c2798a1c",
  privateNatIpId: "1f0cb5390c40483592ddc5a282f53496",
};

type Nat = { id: string; state: string; publicip_id?: string; private_nat_ip_id?: string } | null;
type LiveInterface = {
  port_state: string;
  fixed_ips: { ip_address: string }[];
  static_nat: Nat;
  private_static_nat: Nat;
};
const collection = () => `servers/${serverId}/interfaces`;
const live = (portId: string) =>
  control(emulator, "GET", `/objects/${encodeURIComponent(collection())}/${portId}`).catch(() => undefined) as Promise<
    LiveInterface | undefined
  >;
const portOf = (id: string) => id.split(":")[1] ?? "";
const api = () => clientFor(emulator);

describe("ServerInterface create", () => {
  test("attaches the port and waits until it is ACTIVE; the id is <serverId>:<portId>", async () => {
    const { id, outs } = await serverInterface.create({ serverId, subnetId: SUBNET, fixedIp: "192.168.50.7" });
    expect(id).toMatch(new RegExp(`^${serverId}:[0-9a-f-]+$`));
    expect(outs).toMatchObject({
      serverId,
      subnetId: SUBNET,
      portId: portOf(id),
      fixedIp: "192.168.50.7",
      state: "ACTIVE",
      macAddress: expect.stringMatching(/^fa:16:3e:/),
    });
    expect(outs).not.toHaveProperty("staticNatId");
    expect(await live(portOf(id))).toMatchObject({ port_state: "ACTIVE", static_nat: null });
  });

  test("with a public IP and a private NAT, waits until both NATs are ACTIVE", async () => {
    const { id, outs } = await serverInterface.create({
      serverId,
      subnetId: SUBNET,
      publicIpId: PUBLIC_IP,
      privateNat: PRIVATE_NAT,
    });
    expect(outs).toMatchObject({
      publicIpId: PUBLIC_IP,
      privateNat: PRIVATE_NAT,
      staticNatId: expect.stringMatching(/^[0-9a-f]{32}$/),
      publicIpAddress: expect.stringMatching(/^\d+\.\d+\.\d+\.\d+$/),
      privateStaticNatId: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(await live(portOf(id))).toMatchObject({
      static_nat: { state: "ACTIVE", publicip_id: PUBLIC_IP },
      private_static_nat: { state: "ACTIVE", private_nat_ip_id: PRIVATE_NAT.privateNatIpId },
    });
  });

  test("adding an interface to a server that is not ACTIVE or SHUTOFF is refused with the API's 409", async () => {
    await control(emulator, "PATCH", `/objects/servers/${serverId}`, { state: "BUILD" });
    await expect(serverInterface.create({ serverId, subnetId: SUBNET })).rejects.toThrow(
      /HTTP 409 CONFLICT: Server .* is BUILD/,
    );
  });

  test("a fixed IP another interface of the subnet holds is refused with the API's 409", async () => {
    await serverInterface.create({ serverId, subnetId: SUBNET, fixedIp: "192.168.50.8" });
    await expect(serverInterface.create({ serverId, subnetId: SUBNET, fixedIp: "192.168.50.8" })).rejects.toThrow(
      /HTTP 409 CONFLICT: IP address 192\.168\.50\.8 is already in use/,
    );
  });
});

describe("ServerInterface updates in place", () => {
  test("a public IP is added and removed in place; removing the property removes the NAT", async () => {
    const program = { serverId, subnetId: SUBNET };
    const { id, outs } = await serverInterface.create(program);
    expect(await serverInterface.diff(outs, { ...program, publicIpId: PUBLIC_IP })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const withNat = await serverInterface.update(id, outs, { ...program, publicIpId: PUBLIC_IP });
    expect(withNat).toMatchObject({ publicIpId: PUBLIC_IP, staticNatId: expect.any(String) });
    expect(await live(portOf(id))).toMatchObject({ static_nat: { state: "ACTIVE", publicip_id: PUBLIC_IP } });

    expect(await serverInterface.diff(withNat, program)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const without = await serverInterface.update(id, withNat, program);
    expect(without).not.toHaveProperty("publicIpId");
    expect(without).not.toHaveProperty("staticNatId");
    expect(await live(portOf(id))).toMatchObject({ static_nat: null });
  });

  test("another public IP or private NAT IP replaces the NAT in place (delete, then create)", async () => {
    const program = { serverId, subnetId: SUBNET, publicIpId: PUBLIC_IP, privateNat: PRIVATE_NAT };
    const { id, outs } = await serverInterface.create(program);
    const next = {
      ...program,
      publicIpId: "aaaa9cd5cff486c9de679b3ce63e601a",
      privateNat: { ...PRIVATE_NAT, privateNatIpId: "bbbb" },
    };
    expect((await serverInterface.diff(outs, next)).replaces).toEqual([]);
    const updated = await serverInterface.update(id, outs, next);
    expect(updated).toMatchObject({ publicIpId: next.publicIpId, privateNat: next.privateNat });
    expect(updated.staticNatId).not.toBe(outs.staticNatId);
    expect(await live(portOf(id))).toMatchObject({
      static_nat: { state: "ACTIVE", publicip_id: next.publicIpId },
      private_static_nat: { state: "ACTIVE", private_nat_ip_id: "bbbb" },
    });
  });

  test("the fixed IP changes in place and the update waits until the port has it", async () => {
    const program = { serverId, subnetId: SUBNET, fixedIp: "192.168.50.9" };
    const { id, outs } = await serverInterface.create(program);
    const updated = await serverInterface.update(id, outs, { ...program, fixedIp: "192.168.50.10" });
    expect(updated).toMatchObject({ fixedIp: "192.168.50.10", state: "ACTIVE" });
    expect(await live(portOf(id))).toMatchObject({ fixed_ips: [{ ip_address: "192.168.50.10" }] });
  });

  test("another subnet or port replaces the interface", async () => {
    const { outs } = await serverInterface.create({ serverId, subnetId: SUBNET });
    expect((await serverInterface.diff(outs, { serverId, subnetId: "subnet-other" })).replaces).toEqual(["subnetId"]);
    expect((await serverInterface.diff(outs, { serverId, subnetId: SUBNET, portId: "p-1" })).replaces).toEqual([
      "portId",
    ]);
  });
});

describe("ServerInterface read", () => {
  test("a NAT removed out of band is drift: refresh drops publicIpId and the program's value shows as a change", async () => {
    const program = { serverId, subnetId: SUBNET, publicIpId: PUBLIC_IP };
    const { id, outs } = await serverInterface.create(program);
    const natId = String(outs.staticNatId);
    await api().call("deleteServerInterfaceNat", {
      path: { server_id: serverId, port_id: portOf(id), nat_id: natId },
    });
    await untilObject(emulator, collection(), portOf(id), (i) => i?.static_nat === null);
    const read = await serverInterface.read(id, outs);
    expect(read.inputs).not.toHaveProperty("publicIpId");
    expect(read.props).not.toHaveProperty("staticNatId");
    expect(await serverInterface.diff(read.props, program)).toMatchObject({ changes: true, replaces: [] });
    const repaired = await serverInterface.update(id, read.props, program);
    expect(repaired).toMatchObject({ publicIpId: PUBLIC_IP, staticNatId: expect.any(String) });
  });

  test("a fixed IP changed out of band is drift of fixedIp", async () => {
    const { id, outs } = await serverInterface.create({ serverId, subnetId: SUBNET, fixedIp: "192.168.50.11" });
    await api().call("updateServerInterface", {
      path: { server_id: serverId, port_id: portOf(id) },
      body: { fixed_ip_address: "192.168.50.12", subnet_id: "" },
    });
    await untilObject(emulator, collection(), portOf(id), (i) => i?.port_state === "ACTIVE");
    expect((await serverInterface.read(id, outs)).inputs).toMatchObject({ fixedIp: "192.168.50.12" });
  });

  test("an interface removed out of band (404) is dropped from state", async () => {
    const { id, outs } = await serverInterface.create({ serverId, subnetId: SUBNET });
    await api().call("deleteServerInterface", { path: { server_id: serverId, port_id: portOf(id) } });
    expect(await serverInterface.read(id, outs)).toEqual({ id: "", props: {} });
  });

  test("a fresh read right after create reports no drift", async () => {
    const program = {
      serverId,
      subnetId: SUBNET,
      fixedIp: "192.168.50.13",
      publicIpId: PUBLIC_IP,
      privateNat: PRIVATE_NAT,
    };
    const { id, outs } = await serverInterface.create(program);
    const read = await serverInterface.read(id, outs);
    expect(await serverInterface.diff(read.props, program)).toMatchObject({ changes: false });
  });
});

describe("ServerInterface adoption", () => {
  test("importId <serverId>:<portId> takes an interface made outside the stack as it is", async () => {
    const made = await api().call<{ port_id: string }>("createServerInterface", {
      path: { server_id: serverId },
      body: { subnet_id: SUBNET, fixed_ips: [{ ip_address: "192.168.50.20" }] },
    });
    const importId = `${serverId}:${made.body.port_id}`;
    const { id, outs } = await serverInterface.create({ serverId, subnetId: SUBNET, importId });
    expect(id).toBe(importId);
    expect(outs).toMatchObject({ portId: made.body.port_id, fixedIp: "192.168.50.20" });
    const ops = ((await control(emulator, "GET", "/requests")) as { operation?: string }[]).map((r) => r.operation);
    expect(ops.filter((o) => o === "createServerInterface")).toHaveLength(1);
  });
});

describe("ServerInterface delete", () => {
  test("removes the NATs first, waits until they are gone, then removes the interface; a second delete is done", async () => {
    const { id, outs } = await serverInterface.create({
      serverId,
      subnetId: SUBNET,
      publicIpId: PUBLIC_IP,
      privateNat: PRIVATE_NAT,
    });
    await serverInterface.delete(id, outs);
    expect(await live(portOf(id))).toBeUndefined();
    const ops = ((await control(emulator, "GET", "/requests")) as { operation?: string }[]).map((r) => r.operation);
    expect(ops.filter((o) => o?.startsWith("delete"))).toEqual([
      "deleteServerInterfaceNat",
      "deleteServerInterfacePrivateNat",
      "deleteServerInterface",
    ]);
    await expect(serverInterface.delete(id, outs)).resolves.toBeUndefined();
  });

  test("the server's primary interface cannot be removed through the API (409)", async () => {
    const [primary] = (
      await api().call<{ interfaces: { port_id: string }[] }>("listServerInterfaces", { path: { server_id: serverId } })
    ).body.interfaces;
    await expect(
      api().call("deleteServerInterface", { path: { server_id: serverId, port_id: primary?.port_id ?? "" } }),
    ).rejects.toThrow(/HTTP 409 CONFLICT: .*primary interface/);
  });
});

describe("ServerInterface check", () => {
  test("bad input is refused at preview, naming the property", async () => {
    const failures = async (inputs: Record<string, unknown>) =>
      (await serverInterface.check(inputs)).map((f) => f.property);
    expect(await failures({ subnetId: SUBNET })).toEqual(["serverId"]);
    expect(await failures({ serverId, subnetId: SUBNET, fixedIp: "192.168.1.300" })).toEqual(["fixedIp"]);
    expect(await failures({ serverId, subnetId: SUBNET, privateNat: { privateNatId: "n" } })).toEqual([
      "privateNat.privateNatIpId",
    ]);
    expect(await failures({ serverId, subnetId: SUBNET, publicIpId: "" })).toEqual(["publicIpId"]);
    expect(await failures({ serverId: "a:b", subnetId: SUBNET })).toEqual(["serverId"]);
  });
});

describe("the server's own interfaces", () => {
  const server = driver(serverProvider);

  test("an extra interface is not drift of the server's networks", async () => {
    const program = { name: "web", imageId: IMAGE_ID, serverTypeId: "s1v1m2", networks: [{ subnetId: "subnet-a" }] };
    const created = await server.create(program);
    serverId = created.id;
    await serverInterface.create({ serverId, subnetId: SUBNET, publicIpId: PUBLIC_IP });
    const read = await server.read(created.id, created.outs);
    expect(read.inputs).toMatchObject({ networks: [{ subnetId: "subnet-a" }] });
    expect(await server.diff(read.props, program)).toMatchObject({ changes: false, replaces: [] });
  });

  test("an extra interface's fixed IP and public IP show in the server's IPs and go with it; its addresses output keeps to its own networks", async () => {
    const program = { name: "web", imageId: IMAGE_ID, serverTypeId: "s1v1m2", networks: [{ subnetId: "subnet-a" }] };
    const created = await server.create(program);
    serverId = created.id;
    expect(created.outs.addresses).toHaveLength(1);
    const extra = await serverInterface.create({ serverId, subnetId: SUBNET, publicIpId: PUBLIC_IP });
    const ips = [extra.outs.fixedIp, extra.outs.publicIpAddress];
    const listed = async () =>
      (await getServerIps({ serverId })).addresses.map((a) => a.ipAddresses.map((ip) => ip.ipAddress));
    expect((await listed())[1]).toEqual(ips);
    // Show Virtual Server lists it too; the server's output does not, so the refresh after it changes nothing.
    const shown = (await api().call("showVirtualServer", { path: { server_id: serverId } })).body as {
      addresses: { ip_addresses: { ip_address: string }[] }[];
    };
    expect(shown.addresses.map((a) => a.ip_addresses.map((ip) => ip.ip_address))[1]).toEqual(ips);
    const read = await server.read(created.id, created.outs);
    expect(read.props.addresses).toEqual(created.outs.addresses);
    await serverInterface.delete(extra.id, extra.outs);
    expect(await listed()).toHaveLength(1);
    expect((await server.read(created.id, read.props)).props.addresses).toEqual(created.outs.addresses);
  });
});
