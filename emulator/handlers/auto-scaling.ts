/**
 * Auto-scaling groups: member servers created and removed to match the desired count, counts, LB server
 * groups, and the group's policies, schedules and notifications. The group's state is derived from its
 * members: CREATING / SCALING_OUT / SCALING_IN while they change, IN_SERVICE when steady, SCALE_OUT_FAIL
 * when a member failed to build (with the reason), DELETING while it goes.
 */
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS, groupChildren } from "../collections";
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { badRequest, conflict } from "../errors";
import { listResponse } from "../listing";
import { mustGet, optionalBool, optionalInt, optionalString, pythonList, requireInt, requireString } from "./common";
import { SERVERS, buildServer, destroyServer, serverView } from "./servers";

/** What a create leaves out gets these (List Default Configs answers them). */
export const GROUP_DEFAULTS = {
  desired_server_count_editable: true,
  drain_enabled: false,
  drain_timeout: 300,
} as const;

const GROUPS = COLLECTIONS.autoScalingGroups;
const LAUNCH_CONFIGS = COLLECTIONS.launchConfigurations;

export function members(world: EmulatorWorld, group: ApiObject): ApiObject[] {
  return world.store.list(SERVERS).filter((s) => s.auto_scaling_group_id === group.id);
}

function groupState(world: EmulatorWorld, group: ApiObject): { state: string; reason?: string } {
  if (group._deleting) return { state: "DELETING" };
  const all = members(world, group);
  const failed = all.find((s) => s.state === "ERROR");
  if (failed)
    return { state: "SCALE_OUT_FAIL", reason: String(failed._error_reason ?? `server ${failed.id} failed to build`) };
  const live = all.filter((s) => s.state !== "DELETING");
  const changing = all.some((s) => s.state === "BUILD" || s.state === "DELETING");
  if (!changing && live.length === group.desired_server_count) {
    group._in_service = true;
    return { state: "IN_SERVICE" };
  }
  if (!group._in_service) return { state: "CREATING" };
  return {
    state:
      live.length > Number(group.desired_server_count) || all.some((s) => s.state === "DELETING")
        ? "SCALING_IN"
        : "SCALING_OUT",
  };
}

/**
 * A group as Show / Create / Update answer it; List leaves out `total_server_count` (`listed`). The
 * reason of a failed scale-out is kept internally (`_error_reason`): the reference does not answer it.
 */
export function groupView(world: EmulatorWorld, group: ApiObject, listed = false): Record<string, unknown> {
  const { state, reason } = groupState(world, group);
  group._error_reason = reason;
  const lc = world.store.get(LAUNCH_CONFIGS, String(group.launch_configuration_id));
  return {
    account_id: group.account_id,
    created_at: group.created_at,
    created_by: group.created_by,
    desired_server_count: group.desired_server_count,
    desired_server_count_editable: group.desired_server_count_editable,
    drain_enabled: group.drain_enabled,
    drain_timeout: group.drain_timeout,
    id: group.id,
    launch_configuration_id: group.launch_configuration_id,
    launch_configuration_name: lc?.name ?? "",
    lb_server_groups: (group.lb_server_groups as LbServerGroup[]).map((l) => ({ id: l.id, port: l.port })),
    max_server_count: group.max_server_count,
    min_server_count: group.min_server_count,
    modified_at: group.modified_at,
    modified_by: group.modified_by,
    name: group.name,
    security_group_ids: group.security_group_ids,
    server_name_prefix: group.server_name_prefix,
    state,
    subnet_ids: group.subnet_ids,
    ...(listed ? {} : { total_server_count: members(world, group).filter((s) => s.state !== "DELETING").length }),
    vpc_id: group.vpc_id,
  };
}

type LbServerGroup = { id: string; port: number };

