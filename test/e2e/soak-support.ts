/**
 * The soak (issue 16 item 2): the stack of issue 14 at any size, the change applied to it, the 30 % fault
 * mix, and the figures read from the emulator and from the provider's debug log.
 */
import { existsSync, readFileSync } from "node:fs";
import type { FaultConfig, RunningEmulator } from "../../emulator";
import { sshPublicKey } from "./drift-matrix-support";

const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";

export interface SoakShape {
  /** Servers, each with a data volume, an attachment and a snapshot. */
  readonly servers: number;
  readonly keypairs: number;
  readonly serverGroups: number;
  /**
   * The keypairs' imported public keys. Imported, as a team's keys are: a generated keypair whose create
   * answer is lost cannot be recovered (the private key is only in that answer), see the keypair resource.
   */
  readonly publicKeys: readonly string[];
}

/** `servers` servers with their volumes, attachments and snapshots; half as many keypairs; up to 2 groups. */
export function soakShape(servers: number): SoakShape {
  const keypairs = Math.max(1, Math.ceil(servers / 2));
  const publicKeys = Array.from({ length: keypairs }, (_, i) => sshPublicKey(`soak-${i}`));
  return { servers, keypairs, serverGroups: Math.min(2, servers), publicKeys };
}

/** Resources the program declares (the stack resource left out). */
export function declaredResources(shape: SoakShape): number {
  // + launch configuration, group, policy, schedule
  return shape.keypairs + shape.serverGroups + 4 * shape.servers + 4;
}

/** The desired server count of the auto-scaling group (its member servers, beside the declared ones). */
export const GROUP_MEMBERS = 1;

/**
 * The program. `changed` applies the cycle's change: in-place updates on several kinds (every volume grows,
 * every snapshot's description, the group's maximum, the policy's threshold) and one replacement (the
 * launch configuration's name: a new one is created, the group repointed, the old one deleted).
 */
export function soakProgram(shape: SoakShape, changed: boolean): string {
  return `
const scp = require("pulumi-scp-virtualserver");
const publicKeys = ${JSON.stringify(shape.publicKeys)};
const keys = publicKeys.map((publicKey, i) => new scp.Keypair("key-" + i, { name: "soak-key-" + i, publicKey }));
const groups = [];
for (let i = 0; i < ${shape.serverGroups}; i++) {
  groups.push(new scp.ServerGroup("group-" + i, { name: "soak-group-" + i, policy: "anti-affinity" }));
}
for (let i = 0; i < ${shape.servers}; i++) {
  const server = new scp.VirtualServer("server-" + i, {
    name: "soak-web-" + i,
    imageId: "${IMAGE_ID}",
    serverTypeId: "s1v1m2",
    keypairName: keys[i % keys.length].name,
    serverGroupId: groups[i % groups.length].id,
    networks: [{ subnetId: "subnet-soak" }],
    bootVolume: { size: 50, type: "SSD" },
  });
  const data = new scp.Volume("data-" + i, { name: "soak-data-" + i, size: ${changed ? 30 : 20}, deleteSnapshots: true });
  const attachment = new scp.VolumeAttachment("attachment-" + i, { volumeId: data.id, serverId: server.id });
  new scp.Snapshot("snapshot-" + i, {
    volumeId: data.id, name: "soak-snap-" + i, description: "${changed ? "weekly" : "nightly"}",
  }, { dependsOn: [attachment] });
}
const template = new scp.LaunchConfiguration("template", {
  name: "${changed ? "soak-lc-v2" : "soak-lc-v1"}", imageId: "${IMAGE_ID}", serverTypeId: "s1v1m2", volumes: [{ size: 50 }],
});
const asg = new scp.AutoScalingGroup("asg", {
  name: "soak-asg", launchConfigurationId: template.id, minServerCount: ${GROUP_MEMBERS},
  maxServerCount: ${changed ? 3 : 2}, subnetIds: ["subnet-soak"],
});
new scp.AutoScalingPolicy("cpu-high", {
  autoScalingGroupId: asg.id, name: "cpu-high", metricType: "CPU", metricMethod: "AVG", comparisonOperator: "ge",
  threshold: ${changed ? 80 : 70}, evaluationMinutes: 5, scaleType: "SCALE_OUT", scaleMethod: "AMOUNT", scaleValue: 1,
  cooldownSeconds: 300,
});
new scp.AutoScalingSchedule("weekend", {
  autoScalingGroupId: asg.id, name: "weekend", frequency: "WEEKLY", daysOfWeek: ["SA", "SU"], hour: 9, minute: 0,
  desiredServerCount: ${GROUP_MEMBERS},
});
`;
}

/**
 * 30 % of API requests fail or slow down: six draws of ≈ 5.8 % each (1 − 0.942⁶ ≈ 0.30). Before the effect:
 * a connection reset, a 429 with Retry-After, a 503, a slow answer; after the effect (the answer is lost):
 * a connection reset, a 500.
 */
export function soakFaults(seed: number, slowMs: number): FaultConfig {
  const p = 1 - 0.7 ** (1 / 6);
  return {
    seed,
    rules: [
      { resetRate: p, throttleRate: p, retryAfterSeconds: 1, errorRate: p, errorStatus: 503, slowRate: p, slowMs },
      { afterEffect: true, resetRate: p, errorRate: p, errorStatus: 500 },
    ],
  };
}

type ApiObject = Record<string, unknown>;
type Dump = Record<string, ApiObject[]>;

