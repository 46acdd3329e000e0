// examples/drift-detection/check-drift.mjs against a real stack (real engine, emulator): exit status and the
// per-resource, per-property summary it prints from `pulumi preview --refresh --json`.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { REPO, type E2EStack, cliEnvironment, createStack, emulatorControl, emulatorObjects } from "./harness";

const SCRIPT = join(REPO, "examples", "drift-detection", "check-drift.mjs");
// A key given by the program: no private key is generated, none can show in any output.
const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDriftCheckScriptTestKey";
const PROGRAM = `
const scp = require("pulumi-scp-virtualserver");
new scp.Volume("data", { name: "drift-data", size: 20, volumeType: "SSD" });
new scp.Keypair("key", { name: "drift-key", publicKey: "${PUBLIC_KEY}" });
`;

let emulator: RunningEmulator;
let e2e: E2EStack;
let volumeId: string;
beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  e2e = await createStack("drift-check", PROGRAM, emulator);
  await e2e.stack.up();
  volumeId = String((await emulatorObjects(emulator, "volumes")).find((v) => v.name === "drift-data")?.id);
});
afterAll(async () => {
  await e2e?.stack.destroy().catch(() => undefined);
  await e2e?.dispose();
  await emulator?.close();
});

interface CheckRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the script as CI would (asynchronously: the emulator in this process must keep answering). */
function checkDrift(args: readonly string[] = ["e2e", e2e.workDir], env: Record<string, string> = {}) {
  return new Promise<CheckRun>((resolve) => {
    const environment = { ...process.env, ...cliEnvironment(e2e.workDir), ...env };
    execFile("node", [SCRIPT, ...args], { env: environment, encoding: "utf8" }, (error, stdout, stderr) =>
      resolve({ status: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

const lastLine = (text: string) => text.trim().split("\n").pop();

test("a stack that matches the cloud: exit 0 and the 'matches' line", async () => {
  const run = await checkDrift();
  expect({ status: run.status, stdout: run.stdout.trim() }).toEqual({
    status: 0,
    stdout: "drift check: stack e2e matches the cloud",
  });
});

test("a volume renamed and grown out of band: exit 2, the resource and one line per property, live → program", async () => {
  await emulatorControl(emulator, "PATCH", `/objects/volumes/${volumeId}`, { name: "renamed-by-hand", size: 30 });
  try {
    const run = await checkDrift();
    expect(run.status).toBe(2);
    const lines = run.stdout.split("\n");
    const header = lines.findIndex((l) => l.startsWith("~ update data [scp:Volume] urn:pulumi:e2e::drift-check::"));
    expect(lines.slice(header, header + 3)).toEqual([
      expect.stringMatching(/dynamic\/scp:Volume::data$/),
      '    name: "renamed-by-hand" → "drift-data"',
      "    size: 30 → 20",
    ]);
    expect(lastLine(run.stdout)).toMatch(/^drift check: DRIFT in stack e2e: 1 resource would change/);
  } finally {
    await emulatorControl(emulator, "PATCH", `/objects/volumes/${volumeId}`, { name: "drift-data", size: 20 });
  }
});

test("a keypair deleted out of band: exit 2, reported as one pulumi up would create again", async () => {
  await emulatorControl(emulator, "DELETE", "/objects/keypairs/drift-key");
  try {
    const run = await checkDrift();
    expect(run.status).toBe(2);
    expect(run.stdout).toContain(
      "+ create key [scp:Keypair] urn:pulumi:e2e::drift-check::pulumi-nodejs:dynamic/scp:Keypair::key\n" +
        "    not in the cloud (deleted out of band?): pulumi up creates it again\n",
    );
  } finally {
    // Put the same key back out of band (same public key, same fingerprint): the stack is clean again.
    await emulatorControl(emulator, "POST", "/objects/keypairs", { name: "drift-key", public_key: PUBLIC_KEY });
  }
  expect((await checkDrift()).status).toBe(0);
});

test("GITHUB_STEP_SUMMARY set: the drift is appended as a Markdown table row per property", async () => {
  const dir = mkdtempSync(join(tmpdir(), "drift-summary-"));
  const summary = join(dir, "summary.md");
  await emulatorControl(emulator, "PATCH", `/objects/volumes/${volumeId}`, { name: "renamed-by-hand" });
  try {
    const run = await checkDrift(undefined, { GITHUB_STEP_SUMMARY: summary });
    expect(run.status).toBe(2);
    expect(readFileSync(summary, "utf8")).toContain(
      '| update | `data` | scp:Volume | `name` | `"renamed-by-hand"` | `"drift-data"` |',
    );
  } finally {
    await emulatorControl(emulator, "PATCH", `/objects/volumes/${volumeId}`, { name: "drift-data" });
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a stack that does not exist: exit 1, the check failed (not drift)", async () => {
  const run = await checkDrift(["no-such-stack", e2e.workDir]);
  expect({ status: run.status, tail: lastLine(run.stdout) }).toEqual({
    status: 1,
    tail: expect.stringMatching(/^drift check: the check itself failed for stack no-such-stack \(pulumi exited \d+\)$/),
  });
  expect(run.stderr).toContain("no stack named 'no-such-stack' found");
});

test("a program that fails: exit 1 with the program's error, not drift", async () => {
  const program = readFileSync(join(e2e.workDir, "index.js"), "utf8");
  e2e.writeProgram(`throw new Error("the program is broken");\n${program}`);
  try {
    const run = await checkDrift();
    expect({ status: run.status, tail: lastLine(run.stdout) }).toEqual({
      status: 1,
      tail: expect.stringMatching(/^drift check: the check itself failed for stack e2e \(pulumi exited \d+\)$/),
    });
    expect(run.stderr).toContain("the program is broken");
  } finally {
    e2e.writeProgram(program);
  }
});
