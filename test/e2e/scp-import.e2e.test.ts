// Onboarding with scp-import (shipped bin): objects created out of band in the emulator → the generated
// TypeScript project → `pulumi up` imports them (creates only, nothing sent to SCP but reads) → the plan
// after it is empty → `pulumi destroy` deletes them, leaving the object the prefix did not select.
import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type RequestLogEntry, type RunningEmulator, startEmulator } from "../../emulator";
import { clientFor, control, untilObject } from "../support/emulator";
import { REPO, type E2EStack, createStackFromDirectory, emulatorObjects, plannedSteps } from "./harness";
import { evidenceDirectory } from "./secrets-scan";

const IMAGE = "70a599e0-31e7-49b7-b260-868f441e862b";
const USER_DATA = "#!/bin/sh\necho legacy-launch-user-data > /etc/motd\n";
const COLLECTIONS = [
  "keypairs",
  "server-groups",
  "servers",
  "volumes",
  "snapshots",
  "launch-configurations",
  "auto-scaling-groups",
];

let emulator: RunningEmulator;
let e2e: E2EStack | undefined;
const scratch = mkdtempSync(join(tmpdir(), "scp-import-e2e-"));
const out = join(scratch, "legacy");
const debugLog = join(scratch, "scp-import-debug.jsonl");
const ids = { server: "", volume: "", group: "", other: "" };

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** scp-import as a user runs it, asynchronously: the emulator runs in this process and must keep answering. */
function scpImport(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(REPO, "dist", "tools", "scp-import.js"), ...args],
      {
        encoding: "utf8",
        env: {
          PATH: process.env.PATH ?? "",
          HOME: scratch,
          SCP_ACCESS_KEY: emulator.credentials.accessKey,
          SCP_SECRET_KEY: emulator.credentials.secretKey,
          SCP_ENDPOINT_OVERRIDE: emulator.url,
          SCP_DEBUG_LOG: debugLog,
          ...env,
        },
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const outOfBand = async (collection: string, body: Record<string, unknown>) =>
  (await control(emulator, "POST", `/objects/${encodeURIComponent(collection)}`, body)) as Record<string, unknown> & {
    id: string;
  };

/** A small estate made by hand: what a team has before it adopts Pulumi. */
async function legacyEstate(): Promise<void> {
  await outOfBand("keypairs", { name: "legacy-key" }); // generated: SCP keeps a private key nobody can read back
  const group = await outOfBand("server-groups", { name: "legacy-spread", policy: "anti-affinity" });
  const server = await outOfBand("servers", {
    name: "legacy-web",
    image_id: IMAGE,
    server_type_id: "s1v1m2",
    keypair_name: "legacy-key",
    server_group_id: group.id,
    networks: [{ subnet_id: "subnet-1" }],
    volumes: [{ boot_index: 0, size: 60, type: "SSD", delete_on_termination: true }],
  });
  const volume = await outOfBand("volumes", { name: "legacy-data", size: 50, volume_type: "SSD" });
  const other = await outOfBand("volumes", { name: "other-team-data", size: 10 });
  await untilObject(emulator, "servers", server.id, (s) => s?.state === "ACTIVE");
  await untilObject(emulator, "volumes", volume.id, (v) => v?.state === "available");
  await clientFor(emulator).call("attachVolumeToVirtualServer", {
    path: { volume_id: volume.id },
    body: { server_id: server.id, delete_on_termination: false },
  });
  await untilObject(emulator, "volumes", volume.id, (v) => v?.state === "in-use");
  const snapshot = await outOfBand("snapshots", { volume_id: volume.id, name: "legacy-data-nightly", force: true });
  const template = await outOfBand("launch-configurations", {
    name: "legacy-web-v1",
    image_id: IMAGE,
    server_type_id: "s1v1m2",
    keypair_name: "legacy-key",
    volumes: [{ boot_index: 0, size: 50, type: "SSD" }],
    user_data: Buffer.from(USER_DATA).toString("base64"),
  });
  const tier = await outOfBand("auto-scaling-groups", {
    name: "legacy-tier",
    launch_configuration_id: template.id,
    min_server_count: 1,
    max_server_count: 3,
    desired_server_count: 1,
    subnet_ids: ["subnet-1"],
    server_name_prefix: "legacy-tier",
  });
  const children = (kind: string) => `auto-scaling-groups/${tier.id}/${kind}`;
  await outOfBand(children("policies"), {
    name: "cpu-high",
    metric_type: "CPU",
    metric_method: "AVG",
    comparison_operator: "ge",
    threshold: 70,
    evaluation_minutes: 5,
    scale_type: "SCALE_OUT",
    scale_method: "AMOUNT",
    scale_value: 1,
    cooldown_seconds: 300,
  });
  await outOfBand(children("schedules"), {
    name: "weekday-morning",
    frequency: "WEEKLY",
    day_of_week: "MO,TU,WE,TH,FR",
    hour: 8,
    minute: 30,
    min_server_count: 2,
  });
  await outOfBand(children("notifications"), {
    user_ids: ["570907805e5447be84b618450ef52o0t"],
    notification_events: ["SCALE_OUT_FAIL"],
  });
  await untilObject(emulator, "snapshots", snapshot.id, (s) => s?.status === "available");
  // The group's state is derived from its members when it is shown (the control dump holds no state of its own).
  const api = clientFor(emulator);
  const inService = async () =>
    (await api.call<{ state: string }>("showAutoScalingGroup", { path: { auto_scaling_group_id: tier.id } })).body
      .state === "IN_SERVICE";
  for (let shown = 0; !(await inService()); shown++) {
    if (shown > 2000) throw new Error(`auto-scaling group ${tier.id} never came into service`);
  }
  Object.assign(ids, { server: server.id, volume: volume.id, group: group.id, other: other.id });
}

let generated: Run;
let program = "";

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(scratch, { recursive: true, force: true });
});

