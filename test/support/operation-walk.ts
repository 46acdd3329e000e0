/**
 * A walk through every operation of the API, over real HTTP with signed requests, in the order a user
 * would need (create, then read and change, then remove), with bodies taken from the reference's request
 * examples and the walk's own object ids substituted. Used by the emulator's operation and conformance
 * tests; one walk per emulator (it creates fixed names such as `walk-keypair`).
 */
import type { RunningEmulator } from "../../emulator";
import { referenceExamplesByVersion } from "../../emulator/reference-examples";
import { ScpApiError } from "../../provider/errors";
import { type OperationId, type OperationSpec, operations } from "../../provider/operations";
import { clientFor, control } from "./emulator";

/** One call of the walk: the version sent, the status answered and the parsed body (undefined if none). */
export interface WalkStep {
  readonly id: OperationId;
  readonly version: string;
  readonly status: number;
  readonly body: unknown;
  /** The request body sent, if any. */
  readonly request?: Record<string, unknown> | undefined;
  /** The error detail when the answer was not 2xx. */
  readonly error?: string | undefined;
}

export interface WalkOptions {
  /** The version to send for an operation; its current version when this returns undefined. */
  readonly versionFor?: (op: OperationSpec) => string | undefined;
}

// The order a real user would need: create, then read/change, then remove.
export const walkSequence: readonly OperationId[] = [
  "listDefaultConfigs",
  "showServerQuotaSet",
  "showVolumeQuotaSet",
  "getMaximumPartitionSize",
  "listServerTypes",
  "showServerType",
  "listVolumeTypes",
  "showVolumeType",
  "showDefaultVolumeType",
  "listImages",
  "showImage",
  "listPendingImages",
  "createKeypair",
  "showKeypair",
  "listKeypairs",
  "createServerGroup",
  "showServerGroup",
  "listServerGroups",
  "createVirtualServer",
  "showVirtualServer",
  "listVirtualServers",
  "updateVirtualServer",
  "createVolume",
  "showVolume",
  "listVolumes",
  "updateVolume",
  "attachVolumeToVirtualServer",
  "listServerVolumes",
  "showServerVolume",
  "extendVolume",
  "createSnapshot",
  "showSnapshot",
  "listSnapshots",
  "updateSnapshot",
  "createServerVolume",
  "updateServerVolume",
  "deleteServerVolume",
  "detachVolumeFromVirtualServer",
  "revertVolumeToSnapshot",
  "listServerIps",
  "showServerIp",
  "showVirtualServerConsoleLog",
  "showVirtualServerPassword",
  "attachVirtualServerSecurityGroup",
  "listVirtualServerSecurityGroup",
  "detachVirtualServerSecurityGroup",
  "createServerInterface",
  "listServerInterfaces",
  "showServerInterface",
  "updateServerInterface",
  "createServerInterfaceNat",
  "deleteServerInterfaceNat",
  "createServerInterfacePrivateNat",
  "deleteServerInterfacePrivateNat",
  "deleteServerInterface",
  "lockVirtualServer",
  "unlockVirtualServer",
  "stopVirtualServer",
  "startVirtualServer",
  "rebootVirtualServer",
  "updateVirtualServerType",
  "rebuildVirtualServer",
  "createVirtualServerDump",
  "createVirtualServerCustomImage",
  "createImage",
  "updateImage",
  "importImage",
  "createSharingImage",
  "createImageMember",
  "listImageMembers",
  "showImageMember",
  "updateImageMember",
  "deleteImageMember",
  "createVolumeTransfer",
  "listVolumeTransfers",
  "showVolumeTransferDetail",
  "acceptVolumeTransfer",
  "deleteVolumeTransfer",
  "createLaunchConfiguration",
  "showLaunchConfiguration",
  "listLaunchConfigurations",
  "createAutoScalingGroup",
  "showAutoScalingGroup",
  "listAutoScalingGroups",
  "updateAutoScalingGroup",
  "updateAutoScalingGroupServerCount",
  "updateAutoScalingGroupLBServerGroups",
  "listAutoScalingGroupLBServerGroups",
  "listAutoScalingGroupVirtualServers",
  "createAutoScalingGroupPolicy",
  "showAutoScalingGroupPolicy",
  "listAutoScalingGroupPolicies",
  "updateAutoScalingGroupPolicy",
  "createAutoScalingGroupSchedule",
  "showAutoScalingGroupSchedule",
  "listAutoScalingGroupSchedules",
  "updateAutoScalingGroupSchedule",
  "createAutoScalingGroupNotification",
  "showAutoScalingGroupNotification",
  "listAutoScalingGroupNotifications",
  "updateAutoScalingGroupNotification",
  "deleteAutoScalingGroupPolicy",
  "deleteAutoScalingGroupSchedule",
  "deleteAutoScalingGroupNotification",
  "deleteAutoScalingGroup",
  "deleteLaunchConfiguration",
  "deleteSnapshot",
  "deleteImage",
  "deleteVirtualServer",
  "deleteVolume",
  "deleteServerGroup",
  "deleteKeypair",
];

