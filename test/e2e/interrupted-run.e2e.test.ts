// An interrupted run leaves nothing behind: `kill -9` of the whole `pulumi up` / `pulumi destroy` process
// tree at seeded random points while creates, updates and deletes are in flight (servers building, volumes
// attaching, an auto-scaling group scaling), then the recovery the README gives:
//
//   pulumi cancel                 (the killed run's lock)
//   npx scp-recover --apply       (adopts what the killed run's unfinished creates made)
//   pulumi up  /  pulumi destroy  (as before)
//
// Each kill point must end with every declared object exactly once (0 duplicates) and, after destroy, an
// empty account (0 orphans). Points are chosen by request count into the run, so they land while the
// provider is talking to SCP, not before the engine started. INTERRUPT_POINTS sets how many (default 3,
// one per phase; `npm run test:interrupt` runs 12).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { pulumiBin } from "../../demo/pulumi-cli";
import { REPO, cliEnvironment, createStack, emulatorObjects } from "./harness";
import { killTree, pulumi, waitFor } from "./processes";

const POINTS = Number(process.env.INTERRUPT_POINTS ?? 3);
/** Run only the point of this index (to look into one). */
const ONLY = process.env.INTERRUPT_ONLY === undefined ? undefined : Number(process.env.INTERRUPT_ONLY);
const SEED = Number(process.env.INTERRUPT_SEED ?? 7);
const SERVERS = 3;
const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";

/** Version 2 resizes every volume, replaces server 0 (new user data) and scales the group out. */
const program = (version: 1 | 2) => `
const scp = require("pulumi-scp-virtualserver");
const key = new scp.Keypair("key", { name: "ir-key" });
const group = new scp.ServerGroup("group", { name: "ir-group", policy: "anti-affinity" });
for (let i = 0; i < ${SERVERS}; i++) {
  const server = new scp.VirtualServer("web-" + i, {
    name: "ir-web-" + i, imageId: "${IMAGE_ID}", serverTypeId: "s1v1m2", keypairName: key.name,
    serverGroupId: group.id, networks: [{ subnetId: "subnet-ir" }],
    userData: "#!/bin/sh\\necho v" + (i === 0 ? ${version} : 1) + "\\n",
  });
  const data = new scp.Volume("data-" + i, { name: "ir-data-" + i, size: ${version === 1 ? 20 : 30} });
  const attachment = new scp.VolumeAttachment("attach-" + i, { volumeId: data.id, serverId: server.id });
  if (i === 0) new scp.Snapshot("snap", { volumeId: data.id, name: "ir-snap" }, { dependsOn: [attachment] });
}
const template = new scp.LaunchConfiguration("template", { name: "ir-lc", imageId: "${IMAGE_ID}", serverTypeId: "s1v1m2" });
const asg = new scp.AutoScalingGroup("asg", {
  name: "ir-asg", launchConfigurationId: template.id, minServerCount: 1, maxServerCount: 4,
  desiredServerCount: ${version}, subnetIds: ["subnet-a"],
});
new scp.AutoScalingPolicy("cpu-high", {
  autoScalingGroupId: asg.id, name: "cpu-high", metricType: "CPU", metricMethod: "AVG", comparisonOperator: "ge",
  threshold: 70, evaluationMinutes: 5, scaleType: "SCALE_OUT", scaleMethod: "AMOUNT", scaleValue: 1, cooldownSeconds: 300,
});
`;

/** Every object the program declares, by collection and name: each must exist exactly once. */
const DECLARED: Record<string, string[]> = {
  servers: Array.from({ length: SERVERS }, (_, i) => `ir-web-${i}`),
  volumes: Array.from({ length: SERVERS }, (_, i) => `ir-data-${i}`),
  snapshots: ["ir-snap"],
  keypairs: ["ir-key"],
  "server-groups": ["ir-group"],
  "launch-configurations": ["ir-lc"],
  "auto-scaling-groups": ["ir-asg"],
};

type Phase = "up" | "update" | "destroy";
interface KillPoint {
  readonly phase: Phase;
  /** Requests into the run after which it is killed. */
  readonly afterRequests: number;
}
interface Outcome {
  readonly point: KillPoint;
  readonly processesKilled: number;
  readonly recovered: boolean;
  readonly duplicates: string[];
  readonly missing: string[];
  readonly orphans: string[];
  readonly adopted: number;
}