function stack() {
  if (!e2e) throw new Error("the generated project's stack was not created (see beforeAll)");
  return e2e.stack;
}

const warnings = (events: readonly EngineEvent[]) =>
  events.flatMap((e) => (e.diagnosticEvent?.severity === "warning" ? [e.diagnosticEvent.message] : []));

describe("scp-import: onboarding objects made out of band", () => {
  beforeAll(async () => {
    await legacyEstate();
    generated = await scpImport(["--out", out, "--prefix", "legacy-"]);
    program = readFileSync(join(out, "index.ts"), "utf8");
    e2e = await createStackFromDirectory(out, emulator);
    // What scp-import printed, wrote and logged goes through the e2e secrets scan with the stack's evidence.
    const evidence = evidenceDirectory(e2e.workDir);
    writeFileSync(join(evidence, "scp-import-output.log"), `${generated.stdout}\n${generated.stderr}`);
    copyFileSync(debugLog, join(evidence, "scp-import-debug.jsonl"));
    for (const file of readdirSync(out)) copyFileSync(join(out, file), join(evidence, `generated-${file}`));
  });
  afterAll(() => e2e?.dispose());

  test("writes a project declaring each selected object and prints what it skipped and why", () => {
    expect({ code: generated.code, stderr: generated.stderr }).toEqual({ code: 0, stderr: "" });
    expect(readdirSync(out).sort()).toEqual(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    const perKind = Object.fromEntries(
      [...generated.stdout.matchAll(/^ {2}([a-z-]+) +(\d+)/gm)].map((m) => [m[1], Number(m[2])]),
    );
    expect(perKind).toEqual({
      keypairs: 1,
      "server-groups": 1,
      "launch-configurations": 1,
      servers: 1,
      volumes: 1,
      attachments: 1,
      snapshots: 1,
      "auto-scaling-groups": 1,
      policies: 1,
      schedules: 1,
      notifications: 1,
    });
    // The group's member and the servers' boot volumes belong to something declared; the other team's volume is not selected.
    expect(generated.stdout).toMatch(
      /server "legacy-tier[^"]*" \([^)]+\): a member of auto-scaling group "legacy-tier"/,
    );
    expect(generated.stdout).toMatch(/volume "[^"]+" \([^)]+\): the boot volume of server "legacy-web"/);
    expect(generated.stdout).toMatch(/1 other objects do not match the selection/);
    expect(program).not.toMatch(/other-team-data/);
  });

  test("the program refers to the generated resources where both ends are declared, and says what it cannot hold", () => {
    expect(program).toMatch(
      /new scp\.VolumeAttachment\("legacy-data", \{[^}]*volumeId: legacyDataVolume\.id,\s+serverId: legacyWebServer\.id/,
    );
    expect(program).toMatch(/keypairName: legacyKey\.name/);
    expect(program).toMatch(/serverGroupId: legacySpreadGroup\.id/);
    expect(program).toMatch(/launchConfigurationId: legacyWebV1LaunchConfiguration\.id/);
    expect(program).toMatch(/autoScalingGroupId: legacyTierScalingGroup\.id/);
    expect(program).toContain(`importId: "${ids.server}:${ids.volume}"`);
    expect(program).toMatch(/private key cannot be read from SCP/);
    expect(program).toMatch(/has user data, which is not copied here/);
    expect(program).not.toContain("legacy-launch-user-data");
    expect(program).not.toMatch(/desiredServerCount: 1/);
  });

  test("--kinds volumes alone: the volume says what destroy will refuse without its attachment and snapshot", async () => {
    const target = join(scratch, "volumes-only");
    const run = await scpImport(["--out", target, "--prefix", "legacy-", "--kinds", "volumes"]);
    expect(run.code).toBe(0);
    const text = readFileSync(join(target, "index.ts"), "utf8");
    expect([...text.matchAll(/new scp\.(\w+)\(/g)].map((m) => m[1])).toEqual(["Volume"]);
    expect(text).toMatch(/1 snapshot\(s\) of this volume are not in this program[^]*deleteSnapshots: true/);
    expect(text).toContain(`Attached to server ${ids.server} with no attachment in this program`);
  });

  test("the first preview plans only creates (the imports): nothing replaced or deleted", async () => {
    const steps = await plannedSteps(stack(), { refresh: false });
    expect(steps.length).toBe(11);
    expect(steps.filter((s) => s.op !== "create")).toEqual([]);
  });

  test("pulumi up takes them under management as they are: only reads reach SCP, no import differs", async () => {
    await control(emulator, "DELETE", "/requests");
    const events: EngineEvent[] = [];
    const result = await stack().up({ onEvent: (event) => events.push(event) });
    expect(result.summary.result).toBe("succeeded");
    expect(result.summary.resourceChanges).toEqual({ create: 12 }); // 11 objects and the stack
    expect(warnings(events).filter((w) => /imported as it is/.test(w))).toEqual([]);
    const operations = ((await control(emulator, "GET", "/requests")) as RequestLogEntry[]).map(
      (r) => r.operation ?? `${r.method} ${r.path}`,
    );
    expect([...new Set(operations.filter((o) => !/^(show|list)/.test(o)))]).toEqual([]);
    expect(await untilObject(emulator, "volumes", ids.volume, (v) => v?.state === "in-use")).toMatchObject({
      name: "legacy-data",
      size: 50,
    });
  });

  test("the plan after the import is empty, refreshed from SCP", async () => {
    await expect(stack().preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("pulumi destroy deletes every imported object and leaves the one the prefix did not select", async () => {
    const result = await stack().destroy();
    expect(result.summary.result).toBe("succeeded");
    const left = Object.fromEntries(
      await Promise.all(
        COLLECTIONS.map(async (c) => [c, (await emulatorObjects(emulator, c)).map((o) => o.name)] as const),
      ),
    );
    expect(left).toEqual({
      keypairs: [],
      "server-groups": [],
      servers: [],
      volumes: ["other-team-data"],
      snapshots: [],
      "launch-configurations": [],
      "auto-scaling-groups": [],
    });
  });
});

describe("scp-import: refusals", () => {
  test("a tag filter is refused with the reason (the API returns no tags), exit code 1, nothing written", async () => {
    const target = join(scratch, "tagged");
    const run = await scpImport(["--out", target, "--tag", "team=web"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--tag: no Virtual Server API operation returns tags/);
    expect(() => readdirSync(target)).toThrow();
  });

  test("an API error ends it with the API's message and exit code 1, nothing written", async () => {
    const target = join(scratch, "refused");
    const run = await scpImport(["--out", target], { SCP_SECRET_KEY: "not-the-secret-key" });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^scp-import: list\w+ \(GET \/v1\/[a-z-]+\) failed: HTTP 401/m);
    expect(() => readdirSync(target)).toThrow();
  });
});
