/**
 * scp-import, part 1: the live objects of the account and region, as declarations of this package's
 * resources (see scp-import-program.ts for the program written from them).
 *
 * Each kind is listed with its List operation (provider/list-all.ts) and each selected object is read with
 * its resource's own `read` — the same reads `importId` and refresh make — so the inputs written are the
 * ones the provider derives from live state, from fields the API reference documents, and the plan after
 * the import is empty. Inputs the API never returns (tags, user data) are never written.
 */
import { z } from "zod";
import { ScpApiError } from "../provider/errors";
import type { ScpClient } from "../provider/http";
import { listAll } from "../provider/list-all";
import { nestedId } from "../provider/nested-id";
import type { OperationId } from "../provider/operations";
import type { ResourceSpec } from "../provider/resource-provider";
import { resolveTimeouts } from "../provider/timeouts";
import { spec as autoScalingGroupSpec } from "../resources/auto-scaling-group";
import { spec as autoScalingNotificationSpec } from "../resources/auto-scaling-notification";
import { spec as autoScalingPolicySpec } from "../resources/auto-scaling-policy";
import { spec as autoScalingScheduleSpec } from "../resources/auto-scaling-schedule";
import { spec as keypairSpec } from "../resources/keypair";
import { spec as launchConfigurationSpec } from "../resources/launch-configuration";
import { spec as serverGroupSpec } from "../resources/server-group";
import { spec as snapshotSpec } from "../resources/snapshot";
import { spec as virtualServerSpec } from "../resources/virtual-server";
import { spec as volumeAttachmentSpec } from "../resources/volume-attachment";
import { spec as volumeSpec } from "../resources/volume";
import {
  type Declaration,
  type InputValue,
  KIND_INFO,
  KINDS,
  type Kind,
  Link,
  type Skipped,
  objectKey,
} from "./scp-import-program";

type AnySpec = ResourceSpec<Record<string, unknown>, object>;
const asAny = (spec: unknown) => spec as AnySpec;

const SPECS: Readonly<Record<Kind, AnySpec>> = {
  keypairs: asAny(keypairSpec),
  "server-groups": asAny(serverGroupSpec),
  "launch-configurations": asAny(launchConfigurationSpec),
  servers: asAny(virtualServerSpec),
  volumes: asAny(volumeSpec),
  attachments: asAny(volumeAttachmentSpec),
  snapshots: asAny(snapshotSpec),
  "auto-scaling-groups": asAny(autoScalingGroupSpec),
  policies: asAny(autoScalingPolicySpec),
  schedules: asAny(autoScalingScheduleSpec),
  notifications: asAny(autoScalingNotificationSpec),
};

export interface DiscoverOptions {
  /** Only objects whose name starts with it (the objects of a selected auto-scaling group go with it). */
  readonly prefix?: string | undefined;
  readonly kinds: ReadonlySet<Kind>;
}

export interface Discovery {
  readonly declarations: Declaration[];
  readonly skipped: Skipped[];
  /** Objects of the selected kinds whose name does not match the prefix. */
  readonly unmatched: number;
}

// ---- Listings, as the reference documents them (only the fields used to select and relate) -------------

const listed = {
  keypair: z.looseObject({ name: z.string() }),
  serverGroup: z.looseObject({ id: z.string(), name: z.string(), policy: z.string().nullish() }),
  launchConfiguration: z.looseObject({
    id: z.string(),
    name: z.string(),
    state: z.string().nullish(),
    user_data: z.string().nullish(),
  }),
  server: z.looseObject({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    locked: z.boolean().nullish(),
    auto_scaling_group_id: z.string().nullish(),
    volumes: z.array(z.looseObject({ id: z.string() })).nullish(),
  }),
  volume: z.looseObject({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    bootable: z.boolean().nullish(),
    servers: z.array(z.looseObject({ id: z.string() })).nullish(),
  }),
  snapshot: z.looseObject({ id: z.string(), name: z.string().nullish(), status: z.string(), volume_id: z.string() }),
  group: z.looseObject({
    id: z.string(),
    name: z.string(),
    state: z.string(),
    desired_server_count: z.number().nullish(),
  }),
  policy: z.looseObject({ id: z.string(), name: z.string() }),
  schedule: z.looseObject({ id: z.string(), name: z.string() }),
  notification: z.looseObject({ id: z.string(), user_id: z.string(), user_name: z.string().nullish() }),
};

