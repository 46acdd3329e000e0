/**
 * An auto-scaling group's LB server groups (List Auto-Scaling Group LB Server Groups) and notifications
 * (List Auto-Scaling Group Notifications).
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ScpApiError } from "../provider/errors";
import type { ScpClient } from "../provider/http";
import { oneOf, resourceId, typeMessage, uniqueList } from "../provider/validators";
import { ActivationState, NotificationEvent, enumValues } from "../resources/enums";
import { listAll, lookupClient, lookupOptionsShape, lookupOutput, optionalText, validArguments } from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetAutoScalingGroupLbServerGroupsArgs extends LookupOptions {
  /** The auto-scaling group's id. */
  readonly autoScalingGroupId: string;
}

export type GetAutoScalingGroupLbServerGroupsOutputArgs = LookupInputs<GetAutoScalingGroupLbServerGroupsArgs>;

/** A load-balancer server group the auto-scaling group registers its servers with. */
export interface GetAutoScalingGroupLbServerGroup {
  /** The LB server group's id. */
  readonly id: string;
  /** The LB server group's name. */
  readonly name?: string | undefined;
  /** The port its servers are registered on (1–65535). */
  readonly port: number;
  /** When the link was made (ISO 8601). */
  readonly createdAt?: string | undefined;
  /** The user who made the link. */
  readonly createdBy?: string | undefined;
  /** When the link last changed (ISO 8601). */
  readonly modifiedAt?: string | undefined;
  /** The user who last changed the link. */
  readonly modifiedBy?: string | undefined;
}

/** The group's LB server groups, as List Auto-Scaling Group LB Server Groups answers them (reference, 1.1). */
export interface GetAutoScalingGroupLbServerGroupsResult {
  /** The auto-scaling group's id, as given. */
  readonly autoScalingGroupId: string;
  /** Its LB server groups, in the API's order; empty when it has none. */
  readonly lbServerGroups: readonly GetAutoScalingGroupLbServerGroup[];
}

export interface GetAutoScalingGroupNotificationsArgs extends LookupOptions {
  /** The auto-scaling group's id. */
  readonly autoScalingGroupId: string;
  /** Only the notifications of these users (the API's `user_ids` filter). */
  readonly userIds?: readonly string[] | undefined;
  /** Only notifications in this state: `ACTIVE` or `INACTIVE` (see `ActivationState`). */
  readonly state?: ActivationState | undefined;
  /** Only notifications that tell about this event (see `NotificationEvent`). */
  readonly event?: NotificationEvent | undefined;
}

export type GetAutoScalingGroupNotificationsOutputArgs = LookupInputs<GetAutoScalingGroupNotificationsArgs>;

/** A notification as List Auto-Scaling Group Notifications answers it (reference, version 1.1). */
export interface GetAutoScalingGroupNotification {
  /** The notification's id. */
  readonly id: string;
  /** The auto-scaling group it belongs to. */
  readonly autoScalingGroupId: string;
  /** The user told. */
  readonly userId: string;
  /** The user's name. */
  readonly userName?: string | undefined;
  /** The events the user is told about. */
  readonly events: readonly NotificationEvent[];
  /** `ACTIVE` or `INACTIVE`. */
  readonly state: ActivationState;
  /** The account it belongs to. */
  readonly accountId?: string | undefined;
  /** When it was created (ISO 8601). */
  readonly createdAt?: string | undefined;
  /** The user who created it. */
  readonly createdBy?: string | undefined;
  /** When it last changed (ISO 8601). */
  readonly modifiedAt?: string | undefined;
  /** The user who last changed it. */
  readonly modifiedBy?: string | undefined;
}

/** The group's notifications. */
export interface GetAutoScalingGroupNotificationsResult {
  /** The auto-scaling group's id, as given. */
  readonly autoScalingGroupId: string;
  /** Its notifications that match the filters, in the API's order; empty when none does. */
  readonly notifications: readonly GetAutoScalingGroupNotification[];
}

const NOTIFICATION_EVENTS = enumValues(NotificationEvent);
const STATES = enumValues(ActivationState);

const groupId = resourceId("autoScalingGroupId");

const lbArgs = z.object({ autoScalingGroupId: groupId, ...lookupOptionsShape }).strict();

const notificationArgs = z
  .object({
    autoScalingGroupId: groupId,
    userIds: uniqueList(
      z.array(resourceId("userIds entry"), { error: typeMessage("userIds", "a list of user ids") }),
      "userIds",
    ).optional(),
    state: oneOf("state", STATES).optional(),
    event: oneOf("event", NOTIFICATION_EVENTS).optional(),
    ...lookupOptionsShape,
  })
  .strict();

const apiLbServerGroup = z.looseObject({
  id: z.string(),
  name: optionalText,
  port: z.number(),
  created_at: optionalText,
  created_by: optionalText,
  modified_at: optionalText,
  modified_by: optionalText,
});

