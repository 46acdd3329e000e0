#!/usr/bin/env node
/**
 * scp-recover — after a `pulumi up` was killed: finds the objects its unfinished creates made and takes
 * them into the stack with `pulumi refresh --import-pending-creates`, so the next `up` creates nothing twice.
 *
 *   scp-recover [--stack <name>] [--cwd <project dir>] [--apply]
 *
 * It reads the stack's pending operations (`pulumi stack export --show-secrets`) and the stack config
 * (`pulumi config --json --show-secrets`, for the SCP settings), and looks for each pending create's object:
 * servers and snapshots by the creation marker the provider stamps on them, the other kinds by name (or
 * identity: an attachment's server and volume), leaving out ids the stack already holds. It prints what it
 * found; `--apply` writes each found object into the state as the resource (`pulumi stack import`) and reads
 * it (`pulumi refresh`). A create that left no object is cleared; several candidates for one create are
 * listed and left pending for the user.
 *
 * Exit codes: 0 done or nothing to do; 1 error; 3 a create has several candidates (left pending).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { URN_INPUT, createMarker } from "../provider/create-marker";
import { clientFor } from "../provider/clients";
import type { ResourceSpec } from "../provider/resource-provider";
import { PROVIDER_KEY } from "../provider/thin-provider";
import { setStackConfig } from "../provider/settings";
import { resolveTimeouts } from "../provider/timeouts";
import { spec as autoScalingGroup } from "../resources/auto-scaling-group";
import { spec as autoScalingNotification } from "../resources/auto-scaling-notification";
import { spec as autoScalingPolicy } from "../resources/auto-scaling-policy";
import { spec as autoScalingSchedule } from "../resources/auto-scaling-schedule";
import { spec as keypair } from "../resources/keypair";
import { spec as launchConfiguration } from "../resources/launch-configuration";
import { spec as serverGroup } from "../resources/server-group";
import { spec as snapshot } from "../resources/snapshot";
import { spec as virtualServer } from "../resources/virtual-server";
import { spec as volumeAttachment } from "../resources/volume-attachment";
import { spec as volume } from "../resources/volume";

type AnySpec = ResourceSpec<Record<string, unknown>, object>;

/** The resource types of this package (`pulumi-nodejs:dynamic/scp:<Type>`) and their implementations. */
const SPECS: Readonly<Record<string, AnySpec>> = Object.fromEntries(
  Object.entries({
    AutoScalingGroup: autoScalingGroup,
    AutoScalingNotification: autoScalingNotification,
    AutoScalingPolicy: autoScalingPolicy,
    AutoScalingSchedule: autoScalingSchedule,
    Keypair: keypair,
    LaunchConfiguration: launchConfiguration,
    ServerGroup: serverGroup,
    Snapshot: snapshot,
    VirtualServer: virtualServer,
    VolumeAttachment: volumeAttachment,
    Volume: volume,
  }).map(([type, spec]) => [`pulumi-nodejs:dynamic/scp:${type}`, spec as unknown as AnySpec]),
);

interface StateResource {
  readonly urn: string;
  readonly type: string;
  readonly id?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
  /** Pending deletion: the old half of a replacement (create before delete). */
  readonly delete?: boolean;
  /** Deleted already, its replacement not yet created (delete before replace). */
  readonly pendingReplacement?: boolean;
}
interface StackExport {
  readonly deployment?: {
    readonly resources?: readonly StateResource[];
    readonly pending_operations?: readonly { readonly resource: StateResource; readonly type: string }[];
  };
}

/** What was found for one pending create. */
export interface PendingCreate {
  readonly urn: string;
  readonly description: string;
  /** Live objects that may be what the create made, the stack's own ids left out. */
  readonly candidates: readonly string[];
}

/** `--show-secrets` prints a secret as an object holding its JSON text; the provider saw the value. */
function revealed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revealed);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (typeof record.plaintext === "string") return revealed(JSON.parse(record.plaintext));
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, revealed(v)]));
}

/** Looks for what each pending create of the exported stack made. */
export async function findPendingCreates(exported: StackExport): Promise<PendingCreate[]> {
  const held = new Set((exported.deployment?.resources ?? []).map((r) => r.id).filter((id) => id));
  const found: PendingCreate[] = [];
  for (const op of exported.deployment?.pending_operations ?? []) {
    if (op.type !== "creating") continue;
    const spec = SPECS[op.resource.type];
    if (!spec) continue; // not a resource of this package
    const {
      [PROVIDER_KEY]: _provider,
      [URN_INPUT]: urn,
      ...raw
    } = revealed(op.resource.inputs ?? {}) as Record<string, unknown>;
    const inputs = spec.schema.parse(raw);
    const region = typeof inputs.region === "string" ? inputs.region : undefined;
    const ctx = {
      client: clientFor({ region }),
      timeouts: resolveTimeouts(undefined, spec.defaultTimeouts),
    };
    const live =
      spec.findCreated && typeof urn === "string"
        ? await spec.findCreated(ctx, inputs, createMarker(urn, inputs))
        : ((await spec.findNamed?.(ctx, inputs)) ?? []);
    found.push({
      urn: op.resource.urn,
      description: spec.describe(inputs),
      candidates: live.filter((id) => !held.has(id)),
    });
  }
  return found;
}