let emulator: RunningEmulator;
const outcomes: Outcome[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.02 });
});
afterAll(async () => {
  console.log(
    [
      `interrupted runs: ${outcomes.length} kill points (seed ${SEED}), ${outcomes.filter((o) => o.recovered).length} recovered`,
      ...outcomes.map(
        (o) =>
          `  ${o.point.phase.padEnd(7)} killed after ${String(o.point.afterRequests).padStart(3)} requests ` +
          `(${o.processesKilled} processes): adopted ${o.adopted}, duplicates ${o.duplicates.length}, ` +
          `missing ${o.missing.length}, orphans ${o.orphans.length}`,
      ),
    ].join("\n"),
  );
  await emulator?.close();
});

const requestCount = async () =>
  ((await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as unknown[]).length;
const clearRequests = () => fetch(`${emulator.url}/_emulator/requests`, { method: "DELETE" });

/** Live objects by collection (ASG members are the group's, not the program's; boot volumes are the servers'). */
async function liveObjects(): Promise<Record<string, Record<string, unknown>[]>> {
  const live: Record<string, Record<string, unknown>[]> = {};
  for (const collection of Object.keys(DECLARED)) {
    live[collection] = (await emulatorObjects(emulator, collection)).filter(
      (o) => !o.auto_scaling_group_id && o.bootable !== true && o.state !== "DELETING" && o.state !== "deleting",
    );
  }
  return live;
}

async function declaredOnce(): Promise<{ duplicates: string[]; missing: string[] }> {
  const live = await liveObjects();
  const duplicates: string[] = [];
  const missing: string[] = [];
  for (const [collection, names] of Object.entries(DECLARED)) {
    for (const name of names) {
      const count = (live[collection] ?? []).filter((o) => o.name === name).length;
      if (count > 1) duplicates.push(`${collection}/${name} ×${count}`);
      if (count === 0) missing.push(`${collection}/${name}`);
    }
  }
  return { duplicates, missing };
}

async function everything(): Promise<string[]> {
  const left: string[] = [];
  for (const collection of Object.keys(DECLARED)) {
    for (const o of await emulatorObjects(emulator, collection)) left.push(`${collection}/${String(o.name ?? o.id)}`);
  }
  return left;
}

/** Seeded points: one per phase first, then phases in turn, each at a random request count into the run. */
function killPoints(total: Record<Phase, number>): KillPoint[] {
  let state = SEED >>> 0 || 1;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) >>> 0) % 1_000_000) / 1_000_000;
  const phases: Phase[] = ["up", "update", "destroy"];
  return Array.from({ length: POINTS }, (_, i) => {
    const phase = phases[i % phases.length] as Phase;
    return { phase, afterRequests: 1 + Math.floor(random() * Math.max(1, total[phase] - 1)) };
  });
}

/** A stack of its own for each point; CLI runs in its directory with its environment. */
async function freshStack(name: string) {
  const e2e = await createStack(name, program(1), emulator);
  const env = cliEnvironment(e2e.workDir);
  const run = (args: string[]) => pulumi([...args, "--stack", "e2e"], { cwd: e2e.workDir, env });
  return { e2e, env, run };
}

