// Keypair through the real Pulumi engine: up, no-change refresh, drift, repair, out-of-band delete,
// destroy; and the engine-level properties of the provider shape.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type RunningEmulator, startEmulator } from "../../emulator";
import {
  type E2EStack,
  createStack,
  emulatorControl,
  emulatorObjects,
  plannedSteps,
  providerSizes,
  expectNoSecretsInState,
  stateFileText,
} from "./harness";

const PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1hZGUgZm9yIHRlc3RzIG9ubHkgLSBub3QgYSByZWFsIGtleQ== e2e@example";
const OTHER_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEFub3RoZXIga2V5IGZvciBkcmlmdCB0ZXN0cyBvbmx5IC0gbm8= other@example";

const program = `
const scp = require("pulumi-scp-virtualserver");
const imported = new scp.Keypair("imported", { name: "e2e-imported", publicKey: ${JSON.stringify(PUBLIC_KEY)}, tags: { env: "e2e" } });
const generated = new scp.Keypair("generated", { name: "e2e-generated" });
exports.fingerprint = imported.fingerprint;
exports.privateKey = generated.privateKey;
`;

let emulator: RunningEmulator;
let e2e: E2EStack;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  e2e = await createStack("keypair", program, emulator);
});
afterAll(async () => {
  await e2e?.dispose();
  await emulator?.close();
});

describe("Keypair with the real engine", () => {
  test("up creates both keypairs", async () => {
    const result = await e2e.stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(result.outputs.privateKey?.secret).toBe(true);
    expect(String(result.outputs.privateKey?.value)).toMatch(/PRIVATE KEY/);
    expect((await emulatorObjects(emulator, "keypairs")).map((k) => k.name).sort()).toEqual([
      "e2e-generated",
      "e2e-imported",
    ]);
  });

  test("preview --refresh --expect-no-changes passes right after", async () => {
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("the exported state holds no access key, secret key or private key in plain text", async () => {
    const text = stateFileText(e2e, "keypair");
    expect(text).toContain("e2e-generated");
    expectNoSecretsInState(text, emulator);
  });

  test("the stored provider stays small", async () => {
    const sizes = await providerSizes(e2e.stack);
    expect(Object.keys(sizes).sort()).toEqual(["generated", "imported"]);
    // Seven one-line methods and a loader (providerSource): about 0.4 kB whatever the implementation grows to.
    for (const size of Object.values(sizes)) expect(size).toBeLessThan(600);
    console.log(`stored provider bytes per resource: ${JSON.stringify(sizes)}`);
  });

  test("an out-of-band key replacement is drift of publicKey, repaired in place (no dependent is touched)", async () => {
    await emulatorControl(emulator, "PATCH", "/objects/keypairs/e2e-imported", {
      public_key: OTHER_KEY,
      fingerprint: "00:00",
    });
    const steps = await plannedSteps(e2e.stack);
    expect(steps).toEqual([{ name: "imported", op: "update", properties: ["publicKey"] }]);
  });

  test("up repairs the drift", async () => {
    await e2e.stack.refresh();
    const result = await e2e.stack.up();
    expect(result.summary.resourceChanges?.update).toBe(1);
    const live = (await emulatorObjects(emulator, "keypairs")).find((k) => k.name === "e2e-imported");
    expect(live?.public_key).toBe(PUBLIC_KEY);
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("an out-of-band delete makes refresh drop it, and up recreates it", async () => {
    await emulatorControl(emulator, "DELETE", "/objects/keypairs/e2e-generated");
    const refresh = await e2e.stack.refresh();
    expect(refresh.summary.resourceChanges?.delete).toBe(1);
    const up = await e2e.stack.up();
    expect(up.summary.resourceChanges?.create).toBe(1);
  });

  test("refresh and destroy run the installed implementation, not the one serialized into state", async () => {
    const implementation = join(
      e2e.workDir,
      "node_modules",
      "pulumi-scp-virtualserver",
      "dist",
      "resources",
      "keypair.js",
    );
    const original = readFileSync(implementation, "utf8");
    writeFileSync(
      implementation,
      `${original}\nconst previousRead = exports.provider.read;\nexports.provider.read = async (id, props) => { const r = await previousRead(id, props); process.env.MARK = "1"; if (r.id) r.props.implementationMarker = "v2"; return r; };\n`,
    );
    try {
      await e2e.stack.refresh();
      const state = JSON.stringify(await e2e.stack.exportStack());
      expect(state).toContain('"implementationMarker":"v2"');
    } finally {
      writeFileSync(implementation, original);
    }
  });

  test("destroy leaves the emulator with no keypairs", async () => {
    await e2e.stack.destroy();
    expect(await emulatorObjects(emulator, "keypairs")).toEqual([]);
  });
});
