/**
 * An auto-scaling group's policies, schedules and notifications, each in a collection of its group
 * (`auto-scaling-groups/{id}/policies`, …). Only the fields the reference's requests show are taken;
 * answers carry exactly the reference's keys.
 */
import type { OperationId } from "../../provider/operations";
import { groupChildren } from "../collections";
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { ApiFault, badRequest, notFound } from "../errors";
import { listResponse } from "../listing";
import { optionalString, requireEnum, requireInt, requireString } from "./common";
import { group } from "./auto-scaling";

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

type Kind = "policies" | "schedules" | "notifications";

function child(req: HandlerRequest, world: EmulatorWorld, kind: Kind, param: string): ApiObject {
  const g = group(req, world);
  const found = world.store.get(groupChildren(g.id, kind), req.params[param] ?? "");
  if (!found)
    throw notFound(`Auto-Scaling Group ${kind.replace(/ies$/, "y").replace(/s$/, "")}`, req.params[param] ?? "");
  return found;
}

/** Copies the given fields of a request body that are present onto an object. */
function take(target: ApiObject, body: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) if (body[field] !== undefined) target[field] = body[field];
}

function audit(world: EmulatorWorld, g: ApiObject) {
  const now = world.store.isoNow();
  return {
    account_id: world.accountId,
    auto_scaling_group_id: g.id,
    created_at: now,
    created_by: world.userId,
    modified_at: now,
    modified_by: world.userId,
  };
}

function touch(world: EmulatorWorld, o: ApiObject): void {
  o.modified_at = world.store.isoNow();
  o.modified_by = world.userId;
}

// ---- Policies
const POLICY_FIELDS = [
  "comparison_operator",
  "cooldown_seconds",
  "evaluation_minutes",
  "metric_method",
  "metric_type",
  "name",
  "scale_method",
  "scale_type",
  "scale_value",
  "threshold",
] as const;

const policyView = (p: ApiObject) => ({
  account_id: p.account_id,
  auto_scaling_group_id: p.auto_scaling_group_id,
  comparison_operator: p.comparison_operator,
  cooldown_seconds: p.cooldown_seconds,
  created_at: p.created_at,
  created_by: p.created_by,
  evaluation_minutes: p.evaluation_minutes,
  id: p.id,
  metric_method: p.metric_method,
  metric_type: p.metric_type,
  modified_at: p.modified_at,
  modified_by: p.modified_by,
  name: p.name,
  scale_method: p.scale_method,
  scale_type: p.scale_type,
  scale_value: p.scale_value,
  state: p.state,
  threshold: p.threshold,
  threshold_unit: p.metric_type === "CPU" || p.metric_type === "MEMORY" ? "%" : "bytes",
});

// ---- Schedules (the group they belong to is kept internally: the reference's schedules do not show it)
const SCHEDULE_FIELDS = [
  "day_of_month",
  "day_of_week",
  "description",
  "desired_server_count",
  "end_date",
  "frequency",
  "hour",
  "max_server_count",
  "min_server_count",
  "minute",
  "name",
  "start_date",
  "state",
  "timezone",
] as const;

const scheduleView = (s: ApiObject) => ({
  account_id: s.account_id,
  created_at: s.created_at,
  created_by: s.created_by,
  day_of_month: s.day_of_month ?? "",
  day_of_week: s.day_of_week ?? "",
  description: s.description ?? "",
  desired_server_count: s.desired_server_count ?? 0,
  end_date: s.end_date ?? "",
  frequency: s.frequency,
  hour: s.hour,
  id: s.id,
  max_server_count: s.max_server_count ?? 0,
  min_server_count: s.min_server_count ?? 0,
  minute: s.minute,
  modified_at: s.modified_at,
  modified_by: s.modified_by,
  name: s.name,
  start_date: s.start_date ?? "",
  state: s.state,
  timezone: s.timezone,
});

// ---- Notifications
const notificationView = (n: ApiObject) => ({
  account_id: n.account_id,
  auto_scaling_group_id: n.auto_scaling_group_id,
  created_at: n.created_at,
  created_by: n.created_by,
  id: n.id,
  modified_at: n.modified_at,
  modified_by: n.modified_by,
  notification_events: n.notification_events,
  notification_state: n.notification_state,
  user_id: n.user_id,
  user_name: n.user_name,
});

function validateEvents(events: unknown, required: boolean): void {
  if (events === undefined && !required) return;
  if (
    !Array.isArray(events) ||
    (required && events.length === 0) ||
    !events.every((e) => EVENTS.includes(e as (typeof EVENTS)[number]))
  ) {
    throw badRequest(`notification_events: a ${required ? "non-empty " : ""}list of ${EVENTS.join(", ")}`);
  }
}