const apiNotification = z.looseObject({
  id: z.string(),
  auto_scaling_group_id: z.string(),
  user_id: z.string(),
  user_name: optionalText,
  notification_events: z.array(z.enum(NOTIFICATION_EVENTS)),
  notification_state: z.enum(STATES),
  account_id: optionalText,
  created_at: optionalText,
  created_by: optionalText,
  modified_at: optionalText,
  modified_by: optionalText,
});

/** A missing group answers 404 (or a not-found 400/403): said as the lookup's own not-found. */
async function listOfGroup(
  lookup: string,
  api: ScpClient,
  list: () => Promise<unknown[]>,
  autoScalingGroupId: string,
): Promise<unknown[]> {
  try {
    return await list();
  } catch (error) {
    if (error instanceof ScpApiError && error.notFound)
      throw new ScpLookupError(lookup, "not-found", `no auto-scaling group has id "${autoScalingGroupId}"`);
    throw error;
  }
}

/**
 * The load-balancer server groups an auto-scaling group registers its servers with.
 *
 *   const { lbServerGroups } = await scp.getAutoScalingGroupLbServerGroups({ autoScalingGroupId: tierId });
 */
export async function getAutoScalingGroupLbServerGroups(
  args: GetAutoScalingGroupLbServerGroupsArgs,
): Promise<GetAutoScalingGroupLbServerGroupsResult> {
  const lookup = "getAutoScalingGroupLbServerGroups";
  const a = validArguments(lookup, lbArgs, args);
  const api = lookupClient(a);
  const path = { auto_scaling_group_id: a.autoScalingGroupId };
  const items = await listOfGroup(
    lookup,
    api,
    () => listAll(api, "listAutoScalingGroupLBServerGroups", "lb_server_groups", { path }),
    a.autoScalingGroupId,
  );
  return {
    autoScalingGroupId: a.autoScalingGroupId,
    lbServerGroups: items.map((raw) => {
      const l = apiLbServerGroup.parse(raw);
      return {
        id: l.id,
        name: l.name,
        port: l.port,
        createdAt: l.created_at,
        createdBy: l.created_by,
        modifiedAt: l.modified_at,
        modifiedBy: l.modified_by,
      };
    }),
  };
}

/** `getAutoScalingGroupLbServerGroups` taking Inputs and giving an Output. */
export function getAutoScalingGroupLbServerGroupsOutput(
  args: GetAutoScalingGroupLbServerGroupsOutputArgs,
): pulumi.Output<GetAutoScalingGroupLbServerGroupsResult> {
  return lookupOutput(args, getAutoScalingGroupLbServerGroups);
}

/**
 * An auto-scaling group's notifications, optionally only those of some users, in one state, or telling about
 * one event.
 *
 *   const { notifications } = await scp.getAutoScalingGroupNotifications({ autoScalingGroupId: tierId });
 */
export async function getAutoScalingGroupNotifications(
  args: GetAutoScalingGroupNotificationsArgs,
): Promise<GetAutoScalingGroupNotificationsResult> {
  const lookup = "getAutoScalingGroupNotifications";
  const a = validArguments(lookup, notificationArgs, args);
  const api = lookupClient(a);
  const items = await listOfGroup(
    lookup,
    api,
    () =>
      listAll(api, "listAutoScalingGroupNotifications", "notifications", {
        path: { auto_scaling_group_id: a.autoScalingGroupId },
        query: { user_ids: a.userIds, notification_state: a.state, notification_event: a.event },
      }),
    a.autoScalingGroupId,
  );
  const notifications = items.map((raw): GetAutoScalingGroupNotification => {
    const n = apiNotification.parse(raw);
    return {
      id: n.id,
      autoScalingGroupId: n.auto_scaling_group_id,
      userId: n.user_id,
      userName: n.user_name,
      events: n.notification_events,
      state: n.notification_state,
      accountId: n.account_id,
      createdAt: n.created_at,
      createdBy: n.created_by,
      modifiedAt: n.modified_at,
      modifiedBy: n.modified_by,
    };
  });
  // The filters are applied again here: an endpoint that ignores a query parameter must not widen the match.
  return {
    autoScalingGroupId: a.autoScalingGroupId,
    notifications: notifications.filter(
      (n) =>
        (a.userIds === undefined || a.userIds.includes(n.userId)) &&
        (a.state === undefined || n.state === a.state) &&
        (a.event === undefined || n.events.includes(a.event)),
    ),
  };
}

/** `getAutoScalingGroupNotifications` taking Inputs and giving an Output. */
export function getAutoScalingGroupNotificationsOutput(
  args: GetAutoScalingGroupNotificationsOutputArgs,
): pulumi.Output<GetAutoScalingGroupNotificationsResult> {
  return lookupOutput(args, getAutoScalingGroupNotifications);
}
