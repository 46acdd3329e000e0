/** Server groups (placement policies) and launch configurations. */
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS } from "../collections";
import type { ApiObject, EmulatorWorld, Handler } from "../context";
import { badRequest, conflict } from "../errors";
import { listResponse } from "../listing";
import { formatPythonList, mustGet, optionalString, requireEnum, requireString } from "./common";

const GROUPS = COLLECTIONS.serverGroups;
const LAUNCH_CONFIGS = COLLECTIONS.launchConfigurations;
const POLICIES = ["affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity", "partition"] as const;
export const PARTITION_SIZE = 3;

/** A server group as the reference shows it; its members are a Python-literal list of server ids. */
function groupView(group: ApiObject, world: EmulatorWorld) {
  const members = world.store
    .list(COLLECTIONS.servers)
    .filter((s) => s.server_group_id === group.id && s.state !== "DELETING");
  return {
    account_id: group.account_id,
    id: group.id,
    members: formatPythonList(members.map((s) => s.id)),
    name: group.name,
    // Only partition groups have a size; the reference's number type is kept (0) for the others.
    partition_size: group.policy === "partition" ? PARTITION_SIZE : 0,
    policy: group.policy,
    user_id: group.user_id,
  };
}

type LaunchVolume = { boot_index?: number; size: number; type?: string };

/** A launch configuration as Show / Create answer it; List adds the disk sizes (`listed`). */
export function launchConfigurationView(lc: ApiObject, world: EmulatorWorld, listed = false) {
  const groups = world.store.list(COLLECTIONS.autoScalingGroups).filter((g) => g.launch_configuration_id === lc.id);
  const image = world.store.get(COLLECTIONS.images, String(lc.image_id));
  const keypair = lc.keypair_name ? world.store.get(COLLECTIONS.keypairs, String(lc.keypair_name)) : undefined;
  const volumes = (lc.volumes as LaunchVolume[]).map((v, i) => ({
    boot_index: v.boot_index ?? i,
    size: v.size,
    type: v.type ?? "SSD",
  }));
  const sizes = listed
    ? {
        boot_disk_size: volumes.find((v) => v.boot_index === 0)?.size ?? 0,
        extra_disk_size: volumes.filter((v) => v.boot_index !== 0).reduce((n, v) => n + v.size, 0),
      }
    : {};
  return {
    account_id: lc.account_id,
    auto_scaling_group_count: groups.length,
    ...(listed ? { boot_disk_size: sizes.boot_disk_size } : {}),
    created_at: lc.created_at,
    created_by: lc.created_by,
    ...(listed ? { extra_disk_size: sizes.extra_disk_size } : {}),
    id: lc.id,
    image_id: lc.image_id,
    image_name: image?.name ?? "",
    keypair_name: lc.keypair_name ?? "",
    modified_at: lc.modified_at,
    modified_by: lc.modified_by,
    name: lc.name,
    public_key: keypair?.public_key ?? "",
    server_type_id: lc.server_type_id,
    state: lc.state,
    user_data: lc.user_data ?? "",
    volumes,
  };
}

export const serverGroupHandlers = {
  createServerGroup: (req, world) => {
    const name = requireString(req.body, "name");
    const policy = requireEnum(req.body, "policy", POLICIES);
    if (world.store.list(GROUPS).some((g) => g.name === name)) throw conflict(`Server group ${name} already exists`);
    const group = world.store.put(GROUPS, {
      id: world.store.newId(),
      account_id: world.accountId,
      user_id: world.userId,
      name,
      policy,
      // Taken at creation, never answered (the reference's server group answers have neither).
      _tags: req.body.tags,
      _created_at: world.store.isoNow(),
    });
    return { status: 201, body: groupView(group, world) };
  },
  showServerGroup: (req, world) => ({
    status: 200,
    body: groupView(mustGet(world, GROUPS, req.params.server_group_id ?? "", "Server group"), world),
  }),
  listServerGroups: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(GROUPS), "server_groups", {
      view: (g) => groupView(g, world),
    }),
  }),
  deleteServerGroup: (req, world) => {
    const group = mustGet(world, GROUPS, req.params.server_group_id ?? "", "Server group");
    world.store.remove(GROUPS, group.id);
    return { status: 200 };
  },
  getMaximumPartitionSize: () => ({ status: 200, body: { partition_size: String(PARTITION_SIZE) } }),

  createLaunchConfiguration: (req, world) => {
    const name = requireString(req.body, "name");
    const imageId = requireString(req.body, "image_id");
    const serverTypeId = requireString(req.body, "server_type_id");
    mustGet(world, COLLECTIONS.images, imageId, "Image");
    mustGet(world, COLLECTIONS.serverTypes, serverTypeId, "Server type");
    const keypairName = optionalString(req.body, "keypair_name") || undefined;
    if (keypairName) mustGet(world, COLLECTIONS.keypairs, keypairName, "Keypair");
    const volumes = req.body.volumes ?? [];
    if (!Array.isArray(volumes)) throw badRequest("volumes: must be a list");
    for (const [i, v] of (volumes as unknown[]).entries()) {
      const size = (v as { size?: unknown } | null)?.size;
      if (typeof size !== "number" || size < 1) throw badRequest(`volumes[${i}].size: must be a positive integer`);
    }
    const now = world.store.isoNow();
    const lc = world.store.put(LAUNCH_CONFIGS, {
      id: world.store.newHexId(),
      account_id: world.accountId,
      name,
      image_id: imageId,
      server_type_id: serverTypeId,
      keypair_name: keypairName ?? null,
      user_data: optionalString(req.body, "user_data") ?? null,
      volumes,
      _tags: req.body.tags,
      state: "ACTIVE",
      created_at: now,
      created_by: world.userId,
      modified_at: now,
      modified_by: world.userId,
    });
    return { status: 201, body: launchConfigurationView(lc, world) };
  },
  showLaunchConfiguration: (req, world) => ({
    status: 200,
    body: launchConfigurationView(
      mustGet(world, LAUNCH_CONFIGS, req.params.launch_configuration_id ?? "", "Launch configuration"),
      world,
    ),
  }),
  listLaunchConfigurations: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(LAUNCH_CONFIGS), "launch_configurations", {
      withCount: true,
      view: (lc) => launchConfigurationView(lc, world, true),
    }),
  }),
  deleteLaunchConfiguration: (req, world) => {
    const lc = mustGet(world, LAUNCH_CONFIGS, req.params.launch_configuration_id ?? "", "Launch configuration");
    const users = world.store.list(COLLECTIONS.autoScalingGroups).filter((g) => g.launch_configuration_id === lc.id);
    if (users.length > 0) {
      throw conflict(
        `Launch configuration ${lc.id} is used by auto-scaling group ${users.map((g) => g.name).join(", ")}`,
      );
    }
    world.store.remove(LAUNCH_CONFIGS, lc.id);
    return { status: 204 };
  },
} satisfies Partial<Record<OperationId, Handler>>;
