/**
 * Whole stacks through the real Pulumi engine (the CLI, driven by the Automation API with a local file
 * backend, as the demo does) against an in-process emulator. Figures, not a test.
 *
 * `--scenario stack` (default): the 40-resource stack of issue 14 — 8 servers each with a data volume, an
 * attachment and a snapshot (taken once attached), 4 keypairs, 2 server groups, a launch configuration and
 * an auto-scaling group — at time scale 1 (realistic durations: server build 45 s, attach 5 s, snapshot
 * 10 s, …) with ±25 % seeded duration jitter, `up` then `destroy`, once per `--parallel` setting (a fresh
 * emulator and stack each). Per run and phase:
 *   - wall: the `pulumi up` / `pulumi destroy` command, start to end (engine start-up included), timed by a
 *     wrapper around the CLI binary; the Automation API call around it also runs `stack output` and `stack
 *     history` after the command (about 2–3 s), printed apart as "Automation API call"; span: first step start
 *     to last step end;
 *   - critical path: the longest dependency chain (the state's `dependencies`) weighted by this run's own
 *     step durations (resourcePreEvent → resOutputsEvent, timed on arrival: the CLI streams its events to
 *     the Automation API over a local connection; the events' own timestamps are whole seconds). For
 *     destroy the chain runs the other way; "layered" is the bound of the engine's destroy schedule, which
 *     deletes in dependency layers (antichains, each waiting for the slowest delete of the one before);
 *   - requests (the emulator's request log) per resource and by operation.
 *
 * `--scenario rate-limit`: 200 resources (20 keypairs, 10 server groups, 40 servers each with an attached
 * volume, 50 more volumes) against an emulator limited to 10 requests/s (token bucket, 429 + Retry-After):
 * wall, 429s received, peak requests in any 1 s window, failed resources and orphans, for up and destroy;
 * at the CLI default parallelism and at 64 by default, time scale 1.
 *
 * Wall of the whole script: about 7.5 minutes for `stack` (three settings), 10 for `rate-limit`.
 *
 *   npm run bench:stack [-- --scenario stack|rate-limit --parallel default,16,64 --time-scale 1
 *                          --jitter 0.25 --seed 1 --rate-limit 10 --scp-config maxRetries=20 --keep]
 *
 * `default` is the CLI's own default parallelism (4 × CPUs). Workspaces live under .pulumi-e2e/bench-* and
 * are removed at the end (`--keep` leaves them, with each phase's CLI output in <phase>.log and the emulator's
 * request log and the step times in <phase>-requests.json and <phase>-steps.json).
 */
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { type EngineEvent, LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { REPO_ROOT, pulumiBin } from "../demo/pulumi-cli";
import { type RequestLogEntry, type RunningEmulator, startEmulator } from "../emulator";

const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";
const SERVER_TYPE = "s1v1m2";
const PROJECT = "scp-bench";
const PASSPHRASE = "bench";

// ---- The programs ------------------------------------------------------------------------------------

const HEADER = `"use strict";
const scp = require("pulumi-scp-virtualserver");
const server = (name, key, group) => new scp.VirtualServer(name, {
  name, imageId: "${IMAGE_ID}", serverTypeId: "${SERVER_TYPE}", keypairName: key.name, serverGroupId: group.id,
  networks: [{ subnetId: "subnet-bench" }], bootVolume: { size: 50, type: "SSD" },
});
const keys = (n) => Array.from({ length: n }, (_, i) => new scp.Keypair("key-" + i, { name: "bench-key-" + i }));
const groups = (n) => Array.from({ length: n }, (_, i) =>
  new scp.ServerGroup("group-" + i, { name: "bench-group-" + i, policy: "anti-affinity" }));
`;

/** Issue 14's stack: 8 × (server, volume, attachment, snapshot) + 4 keypairs, 2 groups, an LC, an ASG = 40. */
const STACK_PROGRAM = `${HEADER}
const k = keys(4);
const g = groups(2);
for (let i = 0; i < 8; i++) {
  const vm = server("server-" + i, k[i % 4], g[i % 2]);
  const data = new scp.Volume("volume-" + i, { name: "bench-data-" + i, size: 20 });
  const attachment = new scp.VolumeAttachment("attachment-" + i, { volumeId: data.id, serverId: vm.id });
  new scp.Snapshot("snapshot-" + i, { volumeId: data.id, name: "bench-snap-" + i }, { dependsOn: [attachment] });
}
const template = new scp.LaunchConfiguration("launch-configuration", {
  name: "bench-template", imageId: "${IMAGE_ID}", serverTypeId: "${SERVER_TYPE}", keypairName: k[0].name,
  volumes: [{ size: 50, type: "SSD" }],
});
new scp.AutoScalingGroup("auto-scaling-group", {
  name: "bench-tier", launchConfigurationId: template.id, minServerCount: 2, maxServerCount: 4,
  subnetIds: ["subnet-bench"], serverNamePrefix: "bench-asg",
});
`;

/** 20 keypairs, 10 groups, 40 × (server, volume, attachment), 50 more volumes = 200. */
const RATE_LIMIT_PROGRAM = `${HEADER}
const k = keys(20);
const g = groups(10);
for (let i = 0; i < 40; i++) {
  const vm = server("server-" + i, k[i % 20], g[i % 10]);
  const data = new scp.Volume("volume-" + i, { name: "bench-data-" + i, size: 20 });
  new scp.VolumeAttachment("attachment-" + i, { volumeId: data.id, serverId: vm.id });
}
for (let i = 40; i < 90; i++) new scp.Volume("volume-" + i, { name: "bench-data-" + i, size: 10 });
`;

// ---- Measuring a phase -------------------------------------------------------------------------------

interface Step {
  start?: number;
  end?: number;
  failed?: boolean;
}

interface PhaseResult {
  readonly phase: "up" | "destroy";
  /** The CLI command, start to end; and the Automation API call that ran it (with `stack output`, `stack history`). */
  readonly wallMs: number;
  readonly apiCallMs: number;
  readonly spanMs: number;
  /** From the command's start to the first step's (CLI, program, provider host), and from the last step's end to the command's end. */
  readonly beforeFirstStepMs: number;
  readonly afterLastStepMs: number;
  readonly steps: Map<string, Step>;
  readonly requests: RequestLogEntry[];
  /** The resources whose step failed, and the errors the engine reported for them. */
  readonly failed: string[];
  readonly errors: string[];
  readonly error?: string;
  readonly loadBefore: string;
  readonly loadAfter: string;
}

interface StateResource {
  readonly urn: string;
  readonly id?: string;
  readonly type: string;
  readonly dependencies?: string[];
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const shortName = (urn: string) => urn.split("::").pop() ?? urn;

async function stateResources(stack: Stack): Promise<StateResource[]> {
  const exported = await stack.exportStack();
  const deployment = exported.deployment as { resources?: StateResource[] } | undefined;
  return (deployment?.resources ?? []).filter((r) => !r.type.startsWith("pulumi:"));
}

/**
 * A `pulumi` for the Automation API that runs the real CLI and appends each command's start, end (ms) and
 * name to `timings`, so that a phase's wall is the command's own and not the API's calls around it.
 */
function timedCli(directory: string, realBin: string, timings: string): string {
  mkdirSync(join(directory, "bin"), { recursive: true });
  const wrapper = join(directory, "bin", "pulumi");
  writeFileSync(
    wrapper,
    `#!/bin/sh\nstart=$(date +%s%3N)\n"${join(realBin, "pulumi")}" "$@"\ncode=$?\n` +
      `echo "$start $(date +%s%3N) $1" >> "${timings}"\nexit $code\n`,
  );
  chmodSync(wrapper, 0o755);
  return directory;
}

/** The start and end of the last `command` the timed CLI ran; throws rather than report another measure. */
function lastCommand(timings: string, command: string): { start: number; end: number } {
  const line = readFileSync(timings, "utf8")
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.split(" ")[2] === command);
  const [start, end] = (line ?? "").split(" ").map(Number);
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new Error(`the timed CLI recorded no \`pulumi ${command}\` in ${timings} (GNU date's %3N is needed)`);
  }
  return { start: start!, end: end! };
}

