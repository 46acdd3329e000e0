/**
 * AutoScalingGroup: servers created from a launch configuration and kept between a minimum and a
 * maximum count. Create waits until the group is in service with its servers running (unless the
 * capacity wait is disabled); a scaling failure fails fast with the API's reason.
 *
 * `desiredServerCount` is optional: left unset, scaling by policies and schedules is not drift; set, it is
 * managed. Count changes are sent together, ordered so that raising the minimum above the current desired
 * count works. Policies, schedules and notifications are their own resources: this one never sends them.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { normalize } from "../provider/diff";
import { decodeStringList, decodeTags, encodeStringList, encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs, objectName, tagsSchema } from "../provider/schema";
import { implementationPath, thinProvider } from "../provider/thin-provider";
import { minutes, parseDuration } from "../provider/timeouts";
import { waitForState, waitUntilGone } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

const count = (name: string) =>
  z
    .number({ error: `${name} is required` })
    .int(`${name} must be a whole number`)
    .min(0)
    .max(1000);

const inputSchema = z
  .object({
    name: objectName("auto-scaling group"),
    launchConfigurationId: z.string({ error: "launchConfigurationId is required" }).min(1),
    minServerCount: count("minServerCount"),
    maxServerCount: count("maxServerCount"),
    desiredServerCount: count("desiredServerCount").optional(),
    desiredServerCountEditable: z.boolean().optional(),
    serverNamePrefix: z.string().min(1).max(63).optional(),
    subnetIds: z.array(z.string().min(1)).min(1, "at least one subnet is required"),
    securityGroupIds: z.array(z.string().min(1)).optional(),
    drainEnabled: z.boolean().optional(),
    drainTimeoutSeconds: z.number().int().min(0).max(3600).optional(),
    lbServerGroups: z
      .array(z.object({ id: z.string().min(1), port: z.number().int().min(1).max(65535) }).strict())
      .optional(),
    tags: tagsSchema.optional(),
    waitForCapacityTimeout: z
      .string()
      .refine((t) => t === "0" || parseDuration(t) !== undefined, {
        message: 'must be a duration like "10m", or "0" to not wait',
      })
      .optional(),
    ...commonInputs,
  })
  .strict()
  .superRefine((inputs, ctx) => {
    if (inputs.minServerCount > inputs.maxServerCount) {
      ctx.addIssue({
        code: "custom",
        path: ["minServerCount"],
        message: `minServerCount (${inputs.minServerCount}) must not exceed maxServerCount (${inputs.maxServerCount})`,
      });
    }
    const desired = inputs.desiredServerCount;
    if (desired !== undefined && (desired < inputs.minServerCount || desired > inputs.maxServerCount)) {
      ctx.addIssue({
        code: "custom",
        path: ["desiredServerCount"],
        message: `desiredServerCount (${desired}) must be between minServerCount and maxServerCount`,
      });
    }
  });

export type AutoScalingGroupInputs = z.infer<typeof inputSchema>;

export interface AutoScalingGroupOutputs extends AutoScalingGroupInputs {
  readonly state: string;
  /** The desired count as the group has it now (moved by policies and schedules when not managed here). */
  readonly currentDesiredServerCount: number;
  readonly totalServerCount: number;
  readonly serverIds: string[];
  readonly launchConfigurationName?: string | undefined;
  readonly vpcId?: string | undefined;
  readonly createdAt?: string | undefined;
}

// ---- API objects → outputs ----------------------------------------------------------------------------

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
  lb_server_groups: z.array(z.looseObject({ id: z.string(), port: z.number() })).nullish(),
  security_group_ids: z.unknown().optional(),
  server_name_prefix: z.string().nullish(),
  subnet_ids: z.array(z.string()).nullish(),
  total_server_count: z.number().nullish(),
  vpc_id: z.string().nullish(),
  tags: z.unknown().optional(),
  created_at: z.string().nullish(),
  error_reason: z.string().nullish(),
});
type ApiGroup = z.infer<typeof apiGroup>;

const apiMembers = z.object({ servers: z.array(z.looseObject({ id: z.string(), state: z.string() })) });