async function dump(emulator: RunningEmulator): Promise<Dump> {
  return (await (await fetch(`${emulator.url}/_emulator/objects`)).json()) as Dump;
}

/** Every object id the emulator holds, as `collection/id` (the seeded catalogue, before any run). */
export async function objectKeys(emulator: RunningEmulator): Promise<Set<string>> {
  const all = await dump(emulator);
  return new Set(
    Object.entries(all).flatMap(([collection, objects]) => objects.map((o) => `${collection}/${String(o.id)}`)),
  );
}

/** Objects left after destroy: everything not in the baseline (the catalogue), by collection. */
export async function orphans(emulator: RunningEmulator, baseline: ReadonlySet<string>): Promise<string[]> {
  return [...(await objectKeys(emulator))].filter((key) => !baseline.has(key));
}

/** Objects of a kind beyond what the program declares, after an up: `kind: n extra`. */
export async function duplicates(emulator: RunningEmulator, shape: SoakShape): Promise<Record<string, number>> {
  const all = await dump(emulator);
  const named = (collection: string, prefix: string) =>
    (all[collection] ?? []).filter((o) => String(o.name).startsWith(prefix));
  const servers = all.servers ?? [];
  const groups = named("auto-scaling-groups", "soak-asg");
  const children = (kind: string) => groups.flatMap((g) => all[`auto-scaling-groups/${String(g.id)}/${kind}`] ?? []);
  const dataVolumes = named("volumes", "soak-data-");
  const counts: Record<string, [actual: number, declared: number]> = {
    keypairs: [named("keypairs", "soak-key-").length, shape.keypairs],
    "server groups": [named("server-groups", "soak-group-").length, shape.serverGroups],
    servers: [
      servers.filter((s) => !s.auto_scaling_group_id && String(s.name).startsWith("soak-web-")).length,
      shape.servers,
    ],
    "group members": [servers.filter((s) => s.auto_scaling_group_id).length, GROUP_MEMBERS],
    volumes: [dataVolumes.length, shape.servers],
    attachments: [
      dataVolumes.reduce((n, v) => n + (Array.isArray(v.servers) ? v.servers.length : 0), 0),
      shape.servers,
    ],
    snapshots: [named("snapshots", "soak-snap-").length, shape.servers],
    "launch configurations": [named("launch-configurations", "soak-lc-").length, 1],
    "auto-scaling groups": [groups.length, 1],
    policies: [children("policies").length, 1],
    schedules: [children("schedules").length, 1],
  };
  return Object.fromEntries(
    Object.entries(counts)
      .filter(([, [actual, declared]]) => actual > declared)
      .map(([kind, [actual, declared]]) => [kind, actual - declared]),
  );
}

/** Faults the emulator injected since the rules were set, by kind. */
export async function injectedFaults(emulator: RunningEmulator): Promise<Record<string, number>> {
  const answer = (await (await fetch(`${emulator.url}/_emulator/faults`)).json()) as {
    injected?: Record<string, number>;
  };
  return answer.injected ?? {};
}

export interface AttemptFigures {
  /** Logical calls: first attempts in the provider's debug log. */
  readonly calls: number;
  /** Every HTTP attempt the provider logged. */
  readonly attempts: number;
}

/** Calls and attempts from the provider's JSONL debug log (SCP_DEBUG_LOG). */
export function attemptFigures(debugLog: string): AttemptFigures {
  if (!existsSync(debugLog)) return { calls: 0, attempts: 0 };
  const lines = readFileSync(debugLog, "utf8").split("\n").filter(Boolean);
  const attempts = lines.map((line) => (JSON.parse(line) as { attempt: number }).attempt);
  return { calls: attempts.filter((a) => a === 1).length, attempts: attempts.length };
}

export interface RunFigures {
  readonly label: string;
  readonly cycles: number;
  readonly resources: number;
  readonly requests: number;
  readonly faults: Record<string, number>;
  readonly failedRuns: number;
  readonly orphans: number;
  readonly duplicates: number;
  /** Resources a refresh right after the change's up found changed (drift the provider created itself). */
  readonly refreshChanges: number;
  readonly calls: number;
  readonly attempts: number;
  readonly wallSeconds: number;
}

/** The figures table, one row per figure. */
export function figuresTable(run: RunFigures): string {
  const faults = Object.entries(run.faults)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, n]) => `${kind} ${n}`)
    .join(", ");
  const totalFaults = Object.values(run.faults).reduce((a, b) => a + b, 0);
  const rows: [string, string][] = [
    ["cycles", String(run.cycles)],
    ["resources per stack", String(run.resources)],
    ["API requests (emulator)", String(run.requests)],
    [
      "faults injected",
      `${totalFaults} (${((100 * totalFaults) / Math.max(1, run.requests)).toFixed(1)} %): ${faults}`,
    ],
    ["failed runs (target 0)", String(run.failedRuns)],
    ["orphans after destroy (target 0)", String(run.orphans)],
    ["duplicates after up (target 0)", String(run.duplicates)],
    ["changes found by refresh", String(run.refreshChanges)],
    ["provider calls / attempts", `${run.calls} / ${run.attempts}`],
    ["retries per call", (run.calls ? (run.attempts - run.calls) / run.calls : 0).toFixed(3)],
    ["wall", `${run.wallSeconds.toFixed(0)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [`soak ${run.label}`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)].join("\n");
}
