/**
 * Support for the e2e drift matrix (issue 11 item 4): the stack's program (every resource kind), the
 * cases generated from each resource module's `spec.diffRules`, the out-of-band change of each
 * (resource, property), the round planner, and what the engine's events say about a step.
 *
 * Nothing here reads the API reference: out-of-band changes are made through the emulator's control API
 * (PATCH of the stored object) or through signed API calls, as a console user would.
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import type { RunningEmulator } from "../../emulator";
import type { OperationId } from "../../provider/operations";
import { clientFor } from "../support/emulator";
import { REPO } from "./harness";

// ---- Diff rules from the built resource modules --------------------------------------------------------

export interface LoadedRule {
  readonly on: string;
  readonly writeOnly?: string;
}

export interface ResourceModule {
  /** File name without extension: `virtual-server`. */
  readonly file: string;
  readonly kind: string;
  readonly rules: Record<string, LoadedRule>;
}

/** Loads `spec.diffRules` of every dist/resources/*.js (the modules the provider process loads). */
export function loadResourceModules(distDir = join(REPO, "dist", "resources")): ResourceModule[] {
  if (!existsSync(distDir)) throw new Error(`${distDir} is missing: run npm run build`);
  return readdirSync(distDir)
    .filter((f) => f.endsWith(".js"))
    .sort()
    .map((f) => {
      const path = join(distDir, f);
      delete require.cache[require.resolve(path)];
      // Loaded at run time: the built modules are what the provider process runs.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path) as { spec?: { kind?: string; diffRules?: Record<string, LoadedRule> } };
      if (!mod.spec?.diffRules) throw new Error(`${path} exports no spec.diffRules`);
      return { file: f.replace(/\.js$/, ""), kind: mod.spec.kind ?? f, rules: mod.spec.diffRules };
    });
}

// ---- The stack ---------------------------------------------------------------------------------------

export const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";
export const OTHER_IMAGE_ID = "b3c6e1f2-0a4d-4e8f-9b1c-2d3e4f5a6b7c";

/** An OpenSSH ed25519 public key, as the emulator's generated ones are built. */
export function sshPublicKey(comment: string): string {
  const { publicKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const type = Buffer.from("ssh-ed25519");
  const blob = Buffer.concat([Buffer.from([0, 0, 0, type.length]), type, Buffer.from([0, 0, 0, 32]), raw]);
  return `ssh-ed25519 ${blob.toString("base64")} ${comment}`;
}

export function sshFingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.split(" ")[1] ?? publicKey, "base64");
  return (createHash("md5").update(blob).digest("hex").match(/../g) ?? []).join(":");
}

/** A reference to another resource's output in the program. */
export interface Ref {
  readonly $ref: string;
  readonly output: string;
}
const ref = (name: string, output = "id"): Ref => ({ $ref: name, output });

export interface Instance {
  /** Logical name in the stack. */
  readonly name: string;
  /** Resource module file. */
  readonly file: string;
  /** Class exported from the package index. */
  readonly className: string;
  /** Inputs; `Ref`s become outputs of other resources; `$value` keys are read from values.json. */
  readonly args: Record<string, unknown>;
  readonly dependsOn?: string[];
}

/** Program values that rounds may change (a volume grown out of band is taken over by the program). */
export interface ProgramValues {
  volumeSizes: Record<string, number>;
  /** Boot volume size per server. */
  bootVolumeSizes: Record<string, number>;
}

/** Short guards against hangs: with the emulator time-scaled, every wait takes well under a second. */
const TIMEOUTS = { create: "2m", update: "2m", delete: "2m" };

export function stackInstances(publicKey: string): Instance[] {
  return baseInstances(publicKey).map((i) => ({ ...i, args: { ...i.args, timeouts: TIMEOUTS } }));
}