/**
 * The stack with each create that has exactly one candidate turned into a resource with that id (its
 * outputs, until the refresh that follows reads them, are its inputs: they hold the provider the read
 * needs), and the creates that made nothing dropped. `exported` is the export without `--show-secrets`, so
 * secrets stay encrypted on the way back. The engine's own way, `pulumi refresh --import-pending-creates`,
 * drops the operations without adopting them (seen with the CLI 3.248 file backend), so it is not used.
 */
export function adoptPendingCreates(exported: StackExport, pending: readonly PendingCreate[]): StackExport {
  const byUrn = new Map(pending.map((p) => [p.urn, p]));
  const deployment = exported.deployment ?? {};
  const adopted: StateResource[] = [];
  const kept = (deployment.pending_operations ?? []).filter((op) => {
    const found = op.type === "creating" ? byUrn.get(op.resource.urn) : undefined;
    if (!found) return true;
    if (found.candidates.length > 1) return true; // for the user to decide
    if (found.candidates.length === 1) {
      adopted.push({ ...op.resource, id: found.candidates[0] as string, outputs: op.resource.inputs ?? {} });
    }
    return false;
  });
  // A create that was the new half of a replacement: the old resource, still in state under the same URN,
  // becomes what the engine itself makes of it once the create is done. The new half goes right after the old one: the state is in dependency order, and the resources that
  // depend on that URN come after the old half. Any other adopted create is appended (nothing can depend on
  // a resource whose create never finished).
  const resources: StateResource[] = [];
  const placed = new Set<StateResource>();
  for (const r of deployment.resources ?? []) {
    const replacement = adopted.find((a) => a.urn === r.urn);
    if (!replacement || r.delete) {
      resources.push(r);
      continue;
    }
    // Delete before replace: the old one is gone already, the new one takes its place. Create before
    // delete: the old one stays, pending deletion, as the engine leaves it once the create is done.
    resources.push(...(r.pendingReplacement ? [replacement] : [{ ...r, delete: true }, replacement]));
    placed.add(replacement);
  }
  return {
    ...exported,
    deployment: {
      ...deployment,
      resources: [...resources, ...adopted.filter((a) => !placed.has(a))],
      pending_operations: kept,
    },
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { stack: { type: "string" }, cwd: { type: "string" }, apply: { type: "boolean", default: false } },
  });
  const stackArgs = values.stack ? ["--stack", values.stack] : [];
  const pulumi = (args: string[], inherit = false) =>
    execFileSync("pulumi", [...args, ...stackArgs], {
      cwd: values.cwd,
      encoding: "utf8",
      maxBuffer: 256 << 20,
      ...(inherit ? { stdio: "inherit" as const } : {}),
    });

  const config = JSON.parse(pulumi(["config", "--json", "--show-secrets"])) as Record<string, { value?: string }>;
  setStackConfig(Object.fromEntries(Object.entries(config).map(([key, entry]) => [key, entry.value])));
  const pending = await findPendingCreates(JSON.parse(pulumi(["stack", "export", "--show-secrets"])) as StackExport);
  if (pending.length === 0) {
    console.log("No pending creates of SCP resources: nothing to recover.");
    return 0;
  }
  for (const create of pending) {
    const outcome =
      create.candidates.length === 1
        ? `found ${create.candidates[0]}: adopt it`
        : create.candidates.length === 0
          ? "nothing found: the create made no object; clear it"
          : `${create.candidates.length} candidates (${create.candidates.join(", ")}): left pending for you to decide`;
    console.log(`${create.description}\n  ${create.urn}\n  ${outcome}`);
  }
  const ambiguous = pending.filter((p) => p.candidates.length > 1);
  if (ambiguous.length > 0) {
    console.log(
      "\nFor each create left pending: delete the objects that are not this resource's, then run scp-recover again " +
        "(or pulumi refresh --clear-pending-creates to drop it, and give the id you keep as the resource's importId).",
    );
  }
  if (!values.apply) {
    console.log("\nRun again with --apply to adopt (pulumi stack import, then pulumi refresh).");
    return ambiguous.length > 0 ? 3 : 0;
  }
  const exported = JSON.parse(pulumi(["stack", "export"])) as StackExport;
  const directory = mkdtempSync(join(tmpdir(), "scp-recover-"));
  try {
    const file = join(directory, "stack.json");
    writeFileSync(file, JSON.stringify(adoptPendingCreates(exported, pending)));
    pulumi(["stack", "import", "--file", file], true);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  // Reads every adopted object, so the state holds its real outputs before the next up.
  pulumi(["refresh", "--yes", "--skip-preview"], true);
  return ambiguous.length > 0 ? 3 : 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`scp-recover: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
