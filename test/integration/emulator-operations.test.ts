// Walks the operation table and calls every operation of the API at least once, through real HTTP with
// signed requests, in an order that gives each call the objects it needs. Every answer must be the
// operation's documented success status.
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { referenceExamples } from "../../emulator/reference-examples";
import { type OperationId, type OperationSpec, operations } from "../../provider/operations";
import { clientFor, control, withEmulator } from "../support/emulator";
import type { ScpClient } from "../../provider/http";

let emulator: RunningEmulator;
let client: ScpClient;

beforeAll(async () => {
  // A date when every version the reference lists (1.0 included) was still supported.
  emulator = await withEmulator({ timeScale: 0.0005, today: "2025-06-01" });
  client = clientFor(emulator);
});
afterAll(() => emulator.close());

const ids: Record<string, string> = {
  subnet_id: "78b2ee3f074145c580ab6abac4821f97",
  security_group_id: "c09c3f05-03d9-443f-b27a-40e0f973c75f",
  server_type_id: "s1v1m2",
  volume_type_id: "c643ac35-3aec-43e6-b97a-3d6f666c5207",
  image_id: "70a599e0-31e7-49b7-b260-868f441e862b",
};

/** Polls the emulator's object until a field has a value (life cycles are shortened, not instant). */
async function until(collection: string, id: string, field: string, value: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const object = (await control(emulator, "GET", `/objects/${encodeURIComponent(collection)}/${id}`)) as Record<
      string,
      unknown
    >;
    if (object[field] === value) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  const last = (await control(emulator, "GET", `/objects/${encodeURIComponent(collection)}/${id}`)) as Record<
    string,
    unknown
  >;
  throw new Error(`${collection}/${id} never reached ${field}=${value} (it is ${String(last[field])})`);
}

