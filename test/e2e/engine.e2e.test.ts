// Engine-level properties of the provider shape: many resources at the engine's default parallelism
// (the `configure` race), and a create that ends in ERROR kept in state and recovered by the next up.
import { type RunningEmulator, startEmulator } from "../../emulator";
import { type E2EStack, createStack, emulatorControl, emulatorObjects } from "./harness";

const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
});
afterAll(() => emulator?.close());

describe("the engine", () => {
  let e2e: E2EStack | undefined;
  afterEach(() => e2e?.dispose());

  test("the import option fails at preview with what works instead, and nothing is sent", async () => {
    const program = `
const scp = require("pulumi-scp-virtualserver");
new scp.Volume("data", { name: "data", size: 10 }, { import: "vol-1" });
`;
    e2e = await createStack("import-option", program, emulator);
    emulator.state.requestLog.length = 0;
    const failed = await e2e.stack.preview().then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failed?.message).toMatch(/"import" resource option .*pulumi\/pulumi#16175.*Use \{ id: "vol-1" \}/s);
    expect(failed?.message).not.toMatch(/TypeError/);
    expect(emulator.state.requestLog.filter((r) => !r.path.startsWith("/_emulator"))).toEqual([]);
  });

  test("runs 36 dynamic resources at default parallelism without errors", async () => {
    const program = `
const scp = require("pulumi-scp-virtualserver");
for (let i = 0; i < 12; i++) {
  const key = new scp.Keypair("key-" + i, { name: "many-key-" + i });
  const volume = new scp.Volume("volume-" + i, { name: "many-volume-" + i, size: 10 });
  new scp.Snapshot("snapshot-" + i, { volumeId: volume.id, name: "many-snap-" + i });
}
`;
    e2e = await createStack("many", program, emulator);
    const up = await e2e.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges?.create).toBe(37);
    expect(await emulatorObjects(emulator, "snapshots")).toHaveLength(12);
    await e2e.stack.destroy();
    expect(await emulatorObjects(emulator, "volumes")).toEqual([]);
  });

  test("a server whose build ends in ERROR stays in state with its id, and the next up replaces it", async () => {
    const program = `
const scp = require("pulumi-scp-virtualserver");
const server = new scp.VirtualServer("server", {
  name: "fragile", imageId: "${IMAGE_ID}", serverTypeId: "s1v1m2", networks: [{ subnetId: "subnet-1" }],
});
exports.serverId = server.id;
`;
    e2e = await createStack("recover", program, emulator);
    await emulatorControl(emulator, "POST", "/outcomes", {
      kind: "server",
      state: "ERROR",
      reason: "No valid host was found",
    });
    const failed = await e2e.stack.up().then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failed?.message).toMatch(/No valid host was found/);
    const state = (await e2e.stack.exportStack()).deployment as {
      resources: { type: string; id?: string; initErrors?: string[] }[];
    };
    const server = state.resources.find((r) => r.type === "pulumi-nodejs:dynamic/scp:VirtualServer");
    expect(server?.id).toEqual(expect.any(String));
    expect(server?.initErrors?.[0]).toMatch(/No valid host was found/);
    const broken = server?.id;

    const up = await e2e.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.summary.resourceChanges?.replace).toBe(1);
    const servers = await emulatorObjects(emulator, "servers");
    expect(servers.map((s) => [s.name, s.state])).toEqual([["fragile", "ACTIVE"]]);
    expect(servers[0]?.id).not.toBe(broken);
    await e2e.stack.destroy();
  });
});
