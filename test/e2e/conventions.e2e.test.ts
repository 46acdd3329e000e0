// The conventions pulumi-aws users expect, through the real engine: an explicit provider puts resources in a
// second account (its own emulator here, with its own credentials) from the same stack, its credentials
// encrypted in state; auto-named resources get `<name>-<7 hex>` names that updates keep, and a replacement of
// an auto-named group creates the new one before it deletes the old (no downtime, no name conflict).
import type { RunningEmulator } from "../../emulator";
import { startEmulator } from "../../emulator";
import {
  type E2EStack,
  createStack,
  emulatorControl,
  emulatorObjects,
  expectNoSecretsInState,
  stateFileText,
} from "./harness";

const OTHER = { accessKey: "other-account-access-key-4471", secretKey: "other-account-secret-key-c0ffee93" };

let home: RunningEmulator;
let away: RunningEmulator;
let e2e: E2EStack;

const program = (policy: string) => `
const pulumi = require("@pulumi/pulumi");
const scp = require("pulumi-scp-virtualserver");
const config = new pulumi.Config();
const other = new scp.Provider("other-account", {
  endpointOverride: config.require("otherEndpoint"),
  accessKey: config.requireSecret("otherAccessKey"),
  secretKey: config.requireSecret("otherSecretKey"),
});
const homeData = new scp.Volume("home-data", { name: "home-data", size: 10 });
const awayData = new scp.Volume("away-data", { name: "away-data", size: 20, provider: other });
const awayKey = new scp.Keypair("away-key", { provider: other });
const spread = new scp.ServerGroup("spread", { policy: "${policy}" });
exports.awayKeyName = awayKey.name;
exports.spreadName = spread.name;
exports.spreadId = spread.id;
exports.awayDataId = awayData.id;
`;

beforeAll(async () => {
  home = await startEmulator({ timeScale: 0.01 });
  away = await startEmulator({ timeScale: 0.01, credentials: [OTHER] });
  e2e = await createStack("conventions", program("anti-affinity"), home);
  await e2e.stack.setAllConfig({
    otherEndpoint: { value: away.url },
    otherAccessKey: { value: OTHER.accessKey, secret: true },
    otherSecretKey: { value: OTHER.secretKey, secret: true },
  });
});
afterAll(async () => {
  await e2e?.dispose();
  await home?.close();
  await away?.close();
});

const names = async (emulator: RunningEmulator, collection: string) =>
  (await emulatorObjects(emulator, collection)).map((o) => o.name);
let outputs: Record<string, unknown> = {};

describe("explicit provider and auto-naming with the real engine", () => {
  test("up puts each resource in its own account; resources without a name get <name>-<7 hex>", async () => {
    const result = await e2e.stack.up();
    expect(result.summary.result).toBe("succeeded");
    outputs = Object.fromEntries(Object.entries(result.outputs).map(([k, v]) => [k, v.value]));
    expect(outputs.awayKeyName).toMatch(/^away-key-[0-9a-f]{7}$/);
    expect(outputs.spreadName).toMatch(/^spread-[0-9a-f]{7}$/);
    expect(await names(home, "volumes")).toEqual(["home-data"]);
    expect(await names(away, "volumes")).toEqual(["away-data"]);
    expect(await names(away, "keypairs")).toEqual([outputs.awayKeyName]);
    expect(await names(home, "keypairs")).toEqual([]);
    expect(await names(home, "server-groups")).toEqual([outputs.spreadName]);
  });

  test("a refresh reads each object from its own account and finds no change", async () => {
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("drift in the other account is found through its provider and repaired", async () => {
    await emulatorControl(away, "PATCH", `/objects/volumes/${String(outputs.awayDataId)}`, { name: "renamed-by-hand" });
    const preview = await e2e.stack.preview({ refresh: true, diff: true });
    expect(preview.changeSummary).toMatchObject({ update: 1 });
    await e2e.stack.up({ refresh: true });
    expect(await names(away, "volumes")).toEqual(["away-data"]);
  });

  test("the other account's credentials are only in the state encrypted", () => {
    expectNoSecretsInState(stateFileText(e2e, "conventions"), away, [OTHER.accessKey, OTHER.secretKey]);
  });

  test("a replacement of an auto-named group creates the new group, with a new name, before deleting the old", async () => {
    e2e.writeProgram(program("affinity"));
    const result = await e2e.stack.up();
    expect(result.summary.resourceChanges).toMatchObject({ replace: 1 });
    const replaced = String(result.outputs.spreadName?.value);
    expect(replaced).toMatch(/^spread-[0-9a-f]{7}$/);
    expect(replaced).not.toBe(outputs.spreadName);
    // Create before delete: the new group was created while the old one still existed.
    const log = (await (await fetch(`${home.url}/_emulator/requests`)).json()) as { operation?: string }[];
    const order = log.map((r) => r.operation).filter((op) => op === "createServerGroup" || op === "deleteServerGroup");
    expect(order.slice(-2)).toEqual(["createServerGroup", "deleteServerGroup"]);
    expect(await names(home, "server-groups")).toEqual([replaced]);
  });

  test("destroy empties both accounts", async () => {
    const result = await e2e.stack.destroy();
    expect(result.summary.result).toBe("succeeded");
    for (const emulator of [home, away]) {
      for (const collection of ["volumes", "keypairs", "server-groups"]) {
        expect(await emulatorObjects(emulator, collection)).toEqual([]);
      }
    }
  });
});
