// The quota check at preview through the real engine: a stack whose servers would pass the account's vCPU
// quota fails `pulumi preview` with the numbers before any create; within the quota `pulumi up` (with its own
// preview first, as a user runs it) succeeds, without counting the planned servers twice; destroy empties it.
import { type RunningEmulator, startEmulator } from "../../emulator";
import { IMAGE_ID } from "../support/servers";
import { type E2EStack, cliEnvironment, createStack } from "./harness";
import { pulumi } from "./processes";

let emulator: RunningEmulator;
let e2e: E2EStack;

/** `servers` servers of type s1v2m4 (2 vCPUs) with 20 GB boot volumes, and one 50 GB volume. */
const program = (servers: number) => `
const scp = require("pulumi-scp-virtualserver");
for (let i = 0; i < ${servers}; i++) {
  new scp.VirtualServer("web-" + i, {
    imageId: "${IMAGE_ID}",
    serverTypeId: "s1v2m4",
    networks: [{ subnetId: "subnet-1" }],
    bootVolume: { size: 20 },
  });
}
new scp.Volume("data", { size: 50 });
`;

const run = (args: string[]) =>
  pulumi([...args, "--stack", "e2e"], { cwd: e2e.workDir, env: cliEnvironment(e2e.workDir) });
const operations = () => emulator.state.requestLog.map((r) => r.operation ?? `${r.method} ${r.path}`);
const quotaReads = () => operations().filter((op) => op === "showServerQuotaSet").length;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01, quotas: { cores: 8, usages: 300 } });
  // A server the stack does not manage: 2 vCPUs and its 100 GB boot volume in use.
  await fetch(`${emulator.url}/_emulator/objects/servers`, {
    method: "POST",
    body: JSON.stringify({
      name: "legacy",
      image_id: IMAGE_ID,
      server_type_id: "s1v2m4",
      networks: [{ subnet_id: "subnet-1" }],
    }),
  });
  e2e = await createStack("quota-preview", program(4), emulator);
});
afterAll(async () => {
  await e2e?.dispose();
  await emulator?.close();
});

describe("the quota check at preview", () => {
  test("a stack that would pass the vCPU quota fails pulumi preview with the numbers, and nothing is created", async () => {
    emulator.state.requestLog.length = 0;
    const preview = await run(["preview"]);
    console.log(`pulumi preview over the quota (exit code ${preview.code}):\n${preview.output}`);
    expect(preview.code).not.toBe(0);
    expect(preview.output).toContain(
      'quota exceeded: this stack would use 10 vCPUs (in use 2 + planned 8) but the quota allows 8 (quota "cores")',
    );
    expect(operations().filter((op) => !op.startsWith("show"))).toEqual([]);
  });

  test("scp:quotaCheck false turns the check off: the same preview passes", async () => {
    expect((await run(["config", "set", "scp:quotaCheck", "false"])).code).toBe(0);
    try {
      emulator.state.requestLog.length = 0;
      const preview = await run(["preview"]);
      expect({ code: preview.code, output: preview.output }).toEqual({ code: 0, output: expect.any(String) });
      expect(quotaReads()).toBe(0);
    } finally {
      expect((await run(["config", "rm", "scp:quotaCheck"])).code).toBe(0);
    }
  });

  test("within the quota pulumi up (preview, then update) succeeds without counting the servers twice", async () => {
    e2e.writeProgram(program(3));
    emulator.state.requestLog.length = 0;
    const up = await run(["up", "--yes"]);
    expect({ code: up.code, output: up.output }).toEqual({ code: 0, output: expect.stringMatching(/5 created/) });
    // The quota sets are read once per provider process: the count tells whether the preview and the update
    // shared one (the URN keying keeps the sum right either way).
    console.log(`quota sets read during pulumi up: ${quotaReads()} (Show Server Quota Set)`);
    expect(quotaReads()).toBeGreaterThanOrEqual(1);
    const managed = [...emulator.state.store.collection("servers").values()].filter((s) => s.name !== "legacy");
    expect(managed).toHaveLength(3);
  });

  test("a preview that creates nothing reads no quota, though the account is now at its vCPU limit", async () => {
    emulator.state.requestLog.length = 0;
    const preview = await run(["preview", "--expect-no-changes"]);
    expect({ code: preview.code, output: preview.output }).toEqual({ code: 0, output: expect.any(String) });
    expect(quotaReads()).toBe(0);
  });

  test("destroy removes the stack's objects", async () => {
    expect((await run(["destroy", "--yes"])).code).toBe(0);
    const left = [...emulator.state.store.collection("servers").values()].map((s) => s.name);
    expect(left).toEqual(["legacy"]);
  });
});