/** Starts `pulumi <command>` and kills its whole tree once the emulator has seen `afterRequests` more requests. */
async function runKilled(
  stack: Awaited<ReturnType<typeof freshStack>>,
  command: string[],
  afterRequests: number,
): Promise<number> {
  await clearRequests();
  const child = spawn(join(pulumiBin(), "pulumi"), [...command, "--yes", "--non-interactive", "--stack", "e2e"], {
    cwd: stack.e2e.workDir,
    env: { ...process.env, ...stack.env },
    stdio: "ignore",
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  const reached = waitFor(
    `${afterRequests} requests`,
    async () => ((await requestCount()) >= afterRequests ? true : undefined),
    300_000,
  );
  const first = await Promise.race([reached.then(() => "reached" as const), exited.then(() => "exited" as const)]);
  if (first === "exited") return 0; // finished before the point: nothing to kill (counted, not recovered)
  return killTree(child.pid as number);
}

/** Resources in the stack's state, one line each (for looking into one point). */
async function stateSummary(stack: Awaited<ReturnType<typeof freshStack>>): Promise<string> {
  const state = JSON.parse((await stack.run(["stack", "export"])).output) as {
    deployment?: { resources?: Record<string, unknown>[]; pending_operations?: unknown[] };
  };
  return [
    ...(state.deployment?.resources ?? []).map((r) =>
      JSON.stringify({ urn: String(r.urn).split("::").pop(), id: r.id, delete: r.delete, pr: r.pendingReplacement }),
    ),
    `pending: ${JSON.stringify((state.deployment?.pending_operations ?? []).map((o) => (o as { type: string; resource: { urn: string } }).type + " " + (o as { resource: { urn: string } }).resource.urn.split("::").pop()))}`,
  ].join("\n");
}

/** The README's recovery: cancel the lock, adopt pending creates, then run the command again. */
async function recover(stack: Awaited<ReturnType<typeof freshStack>>, then: string[]): Promise<number> {
  await stack.run(["cancel", "--yes"]);
  const recovered = await new Promise<{ code: number; output: string }>((done) => {
    const child = spawn(process.execPath, [join(REPO, "dist/tools/scp-recover.js"), "--stack", "e2e", "--apply"], {
      cwd: stack.e2e.workDir,
      env: { ...process.env, ...stack.env },
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("exit", (code) => done({ code: code ?? 1, output }));
  });
  if (recovered.code !== 0) throw new Error(`scp-recover failed (${recovered.code}):\n${recovered.output}`);
  if (ONLY !== undefined) console.log(`after scp-recover:\n${await stateSummary(stack)}\n${recovered.output}`);
  const again = await stack.run([...then, "--yes", "--skip-preview"]);
  if (ONLY !== undefined) console.log(`after the ${then.join(" ")}:\n${await stateSummary(stack)}`);
  if (again.code !== 0) {
    throw new Error(
      `pulumi ${then.join(" ")} after recovery failed:\n${again.output}\nscp-recover said:\n${recovered.output}`,
    );
  }
  return (recovered.output.match(/: adopt it/g) ?? []).length;
}

describe("a killed run is recovered with 0 duplicates and 0 orphans", () => {
  const totals: Record<Phase, number> = { up: 0, update: 0, destroy: 0 };

  test("an uninterrupted run gives the request counts the kill points are drawn from", async () => {
    const stack = await freshStack("ir-reference");
    try {
      for (const [phase, args] of [
        ["up", ["up"]],
        ["update", ["up"]],
        ["destroy", ["destroy"]],
      ] as const) {
        if (phase === "update") stack.e2e.writeProgram(program(2));
        await clearRequests();
        const result = await stack.run([...args, "--yes", "--skip-preview"]);
        expect(result.code).toBe(0);
        totals[phase] = await requestCount();
      }
      expect(await everything()).toEqual([]);
    } finally {
      await stack.e2e.dispose();
    }
  });

  test(`${POINTS} kill points recover to the declared objects, each exactly once, and destroy leaves nothing`, async () => {
    for (const [index, point] of killPoints(totals).entries()) {
      if (ONLY !== undefined && index !== ONLY) continue;
      const stack = await freshStack(`ir-${index}`);
      try {
        if (point.phase !== "up") expect((await stack.run(["up", "--yes", "--skip-preview"])).code).toBe(0);
        if (point.phase === "update") stack.e2e.writeProgram(program(2));
        const command = point.phase === "destroy" ? ["destroy"] : ["up", "--skip-preview"];
        const processesKilled = await runKilled(stack, command, point.afterRequests);
        const adopted = await recover(stack, point.phase === "destroy" ? ["destroy"] : ["up"]);
        const { duplicates, missing } =
          point.phase === "destroy" ? { duplicates: [], missing: [] } : await declaredOnce();
        if (point.phase !== "destroy") {
          const destroyed = await stack.run(["destroy", "--yes", "--skip-preview"]);
          if (destroyed.code !== 0) {
            const state = JSON.parse((await stack.run(["stack", "export"])).output) as {
              deployment?: { resources?: Record<string, unknown>[] };
            };
            const resources = (state.deployment?.resources ?? []).map((r) =>
              JSON.stringify({
                urn: String(r.urn).split("::").pop(),
                id: r.id,
                delete: r.delete,
                deps: r.dependencies,
              }),
            );
            throw new Error(
              `destroy after the recovered ${point.phase} failed:\n${destroyed.output}\nstate:\n${resources.join("\n")}`,
            );
          }
        }
        const orphans = await everything();
        outcomes.push({ point, processesKilled, recovered: true, duplicates, missing, orphans, adopted });
      } finally {
        await stack.e2e.dispose();
        await fetch(`${emulator.url}/_emulator/reset`, { method: "POST" });
      }
    }
    const problems = outcomes.filter((o) => o.duplicates.length + o.missing.length + o.orphans.length > 0);
    expect(problems).toEqual([]);
    expect(outcomes).toHaveLength(ONLY === undefined ? POINTS : 1);
  });
});