/** Creates or removes member servers until the live count matches the desired count. */
function reconcile(world: EmulatorWorld, group: ApiObject): void {
  const live = members(world, group).filter((s) => s.state !== "DELETING");
  const desired = Number(group.desired_server_count);
  if (live.length < desired) {
    const lc = mustGet(world, LAUNCH_CONFIGS, String(group.launch_configuration_id), "Launch configuration");
    const failure = world.takeOutcome("asg-scale");
    for (let i = live.length; i < desired; i++) {
      if (failure) world.takeOutcome("server");
      const server = buildServer(world, {
        name: `${group.server_name_prefix ?? group.name}-${world.store.newHexId().slice(0, 6)}`,
        imageId: String(lc.image_id),
        serverTypeId: String(lc.server_type_id),
        keypairName: (lc.keypair_name as string | null) || undefined,
        networks: ((group.subnet_ids as string[]) ?? []).slice(0, 1).map((subnet_id) => ({ subnet_id })),
        securityGroupIds: pythonList(group.security_group_ids, "security_group_ids"),
        volumes: (lc.volumes as { size: number; type?: string }[]) ?? [],
        userData: (lc.user_data as string | null) ?? undefined,
        autoScalingGroupId: group.id,
        launchConfigurationId: lc.id,
      });
      if (failure) {
        server.state = "BUILD";
        world.store.schedule(world.store.durations.serverBuildMs, () => {
          server.state = failure.state;
          server._error_reason = failure.reason ?? "scale-out failed";
        });
      }
    }
  } else if (live.length > desired) {
    const newestFirst = [...live].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
    for (const server of newestFirst.slice(0, live.length - desired)) destroyServer(world, server);
  }
}

function validateCounts(min: number, max: number, desired: number): void {
  if (min > max) throw badRequest(`min_server_count (${min}) must not exceed max_server_count (${max})`);
  if (desired < min || desired > max) {
    throw badRequest(
      `desired_server_count (${desired}) must be between min_server_count (${min}) and max_server_count (${max})`,
    );
  }
}

/** Scaling as a policy or schedule would do it (control API); clamps to min/max. */
export function scaleAutoScalingGroup(world: EmulatorWorld, id: string, desired: number): Record<string, unknown> {
  world.store.settle();
  const group = mustGet(world, GROUPS, id, "Auto-Scaling Group");
  group.desired_server_count = Math.max(
    Number(group.min_server_count),
    Math.min(Number(group.max_server_count), desired),
  );
  reconcile(world, group);
  return groupView(world, group);
}

function lbServerGroups(value: unknown): { id: string; port: number }[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw badRequest("lb_server_groups: must be a list");
  return value.map((entry, i) => {
    const e = entry as Record<string, unknown>;
    if (typeof e?.id !== "string" || typeof e.port !== "number" || e.port < 1 || e.port > 65535) {
      throw badRequest(`lb_server_groups[${i}]: needs an id and a port between 1 and 65535`);
    }
    return { id: e.id, port: e.port };
  });
}

export const group = (req: HandlerRequest, world: EmulatorWorld) =>
  mustGet(world, GROUPS, req.params.auto_scaling_group_id ?? "", "Auto-Scaling Group");

function assertNotDeleting(g: ApiObject): void {
  if (g._deleting) throw conflict(`Auto-Scaling Group ${g.id} is being deleted`);
}