type Body = Record<string, unknown>;

/** Fields of the reference's example bodies replaced, per operation, by this walk's objects. */
function overridesFor(ids: Record<string, string>): Partial<Record<OperationId, Body>> {
  return {
    createKeypair: { name: "walk-keypair", public_key: undefined },
    createVirtualServer: {
      name: "walk-server",
      keypair_name: "walk-keypair",
      server_group_id: ids.server_group_id,
      max_count: 1,
      networks: [{ subnet_id: ids.subnet_id }],
      security_groups: "['c09c3f05-03d9-443f-b27a-40e0f973c75f']",
    },
    createVolume: { name: "walk-volume", size: 200, snapshot_id: undefined, volume_type: "SSD" },
    createSnapshot: { volume_id: ids.volume_id, force: true },
    createLaunchConfiguration: { keypair_name: "walk-keypair" },
    createAutoScalingGroup: {
      launch_configuration_id: ids.launch_configuration_id,
      subnet_ids: [ids.subnet_id],
      name: "walk-asg",
    },
    createServerGroup: { name: "walk-group" },
    attachVolumeToVirtualServer: { server_id: ids.server_id },
    createServerVolume: { volume_id: ids.second_volume_id },
    updateServerVolume: { volume_id: ids.second_volume_id },
    revertVolumeToSnapshot: { snapshot_id: ids.snapshot_id },
    updateVirtualServerType: { server_type: "s1v2m4" },
    extendVolume: { size: 300 },
    createAutoScalingGroupNotification: { user_ids: ["walk-user"] },
    acceptVolumeTransfer: { auth_key: ids.auth_key },
    updateAutoScalingGroupServerCount: { min_server_count: 1, desired_server_count: 2, max_server_count: 2 },
  };
}

/** What each create answers with, and where the walk keeps its id. */
const remember: Partial<Record<OperationId, (body: Body, ids: Record<string, string>) => void>> = {
  createKeypair: (_b, ids) => (ids.keypair_name = "walk-keypair"),
  createServerGroup: (b, ids) => (ids.server_group_id = String(b.id)),
  createVirtualServer: (b, ids) => (ids.server_id = String((b.servers as { id: string }[] | undefined)?.[0]?.id)),
  createVolume: (b, ids) => (ids.volume_id = String(b.id)),
  createSnapshot: (b, ids) => (ids.snapshot_id = String(b.id)),
  createServerInterface: (b, ids) => (ids.port_id = String(b.port_id)),
  createImage: (b, ids) => (ids.image_id = String(b.id)),
  createImageMember: (b, ids) => (ids.member_id = String(b.member_id)),
  createVolumeTransfer: (b, ids) => {
    ids.transfer_id = String(b.id);
    ids.auth_key = String(b.auth_key);
  },
  createLaunchConfiguration: (b, ids) => (ids.launch_configuration_id = String(b.id)),
  createAutoScalingGroup: (b, ids) => (ids.auto_scaling_group_id = String(b.id)),
  createAutoScalingGroupPolicy: (b, ids) => (ids.policy_id = String(b.id)),
  createAutoScalingGroupSchedule: (b, ids) => (ids.schedule_id = String(b.id)),
  createAutoScalingGroupNotification: (b, ids) =>
    (ids.notification_id = String((b.notifications as { id: string }[] | undefined)?.[0]?.id)),
};