function baseInstances(publicKey: string): Instance[] {
  const tags = { team: "drift-matrix" };
  const server = (i: number, keypair: string): Instance => ({
    name: `server-${i}`,
    file: "virtual-server",
    className: "VirtualServer",
    args: {
      name: `dm-server-${i}`,
      imageId: IMAGE_ID,
      serverTypeId: "s1v1m2",
      keypairName: ref(keypair, "name"),
      networks: [{ subnetId: "subnet-dm" }],
      bootVolume: { size: { $value: `bootVolumeSizes.server-${i}` }, type: "SSD", deleteOnTermination: true },
      securityGroupIds: [`sg-dm-${i}`],
      serverGroupId: ref("group"),
      partitionNumber: i,
      userData: `#!/bin/sh\necho drift-matrix-${i}\n`,
      metadata: { role: `web-${i}` },
      tags,
      locked: false,
      powerState: "ACTIVE",
      productCategory: "compute",
      productOffering: "virtual_server",
    },
  });
  const volume = (i: number, extra: Record<string, unknown>): Instance => ({
    name: `volume-${i}`,
    file: "volume",
    className: "Volume",
    args: {
      name: `dm-volume-${i}`,
      size: { $value: `volumeSizes.volume-${i}` },
      volumeType: "SSD",
      tags,
      deleteSnapshots: true,
      detachOnDelete: true,
      ...extra,
    },
  });
  const launchConfiguration = (i: number, keypair: string): Instance => ({
    name: `launch-configuration-${i}`,
    file: "launch-configuration",
    className: "LaunchConfiguration",
    args: {
      name: `dm-launch-configuration-${i}`,
      imageId: IMAGE_ID,
      serverTypeId: "s1v1m2",
      keypairName: ref(keypair, "name"),
      volumes: [{ size: 50, type: "SSD", bootIndex: 0 }],
      userData: `#!/bin/sh\necho drift-matrix-asg-${i}\n`,
      tags,
    },
  });
  const asg = (i: number): Instance => ({
    name: `asg-${i}`,
    file: "auto-scaling-group",
    className: "AutoScalingGroup",
    args: {
      name: `dm-asg-${i}`,
      launchConfigurationId: ref(`launch-configuration-${i}`),
      minServerCount: 1,
      maxServerCount: 3,
      desiredServerCount: 1,
      desiredServerCountEditable: true,
      serverNamePrefix: `dm-asg${i}`,
      subnetIds: ["subnet-dm"],
      securityGroupIds: [`sg-dm-asg-${i}`],
      drainEnabled: true,
      drainTimeoutSeconds: 120,
      lbServerGroups: [{ id: `lbsg-dm-${i}`, port: 8080 }],
      tags,
      waitForCapacityTimeout: "2m",
    },
  });
  const policy = (i: number): Instance => ({
    name: `policy-${i}`,
    file: "auto-scaling-policy",
    className: "AutoScalingPolicy",
    args: {
      autoScalingGroupId: ref(`asg-${i}`),
      name: `dm-cpu-high-${i}`,
      metricType: "CPU",
      metricMethod: "AVG",
      comparisonOperator: "ge",
      threshold: 70,
      evaluationMinutes: 5,
      scaleType: "SCALE_OUT",
      scaleMethod: "AMOUNT",
      scaleValue: 1,
      cooldownSeconds: 300,
      state: "ACTIVE",
    },
  });
  const schedule = (name: string, i: number, frequency: Record<string, unknown>): Instance => ({
    name,
    file: "auto-scaling-schedule",
    className: "AutoScalingSchedule",
    args: {
      autoScalingGroupId: ref(`asg-${i}`),
      name: `dm-${name}`,
      description: `drift matrix ${name}`,
      ...frequency,
      hour: 9,
      minute: 30,
      timezone: "Asia/Seoul",
      startDate: "2027-01-01",
      endDate: "2027-12-31",
      minServerCount: 1,
      maxServerCount: 3,
      desiredServerCount: 2,
      state: "ACTIVE",
    },
  });
  const notification = (i: number): Instance => ({
    name: `notification-${i}`,
    file: "auto-scaling-notification",
    className: "AutoScalingNotification",
    args: {
      autoScalingGroupId: ref(`asg-${i}`),
      userId: `dm-ops-user-${i}`,
      events: ["SCALE_OUT_FAIL", "SCALE_IN_FAIL"],
      state: "ACTIVE",
    },
  });
  return [
    {
      name: "key-imported",
      file: "keypair",
      className: "Keypair",
      args: { name: "dm-key-imported", publicKey, tags },
    },
    { name: "key-generated", file: "keypair", className: "Keypair", args: { name: "dm-key-generated", tags } },
    {
      name: "group",
      file: "server-group",
      className: "ServerGroup",
      args: { name: "dm-group", policy: "partition", tags },
    },
    server(0, "key-imported"),
    server(1, "key-generated"),
    volume(0, {}),
    {
      name: "attachment-0",
      file: "volume-attachment",
      className: "VolumeAttachment",
      args: { volumeId: ref("volume-0"), serverId: ref("server-0"), deleteOnTermination: false },
    },
    {
      name: "snapshot",
      file: "snapshot",
      className: "Snapshot",
      args: { volumeId: ref("volume-0"), name: "dm-snapshot", description: "drift matrix", force: true },
      dependsOn: ["attachment-0"],
    },
    volume(1, { snapshotId: ref("snapshot") }),
    {
      name: "attachment-1",
      file: "volume-attachment",
      className: "VolumeAttachment",
      args: { volumeId: ref("volume-1"), serverId: ref("server-1"), deleteOnTermination: true },
    },
    launchConfiguration(0, "key-generated"),
    launchConfiguration(1, "key-imported"),
    asg(0),
    asg(1),
    policy(0),
    policy(1),
    schedule("schedule-weekly", 0, { frequency: "WEEKLY", daysOfWeek: ["SA", "SU"] }),
    schedule("schedule-monthly", 1, { frequency: "MONTHLY", daysOfMonth: [1, 15] }),
    notification(0),
    notification(1),
    {
      name: "image-url",
      file: "image",
      className: "Image",
      args: {
        name: "dm-image-url",
        url: "https://object-store.kr-west1.s.samsungsdscloud.com/dm/images/dm.qcow2",
        containerFormat: "bare",
        diskFormat: "qcow2",
        osDistro: "ubuntu",
        minDisk: 50,
        minRam: 0,
        protected: false,
        visibility: "shared",
        tags,
      },
    },
    {
      name: "image-member",
      file: "image-member",
      className: "ImageMember",
      args: { imageId: ref("image-url"), memberId: "1b7c0e2f3a4d4e5f8a9b0c1d2e3f4a5b" },
    },
    {
      name: "image-member-acceptance",
      file: "image-member-acceptance",
      className: "ImageMemberAcceptance",
      args: { imageId: ref("image-url"), memberId: ref("image-member", "memberId"), status: "accepted" },
    },
    {
      name: "interface-0",
      file: "server-interface",
      className: "ServerInterface",
      args: {
        serverId: ref("server-0"),
        subnetId: "subnet-dm-back",
        fixedIp: "192.168.90.5",
        publicIpId: "615fa9cd5cff486c9de679b3ce63e601",
        privateNat: {
          privateNatId: "3a6c1dc6b1b24e02a444d672c2798a1c",
          privateNatIpId: "1f0cb5390c40483592ddc5a282f53496",
        },
      },
    },
    volume(2, {}),
    {
      name: "transfer",
      file: "volume-transfer",
      className: "VolumeTransfer",
      args: { volumeId: ref("volume-2"), name: "dm-transfer" },
    },
  ];
}

/** Logical names each instance depends on (refs and dependsOn). */
export function dependenciesOf(instance: Instance): string[] {
  const found = new Set<string>(instance.dependsOn ?? []);
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") {
      if ("$ref" in v) found.add((v as Ref).$ref);
      else Object.values(v).forEach(walk);
    }
  };
  walk(instance.args);
  return [...found];
}

const variable = (name: string) => `r_${name.replace(/[^a-zA-Z0-9]/g, "_")}`;

function literal(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value && typeof value === "object") {
    if ("$ref" in value) return `${variable((value as Ref).$ref)}.${(value as Ref).output}`;
    if ("$value" in value) {
      const path = String((value as { $value: string }).$value).split(".");
      return `values${path.map((p) => `[${JSON.stringify(p)}]`).join("")}`;
    }
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${literal(v)}`)
      .join(", ")} }`;
  }
  return JSON.stringify(value);
}