export const autoScalingGroupHandlers = {
  createAutoScalingGroup: (req, world) => {
    const b = req.body;
    const name = requireString(b, "name");
    const lc = mustGet(world, LAUNCH_CONFIGS, requireString(b, "launch_configuration_id"), "Launch configuration");
    const min = requireInt(b, "min_server_count", 0, 1000);
    const max = requireInt(b, "max_server_count", 0, 1000);
    const desired = optionalInt(b, "desired_server_count", 0, 1000) ?? min;
    validateCounts(min, max, desired);
    if (world.store.list(GROUPS).some((g) => g.name === name))
      throw conflict(`Auto-Scaling Group ${name} already exists`);
    const subnetIds = (Array.isArray(b.subnet_ids) ? b.subnet_ids : []).filter(
      (s): s is string => typeof s === "string" && s !== "",
    );
    if (subnetIds.length === 0) throw badRequest("subnet_ids: at least one subnet is required");
    const now = world.store.isoNow();
    const g = world.store.put(GROUPS, {
      id: world.store.newHexId(),
      account_id: world.accountId,
      name,
      launch_configuration_id: lc.id,
      min_server_count: min,
      max_server_count: max,
      desired_server_count: desired,
      desired_server_count_editable:
        optionalBool(b, "desired_server_count_editable") ?? GROUP_DEFAULTS.desired_server_count_editable,
      drain_enabled: optionalBool(b, "drain_enabled") ?? GROUP_DEFAULTS.drain_enabled,
      drain_timeout: optionalInt(b, "drain_timeout", 0, 3600) ?? GROUP_DEFAULTS.drain_timeout,
      lb_server_groups: lbServerGroups(b.lb_server_groups),
      security_group_ids: b.security_group_ids ?? "[]",
      server_name_prefix: optionalString(b, "server_name_prefix") ?? name,
      subnet_ids: subnetIds,
      // Taken at creation, never answered (no group answer of the reference has tags).
      _tags: b.tags,
      vpc_id: "cc976b621087484ea5fd527f4b78708b",
      created_at: now,
      created_by: world.userId,
      modified_at: now,
      modified_by: world.userId,
    });
    reconcile(world, g);
    return { status: 201, body: groupView(world, g) };
  },
  showAutoScalingGroup: (req, world) => ({ status: 200, body: groupView(world, group(req, world)) }),
  listAutoScalingGroups: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(GROUPS), "auto_scaling_groups", {
      withCount: true,
      view: (g) => groupView(world, g, true),
    }),
  }),
  updateAutoScalingGroup: (req, world) => {
    const g = group(req, world);
    assertNotDeleting(g);
    const b = req.body;
    const lcId = optionalString(b, "launch_configuration_id");
    if (lcId) g.launch_configuration_id = mustGet(world, LAUNCH_CONFIGS, lcId, "Launch configuration").id;
    for (const field of ["desired_server_count_editable", "drain_enabled"]) {
      const v = optionalBool(b, field);
      if (v !== undefined) g[field] = v;
    }
    const timeout = optionalInt(b, "drain_timeout", 0, 3600);
    if (timeout !== undefined) g.drain_timeout = timeout;
    // Only what the reference's Update request shows takes effect (the server name prefix is not there).
    if (b.security_group_ids !== undefined) g.security_group_ids = b.security_group_ids;
    g.modified_at = world.store.isoNow();
    return { status: 200, body: groupView(world, g) };
  },
  updateAutoScalingGroupServerCount: (req, world) => {
    const g = group(req, world);
    assertNotDeleting(g);
    const min = optionalInt(req.body, "min_server_count", 0, 1000) ?? Number(g.min_server_count);
    const max = optionalInt(req.body, "max_server_count", 0, 1000) ?? Number(g.max_server_count);
    const desiredGiven = optionalInt(req.body, "desired_server_count", 0, 1000);
    if (desiredGiven !== undefined && !g.desired_server_count_editable) {
      throw badRequest(`desired_server_count of Auto-Scaling Group ${g.id} is not editable`);
    }
    const desired = desiredGiven ?? Number(g.desired_server_count);
    validateCounts(min, max, desired);
    Object.assign(g, {
      min_server_count: min,
      max_server_count: max,
      desired_server_count: desired,
      modified_at: world.store.isoNow(),
    });
    reconcile(world, g);
    return { status: 200, body: groupView(world, g) };
  },
  updateAutoScalingGroupLBServerGroups: (req, world) => {
    const g = group(req, world);
    assertNotDeleting(g);
    g.lb_server_groups = lbServerGroups(req.body.lb_server_groups);
    return { status: 202 };
  },
  listAutoScalingGroupLBServerGroups: (req, world) => {
    const g = group(req, world);
    // The group's own audit fields stand for the links' (the emulator keeps none per link).
    const items = (g.lb_server_groups as LbServerGroup[]).map((l) => ({
      created_at: g.created_at,
      created_by: g.created_by,
      id: l.id,
      modified_at: g.modified_at,
      modified_by: g.modified_by,
      name: `lb-sg-${l.id.slice(0, 8)}`,
      port: l.port,
    }));
    return {
      status: 200,
      body: listResponse(req.op, req.query, items as unknown as ApiObject[], "lb_server_groups", {
        withCount: true,
        sortFallback: "id:asc",
      }),
    };
  },
  listAutoScalingGroupVirtualServers: (req, world) => {
    const g = group(req, world);
    return {
      status: 200,
      body: listResponse(req.op, req.query, members(world, g), "servers", {
        view: (s) => ({
          ...serverView(s, world),
          lb_linked_state: (g.lb_server_groups as LbServerGroup[]).length > 0 ? "ATTACHED" : "DETACHED",
        }),
      }),
    };
  },
  deleteAutoScalingGroup: (req, world) => {
    const g = group(req, world);
    if (g._deleting) throw conflict(`Auto-Scaling Group ${g.id} is already being deleted`);
    g._deleting = true;
    for (const server of members(world, g)) if (server.state !== "DELETING") destroyServer(world, server);
    world.store.schedule(Math.max(world.store.durations.asgDeleteMs, world.store.durations.serverDeleteMs), () => {
      world.store.remove(GROUPS, g.id);
      for (const kind of ["policies", "schedules", "notifications"] as const) {
        for (const o of world.store.list(groupChildren(g.id, kind)))
          world.store.remove(groupChildren(g.id, kind), o.id);
      }
    });
    return { status: 204 };
  },
} satisfies Partial<Record<OperationId, Handler>>;
