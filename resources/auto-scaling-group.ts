/**
 * AutoScalingGroup: servers created from a launch configuration and kept between a minimum and a
 * maximum count. Create waits until the group is in service with its servers running (unless the
 * capacity wait is disabled); a scaling failure fails fast naming the member servers that failed (the API
 * gives no reason for a group).
 *
 * `desiredServerCount` is optional: left unset, scaling by policies and schedules is not drift; set, it is
 * managed. Count changes are sent together, ordered so that raising the minimum above the current desired
 * count works. Policies, schedules and notifications are their own resources: this one never sends them.
 */
import { z } from "zod";
import { type DiffRules, normalize } from "../provider/diff";
import { decodeStringList, encodeStringList, encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { autoScalingGroupDemand, withQuotaCheck } from "../provider/quota-check";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, objectName, rulesOf, schemaOf, tagsSchema } from "../provider/schema";
import {
  checkServerCounts,
  flag,
  idSet,
  resourceId,
  text,
  typeMessage,
  uniqueList,
  wholeNumber,
} from "../provider/validators";
import { minutes, parseDuration } from "../provider/timeouts";
import { isFailureState, waitForState, waitUntilGone } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

// Reference L542, L548–L549: the counts of Create Auto-Scaling Group, whole numbers.
const count = (name: string) => wholeNumber(name, { min: 0, max: 1000 });

