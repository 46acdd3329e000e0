/** Server groups (placement policies) and launch configurations. */
import type { ApiObject, EmulatorWorld, Handler } from "../context";
import { badRequest, conflict } from "../errors";
import { listResponse } from "../listing";
import { formatPythonList, mustGet, optionalString, publicView, requireEnum, requireString } from "./common";

const GROUPS = "server-groups";
const LAUNCH_CONFIGS = "launch-configurations";
const POLICIES = ["affinity", "anti-affinity", "soft-affinity", "soft-anti-affinity", "partition"] as const;
export const PARTITION_SIZE = 3;

function groupView(group: ApiObject, world: EmulatorWorld) {
  const members = world.store.list("servers").filter((s) => s.server_group_id === group.id && s.state !== "DELETING");
  return { ...publicView(group), members: formatPythonList(members.map((s) => s.id)) };
}

export function launchConfigurationView(lc: ApiObject, world: EmulatorWorld) {
  const groups = world.store.list("auto-scaling-groups").filter((g) => g.launch_configuration_id === lc.id);
  const image = world.store.get("images", String(lc.image_id));
  const keypair = lc.keypair_name ? world.store.get("keypairs", String(lc.keypair_name)) : undefined;
  return {
    ...publicView(lc),
    auto_scaling_group_count: groups.length,
    image_name: image?.name ?? null,
    public_key: keypair?.public_key ?? null,
  };
}

export const serverGroupHandlers: Record<string, Handler> = {
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
      partition_size: policy === "partition" ? PARTITION_SIZE : null,
      tags: req.body.tags ?? "[]",
      created_at: world.store.isoNow(),
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
    mustGet(world, "images", imageId, "Image");
    mustGet(world, "server-types", serverTypeId, "Server type");
    const keypairName = optionalString(req.body, "keypair_name");
    if (keypairName) mustGet(world, "keypairs", keypairName, "Keypair");
    const volumes = req.body.volumes ?? [];
    if (!Array.isArray(volumes)) throw badRequest("volumes: must be a list");
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
      tags: req.body.tags ?? "[]",
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
      view: (lc) => launchConfigurationView(lc, world),
    }),
  }),
  deleteLaunchConfiguration: (req, world) => {
    const lc = mustGet(world, LAUNCH_CONFIGS, req.params.launch_configuration_id ?? "", "Launch configuration");
    const users = world.store.list("auto-scaling-groups").filter((g) => g.launch_configuration_id === lc.id);
    if (users.length > 0) {
      throw conflict(
        `Launch configuration ${lc.id} is used by auto-scaling group ${users.map((g) => g.name).join(", ")}`,
      );
    }
    world.store.remove(LAUNCH_CONFIGS, lc.id);
    return { status: 204 };
  },
};
