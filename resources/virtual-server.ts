/**
 * VirtualServer: a virtual machine. Created and waited for until ACTIVE (then stopped when
 * `powerState: "SHUTOFF"`, then locked when `locked: true`).
 *
 * In place: name, server type (resize, waiting until the new type and the previous power state), power
 * state (start/stop), lock/unlock, security groups (attach/detach; these operations exist only as API
 * version 1.0, and the API's answer is reported as is when refused).
 * Replace: image, keypair, networks, boot volume, user data, metadata, tags, server group, partition,
 * product category/offering. Deletion never unlocks a locked server on its own: set `locked: false` first.
 * User data is kept in state only as a SHA-256 hash (the payload itself is stored as a secret input).
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { normalize } from "../provider/diff";
import { decodeTags, encodeStringList, encodeTags } from "../provider/python-literal";
import { type ResourceContext, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs, objectName, tagsSchema } from "../provider/schema";
import { implementationPath, thinProvider } from "../provider/thin-provider";
import { minutes } from "../provider/timeouts";
import { waitForState, waitUntilGone } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

const networkSchema = z
  .object({
    subnetId: z.string({ error: "subnetId is required" }).min(1),
    fixedIp: z.ipv4({ error: "fixedIp must be an IPv4 address" }).optional(),
    portId: z.string().min(1).optional(),
    publicIpId: z.string().min(1).optional(),
  })
  .strict();

const bootVolumeSchema = z
  .object({
    size: z.number().int("size must be a whole number of GB").min(1).max(16_384),
    type: z.string().min(1).optional(),
    deleteOnTermination: z.boolean().optional(),
  })
  .strict();

export const POWER_STATES = ["ACTIVE", "SHUTOFF"] as const;

const inputSchema = z
  .object({
    name: objectName("server"),
    imageId: z.string({ error: "imageId is required" }).min(1),
    serverTypeId: z.string({ error: "serverTypeId is required" }).min(1),
    keypairName: z.string().min(1).optional(),
    networks: z.array(networkSchema).min(1, "at least one network is required"),
    bootVolume: bootVolumeSchema.optional(),
    securityGroupIds: z.array(z.string().min(1)).optional(),
    serverGroupId: z.string().min(1).optional(),
    partitionNumber: z.number().int().min(0).optional(),
    userData: z.string().max(65_535, "userData is at most 64 KiB").optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    tags: tagsSchema.optional(),
    locked: z.boolean().optional(),
    powerState: z.enum(POWER_STATES, { error: "powerState must be ACTIVE or SHUTOFF" }).optional(),
    productCategory: z.enum(["compute", "container"]).optional(),
    productOffering: z.enum(["virtual_server", "gpu_server", "k8s_vm", "k8s_gpu_vm"]).optional(),
    ...commonInputs,
  })
  .strict();

export type VirtualServerInputs = z.infer<typeof inputSchema>;

export interface ServerAddress {
  readonly subnetId?: string | undefined;
  readonly subnetName?: string | undefined;
  readonly ipAddresses: string[];
}

export interface VirtualServerOutputs extends VirtualServerInputs {
  readonly state: string;
  readonly powerState: (typeof POWER_STATES)[number];
  readonly locked: boolean;
  readonly userDataHash?: string | undefined;
  readonly addresses: ServerAddress[];
  readonly volumeIds: string[];
  readonly vpcId?: string | undefined;
  readonly serverType?: { vcpus?: number; ram?: number; disk?: number } | undefined;
  readonly autoScalingGroupId?: string | undefined;
  readonly createdAt?: string | undefined;
}

// ---- Inputs → API requests ----------------------------------------------------------------------------

export const hashUserData = (userData: string | undefined): string | undefined =>
  userData === undefined ? undefined : createHash("sha256").update(userData).digest("hex");

function createRequest(inputs: VirtualServerInputs) {
  return {
    name: inputs.name,
    image_id: inputs.imageId,
    server_type_id: inputs.serverTypeId,
    keypair_name: inputs.keypairName,
    networks: inputs.networks.map((n) => ({
      subnet_id: n.subnetId,
      fixed_ip: n.fixedIp,
      port_id: n.portId,
      public_ip_id: n.publicIpId,
    })),
    volumes: inputs.bootVolume
      ? [
          {
            boot_index: 0,
            size: inputs.bootVolume.size,
            type: inputs.bootVolume.type,
            delete_on_termination: inputs.bootVolume.deleteOnTermination ?? true,
          },
        ]
      : [],
    security_groups: encodeStringList(inputs.securityGroupIds ?? []),
    server_group_id: inputs.serverGroupId,
    partition_number: inputs.partitionNumber,
    user_data: inputs.userData === undefined ? undefined : Buffer.from(inputs.userData).toString("base64"),
    metadata: inputs.metadata ? JSON.stringify(inputs.metadata) : "",
    tags: encodeTags(inputs.tags),
    product_category: inputs.productCategory,
    product_offering: inputs.productOffering,
    max_count: 1,
    lock: false,
  };
}

// ---- API objects → outputs ----------------------------------------------------------------------------

const apiServer = z.looseObject({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  image_id: z.string().nullish(),
  keypair_name: z.string().nullish(),
  locked: z.boolean().nullish(),
  server_group_id: z.string().nullish(),
  partition_number: z.number().nullish(),
  vpc_id: z.string().nullish(),
  auto_scaling_group_id: z.string().nullish(),
  created_at: z.string().nullish(),
  error_reason: z.string().nullish(),
  server_type: z
    .looseObject({
      id: z.string(),
      vcpus: z.number().optional(),
      ram: z.number().optional(),
      disk: z.number().optional(),
    })
    .nullish(),
  addresses: z
    .array(
      z.looseObject({
        subnet_id: z.string().nullish(),
        subnet_name: z.string().nullish(),
        ip_addresses: z.array(z.looseObject({ ip_address: z.string() })).nullish(),
      }),
    )
    .nullish(),
  volumes: z.array(z.looseObject({ id: z.string() })).nullish(),
  tags: z.unknown().optional(),
});
type ApiServer = z.infer<typeof apiServer>;

const apiSecurityGroups = z.object({ security_groups: z.array(z.looseObject({ id: z.string() })) });

const powerStateOf = (state: string): (typeof POWER_STATES)[number] => (state === "SHUTOFF" ? "SHUTOFF" : "ACTIVE");

function toOutputs(
  api: ApiServer,
  inputs: VirtualServerInputs,
  securityGroupIds: string[] | undefined,
): VirtualServerOutputs {
  return {
    ...inputs,
    name: api.name,
    imageId: api.image_id ?? inputs.imageId,
    serverTypeId: api.server_type?.id ?? inputs.serverTypeId,
    keypairName: api.keypair_name ?? inputs.keypairName,
    serverGroupId: api.server_group_id ?? inputs.serverGroupId,
    securityGroupIds: securityGroupIds ?? inputs.securityGroupIds,
    tags: api.tags === undefined ? inputs.tags : decodeTags(api.tags),
    locked: api.locked ?? false,
    state: api.state,
    powerState: powerStateOf(api.state),
    userDataHash: hashUserData(inputs.userData),
    addresses: (api.addresses ?? []).map((a) => ({
      subnetId: a.subnet_id ?? undefined,
      subnetName: a.subnet_name ?? undefined,
      ipAddresses: (a.ip_addresses ?? []).map((ip) => ip.ip_address),
    })),
    volumeIds: (api.volumes ?? []).map((v) => v.id),
    vpcId: api.vpc_id ?? undefined,
    serverType: api.server_type
      ? { vcpus: api.server_type.vcpus, ram: api.server_type.ram, disk: api.server_type.disk }
      : undefined,
    autoScalingGroupId: api.auto_scaling_group_id ?? undefined,
    createdAt: api.created_at ?? undefined,
  };
}

function showServer(ctx: ResourceContext, id: string) {
  return ctx.client
    .find("showVirtualServer", { path: { server_id: id } })
    .then((b) => (b === undefined ? undefined : apiServer.parse(b)));
}

/** Security group ids through their own listing (Show Virtual Server gives only names). */
async function securityGroupIdsOf(ctx: ResourceContext, id: string): Promise<string[] | undefined> {
  const body = await ctx.client.find("listVirtualServerSecurityGroup", { path: { server_id: id } });
  return body === undefined ? undefined : apiSecurityGroups.parse(body).security_groups.map((g) => g.id);
}

