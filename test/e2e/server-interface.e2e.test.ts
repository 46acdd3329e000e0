// ServerInterface through the real Pulumi engine against the emulator: up adds an interface with a public
// IP to a server and waits for it; a refresh right after shows no change of either resource (the extra
// interface is not drift of the server's networks); a NAT removed out of band is drift of publicIpId that up
// repairs; an interface removed out of band is dropped by refresh and added again by up; destroy leaves nothing.
import { type RunningEmulator, startEmulator } from "../../emulator";
import { type E2EStack, createStack, emulatorControl, emulatorObjects, plannedSteps } from "./harness";
import { expectOnlyDocumentedRequestKeys } from "./request-keys";

const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";
const PUBLIC_IP = "615fa9cd5cff486c9de679b3ce63e601";

const program = `
const scp = require("pulumi-scp-virtualserver");
const server = new scp.VirtualServer("server", {
  name: "nic-web",
  imageId: "${IMAGE_ID}",
  serverTypeId: "s1v1m2",
  networks: [{ subnetId: "subnet-front" }],
});
const backend = new scp.ServerInterface("backend", {
  serverId: server.id,
  subnetId: "subnet-back",
  fixedIp: "192.168.77.5",
  publicIpId: "${PUBLIC_IP}",
});
exports.backendId = backend.id;
exports.backendPublicIp = backend.publicIpAddress;
`;

let emulator: RunningEmulator;
let e2e: E2EStack;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  e2e = await createStack("nic", program, emulator);
});
afterAll(async () => {
  await e2e?.dispose();
  await emulator?.close();
});

type LiveInterface = Record<string, unknown> & {
  port_id: string;
  port_state: string;
  static_nat: { state: string; publicip_id: string } | null;
};
const serverId = async () => String((await emulatorObjects(emulator, "servers"))[0]?.id);
const interfacesPath = async () => encodeURIComponent(`servers/${await serverId()}/interfaces`);
const interfaces = async () =>
  (await emulatorObjects(emulator, `servers/${await serverId()}/interfaces`)) as LiveInterface[];
const backend = async () => (await interfaces()).find((i) => i.subnet_id === "subnet-back");

describe("ServerInterface with the real engine", () => {
  test("up adds the interface with its public IP and waits until both are ACTIVE", async () => {
    const result = await e2e.stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(result.outputs.backendPublicIp?.value).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await backend()).toMatchObject({
      port_state: "ACTIVE",
      fixed_ips: [{ ip_address: "192.168.77.5" }],
      static_nat: { state: "ACTIVE", publicip_id: PUBLIC_IP },
    });
    expect(await interfaces()).toHaveLength(2);
  });

  test("preview --refresh --expect-no-changes passes right after, for the server as for the interface", async () => {
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("a public IP removed out of band is drift of publicIpId, and up repairs it", async () => {
    const port = String((await backend())?.port_id);
    await emulatorControl(emulator, "PATCH", `/objects/${await interfacesPath()}/${port}`, { static_nat: null });
    expect(await plannedSteps(e2e.stack)).toEqual([{ name: "backend", op: "update", properties: ["publicIpId"] }]);
    const up = await e2e.stack.up({ refresh: true });
    expect(up.summary.result).toBe("succeeded");
    expect(await backend()).toMatchObject({ port_id: port, static_nat: { state: "ACTIVE", publicip_id: PUBLIC_IP } });
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("an interface removed out of band is dropped by refresh and added again by up", async () => {
    const port = String((await backend())?.port_id);
    await emulatorControl(emulator, "DELETE", `/objects/${await interfacesPath()}/${port}`);
    const refresh = await e2e.stack.refresh();
    expect(refresh.summary.resourceChanges?.delete).toBe(1);
    const up = await e2e.stack.up();
    expect(up.summary.resourceChanges?.create).toBe(1);
    expect(await backend()).toMatchObject({ port_state: "ACTIVE", static_nat: { state: "ACTIVE" } });
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("destroy removes the interface, its NAT and the server, leaving no objects", async () => {
    const id = await serverId();
    await e2e.stack.destroy();
    expect(await emulatorObjects(emulator, "servers")).toEqual([]);
    expect(await emulatorObjects(emulator, `servers/${id}/interfaces`)).toEqual([]);
    expect(await emulatorObjects(emulator, "volumes")).toEqual([]);
  });

  test("every request body sent has only documented keys", () => {
    expectOnlyDocumentedRequestKeys(emulator);
  });
});