/** The group's inputs: each one's schema, diff rule and (above it) the doc `AutoScalingGroupArgs` shows. */
const properties = {
  /**
   * Group name, unique in the account. Changing it replaces the group (under the same name, the old one is
   * deleted first). Default: the resource's name plus a random suffix (`web-3f9a2c1`), kept across updates; a
   * replacement gets a new one.
   */
  name: { schema: objectName("auto-scaling group"), on: "replace" },
  /**
   * The launch configuration servers are created from. Changed in place (the group is repointed; a launch
   * configuration being replaced is created before the old one is deleted).
   */
  launchConfigurationId: { schema: resourceId("launchConfigurationId"), on: "update" },
  /** Minimum number of servers (0–1000, at most `maxServerCount`). Changed in place. */
  minServerCount: { schema: count("minServerCount"), on: "update" },
  /** Maximum number of servers (0–1000). Changed in place. */
  maxServerCount: { schema: count("maxServerCount"), on: "update" },
  /**
   * Desired number of servers, between the minimum and the maximum. Left unset, it starts at
   * `minServerCount` and belongs to policies and schedules (not drift; see `currentDesiredServerCount`);
   * set, the stack manages it and a count moved outside Pulumi is drift. Changed in place.
   */
  desiredServerCount: { schema: count("desiredServerCount").optional(), on: "update" },
  /** Whether the desired count may be changed after creation (the cloud's default: true). Changed in place. */
  desiredServerCountEditable: { schema: flag("desiredServerCountEditable").optional(), on: "update" },
  /** Prefix of the servers' names (default: the group name). Changing it replaces the group. */
  serverNamePrefix: {
    schema: text("serverNamePrefix")
      .min(1, "serverNamePrefix must not be empty")
      .max(63, "serverNamePrefix is at most 63 characters")
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
      .refine((p) => !/[/\\\s\u0000-\u001f]/.test(p), {
        message: "serverNamePrefix must not contain slashes, spaces or control characters",
      })
      .optional(),
    // Update Auto-Scaling Group (L9584–L9592) takes no server name prefix.
    on: "replace",
  },
  /** Subnets the servers are placed in (at least one). Changing them replaces the group. */
  subnetIds: {
    schema: idSet("subnetIds").min(1, "at least one subnet is required"),
    // A set: an answer listing the same subnets in another order must never replace the group.
    on: "replace",
    normalize: normalize.unorderedList,
  },
  /** Security groups of the servers (order does not matter). Changed in place. */
  securityGroupIds: {
    schema: idSet("securityGroupIds").optional(),
    on: "update",
    normalize: normalize.unorderedList,
  },
  /** Drain connections before removing a server (the cloud's default: false). Changed in place. */
  drainEnabled: { schema: flag("drainEnabled").optional(), on: "update" },
  /** How long draining may take, in seconds (0–3600; the cloud's default: 300). Changed in place. */
  drainTimeoutSeconds: {
    schema: wholeNumber("drainTimeoutSeconds", { min: 0, max: 3600, unit: "seconds" }).optional(),
    on: "update",
  },
  /**
   * Load balancer server groups the servers join, each with the port (1–65535) they serve on; order does not
   * matter. Changed in place.
   */
  lbServerGroups: {
    // Reference L9717–L9722: each LB server group is an id and a port.
    schema: uniqueList(
      z.array(
        z
          .object({
            /** The LB server group's id. */
            id: resourceId("id"),
            /** The port the servers serve on, 1–65535. */
            port: wholeNumber("port", { min: 1, max: 65_535 }),
          })
          .strict(),
        { error: typeMessage("lbServerGroups", "a list of { id, port }") },
      ),
      "lbServerGroups",
    ).optional(),
    on: "update",
    normalize: normalize.unorderedObjects,
  },
  /**
   * Tags (key → value), applied by SCP only when the group is created. The API never returns them and cannot
   * change them: a change is recorded in the stack's state with a warning, never a replacement; not
   * drift-checked.
   */
  tags: {
    schema: tagsSchema.optional(),
    on: "record",
    normalize: normalize.emptyMap,
    writeOnly:
      "Create Auto-Scaling Group takes tags (reference L558) but no answer returns them (Show L7103–L7127, List L4729–L4757) and no operation changes them",
  },
  /**
   * How long create and update wait for the group to be in service with its servers running, as a duration
   * (`"10m"`); `"0"` does not wait (outputs such as `state` and `serverIds` then settle later). Default: the
   * timeouts. A provider setting: changed in place, never sent to the API; not drift-checked.
   */
  waitForCapacityTimeout: {
    schema: z
      .string()
      .refine((t) => t === "0" || parseDuration(t) !== undefined, {
        error: (issue) => `must be a duration like "10m", or "0" to not wait; got ${JSON.stringify(issue.input)}`,
      })
      .optional(),
    on: "update",
    writeOnly: "how long this provider waits for capacity, not a property of the group",
  },
  ...commonProperties,
  /**
   * Region to create it in, e.g. `kr-west1`; default: the provider's. Changing it replaces the group; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create, update and delete may take (`"30m"`); default 30 minutes each. Changed in place; a
   * provider setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties).superRefine(checkServerCounts);

export type AutoScalingGroupInputs = z.infer<typeof inputSchema>;

export interface AutoScalingGroupOutputs extends AutoScalingGroupInputs {
  /**
   * IN_SERVICE when steady (SCALING_OUT / SCALING_IN while a policy or schedule moves the count). Refresh
   * reads it (Show Auto-Scaling Group).
   */
  readonly state: string;
  /**
   * The desired count as the group has it now (moved by policies and schedules when not managed here).
   * Refresh reads it (Show Auto-Scaling Group).
   */
  readonly currentDesiredServerCount: number;
  /** Servers in the group now; follows scaling by policies and schedules. Refresh reads it. */
  readonly totalServerCount: number;
  /**
   * Ids of the group's servers now; follows scaling by policies and schedules. Refresh reads it (List
   * Auto-Scaling Group Virtual Servers).
   */
  readonly serverIds: string[];
  /** The name of the launch configuration `launchConfigurationId` names. Refresh reads it. */
  readonly launchConfigurationName?: string | undefined;
  /** The VPC of the group's subnets. Refresh reads it (Show Auto-Scaling Group). */
  readonly vpcId?: string | undefined;
  /** When the group was created (ISO 8601). Refresh reads it (Show Auto-Scaling Group). */
  readonly createdAt?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = [
  "state",
  "currentDesiredServerCount",
  "totalServerCount",
  "serverIds",
  "launchConfigurationName",
  "vpcId",
  "createdAt",
] as const satisfies readonly (keyof AutoScalingGroupOutputs)[];
const _everyOutputListed: ListsEveryOutput<AutoScalingGroupOutputs, AutoScalingGroupInputs, typeof OUTPUT_KEYS> = true;

// ---- API objects → outputs ----------------------------------------------------------------------------

/**
 * A group as Create / Show / List / Update Auto-Scaling Group (1.1) answer it (reference L561–L587,
 * L7103–L7127, L4729–L4757, L9593–L9617). No answer has `tags` or a failure reason. `lb_server_groups` is
 * shown only as an empty list, so the group's LB server groups are read from List Auto-Scaling Group LB
 * Server Groups (L4051–L4065) instead. `subnet_ids` is shown empty too: an empty answer is taken as "not
 * reported" and state keeps the program's subnets (no operation can change them anyway).
 */
const apiGroup = z.looseObject({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  launch_configuration_id: z.string(),
  launch_configuration_name: z.string().nullish(),
  min_server_count: z.number(),
  max_server_count: z.number(),
  desired_server_count: z.number(),
  desired_server_count_editable: z.boolean().nullish(),
  drain_enabled: z.boolean().nullish(),
  drain_timeout: z.number().nullish(),
  security_group_ids: z.unknown().optional(),
  server_name_prefix: z.string().nullish(),
  subnet_ids: z.array(z.string()).nullish(),
  total_server_count: z.number().nullish(),
  vpc_id: z.string().nullish(),
  created_at: z.string().nullish(),
});
type ApiGroup = z.infer<typeof apiGroup>;

/** List Auto-Scaling Group Virtual Servers (L4531–L4591): the fields used of each member. */
const apiMembers = z.object({
  servers: z.array(z.looseObject({ id: z.string(), name: z.string().nullish(), state: z.string() })),
});
type Member = z.infer<typeof apiMembers>["servers"][number];

/** List Auto-Scaling Group LB Server Groups (L4051–L4065). */
const apiLbServerGroups = z.object({
  lb_server_groups: z.array(z.looseObject({ id: z.string(), port: z.number() })),
});
type LbServerGroup = NonNullable<AutoScalingGroupInputs["lbServerGroups"]>[number];

/** Everything `read` looks at: the group, its members and its LB server groups. */
interface LiveGroup {
  readonly group: ApiGroup;
  readonly members: Member[];
  readonly lbServerGroups: LbServerGroup[];
}

function showGroup(ctx: ResourceContext, id: string) {
  return ctx.client
    .find("showAutoScalingGroup", { path: { auto_scaling_group_id: id } })
    .then((b) => (b === undefined ? undefined : apiGroup.parse(b)));
}

async function members(ctx: ResourceContext, id: string): Promise<Member[]> {
  const body = await ctx.client.find("listAutoScalingGroupVirtualServers", { path: { auto_scaling_group_id: id } });
  return body === undefined ? [] : apiMembers.parse(body).servers;
}

async function lbServerGroups(ctx: ResourceContext, id: string): Promise<LbServerGroup[]> {
  const body = await ctx.client.find("listAutoScalingGroupLBServerGroups", { path: { auto_scaling_group_id: id } });
  return body === undefined
    ? []
    : apiLbServerGroups.parse(body).lb_server_groups.map((l) => ({ id: l.id, port: l.port }));
}

async function readLive(ctx: ResourceContext, id: string, group?: ApiGroup): Promise<LiveGroup | undefined> {
  const shown = group ?? (await showGroup(ctx, id));
  if (!shown) return undefined;
  const [servers, lb] = await Promise.all([members(ctx, id), lbServerGroups(ctx, id)]);
  return { group: shown, members: servers, lbServerGroups: lb };
}

/** The inputs no answer shows: state keeps the program's values. */
function writeOnlyInputs(prior: Partial<AutoScalingGroupInputs>): Partial<AutoScalingGroupInputs> {
  return {
    tags: prior.tags,
    waitForCapacityTimeout: prior.waitForCapacityTimeout,
    region: prior.region,
    timeouts: prior.timeouts,
  };
}

/** Every input rebuilt from live state (`read` keeps only those the program set). */
function liveInputs(live: LiveGroup, prior: Partial<AutoScalingGroupInputs>): AutoScalingGroupInputs {
  const g = live.group;
  return {
    ...writeOnlyInputs(prior),
    name: g.name,
    launchConfigurationId: g.launch_configuration_id,
    minServerCount: g.min_server_count,
    maxServerCount: g.max_server_count,
    desiredServerCount: g.desired_server_count,
    desiredServerCountEditable: g.desired_server_count_editable ?? undefined,
    serverNamePrefix: g.server_name_prefix ?? undefined,
    subnetIds: g.subnet_ids && g.subnet_ids.length > 0 ? g.subnet_ids : (prior.subnetIds ?? []),
    securityGroupIds:
      g.security_group_ids === undefined || g.security_group_ids === null
        ? undefined
        : decodeStringList(g.security_group_ids),
    drainEnabled: g.drain_enabled ?? undefined,
    drainTimeoutSeconds: g.drain_timeout ?? undefined,
    lbServerGroups: live.lbServerGroups,
  };
}

/**
 * Outputs, built the same way by create, read and update so that a refresh right after an `up` reads what
 * was stored. `desiredServerCount` is an output only when the program manages it: otherwise policies and
 * schedules move it, and the live count is `currentDesiredServerCount`.
 */
function toOutputs(
  live: LiveGroup,
  prior: Partial<AutoScalingGroupInputs>,
  managesDesired: boolean,
): AutoScalingGroupOutputs {
  const g = live.group;
  return {
    ...liveInputs(live, prior),
    desiredServerCount: managesDesired ? g.desired_server_count : undefined,
    state: g.state,
    currentDesiredServerCount: g.desired_server_count,
    totalServerCount: g.total_server_count ?? live.members.length,
    serverIds: live.members.map((s) => s.id),
    launchConfigurationName: g.launch_configuration_name ?? undefined,
    vpcId: g.vpc_id ?? undefined,
    createdAt: g.created_at ?? undefined,
  };
}

/**
 * Waits until the group is in service and every member server runs; fails fast when scaling fails. The
 * API gives no failure reason for a group: the message names the member servers that failed instead.
 * `startFrom`: what the create answered (the group as Show answers it, reference L526).
 */
async function waitForCapacity(
  ctx: ResourceContext,
  id: string,
  inputs: AutoScalingGroupInputs,
  defaultMs: number,
  startFrom?: { readonly object: ApiGroup },
): Promise<ApiGroup | undefined> {
  if (inputs.waitForCapacityTimeout === "0") return startFrom?.object ?? showGroup(ctx, id);
  const timeoutMs = (inputs.waitForCapacityTimeout && parseDuration(inputs.waitForCapacityTimeout)) || defaultMs;
  let current: Member[] = [];
  return waitForState({
    description: `auto-scaling group "${inputs.name}" (${id}) to be in service with its servers running`,
    read: async () => {
      const group = await showGroup(ctx, id);
      // The members matter once the group is in service (are they running?) or failed (which failed?).
      if (group && (group.state === "IN_SERVICE" || isFailureState(group.state, undefined))) {
        current = await members(ctx, id);
      }
      return group;
    },
    // An answer already in service (as the reference's example, L561) is read at once, for its members.
    ...(startFrom && startFrom.object.state !== "IN_SERVICE" ? { startFrom } : {}),
    stateOf: (g) => g.state,
    reasonOf: () => {
      const failed = current.filter((s) => isFailureState(s.state, undefined));
      return failed.length === 0
        ? undefined
        : `member server ${failed.map((s) => `${s.name ?? s.id} (${s.id}) is ${s.state}`).join(", ")}`;
    },
    target: ["IN_SERVICE"],
    ready: (g) => current.filter((s) => s.state === "ACTIVE").length >= g.desired_server_count,
    timeoutMs,
  });
}

async function groupsNamed(ctx: ResourceContext, name: string) {
  const list = await ctx.client.call<{ auto_scaling_groups: unknown[] }>("listAutoScalingGroups", {
    query: { name },
  });
  return list.body.auto_scaling_groups.map((g) => apiGroup.parse(g)).filter((g) => g.name === name);
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<AutoScalingGroupInputs> = rulesOf(properties);

const COUNT_KEYS = ["minServerCount", "maxServerCount", "desiredServerCount"];
const SETTING_KEYS = [
  "launchConfigurationId",
  "desiredServerCountEditable",
  "drainEnabled",
  "drainTimeoutSeconds",
  "securityGroupIds",
];

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<AutoScalingGroupInputs, AutoScalingGroupOutputs> = {
  kind: "auto-scaling group",
  autoName: true,
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(30), updateMs: minutes(30), deleteMs: minutes(30) },
  diffRules,
  // Group names are unique: a replacement under the same name removes the old group first.
  deleteBeforeReplace: (olds, news) => olds.name === news.name,
  describe: (inputs, id) => `auto-scaling group "${inputs.name}"${id ? ` (${id})` : ""}`,

  async create(ctx, inputs, created) {
    // Reference L540–L560, without the nested `notifications` / `scaling_policies` (their own resources).
    const body = {
      name: inputs.name,
      launch_configuration_id: inputs.launchConfigurationId,
      min_server_count: inputs.minServerCount,
      max_server_count: inputs.maxServerCount,
      desired_server_count: inputs.desiredServerCount ?? inputs.minServerCount,
      desired_server_count_editable: inputs.desiredServerCountEditable,
      server_name_prefix: inputs.serverNamePrefix,
      subnet_ids: inputs.subnetIds,
      security_group_ids: encodeStringList(inputs.securityGroupIds ?? []),
      drain_enabled: inputs.drainEnabled,
      drain_timeout: inputs.drainTimeoutSeconds,
      lb_server_groups: inputs.lbServerGroups ?? [],
      tags: encodeTags(inputs.tags),
    };
    const answer = apiGroup.parse(
      await ctx.client.create(
        "createAutoScalingGroup",
        { body, resource: `auto-scaling group "${inputs.name}"` },
        async () => (await groupsNamed(ctx, inputs.name))[0],
      ),
    );
    created(answer.id);
    const steady = (await waitForCapacity(ctx, answer.id, inputs, ctx.timeouts.createMs, { object: answer })) ?? answer;
    const live = (await readLive(ctx, answer.id, steady)) ?? { group: steady, members: [], lbServerGroups: [] };
    return { id: answer.id, outputs: toOutputs(live, inputs, inputs.desiredServerCount !== undefined) };
  },

  findNamed: async (ctx, inputs) =>
    (await groupsNamed(ctx, inputs.name)).filter((g) => g.state !== "DELETING").map((g) => g.id),

  async read(ctx, id, olds) {
    const live = await readLive(ctx, id);
    if (!live) return undefined;
    return {
      outputs: toOutputs(live, olds, olds.desiredServerCount !== undefined),
      inputs: liveInputs(live, olds),
    };
  },

  async update(ctx, id, _olds, news, changed) {
    const resource = `auto-scaling group "${news.name}" (${id})`;
    const live = await showGroup(ctx, id);
    if (!live) throw new Error(`${resource} no longer exists`);

    // Update Auto-Scaling Group server count (L10203–L10209): the three counts in one request, so raising
    // the minimum above the current desired count works. A desired count this stack does not manage follows
    // the new range, and is left out when it need not move (it may be not editable).
    const sendCounts = async () => {
      if (!COUNT_KEYS.some((k) => changed.has(k))) return;
      const desired =
        news.desiredServerCount ??
        Math.min(news.maxServerCount, Math.max(news.minServerCount, live.desired_server_count));
      await ctx.client.call("updateAutoScalingGroupServerCount", {
        path: { auto_scaling_group_id: id },
        body: {
          min_server_count: news.minServerCount,
          max_server_count: news.maxServerCount,
          desired_server_count:
            news.desiredServerCount === undefined && desired === live.desired_server_count ? undefined : desired,
        },
        resource,
      });
    };
    // Update Auto-Scaling Group (L9584–L9592): settings the program leaves unset keep their live value.
    const sendSettings = async () => {
      if (!SETTING_KEYS.some((k) => changed.has(k))) return;
      await ctx.client.call("updateAutoScalingGroup", {
        path: { auto_scaling_group_id: id },
        body: {
          launch_configuration_id: news.launchConfigurationId,
          desired_server_count_editable:
            news.desiredServerCountEditable ?? live.desired_server_count_editable ?? undefined,
          drain_enabled: news.drainEnabled ?? live.drain_enabled ?? undefined,
          drain_timeout: news.drainTimeoutSeconds ?? live.drain_timeout ?? undefined,
          security_group_ids: encodeStringList(
            news.securityGroupIds ??
              (live.security_group_ids === undefined ? [] : decodeStringList(live.security_group_ids)),
          ),
        },
        resource,
      });
    };
    // Making the desired count editable comes before a count change that needs it; otherwise counts first.
    if (changed.has("desiredServerCountEditable") && news.desiredServerCountEditable === true) {
      await sendSettings();
      await sendCounts();
    } else {
      await sendCounts();
      await sendSettings();
    }
    if (changed.has("lbServerGroups")) {
      // Update Auto-Scaling Group LB Server Groups (L9715–L9724).
      await ctx.client.call("updateAutoScalingGroupLBServerGroups", {
        path: { auto_scaling_group_id: id },
        body: { lb_server_groups: (news.lbServerGroups ?? []).map((l) => ({ id: l.id, port: l.port })) },
        resource,
      });
    }
    const steady = (await waitForCapacity(ctx, id, news, ctx.timeouts.updateMs)) ?? live;
    const current = (await readLive(ctx, id, steady)) ?? { group: steady, members: [], lbServerGroups: [] };
    return toOutputs(current, news, news.desiredServerCount !== undefined);
  },

  async delete(ctx, id) {
    await ctx.client.change("deleteAutoScalingGroup", { path: { auto_scaling_group_id: id } }, async () => {
      const live = await showGroup(ctx, id);
      return live === undefined || live.state === "DELETING";
    });
    await waitUntilGone({
      description: `auto-scaling group ${id} and its servers to be deleted`,
      read: () => showGroup(ctx, id),
      stateOf: (g) => g.state,
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = withQuotaCheck(defineResourceProvider(spec), autoScalingGroupDemand);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of an `AutoScalingGroup` (each documented where it is declared, in `properties`). */
export interface AutoScalingGroupArgs extends ArgsOf<AutoScalingGroupInputs, "name"> {}

/**
 * An auto-scaling group: servers created from a launch configuration, kept between a minimum and a
 * maximum count in the given subnets; create and update wait until it is in service.
 *
 * ```ts
 * const group = new AutoScalingGroup("web", {
 *   name: "web-asg",
 *   launchConfigurationId: lc.id,
 *   minServerCount: 2,
 *   maxServerCount: 6,
 *   subnetIds: ["subnet-id"],
 * });
 * ```
 */
export const AutoScalingGroup = resourceClass<AutoScalingGroupArgs, AutoScalingGroupOutputs, typeof OUTPUT_KEYS>({
  type: "AutoScalingGroup",
  implementation: "auto-scaling-group",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** A `AutoScalingGroup`: its inputs and outputs as the engine resolves them (see `AutoScalingGroupArgs`, `AutoScalingGroupOutputs`). */
export type AutoScalingGroup = InstanceType<typeof AutoScalingGroup>;