export const autoScalingChildHandlers = {
  createAutoScalingGroupPolicy: (req, world) => {
    const g = group(req, world);
    validatePolicy(req.body, false);
    const policy: ApiObject = { id: world.store.newHexId(), ...audit(world, g), state: "ACTIVE" };
    take(policy, req.body, POLICY_FIELDS);
    world.store.put(groupChildren(g.id, "policies"), policy);
    return { status: 201, body: policyView(policy) };
  },
  listAutoScalingGroupPolicies: (req, world) => ({
    status: 200,
    body: listResponse(
      req.op,
      req.query,
      world.store.list(groupChildren(group(req, world).id, "policies")),
      "policies",
      {
        withCount: true,
        view: policyView,
      },
    ),
  }),
  showAutoScalingGroupPolicy: (req, world) => ({
    status: 200,
    body: policyView(child(req, world, "policies", "policy_id")),
  }),
  updateAutoScalingGroupPolicy: (req, world) => {
    const policy = child(req, world, "policies", "policy_id");
    validatePolicy(req.body, true);
    take(policy, req.body, [...POLICY_FIELDS, "state"]);
    touch(world, policy);
    return { status: 200, body: policyView(policy) };
  },
  deleteAutoScalingGroupPolicy: (req, world) => {
    const policy = child(req, world, "policies", "policy_id");
    // The path names the collection (a stored group id may have been edited out of band).
    world.store.remove(groupChildren(group(req, world).id, "policies"), policy.id);
    return { status: 204 };
  },

  createAutoScalingGroupSchedule: (req, world) => {
    const g = group(req, world);
    validateSchedule(req.body, false);
    const { auto_scaling_group_id: groupId, ...fields } = audit(world, g);
    const schedule: ApiObject = {
      id: world.store.newHexId(),
      ...fields,
      _auto_scaling_group_id: groupId,
      state: "ACTIVE",
      timezone: "Asia/Seoul",
    };
    take(schedule, req.body, SCHEDULE_FIELDS);
    world.store.put(groupChildren(g.id, "schedules"), schedule);
    return { status: 201, body: scheduleView(schedule) };
  },
  listAutoScalingGroupSchedules: (req, world) => ({
    status: 200,
    body: listResponse(
      req.op,
      req.query,
      world.store.list(groupChildren(group(req, world).id, "schedules")),
      "schedules",
      {
        withCount: true,
        view: scheduleView,
      },
    ),
  }),
  showAutoScalingGroupSchedule: (req, world) => ({
    status: 200,
    body: scheduleView(child(req, world, "schedules", "schedule_id")),
  }),
  updateAutoScalingGroupSchedule: (req, world) => {
    const schedule = child(req, world, "schedules", "schedule_id");
    validateSchedule(req.body, true);
    take(schedule, req.body, SCHEDULE_FIELDS);
    touch(world, schedule);
    return { status: 200, body: scheduleView(schedule) };
  },
  deleteAutoScalingGroupSchedule: (req, world) => {
    const schedule = child(req, world, "schedules", "schedule_id");
    world.store.remove(groupChildren(group(req, world).id, "schedules"), schedule.id);
    return { status: 204 };
  },

  // The reference answers a create with a list envelope (one notification per user).
  createAutoScalingGroupNotification: (req, world) => {
    const g = group(req, world);
    const users = req.body.user_ids;
    if (!Array.isArray(users) || users.length === 0 || !users.every((u) => typeof u === "string")) {
      throw badRequest("user_ids: at least one user id is required");
    }
    validateEvents(req.body.notification_events, true);
    const collection = groupChildren(g.id, "notifications");
    const created = (users as string[]).map((userId) => {
      if (world.store.list(collection).some((n) => n.user_id === userId)) {
        throw new ApiFault(409, `user ${userId} already has a notification on Auto-Scaling Group ${g.id}`);
      }
      return world.store.put(collection, {
        id: world.store.newHexId(),
        ...audit(world, g),
        user_id: userId,
        user_name: `user-${userId.slice(0, 6)}`,
        notification_events: req.body.notification_events,
        notification_state: "ACTIVE",
      });
    });
    return { status: 201, body: { count: created.length, notifications: created.map(notificationView) } };
  },
  listAutoScalingGroupNotifications: (req, world) => {
    const g = group(req, world);
    const event = req.query.get("notification_event");
    const userIds = req.query.getAll("user_ids");
    const items = world.store
      .list(groupChildren(g.id, "notifications"))
      .filter((n) => userIds.length === 0 || userIds.includes(String(n.user_id)))
      .filter((n) => !event || (n.notification_events as string[]).includes(event));
    const q = new URLSearchParams(req.query);
    q.delete("user_ids");
    q.delete("notification_event");
    return {
      status: 200,
      body: listResponse(req.op, q, items, "notifications", { withCount: true, view: notificationView }),
    };
  },
  showAutoScalingGroupNotification: (req, world) => ({
    status: 200,
    body: notificationView(child(req, world, "notifications", "notification_id")),
  }),
  updateAutoScalingGroupNotification: (req, world) => {
    const n = child(req, world, "notifications", "notification_id");
    validateEvents(req.body.notification_events, false);
    if (req.body.notification_state !== undefined) requireEnum(req.body, "notification_state", STATES);
    take(n, req.body, ["notification_events", "notification_state"]);
    touch(world, n);
    return { status: 200, body: notificationView(n) };
  },
  deleteAutoScalingGroupNotification: (req, world) => {
    const n = child(req, world, "notifications", "notification_id");
    world.store.remove(groupChildren(group(req, world).id, "notifications"), n.id);
    return { status: 204 };
  },
} satisfies Partial<Record<OperationId, Handler>>;