async function list<S extends z.ZodType>(
  client: ScpClient,
  schema: S,
  operation: OperationId,
  itemsKey: string,
  options?: Parameters<typeof listAll>[3],
): Promise<z.infer<S>[]> {
  return (await listAll(client, operation, itemsKey, options)).map((item) => {
    const parsed = schema.safeParse(item);
    if (parsed.success) return parsed.data as z.infer<S>;
    const issue = parsed.error.issues[0];
    throw new Error(`${operation}: an item SCP listed is not as expected: ${issue?.path.join(".")}: ${issue?.message}`);
  });
}

// ---- Reads ---------------------------------------------------------------------------------------------

/** The live inputs of one object, as its resource's `read` derives them; undefined when it is gone. */
async function liveInputs(
  client: ScpClient,
  kind: Kind,
  id: string,
  template: Record<string, unknown> = {},
): Promise<Record<string, unknown> | undefined> {
  const spec = SPECS[kind];
  const ctx = { client, timeouts: resolveTimeouts(undefined, spec.defaultTimeouts) };
  try {
    return (await spec.read(ctx, id, template))?.inputs;
  } catch (error) {
    if (error instanceof ScpApiError && error.notFound) return undefined;
    throw error;
  }
}

/** A value as the program writes it: unset, empty strings, lists and maps left out ("no opinion"). */
function cleaned(value: unknown): InputValue | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) {
    const items = value.map(cleaned).filter((v): v is InputValue => v !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === "object") {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, cleaned(v)] as const)
      .filter((e): e is readonly [string, InputValue] => e[1] !== undefined);
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  }
  return undefined;
}

function cleanedInputs(inputs: Record<string, unknown>, omit: readonly string[]): Record<string, InputValue> {
  const result: Record<string, InputValue> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (omit.includes(key) || ["region", "timeouts", "importId"].includes(key)) continue;
    const v = cleaned(value);
    if (v !== undefined) result[key] = v;
  }
  return result;
}

/** The inputs with every Link replaced by its literal: what the schema checks. */
function literalInputs(value: InputValue): unknown {
  if (value instanceof Link) return value.literal;
  if (Array.isArray(value)) return value.map((v: InputValue) => literalInputs(v));
  if (typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literalInputs(v)]));
  return value;
}

/** Inputs in the order the resource's schema declares them (name, image, type, … as the docs show them). */
function inSchemaOrder(kind: Kind, entries: [string, InputValue][]): [string, InputValue][] {
  const schema = SPECS[kind].schema as unknown as { shape?: Record<string, unknown> };
  const order = Object.keys(schema.shape ?? {});
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  return [...entries].sort((a, b) => rank(a[0]) - rank(b[0]));
}

/**
 * The inputs checked with the resource's schema, as `pulumi preview` will check them. A live value the
 * schema refuses on an optional input is left out, with a comment; a refused required input skips the object.
 */
function checked(
  kind: Kind,
  inputs: Record<string, InputValue>,
): { inputs: Record<string, InputValue>; comments: string[] } | { problem: string } {
  const schema = SPECS[kind].schema;
  const first = schema.safeParse(literalInputs(inputs));
  if (first.success) return { inputs, comments: [] };
  const refused = new Map<string, string>();
  for (const issue of first.error.issues) {
    const key = String(issue.path[0] ?? "");
    if (!refused.has(key)) refused.set(key, issue.message);
  }
  const kept = Object.fromEntries(Object.entries(inputs).filter(([k]) => !refused.has(k)));
  if (refused.has("") || !schema.safeParse(literalInputs(kept)).success) {
    const problems = [...refused].map(([k, message]) => `${k || "inputs"}: ${message}`);
    return { problem: `its live values do not pass this package's checks (${problems.join("; ")})` };
  }
  return {
    inputs: kept,
    comments: [...refused].map(([k, message]) => `Left out: ${k}, whose live value this package refuses (${message}).`),
  };
}

// ---- Discovery -----------------------------------------------------------------------------------------

const SERVER_GONE = ["DELETING", "DELETED", "SOFT_DELETED"];

const describeObject = (kind: Kind, name: string, id: string) =>
  `${KIND_INFO[kind].label} "${name}"${id === name ? "" : ` (${id})`}`;