async function runPhase(
  phase: "up" | "destroy",
  stack: Stack,
  emulator: RunningEmulator,
  parallel: number | undefined,
  files: string,
  timings: string,
): Promise<PhaseResult> {
  emulator.state.requestLog.length = 0;
  const steps = new Map<string, Step>();
  const failed = new Set<string>();
  const errors: string[] = [];
  let output = "";
  const onEvent = (event: EngineEvent) => {
    const now = Date.now();
    const pre = event.resourcePreEvent?.metadata;
    if (pre && !pre.type.startsWith("pulumi:")) steps.set(pre.urn, { ...steps.get(pre.urn), start: now });
    const done = event.resOutputsEvent?.metadata;
    if (done && !done.type.startsWith("pulumi:")) steps.set(done.urn, { ...steps.get(done.urn), end: now });
    const fail = event.resOpFailedEvent?.metadata;
    if (fail) {
      steps.set(fail.urn, { ...steps.get(fail.urn), end: now, failed: true });
      failed.add(shortName(fail.urn));
    }
    const diagnostic = event.diagnosticEvent;
    if (diagnostic?.severity === "error" && diagnostic.urn && !diagnostic.urn.includes("pulumi:pulumi:Stack")) {
      failed.add(shortName(diagnostic.urn));
      errors.push(`${shortName(diagnostic.urn)}: ${diagnostic.message.trim().split("\n").slice(0, 3).join(" | ")}`);
    }
  };
  const options = {
    onEvent,
    onOutput: (text: string) => (output += text),
    color: "never" as const,
    ...(parallel === undefined ? {} : { parallel }),
  };
  const loadBefore = load();
  const started = Date.now();
  let error: string | undefined;
  try {
    if (phase === "up") await stack.up(options);
    else await stack.destroy(options);
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).split("\n").slice(-12).join("\n");
  }
  const called = { start: started, end: Date.now() };
  const { start, end } = lastCommand(timings, phase);
  writeFileSync(`${files}.log`, output);
  writeFileSync(`${files}-requests.json`, JSON.stringify(emulator.state.requestLog));
  writeFileSync(`${files}-steps.json`, JSON.stringify(Object.fromEntries(steps)));
  const starts = [...steps.values()].flatMap((s) => (s.start === undefined ? [] : [s.start]));
  const ends = [...steps.values()].flatMap((s) => (s.end === undefined ? [] : [s.end]));
  return {
    phase,
    wallMs: end - start,
    apiCallMs: called.end - called.start,
    spanMs: starts.length && ends.length ? Math.max(...ends) - Math.min(...starts) : 0,
    beforeFirstStepMs: starts.length ? Math.min(...starts) - start : 0,
    afterLastStepMs: ends.length ? end - Math.max(...ends) : 0,
    steps,
    requests: [...emulator.state.requestLog],
    failed: [...failed],
    errors,
    ...(error === undefined ? {} : { error }),
    loadBefore,
    loadAfter: load(),
  };
}