/** The stack's program: reads values.json next to it on every run. */
export function programText(instances: readonly Instance[]): string {
  const lines = [
    `const scp = require("pulumi-scp-virtualserver");`,
    `const values = JSON.parse(require("fs").readFileSync(require("path").join(__dirname, "values.json"), "utf8"));`,
  ];
  for (const i of instances) {
    const options = i.dependsOn ? `, { dependsOn: [${i.dependsOn.map(variable).join(", ")}] }` : "";
    lines.push(
      `const ${variable(i.name)} = new scp.${i.className}(${JSON.stringify(i.name)}, ${literal(i.args)}${options});`,
    );
  }
  lines.push(
    `exports.ids = { ${instances.map((i) => `${JSON.stringify(i.name)}: ${variable(i.name)}.id`).join(", ")} };`,
  );
  return `${lines.join("\n")}\n`;
}

// ---- API access as a console user (and reading objects back) -------------------------------------------

export interface Console {
  call(operation: OperationId, path?: Record<string, string>, body?: unknown): Promise<unknown>;
  raw(collection: string, id: string): Promise<Record<string, unknown> | undefined>;
  patch(collection: string, id: string, fields: Record<string, unknown>): Promise<void>;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
}

/**
 * Calls made by the test (not the provider) are collected in `own`, so the request-keys check leaves them
 * out. Nothing else talks to the emulator while the test makes its changes.
 */
export function consoleFor(emulator: RunningEmulator, own: Set<unknown>): Console {
  const client = clientFor(emulator);
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(`${emulator.url}/_emulator${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status >= 400) throw new Error(`control ${method} ${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  return {
    async call(operation, path = {}, body) {
      const log = emulator.state.requestLog;
      const before = log.length;
      try {
        const answer = await client.call(operation, { path, ...(body === undefined ? {} : { body }) });
        return answer.body;
      } finally {
        for (const entry of log.slice(Math.min(before, log.length))) own.add(entry);
      }
    },
    async raw(collection, id) {
      return (await control("GET", `/objects/${encodeURIComponent(collection)}/${encodeURIComponent(id)}`).catch(
        () => undefined,
      )) as Record<string, unknown> | undefined;
    },
    async patch(collection, id, fields) {
      await control("PATCH", `/objects/${encodeURIComponent(collection)}/${encodeURIComponent(id)}`, fields);
    },
    control,
  };
}

/** Where an instance's object lives: collection + raw id for the control API, show for the API. */
export interface Address {
  readonly collection: string;
  readonly rawId: string;
  readonly show: { operation: OperationId; path: Record<string, string> };
}

export function addressOf(file: string, id: string): Address {
  const [parent = "", child = ""] = id.split(":");
  const nested = (kind: string, param: string, op: OperationId): Address => ({
    collection: `auto-scaling-groups/${parent}/${kind}`,
    rawId: child,
    show: { operation: op, path: { auto_scaling_group_id: parent, [param]: child } },
  });
  switch (file) {
    case "keypair":
      return { collection: "keypairs", rawId: id, show: { operation: "showKeypair", path: { keypair_name: id } } };
    case "virtual-server":
      return { collection: "servers", rawId: id, show: { operation: "showVirtualServer", path: { server_id: id } } };
    case "volume":
      return { collection: "volumes", rawId: id, show: { operation: "showVolume", path: { volume_id: id } } };
    case "volume-attachment":
      return {
        collection: "servers",
        rawId: parent,
        show: { operation: "showServerVolume", path: { server_id: parent, volume_id: child } },
      };
    case "snapshot":
      return { collection: "snapshots", rawId: id, show: { operation: "showSnapshot", path: { snapshot_id: id } } };
    case "server-group":
      return {
        collection: "server-groups",
        rawId: id,
        show: { operation: "showServerGroup", path: { server_group_id: id } },
      };
    case "launch-configuration":
      return {
        collection: "launch-configurations",
        rawId: id,
        show: { operation: "showLaunchConfiguration", path: { launch_configuration_id: id } },
      };
    case "auto-scaling-group":
      return {
        collection: "auto-scaling-groups",
        rawId: id,
        show: { operation: "showAutoScalingGroup", path: { auto_scaling_group_id: id } },
      };
    case "auto-scaling-policy":
      return nested("policies", "policy_id", "showAutoScalingGroupPolicy");
    case "auto-scaling-schedule":
      return nested("schedules", "schedule_id", "showAutoScalingGroupSchedule");
    case "auto-scaling-notification":
      return nested("notifications", "notification_id", "showAutoScalingGroupNotification");
    case "image":
      return { collection: "images", rawId: id, show: { operation: "showImage", path: { image_id: id } } };
    case "image-member":
    case "image-member-acceptance":
      return {
        collection: `images/${parent}/members`,
        rawId: child,
        show: { operation: "showImageMember", path: { image_id: parent, member_id: child } },
      };
    case "server-interface":
      return {
        collection: `servers/${parent}/interfaces`,
        rawId: child,
        show: { operation: "showServerInterface", path: { server_id: parent, port_id: child } },
      };
    case "volume-transfer":
      return {
        collection: "volume-transfers",
        rawId: id,
        show: { operation: "showVolumeTransferDetail", path: { transfer_id: id } },
      };
    default:
      throw new Error(`no address for resource file ${file}`);
  }
}

// ---- Out-of-band changes -------------------------------------------------------------------------------

export interface ChangeContext {
  readonly console: Console;
  readonly instance: Instance;
  /** Provider id of the target, and of every instance (this round). */
  readonly id: string;
  readonly ids: Readonly<Record<string, string>>;
  readonly address: Address;
  /** The API's answer for the target right now. */
  show(): Promise<Record<string, unknown>>;
  /** Polls the API's answer until `done` holds. */
  until(done: (shown: Record<string, unknown>) => boolean, what: string): Promise<Record<string, unknown>>;
}

export interface Change {
  /** What a console user did, for the table. */
  readonly description: string;
  readonly apply: (ctx: ChangeContext) => Promise<void>;
  /**
   * The property's value as the API shows it (or the emulator holds it, for internal fields): compared
   * before the change, after it (it must differ) and after `up` (it must be back).
   */
  readonly observe: (ctx: ChangeContext) => Promise<unknown>;
  /** The change makes the object's own repair fail or replace it: no row on its dependents in the same round. */
  readonly disruptive?: boolean;
  /** Puts things back by hand when the case left the stack unclean (default: the object's fields). */
  readonly restore?: (ctx: ChangeContext) => Promise<void>;
  /** The provider cannot repair this drift (a volume grown beyond the program's size). */
  readonly unrepairable?: {
    readonly expected: string;
    /** Takes the live value into the program, so the stack can be clean again. */
    readonly adopt: (values: ProgramValues, ctx: ChangeContext, observed: unknown) => void;
  };
}

const field =
  (name: string) =>
  async (ctx: ChangeContext): Promise<unknown> =>
    (await ctx.show())[name];

const patchField = (name: string, value: (current: unknown, ctx: ChangeContext) => unknown, note = ""): Change => ({
  description: `PATCH ${name}${note}`,
  apply: async (ctx) => {
    const current = (await ctx.show())[name];
    await ctx.console.patch(ctx.address.collection, ctx.address.rawId, { [name]: value(current, ctx) });
  },
  observe: field(name),
});

const apiCall = (
  description: string,
  name: string,
  call: (ctx: ChangeContext, current: unknown) => Promise<void>,
): Change => ({
  description,
  apply: async (ctx) => call(ctx, (await ctx.show())[name]),
  observe: field(name),
});

const resting = (s: Record<string, unknown>) => ["ACTIVE", "SHUTOFF", "ERROR"].includes(String(s.state));

/** A Python-literal or JSON list string, or a list, with its items replaced. */
function sameListShape(current: unknown, items: string[]): unknown {
  if (Array.isArray(current)) return items;
  if (typeof current === "string" && current.trim().startsWith("[") && current.includes('"'))
    return JSON.stringify(items);
  return `[${items.map((i) => `'${i}'`).join(", ")}]`;
}

/** A map value changed in the form the API holds it (object, JSON text or Python-literal text). */
function changedMap(current: unknown): unknown {
  if (current && typeof current === "object" && !Array.isArray(current)) return { ...current, drift: "by-hand" };
  if (typeof current === "string" && current.trim() !== "") {
    try {
      const parsed = JSON.parse(current) as unknown;
      if (parsed && typeof parsed === "object") return JSON.stringify({ ...parsed, drift: "by-hand" });
    } catch {
      // not JSON: Python-literal text
    }
    return current.replace(/\}\s*$/, ", 'drift': 'by-hand'}");
  }
  return { drift: "by-hand" };
}

const bootVolumeId = async (ctx: ChangeContext): Promise<string> => {
  const shown = await ctx.show();
  const volumes = (shown.volumes as { id: string }[] | undefined) ?? [];
  for (const v of volumes) {
    const volume = (await ctx.console.call("showVolume", { volume_id: v.id }).catch(() => undefined)) as
      Record<string, unknown> | undefined;
    if (volume?.bootable) return v.id;
  }
  return volumes[0]?.id ?? "";
};

/** The raw object's internal or public security-group field, whichever the emulator keeps. */
const serverSecurityGroups = async (ctx: ChangeContext) => {
  const raw = (await ctx.console.raw("servers", ctx.id)) ?? {};
  const key = ["_security_group_ids", "security_group_ids", "_security_groups"].find((k) => k in raw);
  return { key, value: key ? raw[key] : undefined };
};

/** Another existing launch configuration, created out of band, to repoint a group to. */
async function otherLaunchConfiguration(ctx: ChangeContext): Promise<string> {
  const created = (await ctx.console.call(
    "createLaunchConfiguration",
    {},
    {
      name: `dm-by-hand-${Date.now() % 100000}`,
      image_id: IMAGE_ID,
      server_type_id: "s1v1m2",
    },
  )) as Record<string, unknown>;
  return String(created.id);
}

const asgCounts = (ctx: ChangeContext, shown: Record<string, unknown>, changes: Record<string, number>) =>
  ctx.console.call(
    "updateAutoScalingGroupServerCount",
    { auto_scaling_group_id: ctx.id },
    {
      min_server_count: shown.min_server_count,
      max_server_count: shown.max_server_count,
      desired_server_count: shown.desired_server_count,
      ...changes,
    },
  );

async function volumeUntil(
  ctx: ChangeContext,
  volumeId: string,
  done: (v: Record<string, unknown>) => boolean,
): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const v = (await ctx.console.call("showVolume", { volume_id: volumeId })) as Record<string, unknown>;
    if (done(v)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`volume ${volumeId} never reached the expected state`);
}

