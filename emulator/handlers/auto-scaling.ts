/**
 * Auto-scaling groups: member servers created and removed to match the desired count, counts, LB server
 * groups, and the group's policies, schedules and notifications. The group's state is derived from its
 * members: CREATING / SCALING_OUT / SCALING_IN while they change, IN_SERVICE when steady, SCALE_OUT_FAIL
 * when a member failed to build (with the reason), DELETING while it goes.
 */
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { ApiFault, badRequest, conflict } from "../errors";
import { listResponse } from "../listing";
import { genericHandler } from "./generic";
import {
  mustGet,
  optionalBool,
  optionalInt,
  optionalString,
  publicView,
  pythonList,
  requireEnum,
  requireInt,
  requireString,
} from "./common";
import { SERVERS, buildServer, destroyServer } from "./servers";

const GROUPS = "auto-scaling-groups";
const nested = (groupId: string, kind: "policies" | "schedules" | "notifications") => `${GROUPS}/${groupId}/${kind}`;

function members(world: EmulatorWorld, group: ApiObject): ApiObject[] {
  return world.store.list(SERVERS).filter((s) => s.auto_scaling_group_id === group.id);
}

function groupState(world: EmulatorWorld, group: ApiObject): { state: string; reason?: string } {
  if (group._deleting) return { state: "DELETING" };
  const all = members(world, group);
  const failed = all.find((s) => s.state === "ERROR");
  if (failed)
    return { state: "SCALE_OUT_FAIL", reason: String(failed.error_reason ?? `server ${failed.id} failed to build`) };
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

export function groupView(world: EmulatorWorld, group: ApiObject): Record<string, unknown> {
  const { state, reason } = groupState(world, group);
  const lc = world.store.get("launch-configurations", String(group.launch_configuration_id));
  return {
    ...publicView(group),
    state,
    ...(reason ? { error_reason: reason } : {}),
    launch_configuration_name: lc?.name ?? null,
    total_server_count: members(world, group).filter((s) => s.state !== "DELETING").length,
  };
}

/** Creates or removes member servers until the live count matches the desired count. */
function reconcile(world: EmulatorWorld, group: ApiObject): void {
  const live = members(world, group).filter((s) => s.state !== "DELETING");
  const desired = Number(group.desired_server_count);
  if (live.length < desired) {
    const lc = mustGet(world, "launch-configurations", String(group.launch_configuration_id), "Launch configuration");
    const failure = world.takeOutcome("asg-scale");
    for (let i = live.length; i < desired; i++) {
      if (failure) world.takeOutcome("server");
      const server = buildServer(world, {
        name: `${group.server_name_prefix ?? group.name}-${world.store.newHexId().slice(0, 6)}`,
        imageId: String(lc.image_id),
        serverTypeId: String(lc.server_type_id),
        keypairName: (lc.keypair_name as string | null) ?? undefined,
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
          server.error_reason = failure.reason ?? "scale-out failed";
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

const group = (req: HandlerRequest, world: EmulatorWorld) =>
  mustGet(world, GROUPS, req.params.auto_scaling_group_id ?? "", "Auto-Scaling Group");

function assertNotDeleting(g: ApiObject): void {
  if (g._deleting) throw conflict(`Auto-Scaling Group ${g.id} is being deleted`);
}

/** Nested objects of a group: check the group, then the generic collection behaviour. */
const withinGroup: Handler = (req, world) => {
  group(req, world);
  return genericHandler(req, world);
};

const METRIC_TYPES = ["CPU", "MEMORY", "NETWORK_IN", "NETWORK_OUT", "DISK_READ", "DISK_WRITE"] as const;
const OPERATORS = ["ge", "gt", "le", "lt"] as const;
const METRIC_METHODS = ["AVG", "MAX", "MIN"] as const;
const SCALE_TYPES = ["SCALE_OUT", "SCALE_IN"] as const;
const SCALE_METHODS = ["AMOUNT", "PERCENTAGE", "FIXED"] as const;
const STATES = ["ACTIVE", "INACTIVE"] as const;
const FREQUENCIES = ["ONCE", "DAILY", "WEEKLY", "MONTHLY"] as const;
const EVENTS = ["SCALE_OUT", "SCALE_OUT_FAIL", "SCALE_IN", "SCALE_IN_FAIL", "SATISFIED_POLICY_CONDITIONS"] as const;

function validatePolicy(body: Record<string, unknown>, partial: boolean): void {
  const check = <T extends string>(field: string, allowed: readonly T[]) => {
    if (!partial || body[field] !== undefined) requireEnum(body, field, allowed);
  };
  if (!partial) requireString(body, "name");
  check("metric_type", METRIC_TYPES);
  check("comparison_operator", OPERATORS);
  check("metric_method", METRIC_METHODS);
  check("scale_type", SCALE_TYPES);
  check("scale_method", SCALE_METHODS);
  if (body.state !== undefined) requireEnum(body, "state", STATES);
  for (const field of ["threshold", "evaluation_minutes", "scale_value", "cooldown_seconds"]) {
    if (!partial || body[field] !== undefined) requireInt(body, field, field === "cooldown_seconds" ? 0 : 1);
  }
}

function validateSchedule(body: Record<string, unknown>, partial: boolean): void {
  if (!partial) requireString(body, "name");
  const frequency = partial && body.frequency === undefined ? undefined : requireEnum(body, "frequency", FREQUENCIES);
  if (frequency === "WEEKLY" && !optionalString(body, "day_of_week"))
    throw badRequest("day_of_week: required for a WEEKLY schedule");
  if (frequency === "MONTHLY" && !optionalString(body, "day_of_month"))
    throw badRequest("day_of_month: required for a MONTHLY schedule");
  if (frequency === "ONCE" && !optionalString(body, "start_date"))
    throw badRequest("start_date: required for a ONCE schedule");
  if (!partial || body.hour !== undefined) requireInt(body, "hour", 0, 23);
  if (!partial || body.minute !== undefined) requireInt(body, "minute", 0, 59);
  if (body.state !== undefined) requireEnum(body, "state", STATES);
}

export const autoScalingHandlers: Record<string, Handler> = {
  createAutoScalingGroup: (req, world) => {
    const b = req.body;
    const name = requireString(b, "name");
    const lc = mustGet(
      world,
      "launch-configurations",
      requireString(b, "launch_configuration_id"),
      "Launch configuration",
    );
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
      desired_server_count_editable: optionalBool(b, "desired_server_count_editable") ?? true,
      drain_enabled: optionalBool(b, "drain_enabled") ?? false,
      drain_timeout: optionalInt(b, "drain_timeout", 0, 3600) ?? 300,
      lb_server_groups: lbServerGroups(b.lb_server_groups),
      security_group_ids: b.security_group_ids ?? "[]",
      server_name_prefix: optionalString(b, "server_name_prefix") ?? name,
      subnet_ids: subnetIds,
      tags: b.tags ?? "[]",
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
      view: (g) => groupView(world, g),
    }),
  }),
  updateAutoScalingGroup: (req, world) => {
    const g = group(req, world);
    assertNotDeleting(g);
    const b = req.body;
    const lcId = optionalString(b, "launch_configuration_id");
    if (lcId) g.launch_configuration_id = mustGet(world, "launch-configurations", lcId, "Launch configuration").id;
    for (const field of ["desired_server_count_editable", "drain_enabled"]) {
      const v = optionalBool(b, field);
      if (v !== undefined) g[field] = v;
    }
    const timeout = optionalInt(b, "drain_timeout", 0, 3600);
    if (timeout !== undefined) g.drain_timeout = timeout;
    if (b.security_group_ids !== undefined) g.security_group_ids = b.security_group_ids;
    const prefix = optionalString(b, "server_name_prefix");
    if (prefix !== undefined) g.server_name_prefix = prefix;
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
    const items = (g.lb_server_groups as { id: string; port: number }[]).map((l) => ({
      ...l,
      auto_scaling_group_id: g.id,
      name: `lb-sg-${l.id.slice(0, 8)}`,
    }));
    return {
      status: 200,
      body: listResponse(req.op, req.query, items as ApiObject[], "lb_server_groups", {
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
        view: (s) => ({ ...publicView(s), lb_linked_state: g.lb_server_groups ? "ATTACHED" : null }),
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
        for (const o of world.store.list(nested(g.id, kind))) world.store.remove(nested(g.id, kind), o.id);
      }
    });
    return { status: 204 };
  },

  createAutoScalingGroupPolicy: (req, world) => {
    const g = group(req, world);
    validatePolicy(req.body, false);
    const now = world.store.isoNow();
    const policy = world.store.put(nested(g.id, "policies"), {
      ...req.body,
      id: world.store.newHexId(),
      account_id: world.accountId,
      auto_scaling_group_id: g.id,
      state: req.body.state ?? "ACTIVE",
      threshold_unit: req.body.metric_type === "CPU" || req.body.metric_type === "MEMORY" ? "%" : "bytes",
      created_at: now,
      created_by: world.userId,
      modified_at: now,
      modified_by: world.userId,
    });
    return { status: 201, body: policy };
  },
  updateAutoScalingGroupPolicy: (req, world) => {
    validatePolicy(req.body, true);
    return withinGroup(req, world);
  },
  createAutoScalingGroupSchedule: (req, world) => {
    const g = group(req, world);
    validateSchedule(req.body, false);
    const now = world.store.isoNow();
    const schedule = world.store.put(nested(g.id, "schedules"), {
      ...req.body,
      id: world.store.newHexId(),
      account_id: world.accountId,
      auto_scaling_group_id: g.id,
      state: req.body.state ?? "ACTIVE",
      timezone: req.body.timezone ?? "Asia/Seoul",
      created_at: now,
      created_by: world.userId,
      modified_at: now,
      modified_by: world.userId,
    });
    return { status: 201, body: schedule };
  },
  updateAutoScalingGroupSchedule: (req, world) => {
    validateSchedule(req.body, true);
    return withinGroup(req, world);
  },
  createAutoScalingGroupNotification: (req, world) => {
    const g = group(req, world);
    const users = req.body.user_ids;
    if (!Array.isArray(users) || users.length === 0 || !users.every((u) => typeof u === "string")) {
      throw badRequest("user_ids: at least one user id is required");
    }
    const events = req.body.notification_events;
    if (
      !Array.isArray(events) ||
      events.length === 0 ||
      !events.every((e) => EVENTS.includes(e as (typeof EVENTS)[number]))
    ) {
      throw badRequest(`notification_events: a non-empty list of ${EVENTS.join(", ")}`);
    }
    const collection = nested(g.id, "notifications");
    const now = world.store.isoNow();
    const created = (users as string[]).map((userId) => {
      if (world.store.list(collection).some((n) => n.user_id === userId)) {
        throw new ApiFault(409, `user ${userId} already has a notification on Auto-Scaling Group ${g.id}`);
      }
      return world.store.put(collection, {
        id: world.store.newHexId(),
        account_id: world.accountId,
        auto_scaling_group_id: g.id,
        user_id: userId,
        user_name: `user-${userId.slice(0, 6)}`,
        notification_events: events,
        notification_state: "ACTIVE",
        created_at: now,
        created_by: world.userId,
        modified_at: now,
        modified_by: world.userId,
      });
    });
    return { status: 201, body: { count: created.length, notifications: created } };
  },
  updateAutoScalingGroupNotification: (req, world) => {
    const events = req.body.notification_events;
    if (
      events !== undefined &&
      (!Array.isArray(events) || !events.every((e) => EVENTS.includes(e as (typeof EVENTS)[number])))
    ) {
      throw badRequest(`notification_events: a list of ${EVENTS.join(", ")}`);
    }
    if (req.body.notification_state !== undefined) requireEnum(req.body, "notification_state", STATES);
    return withinGroup(req, world);
  },
  listAutoScalingGroupPolicies: withinGroup,
  showAutoScalingGroupPolicy: withinGroup,
  deleteAutoScalingGroupPolicy: withinGroup,
  listAutoScalingGroupSchedules: withinGroup,
  showAutoScalingGroupSchedule: withinGroup,
  deleteAutoScalingGroupSchedule: withinGroup,
  listAutoScalingGroupNotifications: (req, world) => {
    const g = group(req, world);
    const items = world.store
      .list(nested(g.id, "notifications"))
      .filter((n) => !req.query.get("user_ids") || req.query.getAll("user_ids").includes(String(n.user_id)))
      .filter(
        (n) =>
          !req.query.get("notification_event") ||
          (n.notification_events as string[]).includes(req.query.get("notification_event") ?? ""),
      );
    const q = new URLSearchParams(req.query);
    q.delete("user_ids");
    q.delete("notification_event");
    return { status: 200, body: listResponse(req.op, q, items, "notifications", { withCount: true }) };
  },
  showAutoScalingGroupNotification: withinGroup,
  deleteAutoScalingGroupNotification: withinGroup,
};
