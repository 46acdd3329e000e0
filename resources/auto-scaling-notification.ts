/**
 * AutoScalingNotification: tells one user about a group's scaling events. The API creates one
 * notification per user (and answers creation with a list); one resource per user keeps the drift of
 * each visible. Events and state change in place; another user or group replaces it.
 */
import { z } from "zod";
import { type DiffRules, normalize } from "../provider/diff";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, rulesOf, schemaOf } from "../provider/schema";
import { oneOf, resourceId, typeMessage, uniqueList } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { ActivationState, NotificationEvent, enumValues } from "./enums";

// ---- Input schema -------------------------------------------------------------------------------------

const NOTIFICATION_EVENTS = enumValues(NotificationEvent);
const STATES = enumValues(ActivationState);

/** The notification's inputs: each one's schema, diff rule and (above it) the doc `AutoScalingNotificationArgs` shows. */
const properties = {
  /**
   * The group whose scaling events are notified (its id). Changing it replaces the notification. Part of the
   * notification's id (it is addressed under its group), so not drift-checked.
   */
  autoScalingGroupId: {
    // Reference L673: the group id is a URL path segment; it is also the first half of the nested id.
    schema: resourceId("autoScalingGroupId", { parentOfNested: true }),
    // Identity, not drift: the notification is addressed under its group, and no operation moves it.
    on: "replace",
    writeOnly: "part of the notification's id (it is addressed under its group); no operation moves a notification",
  },
  /**
   * The user to notify (a user id; one resource per user). Changing it replaces the notification (the old
   * one is deleted first). Drift-checked.
   */
  // Reference L699–L701: a user id of user_ids.
  userId: { schema: resourceId("userId"), on: "replace" },
  /**
   * Events to notify, each once, in any order: SCALE_OUT, SCALE_OUT_FAIL, SCALE_IN, SCALE_IN_FAIL,
   * SATISFIED_POLICY_CONDITIONS (see `NotificationEvent`). Changed in place.
   */
  events: {
    // Reference L695–L698: notification_events, each event once.
    schema: uniqueList(
      z
        .array(oneOf("events entry", NOTIFICATION_EVENTS), { error: typeMessage("events", "a list of events") })
        .min(1, "at least one event is required"),
      "events",
    ),
    on: "update",
    normalize: normalize.unorderedList,
  },
  /**
   * ACTIVE or INACTIVE (see `ActivationState`). Left unset, the cloud's state (ACTIVE for a new
   * notification) is kept and not drift. Create takes no state, so INACTIVE is set by an update right after
   * creation. Changed in place.
   */
  state: { schema: oneOf("state", STATES).optional(), on: "update" },
  ...commonProperties,
  /**
   * Region of the group, e.g. `kr-west1`; default: the provider's. Changing it replaces the notification; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create, update and delete may take (`"5m"`); default 5 minutes each. Changed in place; a provider
   * setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type AutoScalingNotificationInputs = z.infer<typeof inputSchema>;

export interface AutoScalingNotificationOutputs extends AutoScalingNotificationInputs {
  /**
   * The API's id of the notification (the resource's id is `<autoScalingGroupId>:<notificationId>`). Refresh
   * reads it (Show Auto-Scaling Group Notification).
   */
  readonly notificationId: string;
  /** The name of the user `userId` names. Refresh reads it (Show Auto-Scaling Group Notification). */
  readonly userName?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = ["notificationId", "userName"] as const satisfies readonly (keyof AutoScalingNotificationOutputs)[];
const _everyOutputListed: ListsEveryOutput<
  AutoScalingNotificationOutputs,
  AutoScalingNotificationInputs,
  typeof OUTPUT_KEYS
> = true;

// ---- API objects → outputs ----------------------------------------------------------------------------

/** A notification as Create (in its list, reference L704–L725), Show (L7215–L7231) and Update (L9810–L9826) answer it. */
const apiNotification = z.looseObject({
  id: z.string(),
  auto_scaling_group_id: z.string(),
  user_id: z.string(),
  user_name: z.string().nullish(),
  notification_events: z.array(z.enum(NOTIFICATION_EVENTS)),
  notification_state: z.enum(STATES),
});
type ApiNotification = z.infer<typeof apiNotification>;
const createAnswer = z.object({ count: z.number().optional(), notifications: z.array(apiNotification) });

/** Every input rebuilt from live state (`read` keeps only those the program set). */
function fromApi(api: ApiNotification, prior: Partial<AutoScalingNotificationInputs>): AutoScalingNotificationInputs {
  return {
    region: prior.region,
    timeouts: prior.timeouts,
    autoScalingGroupId: api.auto_scaling_group_id,
    userId: api.user_id,
    events: api.notification_events,
    state: api.notification_state,
  };
}

/** Outputs, built the same way by create, read and update (a refresh after `up` reads what was stored). */
const toOutputs = (
  api: ApiNotification,
  prior: Partial<AutoScalingNotificationInputs>,
): AutoScalingNotificationOutputs => ({
  ...fromApi(api, prior),
  notificationId: api.id,
  userName: api.user_name ?? undefined,
});

function showNotification(ctx: ResourceContext, id: string) {
  const { parentId, childId } = parseNestedId(id, "auto-scaling notification");
  return ctx.client
    .find("showAutoScalingGroupNotification", { path: { auto_scaling_group_id: parentId, notification_id: childId } })
    .then((b) => (b === undefined ? undefined : apiNotification.parse(b)));
}

/**
 * Update Auto-Scaling Group Notification (L9801–L9809): events and state together. A state the program
 * leaves unset keeps the live one.
 */
const updateRequest = (inputs: AutoScalingNotificationInputs, liveState: string | undefined) => ({
  notification_events: inputs.events,
  notification_state: inputs.state ?? liveState,
});

// ---- Diff rules ---------------------------------------------------------------------------------------

// Every property Show returns is drift-checked.
const diffRules: DiffRules<AutoScalingNotificationInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<AutoScalingNotificationInputs, AutoScalingNotificationOutputs> = {
  kind: "auto-scaling notification",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  // One notification per user and group: replace by deleting first.
  deleteBeforeReplace: true,
  describe: (inputs) => `notification of user ${inputs.userId} on auto-scaling group ${inputs.autoScalingGroupId}`,

  async create(ctx, inputs, created) {
    const group = inputs.autoScalingGroupId;
    const resource = `notification of user ${inputs.userId} on auto-scaling group ${group}`;
    // Reference L693–L703: events and users only; the state is set by an update when it must differ.
    const answer = await ctx.client.call("createAutoScalingGroupNotification", {
      path: { auto_scaling_group_id: group },
      body: { user_ids: [inputs.userId], notification_events: inputs.events },
      resource,
    });
    const notification = createAnswer.parse(answer.body).notifications.find((n) => n.user_id === inputs.userId);
    if (!notification)
      throw new Error(`createAutoScalingGroupNotification answered without a notification for user ${inputs.userId}`);
    const id = nestedId(group, notification.id);
    created(id);
    if (inputs.state === undefined || inputs.state === notification.notification_state)
      return { id, outputs: toOutputs(notification, inputs) };
    const updated = await ctx.client.call("updateAutoScalingGroupNotification", {
      path: { auto_scaling_group_id: group, notification_id: notification.id },
      body: updateRequest(inputs, notification.notification_state),
      resource,
    });
    return { id, outputs: toOutputs(apiNotification.parse(updated.body), inputs) };
  },

  async findNamed(ctx, inputs) {
    const group = inputs.autoScalingGroupId;
    const list = await ctx.client.call<{ notifications: unknown[] }>("listAutoScalingGroupNotifications", {
      path: { auto_scaling_group_id: group },
    });
    return list.body.notifications
      .map((n) => apiNotification.parse(n))
      .filter((n) => n.user_id === inputs.userId)
      .map((n) => nestedId(group, n.id));
  },

  async read(ctx, id, olds) {
    const live = await showNotification(ctx, id);
    if (!live) return undefined;
    return { outputs: toOutputs(live, olds), inputs: fromApi(live, olds) };
  },

  async update(ctx, id, olds, news) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling notification");
    const answer = await ctx.client.call("updateAutoScalingGroupNotification", {
      path: { auto_scaling_group_id: parentId, notification_id: childId },
      body: updateRequest(news, olds.state),
      resource: `notification of user ${news.userId} on auto-scaling group ${parentId}`,
    });
    return toOutputs(apiNotification.parse(answer.body), news);
  },

  async delete(ctx, id) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling notification");
    await ctx.client.call("deleteAutoScalingGroupNotification", {
      path: { auto_scaling_group_id: parentId, notification_id: childId },
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of an `AutoScalingNotification` (each documented where it is declared, in `properties`). */
export interface AutoScalingNotificationArgs extends ArgsOf<AutoScalingNotificationInputs> {}

/**
 * Notifies a user of an auto-scaling group's events (scale out/in, their failures, policy conditions met).
 *
 * ```ts
 * new AutoScalingNotification("ops", {
 *   autoScalingGroupId: group.id,
 *   userId: "ops-user-id",
 *   events: ["SCALE_OUT_FAIL", "SCALE_IN_FAIL"],
 * });
 * ```
 */
export const AutoScalingNotification = resourceClass<
  AutoScalingNotificationArgs,
  AutoScalingNotificationOutputs,
  typeof OUTPUT_KEYS
>({
  type: "AutoScalingNotification",
  implementation: "auto-scaling-notification",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** A `AutoScalingNotification`: its inputs and outputs as the engine resolves them (see `AutoScalingNotificationArgs`, `AutoScalingNotificationOutputs`). */
export type AutoScalingNotification = InstanceType<typeof AutoScalingNotification>;