/** Which servers the attachment's volume is attached to, as the API shows it. */
const attachedTo = async (ctx: ChangeContext): Promise<unknown> => {
  const shown = (await ctx.console.call("showVolume", { volume_id: ctx.address.show.path.volume_id ?? "" })) as {
    servers?: { id: string }[];
  };
  return (shown.servers ?? []).map((s) => s.id).sort();
};

const inService = (s: Record<string, unknown>) => s.state === "IN_SERVICE";

/**
 * The out-of-band change of every (resource file, property). A drift-checked property missing here is a
 * failed row of the matrix.
 */
export const CHANGES: Record<string, Record<string, Change>> = {
  keypair: {
    name: patchField("name", () => "dm-key-renamed-by-hand"),
    publicKey: {
      description: "PATCH public_key + fingerprint (keypair replaced by hand under the same name)",
      apply: async (ctx) => {
        const key = sshPublicKey("by-hand");
        await ctx.console.patch(ctx.address.collection, ctx.address.rawId, {
          public_key: key,
          fingerprint: sshFingerprint(key),
        });
      },
      observe: field("public_key"),
    },
  },
  "server-group": {
    name: patchField("name", () => "dm-group-renamed-by-hand"),
    policy: patchField("policy", () => "anti-affinity"),
  },
  "virtual-server": {
    name: apiCall("API updateVirtualServer name", "name", async (ctx) => {
      await ctx.console.call("updateVirtualServer", { server_id: ctx.id }, { name: `${ctx.instance.name}-by-hand` });
    }),
    serverTypeId: {
      description: "API updateVirtualServerType to s1v2m4 (resize by hand)",
      apply: async (ctx) => {
        await ctx.console.call("updateVirtualServerType", { server_id: ctx.id }, { server_type: "s1v2m4" });
        await ctx.until(
          (s) => resting(s) && (s.server_type as { id?: string } | undefined)?.id === "s1v2m4",
          "resized",
        );
      },
      observe: async (ctx) => ((await ctx.show()).server_type as { id?: string } | undefined)?.id,
    },
    powerState: {
      description: "API stopVirtualServer",
      apply: async (ctx) => {
        await ctx.console.call("stopVirtualServer", { server_id: ctx.id });
        await ctx.until((s) => s.state === "SHUTOFF", "SHUTOFF");
      },
      observe: field("state"),
    },
    locked: apiCall("API lockVirtualServer", "locked", async (ctx) => {
      await ctx.console.call("lockVirtualServer", { server_id: ctx.id });
    }),
    securityGroupIds: {
      description: "security group detached and another attached by hand (PATCH of the emulator's field)",
      apply: async (ctx) => {
        const { key } = await serverSecurityGroups(ctx);
        if (!key) throw new Error("the emulator's server object holds no security-group field to change");
        await ctx.console.patch("servers", ctx.id, { [key]: ["sg-by-hand"] });
      },
      observe: async (ctx) => (await serverSecurityGroups(ctx)).value,
    },
    imageId: patchField("image_id", () => OTHER_IMAGE_ID),
    keypairName: patchField("keypair_name", () => "dm-key-by-hand"),
    networks: {
      description: "the server's interfaces moved to another subnet (PATCH subnet_id of each interface)",
      apply: async (ctx) => {
        const collection = `servers/${ctx.id}/interfaces`;
        const interfaces = (await ctx.console.control("GET", `/objects/${encodeURIComponent(collection)}`)) as Record<
          string,
          unknown
        >[];
        if (interfaces.length === 0) throw new Error(`the emulator holds no interfaces for server ${ctx.id}`);
        for (const i of interfaces) await ctx.console.patch(collection, String(i.id), { subnet_id: "subnet-by-hand" });
      },
      observe: async (ctx) =>
        (
          (
            (await ctx.console.call("listServerInterfaces", { server_id: ctx.id })) as {
              interfaces?: { subnet_id?: string }[];
            }
          ).interfaces ?? []
        ).map((i) => i.subnet_id),
    },
    bootVolume: {
      description: "API extendVolume of the boot volume by 10 GB (boot volume grown by hand)",
      apply: async (ctx) => {
        const id = await bootVolumeId(ctx);
        const volume = (await ctx.console.call("showVolume", { volume_id: id })) as { size: number };
        await ctx.console.call("extendVolume", { volume_id: id }, { size: volume.size + 10 });
        for (let i = 0; i < 400; i++) {
          const v = (await ctx.console.call("showVolume", { volume_id: id })) as { size: number; state: string };
          if (v.size === volume.size + 10 && ["available", "in-use"].includes(v.state)) return;
          await new Promise((r) => setTimeout(r, 25));
        }
        throw new Error(`boot volume ${id} never grew`);
      },
      observe: async (ctx) => {
        const id = await bootVolumeId(ctx);
        return ((await ctx.console.call("showVolume", { volume_id: id })) as { size: number }).size;
      },
      // A volume cannot shrink: as for a data volume, the program must take the live size.
      unrepairable: {
        expected: "detected+named, not repaired, reported as drift",
        adopt: (values, ctx, observed) => {
          values.bootVolumeSizes[ctx.instance.name] = Number(observed);
        },
      },
    },
    serverGroupId: patchField("server_group_id", () => null, " to null (server taken out of its group)"),
    partitionNumber: patchField("partition_number", (v) => (Number(v ?? 0) + 1) % 3),
    metadata: patchField("metadata", changedMap),
    productCategory: patchField("product_category", () => "container"),
    productOffering: patchField("product_offering", () => "gpu_server"),
  },
  volume: {
    name: apiCall("API updateVolume name", "name", async (ctx) => {
      await ctx.console.call("updateVolume", { volume_id: ctx.id }, { name: `${ctx.instance.name}-by-hand` });
    }),
    size: {
      description: "API extendVolume by 10 GB (grown beyond the program's size)",
      apply: async (ctx) => {
        const size = Number((await ctx.show()).size);
        await ctx.console.call("extendVolume", { volume_id: ctx.id }, { size: size + 10 });
        await ctx.until((v) => v.size === size + 10 && ["available", "in-use"].includes(String(v.state)), "grown");
      },
      observe: field("size"),
      unrepairable: {
        expected: "detected+named, not repaired, reported as drift",
        adopt: (values, ctx, observed) => {
          values.volumeSizes[ctx.instance.name] = Number(observed);
        },
      },
    },
    volumeType: patchField("volume_type", () => "HDD"),
    snapshotId: patchField("snapshot_id", () => "00000000-0000-4000-8000-00000000beef"),
  },
  "volume-attachment": {
    volumeId: {
      disruptive: true,
      description: "API detachVolumeFromVirtualServer (volume detached by hand)",
      apply: async (ctx) => {
        const { server_id, volume_id } = ctx.address.show.path;
        await ctx.console.call("detachVolumeFromVirtualServer", {
          volume_id: volume_id ?? "",
          server_id: server_id ?? "",
        });
        await volumeUntil(ctx, volume_id ?? "", (v) => v.state === "available");
      },
      observe: attachedTo,
    },
    serverId: {
      disruptive: true,
      description: "volume moved by hand to the other server (API detach, then attach to the other server)",
      apply: async (ctx) => {
        const { server_id, volume_id } = ctx.address.show.path;
        const other = Object.entries(ctx.ids).find(([n, id]) => n.startsWith("server-") && id !== server_id)?.[1];
        await ctx.console.call("detachVolumeFromVirtualServer", {
          volume_id: volume_id ?? "",
          server_id: server_id ?? "",
        });
        await volumeUntil(ctx, volume_id ?? "", (v) => v.state === "available");
        await ctx.console.call("attachVolumeToVirtualServer", { volume_id: volume_id ?? "" }, { server_id: other });
        await volumeUntil(ctx, volume_id ?? "", (v) => v.state === "in-use");
      },
      observe: attachedTo,
      restore: async (ctx) => {
        const volumeId = ctx.address.show.path.volume_id ?? "";
        const shown = (await ctx.console.call("showVolume", { volume_id: volumeId })) as {
          servers?: { id: string }[];
        };
        for (const s of shown.servers ?? []) {
          if (s.id === ctx.address.show.path.server_id) continue;
          await ctx.console.call("detachVolumeFromVirtualServer", { volume_id: volumeId, server_id: s.id });
          await volumeUntil(ctx, volumeId, (v) => v.state === "available");
        }
      },
    },
    deleteOnTermination: {
      description: "API updateServerVolume delete_on_termination flipped",
      apply: async (ctx) => {
        const current = (await ctx.show()).delete_on_termination;
        await ctx.console.call("updateServerVolume", ctx.address.show.path, {
          volume_id: ctx.address.show.path.volume_id,
          delete_on_termination: !current,
        });
      },
      observe: field("delete_on_termination"),
    },
  },
  snapshot: {
    volumeId: patchField("volume_id", (_v, ctx) => ctx.ids["volume-1"] ?? "other-volume"),
    name: apiCall("API updateSnapshot name", "name", async (ctx) => {
      const shown = await ctx.show();
      await ctx.console.call(
        "updateSnapshot",
        { snapshot_id: ctx.id },
        { name: "dm-snapshot-by-hand", description: shown.description ?? "" },
      );
    }),
    description: apiCall("API updateSnapshot description", "description", async (ctx) => {
      const shown = await ctx.show();
      await ctx.console.call("updateSnapshot", { snapshot_id: ctx.id }, { name: shown.name, description: "by hand" });
    }),
  },
  "launch-configuration": {
    name: patchField("name", () => "dm-launch-configuration-by-hand"),
    imageId: patchField("image_id", () => OTHER_IMAGE_ID),
    serverTypeId: patchField("server_type_id", () => "s1v2m4"),
    keypairName: patchField("keypair_name", () => "dm-key-by-hand"),
    volumes: patchField("volumes", (v) =>
      Array.isArray(v) ? v.map((x: Record<string, unknown>) => ({ ...x, size: Number(x.size) + 10 })) : v,
    ),
    userData: patchField("user_data", () => Buffer.from("#!/bin/sh\necho by-hand\n").toString("base64")),
  },
  "auto-scaling-group": {
    name: patchField("name", (_v, ctx) => `dm-asg-by-hand-${ctx.instance.name}`),
    subnetIds: patchField("subnet_ids", () => ["subnet-by-hand"]),
    serverNamePrefix: patchField("server_name_prefix", () => "by-hand"),
    launchConfigurationId: {
      description: "API updateAutoScalingGroup to a launch configuration created by hand",
      apply: async (ctx) => {
        const other = await otherLaunchConfiguration(ctx);
        await ctx.console.call(
          "updateAutoScalingGroup",
          { auto_scaling_group_id: ctx.id },
          { launch_configuration_id: other },
        );
      },
      observe: field("launch_configuration_id"),
    },
    minServerCount: apiCall("API updateAutoScalingGroupServerCount min 0", "min_server_count", async (ctx) => {
      await asgCounts(ctx, await ctx.show(), { min_server_count: 0 });
    }),
    maxServerCount: apiCall("API updateAutoScalingGroupServerCount max 5", "max_server_count", async (ctx) => {
      await asgCounts(ctx, await ctx.show(), { max_server_count: 5 });
    }),
    desiredServerCount: {
      description: "API updateAutoScalingGroupServerCount desired 2 (scaled by hand)",
      apply: async (ctx) => {
        await asgCounts(ctx, await ctx.show(), { desired_server_count: 2 });
        await ctx.until(inService, "IN_SERVICE");
      },
      observe: field("desired_server_count"),
    },
    desiredServerCountEditable: apiCall(
      "API updateAutoScalingGroup desired_server_count_editable false",
      "desired_server_count_editable",
      async (ctx) => {
        await ctx.console.call(
          "updateAutoScalingGroup",
          { auto_scaling_group_id: ctx.id },
          { desired_server_count_editable: false },
        );
      },
    ),
    securityGroupIds: apiCall(
      "API updateAutoScalingGroup security_group_ids",
      "security_group_ids",
      async (ctx, current) => {
        await ctx.console.call(
          "updateAutoScalingGroup",
          { auto_scaling_group_id: ctx.id },
          { security_group_ids: sameListShape(current, ["sg-by-hand"]) },
        );
      },
    ),
    drainEnabled: apiCall("API updateAutoScalingGroup drain_enabled false", "drain_enabled", async (ctx) => {
      await ctx.console.call("updateAutoScalingGroup", { auto_scaling_group_id: ctx.id }, { drain_enabled: false });
    }),
    drainTimeoutSeconds: apiCall("API updateAutoScalingGroup drain_timeout 600", "drain_timeout", async (ctx) => {
      await ctx.console.call("updateAutoScalingGroup", { auto_scaling_group_id: ctx.id }, { drain_timeout: 600 });
    }),
    lbServerGroups: apiCall(
      "API updateAutoScalingGroupLBServerGroups port 9090",
      "lb_server_groups",
      async (ctx, current) => {
        const groups = Array.isArray(current) ? (current as Record<string, unknown>[]) : [];
        await ctx.console.call(
          "updateAutoScalingGroupLBServerGroups",
          { auto_scaling_group_id: ctx.id },
          { lb_server_groups: groups.map((g) => ({ id: g.id, port: 9090 })) },
        );
      },
    ),
  },
  "auto-scaling-policy": {
    autoScalingGroupId: patchField("auto_scaling_group_id", (_v, ctx) =>
      ctx.instance.name === "policy-0" ? ctx.ids["asg-1"] : ctx.ids["asg-0"],
    ),
    name: patchField("name", () => "dm-policy-by-hand"),
    metricType: patchField("metric_type", () => "MEMORY"),
    metricMethod: patchField("metric_method", () => "MAX"),
    comparisonOperator: patchField("comparison_operator", () => "gt"),
    threshold: patchField("threshold", () => 90),
    evaluationMinutes: patchField("evaluation_minutes", () => 10),
    scaleType: patchField("scale_type", () => "SCALE_IN"),
    scaleMethod: patchField("scale_method", () => "FIXED"),
    scaleValue: patchField("scale_value", () => 2),
    cooldownSeconds: patchField("cooldown_seconds", () => 600),
    state: patchField("state", () => "INACTIVE"),
  },
  "auto-scaling-schedule": {
    autoScalingGroupId: patchField("auto_scaling_group_id", (_v, ctx) =>
      ctx.instance.name === "schedule-weekly" ? ctx.ids["asg-1"] : ctx.ids["asg-0"],
    ),
    name: patchField("name", () => "dm-schedule-by-hand"),
    description: patchField("description", () => "by hand"),
    frequency: {
      description: "PATCH frequency to DAILY (and day fields cleared)",
      apply: async (ctx) => {
        await ctx.console.patch(ctx.address.collection, ctx.address.rawId, {
          frequency: "DAILY",
          day_of_week: null,
          day_of_month: null,
        });
      },
      observe: field("frequency"),
    },
    daysOfWeek: patchField("day_of_week", () => "MO"),
    daysOfMonth: patchField("day_of_month", () => "2"),
    hour: patchField("hour", () => 23),
    minute: patchField("minute", () => 5),
    timezone: patchField("timezone", () => "UTC"),
    startDate: patchField("start_date", () => "2027-02-01"),
    endDate: patchField("end_date", () => "2027-06-30"),
    minServerCount: patchField("min_server_count", () => 0),
    maxServerCount: patchField("max_server_count", () => 5),
    desiredServerCount: patchField("desired_server_count", () => 3),
    state: patchField("state", () => "INACTIVE"),
  },
  "auto-scaling-notification": {
    autoScalingGroupId: patchField("auto_scaling_group_id", (_v, ctx) =>
      ctx.instance.name === "notification-0" ? ctx.ids["asg-1"] : ctx.ids["asg-0"],
    ),
    userId: patchField("user_id", () => "dm-user-by-hand"),
    events: patchField("notification_events", () => ["SCALE_OUT"]),
    state: patchField("notification_state", () => "INACTIVE"),
  },
  image: {
    name: patchField("name", () => "dm-image-by-hand"),
    containerFormat: patchField("container_format", () => "ovf"),
    diskFormat: patchField("disk_format", () => "raw"),
    osDistro: patchField("os_distro", () => "rocky"),
    url: {
      description: "Import Image with another file",
      apply: async (ctx) => {
        await ctx.console.call(
          "importImage",
          { image_id: ctx.id },
          { url: "https://object-store.kr-west1.s.samsungsdscloud.com/dm/images/by-hand.qcow2" },
        );
        await ctx.until((s) => s.status === "active", "the image to be active after the import");
      },
      observe: field("url"),
    },
    minDisk: imageUpdate("min_disk", 10),
    minRam: imageUpdate("min_ram", 512),
    protected: imageUpdate("protected", true),
    visibility: imageUpdate("visibility", "private"),
  },
  "image-member-acceptance": {
    status: apiCall("Update Image member: rejected", "status", async (ctx) => {
      await ctx.console.call("updateImageMember", ctx.address.show.path as Record<string, string>, {
        status: "rejected",
      });
    }),
  },
  "server-interface": {
    subnetId: interfaceUpdate(
      "subnet_id",
      () => ({ subnet_id: "subnet-dm-by-hand" }),
      (i) => i.subnet_id,
    ),
    fixedIp: interfaceUpdate(
      "fixed_ip_address",
      (i) => ({ subnet_id: i.subnet_id, fixed_ip_address: "192.168.90.77" }),
      (i) => (i.fixed_ips as { ip_address?: string }[] | undefined)?.[0]?.ip_address,
    ),
    publicIpId: natDelete("deleteServerInterfaceNat", "static_nat", (n) => n.publicip_id),
    privateNat: natDelete("deleteServerInterfacePrivateNat", "private_static_nat", (n) => n.private_nat_ip_id),
  },
  "volume-transfer": {
    name: patchField("name", () => "dm-transfer-renamed-by-hand"),
    // Another real volume: a transfer whose volume is gone is dropped, which is a deletion, not drift.
    volumeId: patchField("volume_id", (_current, ctx) => ctx.ids["volume-1"] ?? ""),
  },
};