function waitForServer(
  ctx: ResourceContext,
  id: string,
  what: string,
  target: string[],
  timeoutMs: number,
  ready?: (s: ApiServer) => boolean,
) {
  return waitForState({
    description: `server ${id} ${what}`,
    read: () => showServer(ctx, id),
    stateOf: (s) => s.state,
    reasonOf: (s) => s.error_reason ?? undefined,
    target,
    ...(ready ? { ready } : {}),
    timeoutMs,
  });
}

async function setPowerState(
  ctx: ResourceContext,
  id: string,
  wanted: (typeof POWER_STATES)[number],
  timeoutMs: number,
): Promise<void> {
  await ctx.client.call(wanted === "SHUTOFF" ? "stopVirtualServer" : "startVirtualServer", { path: { server_id: id } });
  await waitForServer(ctx, id, `to become ${wanted}`, [wanted], timeoutMs);
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules = {
  name: { on: "update" },
  serverTypeId: { on: "update" },
  powerState: { on: "update", normalize: (v: unknown) => v ?? "ACTIVE" },
  locked: { on: "update", normalize: (v: unknown) => v ?? false },
  securityGroupIds: { on: "update", normalize: normalize.unorderedList },
  imageId: { on: "replace" },
  keypairName: { on: "replace" },
  networks: { on: "replace" },
  bootVolume: { on: "replace", computedWhenUnset: true },
  serverGroupId: { on: "replace" },
  partitionNumber: { on: "replace", computedWhenUnset: true },
  metadata: { on: "replace", normalize: normalize.emptyMap },
  tags: { on: "replace", normalize: normalize.emptyMap },
  productCategory: { on: "replace", computedWhenUnset: true },
  productOffering: { on: "replace", computedWhenUnset: true },
  region: { on: "replace", computedWhenUnset: true },
  timeouts: { on: "update" },
} as const;

// ---- The provider -------------------------------------------------------------------------------------

export const provider = defineResourceProvider<VirtualServerInputs, VirtualServerOutputs>({
  kind: "server",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(30), updateMs: minutes(30), deleteMs: minutes(30) },
  diffRules,
  describe: (inputs, id) => `server "${inputs.name}"${id ? ` (${id})` : ""}`,
  // User data is compared by hash (state never needs the payload to detect a change), and a server left in
  // ERROR (a failed build kept in state) is replaced by the next up.
  replacesBeyondRules: (olds, news) => [
    ...((olds.userDataHash ?? undefined) !== hashUserData(news.userData as string | undefined) ? ["userData"] : []),
    ...(olds.state === "ERROR" ? ["state"] : []),
  ],

  async create(ctx, inputs, created) {
    const startedAt = new Date().toISOString();
    const answer = await ctx.client.create<{ servers: { id: string }[] }>(
      "createVirtualServer",
      { body: createRequest(inputs), resource: `server "${inputs.name}"` },
      async () => {
        // An answer lost after the server was accepted: the server of this name created since then is ours.
        const list = await ctx.client.call<{ servers: unknown[] }>("listVirtualServers", {
          query: { name: inputs.name },
        });
        const found = list.body.servers
          .map((s) => apiServer.parse(s))
          .find((s) => s.name === inputs.name && (s.created_at ?? "") >= startedAt);
        return found ? { servers: [{ id: found.id }] } : undefined;
      },
    );
    const id = answer.servers[0]?.id;
    if (!id) throw new Error(`createVirtualServer answered without a server id for server "${inputs.name}"`);
    created(id);
    let server = await waitForServer(ctx, id, "to become ACTIVE", ["ACTIVE"], ctx.timeouts.createMs);
    if (inputs.powerState === "SHUTOFF") {
      await setPowerState(ctx, id, "SHUTOFF", ctx.timeouts.createMs);
      server = (await showServer(ctx, id)) ?? server;
    }
    if (inputs.locked) {
      await ctx.client.call("lockVirtualServer", { path: { server_id: id } });
      server = (await showServer(ctx, id)) ?? server;
    }
    return { id, outputs: toOutputs(server, inputs, inputs.securityGroupIds) };
  },

  async read(ctx, id, olds) {
    const live = await showServer(ctx, id);
    if (!live) return undefined;
    const securityGroupIds = await securityGroupIdsOf(ctx, id).catch(() => olds.securityGroupIds);
    const {
      state: _state,
      userDataHash: _hash,
      addresses: _a,
      volumeIds: _v,
      vpcId: _vpc,
      serverType: _t,
      autoScalingGroupId: _asg,
      createdAt: _c,
      ...previousInputs
    } = olds as VirtualServerOutputs;
    const inputs: VirtualServerInputs = {
      ...(previousInputs as VirtualServerInputs),
      name: live.name,
      imageId: live.image_id ?? previousInputs.imageId ?? "",
      serverTypeId: live.server_type?.id ?? previousInputs.serverTypeId ?? "",
      networks: previousInputs.networks ?? [],
      ...(live.keypair_name ? { keypairName: live.keypair_name } : {}),
      ...(live.server_group_id ? { serverGroupId: live.server_group_id } : {}),
      ...(securityGroupIds ? { securityGroupIds } : {}),
      ...(live.tags !== undefined ? { tags: decodeTags(live.tags) } : {}),
      locked: live.locked ?? false,
      powerState: powerStateOf(live.state),
    };
    const outputs = { ...toOutputs(live, inputs, securityGroupIds), userDataHash: olds.userDataHash };
    return { outputs, inputs };
  },

  async update(ctx, id, olds, news) {
    const resource = `server "${news.name}" (${id})`;
    const wantLocked = news.locked ?? false;
    if (olds.locked && !wantLocked) await ctx.client.call("unlockVirtualServer", { path: { server_id: id }, resource });
    if (news.name !== olds.name)
      await ctx.client.call("updateVirtualServer", { path: { server_id: id }, body: { name: news.name }, resource });
    if (news.serverTypeId !== olds.serverTypeId) {
      const live = await showServer(ctx, id);
      const previous = live ? powerStateOf(live.state) : olds.powerState;
      await ctx.client.call("updateVirtualServerType", {
        path: { server_id: id },
        body: { server_type: news.serverTypeId },
        resource,
      });
      await waitForServer(
        ctx,
        id,
        `to take type ${news.serverTypeId}`,
        [previous],
        ctx.timeouts.updateMs,
        (s) => s.server_type?.id === news.serverTypeId,
      );
    }
    const wantedGroups = news.securityGroupIds ?? [];
    const currentGroups = olds.securityGroupIds ?? [];
    for (const group of wantedGroups.filter((g) => !currentGroups.includes(g))) {
      await ctx.client.call("attachVirtualServerSecurityGroup", {
        path: { server_id: id },
        body: { security_group_id: group },
        resource,
      });
    }
    for (const group of currentGroups.filter((g) => !wantedGroups.includes(g))) {
      await ctx.client.call("detachVirtualServerSecurityGroup", {
        path: { server_id: id, security_group_id: group },
        resource,
      });
    }
    const wantPower = news.powerState ?? "ACTIVE";
    const live = await showServer(ctx, id);
    if (live && powerStateOf(live.state) !== wantPower) await setPowerState(ctx, id, wantPower, ctx.timeouts.updateMs);
    if (!olds.locked && wantLocked) await ctx.client.call("lockVirtualServer", { path: { server_id: id }, resource });
    const final = await showServer(ctx, id);
    if (!final) throw new Error(`${resource} disappeared during the update`);
    return { ...toOutputs(final, news, await securityGroupIdsOf(ctx, id)), userDataHash: olds.userDataHash };
  },

  async delete(ctx, id) {
    const live = await showServer(ctx, id);
    if (!live) return;
    if (live.locked) {
      throw new Error(
        `server "${live.name}" (${id}) is locked: set locked: false and run pulumi up before deleting it (the provider does not unlock servers on its own)`,
      );
    }
    await ctx.client.call("deleteVirtualServer", {
      path: { server_id: id },
      resource: `server "${live.name}" (${id})`,
    });
    await waitUntilGone({
      description: `server ${id} to be deleted`,
      read: () => showServer(ctx, id),
      stateOf: (s) => s.state,
      reasonOf: (s) => s.error_reason ?? undefined,
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
});

// ---- The Resource class -------------------------------------------------------------------------------

export interface NetworkArgs {
  /** Subnet to attach the server's interface to. */
  readonly subnetId: pulumi.Input<string>;
  /** A fixed private IPv4 address in the subnet. */
  readonly fixedIp?: pulumi.Input<string>;
  /** An existing port to use. */
  readonly portId?: pulumi.Input<string>;
  /** A public IP to associate (static NAT). */
  readonly publicIpId?: pulumi.Input<string>;
}

export interface VirtualServerArgs {
  /** Server name. Changed in place. */
  readonly name: pulumi.Input<string>;
  /** Image to boot (see `getImage`). Changing it replaces the server. */
  readonly imageId: pulumi.Input<string>;
  /** Server type, e.g. `s1v2m4` (see `getServerType`). Changed in place (resize), keeping the power state. */
  readonly serverTypeId: pulumi.Input<string>;
  /** Keypair name for SSH. Changing it replaces the server. */
  readonly keypairName?: pulumi.Input<string>;
  /** Networks, the first being the primary. Changing them replaces the server. */
  readonly networks: pulumi.Input<pulumi.Input<NetworkArgs>[]>;
  /** Boot volume: size in GB, type, and whether it goes with the server (default true). Changing it replaces the server. */
  readonly bootVolume?: pulumi.Input<{
    size: pulumi.Input<number>;
    type?: pulumi.Input<string>;
    deleteOnTermination?: pulumi.Input<boolean>;
  }>;
  /** Security groups. Attached/detached in place (API version 1.0 operations). */
  readonly securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Server group (placement). Changing it replaces the server. */
  readonly serverGroupId?: pulumi.Input<string>;
  /** Partition number, for a partition server group. Changing it replaces the server. */
  readonly partitionNumber?: pulumi.Input<number>;
  /** Cloud-init user data (plain text; sent base64-encoded). Kept only as a hash in outputs; stored as a secret input. Changing it replaces the server. */
  readonly userData?: pulumi.Input<string>;
  /** Metadata (key → value). Changing it replaces the server. */
  readonly metadata?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Tags (key → value). Changing them replaces the server. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Lock the server against changes and deletion. Changed in place. Default false. */
  readonly locked?: pulumi.Input<boolean>;
  /** `ACTIVE` (running, default) or `SHUTOFF` (stopped). Changed in place with start/stop. */
  readonly powerState?: pulumi.Input<(typeof POWER_STATES)[number]>;
  /** Product category (`compute` default, or `container`). Changing it replaces the server. */
  readonly productCategory?: pulumi.Input<"compute" | "container">;
  /** Product offering (`virtual_server` default). Changing it replaces the server. */
  readonly productOffering?: pulumi.Input<"virtual_server" | "gpu_server" | "k8s_vm" | "k8s_gpu_vm">;
  readonly region?: pulumi.Input<string>;
  /** How long create/update/delete may wait. Default 30 minutes each. */
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const serverProvider = thinProvider(implementationPath("virtual-server"));

export class VirtualServer extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly imageId: pulumi.Output<string>;
  declare readonly serverTypeId: pulumi.Output<string>;
  declare readonly keypairName: pulumi.Output<string | undefined>;
  declare readonly securityGroupIds: pulumi.Output<string[] | undefined>;
  declare readonly serverGroupId: pulumi.Output<string | undefined>;
  declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
  /** The API's state: ACTIVE, SHUTOFF, … */
  declare readonly state: pulumi.Output<string>;
  declare readonly powerState: pulumi.Output<string>;
  declare readonly locked: pulumi.Output<boolean>;
  /** SHA-256 of the user data. */
  declare readonly userDataHash: pulumi.Output<string | undefined>;
  /** Addresses per subnet. */
  declare readonly addresses: pulumi.Output<ServerAddress[]>;
  /** Ids of the attached volumes, boot volume first. */
  declare readonly volumeIds: pulumi.Output<string[]>;
  declare readonly vpcId: pulumi.Output<string | undefined>;
  /** vCPUs, RAM (GB) and disk (GB) of the server type. */
  declare readonly serverType: pulumi.Output<{ vcpus?: number; ram?: number; disk?: number } | undefined>;
  declare readonly autoScalingGroupId: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: VirtualServerArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      state: undefined,
      userDataHash: undefined,
      addresses: undefined,
      volumeIds: undefined,
      vpcId: undefined,
      serverType: undefined,
      autoScalingGroupId: undefined,
      createdAt: undefined,
    };
    const props = {
      keypairName: undefined,
      securityGroupIds: undefined,
      serverGroupId: undefined,
      tags: undefined,
      locked: undefined,
      powerState: undefined,
      ...outputs,
      ...args,
    };
    // The user data payload is needed to create the server but must not sit in state in clear text.
    if (args.userData !== undefined) props.userData = pulumi.secret(args.userData);
    super(serverProvider, name, props, resourceOptions(opts, ["userData"]), "scp", "VirtualServer");
  }
}
