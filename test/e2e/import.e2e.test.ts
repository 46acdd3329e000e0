// Existing objects through the real engine: `importId` takes them under management with an empty follow-up
// plan (then updates and deletes them like any other), and `get` is a read-only reference that nothing
// changes or deletes.
import type { RunningEmulator } from "../../emulator";
import { startEmulator } from "../../emulator";
import { clientFor } from "../support/emulator";
import { type E2EStack, createStack, emulatorObjects, plannedSteps } from "./harness";

let emulator: RunningEmulator;
let e2e: E2EStack;
const ids = { volume: "", group: "", shared: "" };

const program = (size: number) => `
const scp = require("pulumi-scp-virtualserver");
const legacy = new scp.Volume("legacy", { name: "legacy-data", size: ${size}, importId: "${ids.volume}" });
const group = new scp.ServerGroup("group", { name: "legacy-group", policy: "anti-affinity", importId: "${ids.group}" });
const shared = scp.Volume.get("shared", "${ids.shared}");
exports.legacySize = legacy.size;
exports.groupId = group.id;
exports.sharedName = shared.name;
exports.sharedSize = shared.size;
`;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  const client = clientFor(emulator);
  const volume = async (name: string, size: number) =>
    (await client.call<{ id: string }>("createVolume", { body: { name, size } })).body.id;
  ids.volume = await volume("legacy-data", 50);
  ids.shared = await volume("shared-data", 80);
  ids.group = (
    await client.call<{ id: string }>("createServerGroup", { body: { name: "legacy-group", policy: "anti-affinity" } })
  ).body.id;
  e2e = await createStack("import", program(50), emulator);
});
afterAll(async () => {
  await e2e?.dispose();
  await emulator?.close();
});

const live = async (collection: string, id: string) =>
  (await emulatorObjects(emulator, collection)).find((o) => o.id === id);

describe("existing objects with the real engine", () => {
  test("up takes the imported objects under management with their ids and reads the referenced one", async () => {
    const result = await e2e.stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(result.summary.resourceChanges).toMatchObject({ create: 3 });
    expect(result.outputs.groupId?.value).toBe(ids.group);
    expect(result.outputs.legacySize?.value).toBe(50);
    expect(result.outputs).toMatchObject({ sharedName: { value: "shared-data" }, sharedSize: { value: 80 } });
    expect(await emulatorObjects(emulator, "volumes")).toHaveLength(2);
    expect(await emulatorObjects(emulator, "server-groups")).toHaveLength(1);
  });

  test("the plan after the import is empty", async () => {
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("an imported volume is then updated in place like any other", async () => {
    e2e.writeProgram(program(60));
    expect(await plannedSteps(e2e.stack)).toEqual([{ op: "update", name: "legacy", properties: ["size"] }]);
    const result = await e2e.stack.up();
    expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
    expect(await live("volumes", ids.volume)).toMatchObject({ size: 60 });
  });

  test("destroy deletes the imported objects and leaves the referenced one", async () => {
    const result = await e2e.stack.destroy();
    expect(result.summary.result).toBe("succeeded");
    expect(await live("volumes", ids.volume)).toBeUndefined();
    expect(await emulatorObjects(emulator, "server-groups")).toEqual([]);
    expect(await live("volumes", ids.shared)).toMatchObject({ name: "shared-data", size: 80 });
  });
});