/** Show Server Interface answers the interface as the first of `interfaces`. */
async function theInterface(ctx: ChangeContext): Promise<Record<string, unknown>> {
  const shown = await ctx.show();
  return ((shown.interfaces as Record<string, unknown>[] | undefined)?.[0] ?? shown) as Record<string, unknown>;
}

/** Update Server Interface (the API's PUT takes the subnet and the fixed IP), waited for until ACTIVE again. */
function interfaceUpdate(
  what: string,
  body: (i: Record<string, unknown>) => Record<string, unknown>,
  observed: (i: Record<string, unknown>) => unknown,
): Change {
  return {
    description: `Update Server Interface: ${what}`,
    apply: async (ctx) => {
      await ctx.console.call(
        "updateServerInterface",
        ctx.address.show.path as Record<string, string>,
        body(await theInterface(ctx)),
      );
      await ctx.until(
        (s) => ((s.interfaces as Record<string, unknown>[] | undefined)?.[0] ?? s).port_state === "ACTIVE",
        "the interface to be ACTIVE again",
      );
    },
    observe: async (ctx) => observed(await theInterface(ctx)),
  };
}

/** Deletes the interface's NAT of one kind by hand, as a console user would. */
function natDelete(
  operation: OperationId,
  field: "static_nat" | "private_static_nat",
  observed: (nat: Record<string, unknown>) => unknown,
): Change {
  const natOf = async (ctx: ChangeContext) => ((await theInterface(ctx))[field] ?? {}) as Record<string, unknown>;
  return {
    description: `${operation} (NAT removed by hand)`,
    apply: async (ctx) => {
      const nat = await natOf(ctx);
      await ctx.console.call(operation, {
        ...(ctx.address.show.path as Record<string, string>),
        nat_id: String(nat.id),
      });
      await ctx.until((s) => {
        const i = ((s.interfaces as Record<string, unknown>[] | undefined)?.[0] ?? s) as Record<string, unknown>;
        return !(i[field] as { id?: string } | undefined)?.id;
      }, "the NAT to be gone");
    },
    observe: async (ctx) => observed(await natOf(ctx)) || undefined,
  };
}