async function untilEmpty(collection: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (((await control(emulator, "GET", `/objects/${collection}`)) as unknown[]).length === 0) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${collection} never emptied`);
}

/** The reference's example body, with the ids of this walk's objects substituted. */
function bodyFor(op: OperationSpec): Record<string, unknown> | undefined {
  if (!op.hasBody) return undefined;
  const example = structuredClone(referenceExamples[op.id]?.request ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(example)) if (ids[key] !== undefined) example[key] = ids[key];
  const overrides: Partial<Record<OperationId, Record<string, unknown>>> = {
    createKeypair: { name: "walk-keypair", public_key: undefined },
    createVirtualServer: {
      name: "walk-server",
      keypair_name: "walk-keypair",
      server_group_id: ids.server_group_id,
      max_count: 1,
      networks: [{ subnet_id: ids.subnet_id }],
      security_groups: "[]",
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
    updateAutoScalingGroupServerCount: { min_server_count: 1, desired_server_count: 2, max_server_count: 2 },
  };
  const merged = { ...example, ...overrides[op.id as OperationId] };
  return Object.fromEntries(Object.entries(merged).filter(([, v]) => v !== undefined));
}

async function callOperation(id: OperationId): Promise<Record<string, unknown>> {
  const op: OperationSpec = operations[id];
  const secondVolume = id === "updateServerVolume" || id === "deleteServerVolume";
  const path = Object.fromEntries(
    op.pathParams.map((p) => [
      p,
      (p === "volume_id" && secondVolume ? ids.second_volume_id : ids[p]) ?? `missing-${p}`,
    ]),
  );
  const query = id === "deleteVolume" ? { cascade: true } : undefined;
  const body = bodyFor(op);
  const response = await client.call<Record<string, unknown>>(id, {
    path,
    ...(query ? { query } : {}),
    ...(body ? { body } : {}),
  });
  expect({ id, status: response.status }).toEqual({ id, status: op.successStatus });
  return response.body ?? {};
}

// The order a real user would need: create, then read/change, then remove.
const sequence: OperationId[] = [
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

/** What each create answers with, and where the walk keeps its id. */
const remember: Partial<Record<OperationId, (body: Record<string, unknown>) => void>> = {
  createKeypair: () => (ids.keypair_name = "walk-keypair"),
  createServerGroup: (b) => (ids.server_group_id = String(b.id)),
  createVirtualServer: (b) => (ids.server_id = String((b.servers as { id: string }[])[0]?.id)),
  createVolume: (b) => (ids.volume_id = String(b.id)),
  createSnapshot: (b) => (ids.snapshot_id = String(b.id)),
  createServerInterface: (b) => (ids.port_id = String(b.port_id)),

  createImage: (b) => (ids.image_id = String(b.id)),
  createImageMember: (b) => (ids.member_id = String(b.member_id)),
  createVolumeTransfer: (b) => (ids.transfer_id = String(b.id)),
  createLaunchConfiguration: (b) => (ids.launch_configuration_id = String(b.id)),
  createAutoScalingGroup: (b) => (ids.auto_scaling_group_id = String(b.id)),
  createAutoScalingGroupPolicy: (b) => (ids.policy_id = String(b.id)),
  createAutoScalingGroupSchedule: (b) => (ids.schedule_id = String(b.id)),
  createAutoScalingGroupNotification: (b) =>
    (ids.notification_id = String((b.notifications as { id: string }[])[0]?.id)),
};

async function natId(field: string): Promise<string> {
  const shown = await client.call<{ interfaces: Record<string, { id: string }>[] }>("showServerInterface", {
    path: { server_id: ids.server_id ?? "", port_id: ids.port_id ?? "" },
  });
  return shown.body.interfaces[0]?.[field]?.id ?? "";
}

/** Steps that must wait for a life cycle before the next call. */
const settle: Partial<Record<OperationId, () => Promise<unknown>>> = {
  createVirtualServer: () => until("servers", ids.server_id ?? "", "state", "ACTIVE"),
  createVolume: async () => {
    await until("volumes", ids.volume_id ?? "", "state", "available");
    const second = await client.call<{ id: string }>("createVolume", { body: { name: "walk-second", size: 10 } });
    ids.second_volume_id = second.body.id;
    await until("volumes", ids.second_volume_id, "state", "available");
  },
  attachVolumeToVirtualServer: () => until("volumes", ids.volume_id ?? "", "state", "in-use"),
  extendVolume: () => until("volumes", ids.volume_id ?? "", "state", "in-use"),
  createSnapshot: () => until("snapshots", ids.snapshot_id ?? "", "status", "available"),
  createServerVolume: () => until("volumes", ids.second_volume_id ?? "", "state", "in-use"),
  deleteServerVolume: () => until("volumes", ids.second_volume_id ?? "", "state", "available"),
  detachVolumeFromVirtualServer: () => until("volumes", ids.volume_id ?? "", "state", "available"),
  revertVolumeToSnapshot: () => until("volumes", ids.volume_id ?? "", "state", "available"),
  stopVirtualServer: () => until("servers", ids.server_id ?? "", "state", "SHUTOFF"),
  startVirtualServer: () => until("servers", ids.server_id ?? "", "state", "ACTIVE"),
  rebootVirtualServer: () => until("servers", ids.server_id ?? "", "state", "ACTIVE"),
  updateVirtualServerType: () => until("servers", ids.server_id ?? "", "state", "ACTIVE"),
  rebuildVirtualServer: () => until("servers", ids.server_id ?? "", "state", "ACTIVE"),
  createImage: () => until("images", ids.image_id ?? "", "status", "active"),
  // NAT creation answers with no body: the NAT's id is read from the interface, as a client would.
  createServerInterfaceNat: async () => (ids.nat_id = await natId("static_nat")),
  createServerInterfacePrivateNat: async () => (ids.nat_id = await natId("private_static_nat")),
  deleteAutoScalingGroup: () => untilEmpty("auto-scaling-groups"),
  deleteSnapshot: () => untilEmpty("snapshots"),
  deleteVirtualServer: () => untilEmpty("servers"),
};

test("the walk names every operation of the table exactly once", () => {
  expect([...sequence].sort()).toEqual(Object.keys(operations).sort());
});

test("every operation answers its documented success status over real HTTP", async () => {
  for (const id of sequence) {
    const body = await callOperation(id);
    remember[id]?.(body);
    await settle[id]?.().catch((error: Error) => {
      throw new Error(`after ${id}: ${error.message}`);
    });
  }
  const log = (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
  const called = new Set(log.map((r) => r.operation));
  expect(Object.keys(operations).filter((id) => !called.has(id))).toEqual([]);
}, 120_000);