// ---- Figures -----------------------------------------------------------------------------------------

const durationOf = (step: Step | undefined) =>
  step?.start !== undefined && step.end !== undefined ? step.end - step.start : 0;

/**
 * The longest chain of steps, weighted by their durations. `up`: a resource starts after its dependencies;
 * `destroy`: after its dependents. Returns the length and the chain in execution order.
 */
function criticalPath(
  resources: StateResource[],
  steps: Map<string, Step>,
  phase: "up" | "destroy",
): { ms: number; chain: string[] } {
  const urns = new Set(resources.map((r) => r.urn));
  const before = new Map<string, string[]>(resources.map((r) => [r.urn, []]));
  for (const r of resources) {
    for (const dep of (r.dependencies ?? []).filter((d) => urns.has(d))) {
      if (phase === "up") before.get(r.urn)?.push(dep);
      else before.get(dep)?.push(r.urn);
    }
  }
  const memo = new Map<string, { ms: number; chain: string[] }>();
  const longest = (urn: string): { ms: number; chain: string[] } => {
    const known = memo.get(urn);
    if (known) return known;
    let best = { ms: 0, chain: [] as string[] };
    for (const prior of before.get(urn) ?? []) {
      const candidate = longest(prior);
      if (candidate.ms > best.ms) best = candidate;
    }
    const result = { ms: best.ms + durationOf(steps.get(urn)), chain: [...best.chain, urn] };
    memo.set(urn, result);
    return result;
  };
  let best = { ms: 0, chain: [] as string[] };
  for (const urn of urns) {
    const candidate = longest(urn);
    if (candidate.ms > best.ms) best = candidate;
  }
  return best;
}