/** Update Image with the full body as shown, one field changed (the API's PUT takes all four). */
function imageUpdate(name: string, value: unknown): Change {
  return apiCall(`Update Image: ${name}`, name, async (ctx) => {
    const shown = await ctx.show();
    await ctx.console.call(
      "updateImage",
      { image_id: ctx.id },
      {
        min_disk: shown.min_disk,
        min_ram: shown.min_ram,
        protected: shown.protected,
        visibility: shown.visibility,
        [name]: value,
      },
    );
  });
}

// ---- Rows and rounds ------------------------------------------------------------------------------------

export interface Row {
  /** `virtual-server.name`. */
  readonly key: string;
  readonly file: string;
  readonly property: string;
  readonly rule: LoadedRule;
  /** The instance the change is made on; undefined when the program sets the property on none. */
  readonly instance: Instance | undefined;
  readonly change: Change | undefined;
}

export interface WriteOnlyProperty {
  readonly file: string;
  readonly property: string;
  readonly reason: string;
}

export function generateRows(
  modules: readonly ResourceModule[],
  instances: readonly Instance[],
): { rows: Row[]; writeOnly: WriteOnlyProperty[] } {
  const rows: Row[] = [];
  const writeOnly: WriteOnlyProperty[] = [];
  const load = new Map<string, number>();
  for (const module of modules) {
    for (const [property, rule] of Object.entries(module.rules)) {
      if (rule.writeOnly !== undefined) {
        writeOnly.push({ file: module.file, property, reason: rule.writeOnly });
        continue;
      }
      // The program must set the property for drift to mean anything (unset = no opinion): spread the
      // rows over the instances that set it, the least loaded first.
      const candidates = instances.filter((i) => i.file === module.file && property in i.args);
      const instance = [...candidates].sort((a, b) => (load.get(a.name) ?? 0) - (load.get(b.name) ?? 0))[0];
      if (instance) load.set(instance.name, (load.get(instance.name) ?? 0) + 1);
      rows.push({
        key: `${module.file}.${property}`,
        file: module.file,
        property,
        rule,
        instance,
        change: CHANGES[module.file]?.[property],
      });
    }
  }
  return { rows, writeOnly };
}