/** The live objects of the selected kinds, as declarations to import; what was left out, and why. */
export async function discover(client: ScpClient, options: DiscoverOptions): Promise<Discovery> {
  const matches = (name: string | null | undefined) =>
    options.prefix === undefined || (name ?? "").startsWith(options.prefix);
  const selected = (kind: Kind) => options.kinds.has(kind);
  const skipped: Skipped[] = [];
  let unmatched = 0;

  // Everything is listed, whatever is selected: relationships (a server's boot volume, a group's members)
  // decide what is declared and how.
  const [keypairs, serverGroups, launchConfigurations, servers, volumes, snapshots, groups] = await Promise.all([
    list(client, listed.keypair, "listKeypairs", "keypairs", { markerOf: (k) => String(k.name) }),
    list(client, listed.serverGroup, "listServerGroups", "server_groups"),
    list(client, listed.launchConfiguration, "listLaunchConfigurations", "launch_configurations"),
    list(client, listed.server, "listVirtualServers", "servers"),
    list(client, listed.volume, "listVolumes", "volumes"),
    list(client, listed.snapshot, "listSnapshots", "snapshots"),
    list(client, listed.group, "listAutoScalingGroups", "auto_scaling_groups"),
  ]);

  /** The objects of a kind that match the prefix (counting the others), minus those skipped, with why. */
  function pick<T extends { name?: string | null | undefined }>(
    kind: Kind,
    items: readonly T[],
    skip: (item: T) => { description: string; reason: string } | undefined,
  ): T[] {
    if (!selected(kind)) return [];
    return items.filter((item) => {
      if (!matches(item.name)) {
        unmatched++;
        return false;
      }
      const reason = skip(item);
      if (reason) skipped.push({ kind, ...reason });
      return reason === undefined;
    });
  }

  const pending: Promise<Declaration | undefined>[] = [];
  /** Reads an object and turns its live inputs into a declaration (or a skip, when it cannot be one). */
  const declare = (
    kind: Kind,
    id: string,
    name: string,
    shape: {
      readonly template?: Record<string, unknown>;
      readonly omit?: readonly string[];
      /** Inputs to replace (a Link for a live id), or to leave out (undefined). */
      readonly adjust?: (inputs: Record<string, InputValue>) => Record<string, InputValue | undefined>;
      readonly comments?: readonly string[];
    } = {},
  ) => {
    pending.push(
      (async () => {
        const live = await liveInputs(client, kind, id, shape.template);
        if (!live) {
          skipped.push({ kind, description: describeObject(kind, name, id), reason: "gone before it could be read" });
          return undefined;
        }
        const base = cleanedInputs(live, shape.omit ?? []);
        const adjusted = Object.entries({ ...base, ...shape.adjust?.(base) }).filter(
          (e): e is [string, InputValue] => e[1] !== undefined,
        );
        const result = checked(kind, Object.fromEntries(inSchemaOrder(kind, adjusted)));
        if ("problem" in result) {
          skipped.push({ kind, description: describeObject(kind, name, id), reason: result.problem });
          return undefined;
        }
        return {
          kind,
          importId: id,
          name,
          key: objectKey(kind, id),
          inputs: result.inputs,
          comments: [...(shape.comments ?? []), ...result.comments],
        };
      })(),
    );
  };
  /** `{ [key]: Link }` to the object of `kind` that the live id (or name) `value` names; `{}` when unset. */
  const linked = (key: string, kind: Kind, value: InputValue | undefined, property: "id" | "name" = "id") =>
    typeof value === "string" ? { [key]: new Link(objectKey(kind, value), property, value) } : {};

  for (const k of pick("keypairs", keypairs, () => undefined)) {
    declare("keypairs", k.name, k.name, {
      comments: [
        "The private key cannot be read from SCP (it is handed out once, to the create that made the keypair):",
        "this keypair has no privateKey output here.",
      ],
    });
  }

  for (const g of pick("server-groups", serverGroups, () => undefined)) declare("server-groups", g.id, g.name);

  for (const l of pick("launch-configurations", launchConfigurations, (l) =>
    l.state === "DELETING"
      ? { description: describeObject("launch-configurations", l.name, l.id), reason: "being deleted" }
      : undefined,
  )) {
    declare("launch-configurations", l.id, l.name, {
      // The read gives user data only as a marker of its hash: never the payload, which is a secret.
      omit: ["userData"],
      adjust: (inputs) => linked("keypairName", "keypairs", inputs.keypairName, "name"),
      comments: l.user_data
        ? [
            "This launch configuration has user data, which is not copied here (it is a secret): set userData",
            "to the same script before a change replaces the configuration, or its replacement starts without it.",
          ]
        : [],
    });
  }

  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const partitionGroups = new Set(serverGroups.filter((g) => g.policy === "partition").map((g) => g.id));
  for (const s of pick("servers", servers, (s) => {
    const description = describeObject("servers", s.name, s.id);
    if (s.auto_scaling_group_id) {
      const group = groupName.get(s.auto_scaling_group_id);
      return {
        description,
        reason: `a member of auto-scaling group ${group ? `"${group}" (${s.auto_scaling_group_id})` : s.auto_scaling_group_id}: the group creates and deletes its servers`,
      };
    }
    if (SERVER_GONE.includes(s.state)) return { description, reason: "being deleted" };
    if (s.state === "ERROR") {
      return { description, reason: "in ERROR: the import would plan its replacement; repair or delete it first" };
    }
    return undefined;
  })) {
    declare("servers", s.id, s.name, {
      // Show Virtual Server's read keeps the boot volume's size, type and delete-on-termination only where
      // the program declares them: a template that declares all three (a size of 0 marks "none found").
      template: { bootVolume: { size: 0, type: "", deleteOnTermination: false } },
      adjust: (inputs) => {
        const boot = inputs.bootVolume as Record<string, InputValue> | undefined;
        const groupId = inputs.serverGroupId;
        return {
          ...linked("keypairName", "keypairs", inputs.keypairName, "name"),
          ...linked("serverGroupId", "server-groups", groupId),
          ...(boot && boot.size !== 0 ? {} : { bootVolume: undefined }),
          // The API's defaults are left out, as a hand-written program leaves them out.
          ...(inputs.productCategory === "compute" ? { productCategory: undefined } : {}),
          ...(inputs.productOffering === "virtual_server" ? { productOffering: undefined } : {}),
          // A partition number means something only in a partition group.
          ...(typeof groupId === "string" && partitionGroups.has(groupId) ? {} : { partitionNumber: undefined }),
        };
      },
      comments: s.locked
        ? ["Locked: pulumi destroy refuses to delete a locked server (set locked: false and run pulumi up first)."]
        : [],
    });
  }

  const bootVolumeOf = new Map(servers.flatMap((s) => (s.volumes?.[0] ? [[s.volumes[0].id, s] as const] : [])));
  const volumesPicked = pick("volumes", volumes, (v) => {
    const description = describeObject("volumes", v.name, v.id);
    const server = bootVolumeOf.get(v.id);
    if (v.bootable && server) {
      return {
        description,
        reason: `the boot volume of server "${server.name}" (${server.id}): part of that server (its bootVolume input)`,
      };
    }
    if (["deleting", "error", "error_deleting", "error_extending"].includes(v.state)) {
      return { description, reason: `in state ${v.state}` };
    }
    return undefined;
  });
  // Attachments go with their volumes: a volume selected by name brings the attachments it has.
  const attachmentsSelected = selected("attachments");
  const volumeSelection = selected("volumes")
    ? volumesPicked
    : attachmentsSelected
      ? volumes.filter((v) => matches(v.name) && !(v.bootable && bootVolumeOf.has(v.id)))
      : [];
  for (const v of volumesPicked) {
    declare("volumes", v.id, v.name, { adjust: (inputs) => linked("snapshotId", "snapshots", inputs.snapshotId) });
  }
  for (const v of attachmentsSelected ? volumeSelection : []) {
    for (const s of v.servers ?? []) {
      declare("attachments", nestedId(s.id, v.id), v.name, {
        adjust: (inputs) => ({
          ...linked("volumeId", "volumes", inputs.volumeId),
          ...linked("serverId", "servers", inputs.serverId),
        }),
      });
    }
  }

  for (const s of pick("snapshots", snapshots, (s) =>
    ["deleting", "error", "error_deleting"].includes(s.status)
      ? { description: describeObject("snapshots", s.name ?? s.id, s.id), reason: `in state ${s.status}` }
      : undefined,
  )) {
    declare("snapshots", s.id, s.name ?? s.id, { adjust: (inputs) => linked("volumeId", "volumes", inputs.volumeId) });
  }

  const childKinds = (["policies", "schedules", "notifications"] as const).filter(selected);
  const groupsWanted = selected("auto-scaling-groups") || childKinds.length > 0;
  const groupsPicked = groupsWanted
    ? groups.filter((g) => {
        if (!matches(g.name)) {
          if (selected("auto-scaling-groups")) unmatched++;
          return false;
        }
        if (g.state !== "DELETING") return true;
        if (selected("auto-scaling-groups")) {
          skipped.push({
            kind: "auto-scaling-groups",
            description: describeObject("auto-scaling-groups", g.name, g.id),
            reason: "being deleted",
          });
        }
        return false;
      })
    : [];
  const groupLink = (inputs: Record<string, InputValue>) =>
    linked("autoScalingGroupId", "auto-scaling-groups", inputs.autoScalingGroupId);
  for (const g of groupsPicked) {
    if (selected("auto-scaling-groups")) {
      declare("auto-scaling-groups", g.id, g.name, {
        // Left to the policies and schedules, as the README advises: scaling is then not drift.
        omit: ["desiredServerCount"],
        adjust: (inputs) => linked("launchConfigurationId", "launch-configurations", inputs.launchConfigurationId),
        comments: [
          `desiredServerCount is left unset (live: ${g.desired_server_count ?? "?"}): scaling by policies and schedules is then`,
          "not drift. Set it to manage the count from this program.",
        ],
      });
    }
    const path = { auto_scaling_group_id: g.id };
    const [policies, schedules, notifications] = await Promise.all([
      selected("policies") ? list(client, listed.policy, "listAutoScalingGroupPolicies", "policies", { path }) : [],
      selected("schedules")
        ? list(client, listed.schedule, "listAutoScalingGroupSchedules", "schedules", { path })
        : [],
      selected("notifications")
        ? list(client, listed.notification, "listAutoScalingGroupNotifications", "notifications", { path })
        : [],
    ]);
    for (const p of policies) declare("policies", nestedId(g.id, p.id), p.name, { adjust: groupLink });
    for (const s of schedules) {
      declare("schedules", nestedId(g.id, s.id), s.name, {
        adjust: (inputs) => ({ ...groupLink(inputs), ...unsetCounts(inputs) }),
      });
    }
    for (const n of notifications) {
      declare("notifications", nestedId(g.id, n.id), `${g.name}-${n.user_name || n.user_id}`, { adjust: groupLink });
    }
  }

  const declarations = (await Promise.all(pending))
    .filter((d): d is Declaration => d !== undefined)
    .sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  return { declarations: withRelationComments(declarations, snapshots, volumes), skipped, unmatched };
}