/** Walks every operation once, in `walkSequence` order, and returns every call's answer. */
export async function walkAllOperations(emulator: RunningEmulator, options: WalkOptions = {}): Promise<WalkStep[]> {
  const versions = Object.fromEntries(
    Object.values(operations).flatMap((op) => {
      const version = options.versionFor?.(op);
      return version ? [[op.id, version]] : [];
    }),
  );
  const client = clientFor(emulator, { apiVersions: versions, maxRetries: 0 });
  const versionOf = (op: OperationSpec) => versions[op.id] ?? op.currentVersion;
  const ids: Record<string, string> = {
    subnet_id: "78b2ee3f074145c580ab6abac4821f97",
    // Attached and detached by the walk; the server is created with the reference's own group.
    security_group_id: "5d3b0c1e-2f4a-4b6c-8d9e-0a1b2c3d4e5f",
    server_type_id: "s1v1m2",
    volume_type_id: "c643ac35-3aec-43e6-b97a-3d6f666c5207",
    image_id: "70a599e0-31e7-49b7-b260-868f441e862b",
  };

  const object = async (collection: string, id: string) =>
    (await control(emulator, "GET", `/objects/${encodeURIComponent(collection)}/${id}`).catch(() => undefined)) as
      Body | undefined;
  /** Polls an emulator object until a field has a value (life cycles are shortened, not instant). */
  const until = async (collection: string, id: string | undefined, field: string, value: string) => {
    for (let i = 0; i < 400; i++) {
      if ((await object(collection, id ?? ""))?.[field] === value) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    const last = await object(collection, id ?? "");
    throw new Error(`${collection}/${id} never reached ${field}=${value} (it is ${String(last?.[field])})`);
  };
  const untilEmpty = async (collection: string) => {
    for (let i = 0; i < 400; i++) {
      if (((await control(emulator, "GET", `/objects/${collection}`)) as unknown[]).length === 0) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`${collection} never emptied`);
  };
  // NAT creation answers with no body: the NAT's id is read from the interface, as a client would.
  const natId = async (field: string) => {
    const shown = await client.call<{ interfaces: Record<string, { id: string } | null>[] }>("showServerInterface", {
      path: { server_id: ids.server_id ?? "", port_id: ids.port_id ?? "" },
    });
    return shown.body.interfaces[0]?.[field]?.id ?? "";
  };

  /** Steps that must wait for a life cycle before the next call. */
  const settle: Partial<Record<OperationId, () => Promise<unknown>>> = {
    createVirtualServer: () => until("servers", ids.server_id, "state", "ACTIVE"),
    createVolume: async () => {
      await until("volumes", ids.volume_id, "state", "available");
      const second = await client.call<{ id: string }>("createVolume", { body: { name: "walk-second", size: 10 } });
      ids.second_volume_id = second.body.id;
      await until("volumes", ids.second_volume_id, "state", "available");
    },
    attachVolumeToVirtualServer: () => until("volumes", ids.volume_id, "state", "in-use"),
    extendVolume: () => until("volumes", ids.volume_id, "state", "in-use"),
    createSnapshot: () => until("snapshots", ids.snapshot_id, "status", "available"),
    createServerVolume: () => until("volumes", ids.second_volume_id, "state", "in-use"),
    deleteServerVolume: () => until("volumes", ids.second_volume_id, "state", "available"),
    detachVolumeFromVirtualServer: () => until("volumes", ids.volume_id, "state", "available"),
    revertVolumeToSnapshot: () => until("volumes", ids.volume_id, "state", "available"),
    stopVirtualServer: () => until("servers", ids.server_id, "state", "SHUTOFF"),
    startVirtualServer: () => until("servers", ids.server_id, "state", "ACTIVE"),
    rebootVirtualServer: () => until("servers", ids.server_id, "state", "ACTIVE"),
    updateVirtualServerType: () => until("servers", ids.server_id, "state", "ACTIVE"),
    rebuildVirtualServer: () => until("servers", ids.server_id, "state", "ACTIVE"),
    createImage: () => until("images", ids.image_id, "status", "active"),
    // An accepted transfer is done: Delete needs another one.
    acceptVolumeTransfer: async () => {
      const other = await client.call<{ id: string }>("createVolumeTransfer", { body: { volume_id: ids.volume_id } });
      ids.transfer_id = other.body.id;
    },
    createServerInterfaceNat: async () => (ids.nat_id = await natId("static_nat")),
    createServerInterfacePrivateNat: async () => (ids.nat_id = await natId("private_static_nat")),
    deleteAutoScalingGroup: () => untilEmpty("auto-scaling-groups"),
    deleteSnapshot: () => untilEmpty("snapshots"),
    deleteVirtualServer: () => untilEmpty("servers"),
  };

  /** The reference's example body for the version sent, with the ids of this walk's objects substituted. */
  const bodyFor = (op: OperationSpec): Body | undefined => {
    if (!op.hasBody) return undefined;
    const example = referenceExamplesByVersion[op.id][versionOf(op)]?.request;
    const body = structuredClone((example ?? {}) as Body);
    for (const key of Object.keys(body)) if (ids[key] !== undefined) body[key] = ids[key];
    const merged = { ...body, ...overridesFor(ids)[op.id] };
    return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
  };

  const steps: WalkStep[] = [];
  for (const id of walkSequence) {
    const op: OperationSpec = operations[id];
    const secondVolume = id === "updateServerVolume" || id === "deleteServerVolume";
    const path = Object.fromEntries(
      op.pathParams.map((p) => [
        p,
        (p === "volume_id" && secondVolume ? ids.second_volume_id : ids[p]) ?? `missing-${p}`,
      ]),
    );
    const query = id === "deleteVolume" ? { cascade: true } : undefined;
    const request = bodyFor(op);
    const version = versionOf(op);
    try {
      const response = await client.call<Body | undefined>(id, {
        path,
        ...(query ? { query } : {}),
        ...(request ? { body: request } : {}),
      });
      steps.push({ id, version, status: response.status, body: response.body, request });
      remember[id]?.(response.body ?? {}, ids);
      await settle[id]?.();
    } catch (error) {
      if (!(error instanceof ScpApiError)) throw new Error(`after ${id} ${version}: ${(error as Error).message}`);
      steps.push({ id, version, status: error.status, body: undefined, request, error: error.detail });
    }
  }
  return steps;
}