/**
 * Rounds of at most one row per instance. A row that may replace its object (rule `replace`), or whose
 * repair is expected to fail, shares its round with no row on what depends on that object (a replacement would carry the dependent along and hide
 * its own outcome), and replacing rows of objects with many dependents come last.
 */
export function planRounds(rows: readonly Row[], instances: readonly Instance[]): Row[][] {
  const parents = new Map(instances.map((i) => [i.name, dependenciesOf(i)]));
  const ancestors = (name: string, seen = new Set<string>()): Set<string> => {
    for (const p of parents.get(name) ?? []) {
      if (!seen.has(p)) {
        seen.add(p);
        ancestors(p, seen);
      }
    }
    return seen;
  };
  const dependents = (name: string) => instances.filter((i) => ancestors(i.name).has(name)).map((i) => i.name);
  const disruptive = (row: Row) => row.rule.on === "replace" || !!row.change?.unrepairable || !!row.change?.disruptive;
  const weight = (row: Row) => (disruptive(row) ? 1000 : 0) + (row.instance ? dependents(row.instance.name).length : 0);
  const pending = rows.filter((r) => r.instance && r.change).sort((a, b) => weight(a) - weight(b));
  const rounds: Row[][] = [];
  while (pending.length > 0) {
    const round: Row[] = [];
    for (const row of [...pending]) {
      const name = row.instance?.name ?? "";
      if (round.some((r) => r.instance?.name === name)) continue;
      const replacing = round.filter(disruptive).map((r) => r.instance?.name ?? "");
      if (replacing.some((r) => ancestors(name).has(r))) continue;
      if (disruptive(row) && round.some((r) => ancestors(r.instance?.name ?? "").has(name))) continue;
      round.push(row);
      pending.splice(pending.indexOf(row), 1);
    }
    rounds.push(round);
  }
  return rounds;
}