/**
 * A schedule's counts: the API answers 0 for a count the schedule does not set (the reference types them as
 * numbers, never null), so a 0 beside a count that is set is "unset"; a schedule of only zeros (scale to
 * nothing) keeps them.
 */
function unsetCounts(inputs: Record<string, InputValue>): Record<string, undefined> {
  const keys = ["minServerCount", "maxServerCount", "desiredServerCount"];
  if (keys.every((k) => inputs[k] === 0 || inputs[k] === undefined)) return {};
  return Object.fromEntries(keys.filter((k) => inputs[k] === 0).map((k) => [k, undefined]));
}

/** Comments on what the program does not hold that `pulumi destroy` of a declared volume runs into. */
function withRelationComments(
  declarations: readonly Declaration[],
  snapshots: readonly z.infer<typeof listed.snapshot>[],
  volumes: readonly z.infer<typeof listed.volume>[],
): Declaration[] {
  const declared = new Set(declarations.map((d) => d.key));
  return declarations.map((d) => {
    const notes: string[] = [];
    if (d.kind === "volumes") {
      const others = snapshots.filter((s) => s.volume_id === d.importId && !declared.has(objectKey("snapshots", s.id)));
      if (others.length > 0) {
        notes.push(
          `${others.length} snapshot(s) of this volume are not in this program: pulumi destroy fails while they exist`,
          "(set deleteSnapshots: true to delete them with the volume).",
        );
      }
      const live = volumes.find((v) => v.id === d.importId);
      const unmanaged = (live?.servers ?? []).filter(
        (s) => !declared.has(objectKey("attachments", nestedId(s.id, d.importId))),
      );
      if (unmanaged.length > 0) {
        notes.push(
          `Attached to server ${unmanaged.map((s) => s.id).join(", ")} with no attachment in this program: pulumi destroy`,
          "refuses to detach it (set detachOnDelete: true to have it detached).",
        );
      }
    }
    if (d.kind === "attachments") {
      const server = d.inputs.serverId;
      if (server instanceof Link && !declared.has(server.target)) {
        notes.push(
          `Server ${server.literal} is not in this program: the attachment is managed here, the server is not.`,
        );
      }
    }
    return notes.length === 0 ? { ...d } : { ...d, comments: [...d.comments, ...notes] };
  });
}