/**
 * The engine's destroy schedule (step generator's ScheduleDeletes): the condemned resources are cut into
 * antichains — those with no remaining dependency, removed, then again — and the antichains run in reverse,
 * each after the previous one completes. So a layer waits for the slowest delete of the one before, and a
 * resource nothing depends on (a standalone volume) still goes in the layer of its depth. The bound is the
 * sum of each layer's slowest delete of this run.
 */
function layeredBound(resources: StateResource[], steps: Map<string, Step>): number {
  const remaining = new Set(resources.map((r) => r.urn));
  const dependencies = new Map(resources.map((r) => [r.urn, r.dependencies ?? []]));
  let total = 0;
  while (remaining.size > 0) {
    const layer = [...remaining].filter((urn) => !(dependencies.get(urn) ?? []).some((d) => remaining.has(d)));
    if (layer.length === 0) break; // a state has no cycles; guard anyway
    total += Math.max(...layer.map((urn) => durationOf(steps.get(urn))));
    for (const urn of layer) remaining.delete(urn);
  }
  return total;
}

function peakPerSecond(requests: RequestLogEntry[]): number {
  const times = requests.map((r) => Date.parse(r.time)).sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

function byOperation(requests: RequestLogEntry[], top: number, withStatus = false): string {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const status = withStatus || r.status === 429 ? ` (${r.status})` : "";
    const key = `${r.operation ?? `${r.method} ${r.path}`}${status}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([op, n]) => `${op} ${n}`)
    .join(", ");
}

/** Mean and max step duration per resource kind (the name's prefix: server-3 → server). */
function byKind(steps: Map<string, Step>): string {
  const kinds = new Map<string, number[]>();
  for (const [urn, step] of steps) {
    const kind = shortName(urn).replace(/-\d+$/, "");
    kinds.set(kind, [...(kinds.get(kind) ?? []), durationOf(step)]);
  }
  return [...kinds.entries()]
    .map(([kind, ds]) => `${kind} ${seconds(ds.reduce((a, b) => a + b, 0) / ds.length)}/${seconds(Math.max(...ds))}`)
    .join(", ");
}

type Objects = Map<string, { collection: string; id: string; state: string }>;

function emulatorObjects(emulator: RunningEmulator): Objects {
  const objects: Objects = new Map();
  for (const [collection, list] of Object.entries(emulator.state.store.dump())) {
    for (const o of list) {
      const state = typeof o.state === "string" ? o.state : "";
      objects.set(`${collection}/${o.id}`, { collection, id: o.id, state });
    }
  }
  return objects;
}

// ---- A run: one emulator, one stack, up then destroy ---------------------------------------------------

interface RunResult {
  readonly label: string;
  readonly resources: number;
  readonly up: PhaseResult;
  readonly destroy: PhaseResult;
  readonly upPath: { ms: number; chain: string[] };
  readonly destroyPath: { ms: number; chain: string[] };
  readonly destroyLayered: number;
  /** Left after destroy: still in the state (not destroyed), and objects no state resource holds (orphans). */
  readonly notDestroyed: string[];
  readonly orphans: string[];
}

async function run(
  label: string,
  program: string,
  parallel: number | undefined,
  emulatorOptions: Parameters<typeof startEmulator>[0],
  scpConfig: Record<string, string>,
  keep: boolean,
): Promise<RunResult> {
  const emulator = await startEmulator({ ...emulatorOptions, requestLogLimit: 1_000_000 });
  const workRoot = join(REPO_ROOT, ".pulumi-e2e");
  mkdirSync(workRoot, { recursive: true });
  const workDir = mkdtempSync(join(workRoot, `bench-${label.replace(/\W+/g, "-")}-`));
  try {
    writeFileSync(join(workDir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\ndescription: bench:stack\n`);
    writeFileSync(join(workDir, "package.json"), JSON.stringify({ name: PROJECT, private: true, main: "index.js" }));
    writeFileSync(join(workDir, "index.js"), program);
    // The package as a user's install holds it (a copy of dist/, so a rebuild meanwhile does not change the run);
    // its dependencies resolve from the repository's node_modules above.
    const installed = join(workDir, "node_modules", "pulumi-scp-virtualserver");
    mkdirSync(installed, { recursive: true });
    cpSync(join(REPO_ROOT, "dist"), join(installed, "dist"), { recursive: true });
    cpSync(join(REPO_ROOT, "package.json"), join(installed, "package.json"));

    const bin = pulumiBin();
    const envVars = {
      PATH: `${bin}:${process.env.PATH ?? ""}`,
      PULUMI_BACKEND_URL: `file://${join(workDir, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
      // Settings come from the stack config, not from this shell.
      SCP_ACCESS_KEY: "",
      SCP_SECRET_KEY: "",
      SCP_ENDPOINT_OVERRIDE: "",
      // Waits planned on the emulator's clock: at --time-scale F the reads a real run would make, F apart.
      SCP_WAIT_TIME_SCALE: String(emulator.timeScale),
    };
    mkdirSync(join(workDir, "state"), { recursive: true });
    const timings = join(workDir, "cli-timings.txt");
    writeFileSync(timings, "");
    const cli = timedCli(join(workDir, "cli"), resolve(bin), timings);
    const pulumiCommand = await PulumiCommand.get({ root: cli, skipVersionCheck: true });
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "bench", workDir },
      { workDir, envVars, pulumiCommand },
    );
    await stack.setAllConfig({
      "scp:endpointOverride": { value: emulator.url },
      "scp:accessKey": { value: emulator.credentials.accessKey, secret: true },
      "scp:secretKey": { value: emulator.credentials.secretKey, secret: true },
      ...Object.fromEntries(Object.entries(scpConfig).map(([k, value]) => [`scp:${k}`, { value }])),
    });

    const before = emulatorObjects(emulator);
    console.log(`[${label}] up … (load ${load()})`);
    const up = await runPhase("up", stack, emulator, parallel, join(workDir, "up"), timings);
    const resources = await stateResources(stack);
    console.log(`[${label}] up ${seconds(up.wallMs)} s; destroy … (load ${load()})`);
    const destroy = await runPhase("destroy", stack, emulator, parallel, join(workDir, "destroy"), timings);
    console.log(`[${label}] destroy ${seconds(destroy.wallMs)} s`);
    const left = await stateResources(stack);
    const held = new Set(left.flatMap((r) => (r.id ? [r.id] : [])));
    // A nested object (a server's interfaces) is held with its parent.
    const orphans = [...emulatorObjects(emulator).entries()]
      .filter(([key, o]) => !before.has(key) && !held.has(o.id) && !held.has(o.collection.split("/")[1] ?? ""))
      .map(([, o]) => `${o.collection}/${o.id}${o.state ? ` (${o.state})` : ""}`);
    return {
      label,
      resources: resources.length,
      up,
      destroy,
      upPath: criticalPath(resources, up.steps, "up"),
      destroyPath: criticalPath(resources, destroy.steps, "destroy"),
      destroyLayered: layeredBound(resources, destroy.steps),
      notDestroyed: left.map((r) => shortName(r.urn)),
      orphans,
    };
  } finally {
    await emulator.close();
    if (keep) console.log(`[${label}] workspace kept: ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
}

// ---- Printing ----------------------------------------------------------------------------------------

function table(results: RunResult[]): void {
  const width = 16;
  const row = (name: string, values: string[]) =>
    console.log(`${name.padEnd(34)}${values.map((v) => v.padStart(width)).join("")}`);
  row(
    "parallelism",
    results.map((r) => r.label),
  );
  row(
    "resources (SCP, in state after up)",
    results.map((r) => String(r.resources)),
  );
  for (const phase of ["up", "destroy"] as const) {
    console.log(`--- ${phase}`);
    const p = (r: RunResult) => r[phase];
    const path = (r: RunResult) => (phase === "up" ? r.upPath : r.destroyPath);
    row(
      "wall (s)",
      results.map((r) => seconds(p(r).wallMs)),
    );
    row(
      "Automation API call (s)",
      results.map((r) => seconds(p(r).apiCallMs)),
    );
    row(
      "span, first step → last (s)",
      results.map((r) => seconds(p(r).spanMs)),
    );
    row(
      "before the first step (s)",
      results.map((r) => seconds(p(r).beforeFirstStepMs)),
    );
    row(
      "after the last step (s)",
      results.map((r) => seconds(p(r).afterLastStepMs)),
    );
    row(
      "critical path (s)",
      results.map((r) => seconds(path(r).ms)),
    );
    if (phase === "destroy")
      row(
        "layered-delete bound (s)",
        results.map((r) => seconds(r.destroyLayered)),
      );
    row(
      "wall ÷ critical path",
      results.map((r) => (p(r).wallMs / path(r).ms).toFixed(2)),
    );
    row(
      "span ÷ critical path",
      results.map((r) => (p(r).spanMs / path(r).ms).toFixed(2)),
    );
    row(
      "requests",
      results.map((r) => String(p(r).requests.length)),
    );
    row(
      "requests per resource",
      results.map((r) => (p(r).requests.length / r.resources).toFixed(2)),
    );
    row(
      "429s",
      results.map((r) => String(p(r).requests.filter((q) => q.status === 429).length)),
    );
    row(
      "other non-2xx",
      results.map((r) => String(p(r).requests.filter((q) => q.status >= 300 && q.status !== 429).length)),
    );
    row(
      "peak requests in 1 s",
      results.map((r) => String(peakPerSecond(p(r).requests))),
    );
    row(
      "failed resources",
      results.map((r) => String(p(r).failed.length)),
    );
    row(
      "load average before",
      results.map((r) => p(r).loadBefore.split(" ")[0] ?? ""),
    );
    row(
      "load average after",
      results.map((r) => p(r).loadAfter.split(" ")[0] ?? ""),
    );
  }
  row(
    "left in state after destroy",
    results.map((r) => String(r.notDestroyed.length)),
  );
  row(
    "orphans (objects no state holds)",
    results.map((r) => String(r.orphans.length)),
  );
  for (const r of results) {
    console.log(`\n[${r.label}]`);
    for (const phase of ["up", "destroy"] as const) {
      const p = r[phase];
      const path = phase === "up" ? r.upPath : r.destroyPath;
      console.log(
        `  ${phase} critical path: ${path.chain.map((u) => `${shortName(u)} ${seconds(durationOf(p.steps.get(u)))}`).join(" → ")}`,
      );
      console.log(`  ${phase} step s mean/max by kind: ${byKind(p.steps)}`);
      console.log(`  ${phase} requests by operation: ${byOperation(p.requests, 8)}`);
      const refused = p.requests.filter((q) => q.status >= 300);
      if (refused.length) console.log(`  ${phase} non-2xx by operation: ${byOperation(refused, 8, true)}`);
      console.log(`  ${phase} load average (1/5/15 min) before ${p.loadBefore}, after ${p.loadAfter}`);
      if (p.failed.length) console.log(`  ${phase} FAILED (${p.failed.length}): ${p.failed.join(", ")}`);
      for (const e of p.errors.slice(0, 6)) console.log(`    ${e}`);
      if (p.errors.length > 6) console.log(`    … ${p.errors.length - 6} more errors`);
      if (p.error) console.log(`  ${phase} error: ${p.error}`);
    }
    if (r.notDestroyed.length) console.log(`  LEFT IN STATE: ${r.notDestroyed.join(", ")}`);
    if (r.orphans.length) console.log(`  ORPHANS: ${r.orphans.join(", ")}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string", default: "stack" },
      parallel: { type: "string" },
      "time-scale": { type: "string", default: "1" },
      jitter: { type: "string", default: "0.25" },
      seed: { type: "string", default: "1" },
      "rate-limit": { type: "string", default: "10" },
      "scp-config": { type: "string", default: "" },
      keep: { type: "boolean", default: false },
    },
  });
  const scenario = values.scenario;
  if (scenario !== "stack" && scenario !== "rate-limit")
    throw new Error(`--scenario stack|rate-limit, got ${scenario}`);
  const parallels = (values.parallel ?? (scenario === "stack" ? "default,16,64" : "default,64")).split(",");
  const timeScale = Number(values["time-scale"]);
  const emulatorOptions = {
    timeScale,
    durationJitter: Number(values.jitter),
    seed: Number(values.seed),
    ...(scenario === "rate-limit" ? { rateLimit: Number(values["rate-limit"]) } : {}),
  };
  // Provider settings to try (`--scp-config maxRetries=20,maxConcurrentRequests=16`), as stack config scp:<key>.
  const scpConfig = Object.fromEntries(
    values["scp-config"]
      .split(",")
      .filter((pair) => pair.includes("="))
      .map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
  );
  const started = Date.now();
  console.log(
    `bench:stack --scenario ${scenario}: time scale ${timeScale}, jitter ±${Number(values.jitter) * 100} % (seed ${values.seed})` +
      `${scenario === "rate-limit" ? `, rate limit ${values["rate-limit"]} requests/s` : ""}; parallelism ${parallels.join(", ")}` +
      ` (CLI default = 4 × CPUs)${values["scp-config"] ? `; provider config ${values["scp-config"]}` : ""}; load average ${load()}`,
  );
  const results: RunResult[] = [];
  for (const p of parallels) {
    const parallel = p === "default" ? undefined : Number(p);
    results.push(
      await run(
        p === "default" ? "default" : `--parallel ${p}`,
        scenario === "stack" ? STACK_PROGRAM : RATE_LIMIT_PROGRAM,
        parallel,
        emulatorOptions,
        scpConfig,
        values.keep,
      ),
    );
  }
  console.log("");
  table(results);
  console.log(`\nbench:stack wall ${((Date.now() - started) / 1000).toFixed(0)} s; load average ${load()}`);
  if (scenario === "stack")
    console.log(
      "targets (issue 14): up wall ÷ critical path ≤ 1.10 at the recommended parallelism; requests per resource ≤ 4",
    );
  else console.log("targets (issue 14): up and destroy converge, 0 failed resources, 0 orphans");
  if (results.some((r) => r.up.failed.length || r.destroy.failed.length || r.notDestroyed.length || r.orphans.length)) {
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