// ---- What the engine's events say -----------------------------------------------------------------------

export interface StepSeen {
  readonly op: string;
  readonly name: string;
  readonly type: string;
  /** Replacement keys, `diffs` and `detailedDiff` keys, as the engine emitted them. */
  readonly keys: string[];
  readonly diffs: string[];
  readonly detailedDiff: string[];
  /** Inputs whose old (refreshed) and new values differ: what the CLI's `--diff` display shows. */
  readonly changedInputs: string[];
  /** Outputs whose old and new values differ (refresh steps). */
  readonly changedOutputs: string[];
}

export interface EventDigest {
  readonly steps: StepSeen[];
  /** Error diagnostics by resource name (`(stack)` for the stack or none). */
  readonly errors: Record<string, string[]>;
  readonly warnings: Record<string, string[]>;
}

const nameOf = (urn: string | undefined) => (urn ? (urn.split("::").pop() ?? urn) : "(stack)");

function changedKeys(olds: Record<string, unknown> | undefined, news: Record<string, unknown> | undefined): string[] {
  const keys = new Set([...Object.keys(olds ?? {}), ...Object.keys(news ?? {})]);
  return [...keys].filter((k) => k !== "__provider" && JSON.stringify(olds?.[k]) !== JSON.stringify(news?.[k])).sort();
}

export function digestEvents(events: readonly EngineEvent[]): EventDigest {
  const steps: StepSeen[] = [];
  const errors: Record<string, string[]> = {};
  const warnings: Record<string, string[]> = {};
  for (const event of events) {
    // Planned steps come with their old and new inputs on the pre-event; a refresh's new outputs only on
    // the outputs event.
    const pre = event.resourcePreEvent?.metadata;
    const out = event.resOutputsEvent?.metadata;
    const meta = pre && pre.op !== "refresh" ? pre : out && out.op === "refresh" ? out : undefined;
    if (meta && meta.type !== "pulumi:pulumi:Stack" && !meta.type.startsWith("pulumi:providers:")) {
      steps.push({
        op: meta.op,
        name: nameOf(meta.urn),
        type: meta.type,
        keys: [...(meta.keys ?? [])].sort(),
        diffs: [...(meta.diffs ?? [])].sort(),
        detailedDiff: Object.keys(meta.detailedDiff ?? {}).sort(),
        changedInputs: changedKeys(meta.old?.inputs, meta.new?.inputs),
        changedOutputs: changedKeys(meta.old?.outputs, meta.new?.outputs),
      });
    }
    const diag = event.diagnosticEvent;
    if (diag && (diag.severity === "error" || diag.severity === "warning")) {
      const bucket = diag.severity === "error" ? errors : warnings;
      const name = nameOf(diag.urn);
      (bucket[name] ??= []).push(diag.message.trim().replace(/\s+/g, " ").slice(0, 400));
    }
  }
  return { steps, errors, warnings };
}

/** Top-level property names in detailed-diff paths (`bootVolume.size` → `bootVolume`). */
export const topLevel = (paths: readonly string[]) => [...new Set(paths.map((p) => p.split(/[.[]/)[0] ?? p))];

export const CHANGE_OPS = ["create", "update", "replace", "delete", "create-replacement", "delete-replaced"];