function liveInputs(api: ApiGroup, inputs: Partial<AutoScalingGroupInputs>): AutoScalingGroupInputs {
  return {
    ...(inputs as AutoScalingGroupInputs),
    name: api.name,
    launchConfigurationId: api.launch_configuration_id,
    minServerCount: api.min_server_count,
    maxServerCount: api.max_server_count,
    desiredServerCount: api.desired_server_count,
    desiredServerCountEditable: api.desired_server_count_editable ?? true,
    serverNamePrefix: api.server_name_prefix ?? inputs.serverNamePrefix,
    subnetIds: api.subnet_ids && api.subnet_ids.length > 0 ? api.subnet_ids : (inputs.subnetIds ?? []),
    securityGroupIds:
      api.security_group_ids === undefined ? inputs.securityGroupIds : decodeStringList(api.security_group_ids),
    drainEnabled: api.drain_enabled ?? false,
    drainTimeoutSeconds: api.drain_timeout ?? inputs.drainTimeoutSeconds,
    lbServerGroups: (api.lb_server_groups ?? []).map((l) => ({ id: l.id, port: l.port })),
    tags: api.tags === undefined ? inputs.tags : decodeTags(api.tags),
  };
}

function toOutputs(api: ApiGroup, inputs: AutoScalingGroupInputs, serverIds: string[]): AutoScalingGroupOutputs {
  return {
    ...inputs,
    state: api.state,
    currentDesiredServerCount: api.desired_server_count,
    totalServerCount: api.total_server_count ?? serverIds.length,
    serverIds,
    launchConfigurationName: api.launch_configuration_name ?? undefined,
    vpcId: api.vpc_id ?? undefined,
    createdAt: api.created_at ?? undefined,
  };
}

function showGroup(ctx: ResourceContext, id: string) {
  return ctx.client
    .find("showAutoScalingGroup", { path: { auto_scaling_group_id: id } })
    .then((b) => (b === undefined ? undefined : apiGroup.parse(b)));
}

async function members(ctx: ResourceContext, id: string): Promise<{ id: string; state: string }[]> {
  const body = await ctx.client.find("listAutoScalingGroupVirtualServers", { path: { auto_scaling_group_id: id } });
  return body === undefined ? [] : apiMembers.parse(body).servers;
}

