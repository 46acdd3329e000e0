/**
 * AutoScalingNotification: tells one user about a group's scaling events. The API creates one
 * notification per user (and answers creation with a list); one resource per user keeps the drift of
 * each visible. Events and state change in place; another user or group replaces it.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs } from "../provider/schema";
import { implementationPath, thinProvider } from "../provider/thin-provider";
import { minutes } from "../provider/timeouts";

// ---- Input schema -------------------------------------------------------------------------------------

export const NOTIFICATION_EVENTS = [
  "SCALE_OUT",
  "SCALE_OUT_FAIL",
  "SCALE_IN",
  "SCALE_IN_FAIL",
  "SATISFIED_POLICY_CONDITIONS",
] as const;

const inputSchema = z
  .object({
    autoScalingGroupId: z.string({ error: "autoScalingGroupId is required" }).min(1),
    userId: z.string({ error: "userId is required" }).min(1),
    events: z
      .array(z.enum(NOTIFICATION_EVENTS, { error: `events are ${NOTIFICATION_EVENTS.join(", ")}` }))
      .min(1, "at least one event is required")
      .refine((e) => new Set(e).size === e.length, { message: "events must not repeat" }),
    state: z.enum(["ACTIVE", "INACTIVE"]).optional(),
    ...commonInputs,
  })
  .strict();

export type AutoScalingNotificationInputs = z.infer<typeof inputSchema>;

export interface AutoScalingNotificationOutputs extends AutoScalingNotificationInputs {
  readonly notificationId: string;
  readonly userName?: string | undefined;
}

// ---- API objects → outputs ----------------------------------------------------------------------------

const apiNotification = z.looseObject({
  id: z.string(),
  auto_scaling_group_id: z.string().nullish(),
  user_id: z.string(),
  user_name: z.string().nullish(),
  notification_events: z.array(z.enum(NOTIFICATION_EVENTS)),
  notification_state: z.enum(["ACTIVE", "INACTIVE"]).nullish(),
});
type ApiNotification = z.infer<typeof apiNotification>;
const createAnswer = z.object({ count: z.number().optional(), notifications: z.array(apiNotification) });

function toOutputs(
  api: ApiNotification,
  inputs: Partial<AutoScalingNotificationInputs>,
  groupId: string,
): AutoScalingNotificationOutputs {
  return {
    ...(inputs as AutoScalingNotificationInputs),
    autoScalingGroupId: groupId,
    userId: api.user_id,
    events: api.notification_events,
    state: api.notification_state ?? "ACTIVE",
    notificationId: api.id,
    userName: api.user_name ?? undefined,
  };
}

function showNotification(ctx: ResourceContext, id: string) {
  const { parentId, childId } = parseNestedId(id, "auto-scaling notification");
  return ctx.client
    .find("showAutoScalingGroupNotification", { path: { auto_scaling_group_id: parentId, notification_id: childId } })
    .then((b) => (b === undefined ? undefined : apiNotification.parse(b)));
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules = {
  autoScalingGroupId: { on: "replace" },
  userId: { on: "replace" },
  events: { on: "update", normalize: (v: unknown) => (Array.isArray(v) ? [...v].sort() : []) },
  state: { on: "update", normalize: (v: unknown) => v ?? "ACTIVE" },
  region: { on: "replace", computedWhenUnset: true },
  timeouts: { on: "update" },
} as const;

// ---- The provider -------------------------------------------------------------------------------------

const spec: ResourceSpec<AutoScalingNotificationInputs, AutoScalingNotificationOutputs> = {
  kind: "auto-scaling notification",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  // One notification per user and group: replace by deleting first.
  deleteBeforeReplace: true,
  describe: (inputs) => `notification of user ${inputs.userId} on auto-scaling group ${inputs.autoScalingGroupId}`,

  async create(ctx, inputs, created) {
    const group = inputs.autoScalingGroupId;
    const answer = await ctx.client.call("createAutoScalingGroupNotification", {
      path: { auto_scaling_group_id: group },
      body: { user_ids: [inputs.userId], notification_events: inputs.events },
    });
    const notification = createAnswer.parse(answer.body).notifications.find((n) => n.user_id === inputs.userId);
    if (!notification)
      throw new Error(`createAutoScalingGroupNotification answered without a notification for user ${inputs.userId}`);
    const id = nestedId(group, notification.id);
    created(id);
    if ((inputs.state ?? "ACTIVE") !== (notification.notification_state ?? "ACTIVE")) {
      const updated = await ctx.client.call("updateAutoScalingGroupNotification", {
        path: { auto_scaling_group_id: group, notification_id: notification.id },
        body: { notification_events: inputs.events, notification_state: inputs.state },
      });
      return { id, outputs: toOutputs(apiNotification.parse(updated.body), inputs, group) };
    }
    return { id, outputs: toOutputs(notification, inputs, group) };
  },

  async read(ctx, id, olds) {
    const live = await showNotification(ctx, id);
    if (!live) return undefined;
    const { parentId } = parseNestedId(id, "auto-scaling notification");
    const outputs = toOutputs(live, olds, parentId);
    const { notificationId: _id, userName: _name, ...inputs } = outputs;
    return { outputs, inputs };
  },

  async update(ctx, id, _olds, news) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling notification");
    const answer = await ctx.client.call("updateAutoScalingGroupNotification", {
      path: { auto_scaling_group_id: parentId, notification_id: childId },
      body: { notification_events: news.events, notification_state: news.state ?? "ACTIVE" },
    });
    return toOutputs(apiNotification.parse(answer.body), news, parentId);
  },

  async delete(ctx, id) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling notification");
    await ctx.client.call("deleteAutoScalingGroupNotification", {
      path: { auto_scaling_group_id: parentId, notification_id: childId },
    });
  },
};

export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

export interface AutoScalingNotificationArgs {
  /** The group whose events are notified. Changing it replaces the notification. */
  readonly autoScalingGroupId: pulumi.Input<string>;
  /** The user to notify (one resource per user). Changing it replaces the notification. */
  readonly userId: pulumi.Input<string>;
  /** SCALE_OUT, SCALE_OUT_FAIL, SCALE_IN, SCALE_IN_FAIL, SATISFIED_POLICY_CONDITIONS. Changed in place. */
  readonly events: pulumi.Input<pulumi.Input<(typeof NOTIFICATION_EVENTS)[number]>[]>;
  /** ACTIVE (default) or INACTIVE. Changed in place. */
  readonly state?: pulumi.Input<"ACTIVE" | "INACTIVE">;
  readonly region?: pulumi.Input<string>;
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const notificationProvider = thinProvider(implementationPath("auto-scaling-notification"));

export class AutoScalingNotification extends pulumi.dynamic.Resource {
  declare readonly autoScalingGroupId: pulumi.Output<string>;
  declare readonly userId: pulumi.Output<string>;
  declare readonly events: pulumi.Output<string[]>;
  declare readonly state: pulumi.Output<string>;
  declare readonly notificationId: pulumi.Output<string>;
  declare readonly userName: pulumi.Output<string | undefined>;

  constructor(name: string, args: AutoScalingNotificationArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      notificationProvider,
      name,
      { state: undefined, notificationId: undefined, userName: undefined, ...args },
      resourceOptions(opts),
      "scp",
      "AutoScalingNotification",
    );
  }
}