/** Waits until the group is in service and every member server runs; fails fast when scaling fails. */
async function waitForCapacity(
  ctx: ResourceContext,
  id: string,
  inputs: AutoScalingGroupInputs,
  defaultMs: number,
): Promise<ApiGroup | undefined> {
  if (inputs.waitForCapacityTimeout === "0") return showGroup(ctx, id);
  const timeoutMs = (inputs.waitForCapacityTimeout && parseDuration(inputs.waitForCapacityTimeout)) || defaultMs;
  let running = 0;
  return waitForState({
    description: `auto-scaling group "${inputs.name}" (${id}) to be in service with its servers running`,
    read: async () => {
      const group = await showGroup(ctx, id);
      if (group) running = (await members(ctx, id)).filter((s) => s.state === "ACTIVE").length;
      return group;
    },
    stateOf: (g) => g.state,
    reasonOf: (g) => g.error_reason ?? undefined,
    target: ["IN_SERVICE"],
    ready: (g) => running >= g.desired_server_count,
    timeoutMs,
  });
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules = {
  name: { on: "replace" },
  subnetIds: { on: "replace" },
  serverNamePrefix: { on: "replace", computedWhenUnset: true },
  tags: { on: "replace", normalize: normalize.emptyMap },
  launchConfigurationId: { on: "update" },
  minServerCount: { on: "update" },
  maxServerCount: { on: "update" },
  // Unset: the group's count belongs to its policies and schedules, and is not drift.
  desiredServerCount: { on: "update", computedWhenUnset: true },
  desiredServerCountEditable: { on: "update", normalize: (v: unknown) => v ?? true },
  securityGroupIds: { on: "update", normalize: normalize.unorderedList },
  drainEnabled: { on: "update", normalize: (v: unknown) => v ?? false },
  drainTimeoutSeconds: { on: "update", computedWhenUnset: true },
  lbServerGroups: { on: "update", normalize: normalize.unorderedObjects },
  waitForCapacityTimeout: { on: "update" },
  region: { on: "replace", computedWhenUnset: true },
  timeouts: { on: "update" },
} as const;

// ---- The provider -------------------------------------------------------------------------------------

const spec: ResourceSpec<AutoScalingGroupInputs, AutoScalingGroupOutputs> = {
  kind: "auto-scaling group",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(30), updateMs: minutes(30), deleteMs: minutes(30) },
  diffRules,
  // Group names are unique: a replacement under the same name removes the old group first.
  deleteBeforeReplace: (olds, news) => olds.name === news.name,
  describe: (inputs, id) => `auto-scaling group "${inputs.name}"${id ? ` (${id})` : ""}`,

  async create(ctx, inputs, created) {
    const body = {
      name: inputs.name,
      launch_configuration_id: inputs.launchConfigurationId,
      min_server_count: inputs.minServerCount,
      max_server_count: inputs.maxServerCount,
      desired_server_count: inputs.desiredServerCount ?? inputs.minServerCount,
      desired_server_count_editable: inputs.desiredServerCountEditable ?? true,
      server_name_prefix: inputs.serverNamePrefix,
      subnet_ids: inputs.subnetIds,
      security_group_ids: encodeStringList(inputs.securityGroupIds ?? []),
      drain_enabled: inputs.drainEnabled ?? false,
      drain_timeout: inputs.drainTimeoutSeconds,
      lb_server_groups: inputs.lbServerGroups ?? [],
      tags: encodeTags(inputs.tags),
    };
    const answer = apiGroup.parse(
      await ctx.client.create(
        "createAutoScalingGroup",
        { body, resource: `auto-scaling group "${inputs.name}"` },
        async () => {
          const list = await ctx.client.call<{ auto_scaling_groups: unknown[] }>("listAutoScalingGroups", {
            query: { name: inputs.name },
          });
          return list.body.auto_scaling_groups.map((g) => apiGroup.parse(g)).find((g) => g.name === inputs.name);
        },
      ),
    );
    created(answer.id);
    const steady = (await waitForCapacity(ctx, answer.id, inputs, ctx.timeouts.createMs)) ?? answer;
    return {
      id: answer.id,
      outputs: toOutputs(
        steady,
        inputs,
        (await members(ctx, answer.id)).map((s) => s.id),
      ),
    };
  },

  async read(ctx, id, olds) {
    const live = await showGroup(ctx, id);
    if (!live) return undefined;
    const inputs = liveInputs(live, olds);
    for (const key of [
      "state",
      "currentDesiredServerCount",
      "totalServerCount",
      "serverIds",
      "launchConfigurationName",
      "vpcId",
      "createdAt",
    ]) {
      delete (inputs as Record<string, unknown>)[key];
    }
    return {
      outputs: toOutputs(
        live,
        inputs,
        (await members(ctx, id)).map((s) => s.id),
      ),
      inputs,
    };
  },

  async update(ctx, id, olds, news) {
    const resource = `auto-scaling group "${news.name}" (${id})`;
    const live = await showGroup(ctx, id);
    if (!live) throw new Error(`${resource} no longer exists`);
    // Counts first, in one request: the desired count follows min/max when this stack does not manage it.
    const desired =
      news.desiredServerCount ??
      Math.min(news.maxServerCount, Math.max(news.minServerCount, live.desired_server_count));
    if (
      news.minServerCount !== live.min_server_count ||
      news.maxServerCount !== live.max_server_count ||
      desired !== live.desired_server_count
    ) {
      await ctx.client.call("updateAutoScalingGroupServerCount", {
        path: { auto_scaling_group_id: id },
        body: {
          min_server_count: news.minServerCount,
          max_server_count: news.maxServerCount,
          desired_server_count: desired,
        },
        resource,
      });
    }
    const settingsChanged =
      news.launchConfigurationId !== olds.launchConfigurationId ||
      (news.desiredServerCountEditable ?? true) !== (olds.desiredServerCountEditable ?? true) ||
      (news.drainEnabled ?? false) !== (olds.drainEnabled ?? false) ||
      (news.drainTimeoutSeconds !== undefined && news.drainTimeoutSeconds !== olds.drainTimeoutSeconds) ||
      JSON.stringify(normalize.unorderedList(news.securityGroupIds)) !==
        JSON.stringify(normalize.unorderedList(olds.securityGroupIds));
    if (settingsChanged) {
      await ctx.client.call("updateAutoScalingGroup", {
        path: { auto_scaling_group_id: id },
        body: {
          launch_configuration_id: news.launchConfigurationId,
          desired_server_count_editable: news.desiredServerCountEditable ?? true,
          drain_enabled: news.drainEnabled ?? false,
          drain_timeout: news.drainTimeoutSeconds ?? live.drain_timeout ?? undefined,
          security_group_ids: encodeStringList(news.securityGroupIds ?? []),
        },
        resource,
      });
    }
    if (
      JSON.stringify(normalize.unorderedObjects(news.lbServerGroups)) !==
      JSON.stringify(normalize.unorderedObjects(olds.lbServerGroups))
    ) {
      await ctx.client.call("updateAutoScalingGroupLBServerGroups", {
        path: { auto_scaling_group_id: id },
        body: { lb_server_groups: news.lbServerGroups ?? [] },
        resource,
      });
    }
    const steady = (await waitForCapacity(ctx, id, news, ctx.timeouts.updateMs)) ?? live;
    return toOutputs(
      steady,
      news,
      (await members(ctx, id)).map((s) => s.id),
    );
  },

  async delete(ctx, id) {
    await ctx.client.call("deleteAutoScalingGroup", { path: { auto_scaling_group_id: id } });
    await waitUntilGone({
      description: `auto-scaling group ${id} and its servers to be deleted`,
      read: () => showGroup(ctx, id),
      stateOf: (g) => g.state,
      failure: [],
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

export interface AutoScalingGroupArgs {
  /** Group name, unique in the account. Changing it replaces the group. */
  readonly name: pulumi.Input<string>;
  /** The launch configuration servers are created from. Changed in place (repointed). */
  readonly launchConfigurationId: pulumi.Input<string>;
  /** Minimum number of servers. Changed in place. */
  readonly minServerCount: pulumi.Input<number>;
  /** Maximum number of servers. Changed in place. */
  readonly maxServerCount: pulumi.Input<number>;
  /**
   * Desired number of servers. Leave unset to let policies and schedules move it (not drift); set it to
   * manage it from the stack. Changed in place.
   */
  readonly desiredServerCount?: pulumi.Input<number>;
  /** Whether the desired count may be changed (by the API's users). Default true. */
  readonly desiredServerCountEditable?: pulumi.Input<boolean>;
  /** Prefix of the servers' names. Changing it replaces the group. */
  readonly serverNamePrefix?: pulumi.Input<string>;
  /** Subnets the servers are placed in. Changing them replaces the group. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Security groups of the servers. Changed in place. */
  readonly securityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Drain connections before removing a server. Changed in place. */
  readonly drainEnabled?: pulumi.Input<boolean>;
  /** How long draining may take, in seconds (0–3600). Changed in place. */
  readonly drainTimeoutSeconds?: pulumi.Input<number>;
  /** Load balancer server groups the servers join, with their port. Changed in place. */
  readonly lbServerGroups?: pulumi.Input<pulumi.Input<{ id: pulumi.Input<string>; port: pulumi.Input<number> }>[]>;
  /** Tags (key → value). Changing them replaces the group. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** How long create/update wait for the group to be in service with its servers running; `"0"` does not wait. Default: the timeouts. */
  readonly waitForCapacityTimeout?: pulumi.Input<string>;
  readonly region?: pulumi.Input<string>;
  /** Default 30 minutes each. */
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const groupProvider = thinProvider(implementationPath("auto-scaling-group"));

export class AutoScalingGroup extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly launchConfigurationId: pulumi.Output<string>;
  declare readonly minServerCount: pulumi.Output<number>;
  declare readonly maxServerCount: pulumi.Output<number>;
  declare readonly desiredServerCount: pulumi.Output<number | undefined>;
  /** The group's desired count now, whoever set it. */
  declare readonly currentDesiredServerCount: pulumi.Output<number>;
  declare readonly totalServerCount: pulumi.Output<number>;
  declare readonly serverIds: pulumi.Output<string[]>;
  /** IN_SERVICE when steady. */
  declare readonly state: pulumi.Output<string>;
  declare readonly launchConfigurationName: pulumi.Output<string | undefined>;
  declare readonly vpcId: pulumi.Output<string | undefined>;
  declare readonly createdAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: AutoScalingGroupArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      state: undefined,
      currentDesiredServerCount: undefined,
      totalServerCount: undefined,
      serverIds: undefined,
      launchConfigurationName: undefined,
      vpcId: undefined,
      createdAt: undefined,
    };
    super(
      groupProvider,
      name,
      { desiredServerCount: undefined, ...outputs, ...args },
      resourceOptions(opts),
      "scp",
      "AutoScalingGroup",
    );
  }
}
