/** AutoScalingPolicy: scales its group when a metric crosses a threshold. Every setting changes in place. */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs, objectName } from "../provider/schema";
import { implementationPath, thinProvider } from "../provider/thin-provider";
import { minutes } from "../provider/timeouts";

// ---- Input schema -------------------------------------------------------------------------------------

export const METRIC_TYPES = ["CPU", "MEMORY", "NETWORK_IN", "NETWORK_OUT", "DISK_READ", "DISK_WRITE"] as const;
export const METRIC_METHODS = ["AVG", "MAX", "MIN"] as const;
export const COMPARISON_OPERATORS = ["ge", "gt", "le", "lt"] as const;
export const SCALE_TYPES = ["SCALE_OUT", "SCALE_IN"] as const;
export const SCALE_METHODS = ["AMOUNT", "PERCENTAGE", "FIXED"] as const;
export const STATES = ["ACTIVE", "INACTIVE"] as const;

const oneOf = <T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, { error: `${name} must be one of ${values.join(", ")}` });

const inputSchema = z
  .object({
    autoScalingGroupId: z.string({ error: "autoScalingGroupId is required" }).min(1),
    name: objectName("policy"),
    metricType: oneOf("metricType", METRIC_TYPES),
    metricMethod: oneOf("metricMethod", METRIC_METHODS),
    comparisonOperator: oneOf("comparisonOperator", COMPARISON_OPERATORS),
    threshold: z.number().int().min(1),
    evaluationMinutes: z.number().int().min(1).max(60),
    scaleType: oneOf("scaleType", SCALE_TYPES),
    scaleMethod: oneOf("scaleMethod", SCALE_METHODS),
    scaleValue: z.number().int().min(1),
    cooldownSeconds: z.number().int().min(0).max(86_400),
    state: oneOf("state", STATES).optional(),
    ...commonInputs,
  })
  .strict();

export type AutoScalingPolicyInputs = z.infer<typeof inputSchema>;

export interface AutoScalingPolicyOutputs extends AutoScalingPolicyInputs {
  readonly policyId: string;
  readonly thresholdUnit?: string | undefined;
}

// ---- Inputs → API requests, API objects → outputs -----------------------------------------------------

function request(inputs: AutoScalingPolicyInputs) {
  return {
    name: inputs.name,
    metric_type: inputs.metricType,
    metric_method: inputs.metricMethod,
    comparison_operator: inputs.comparisonOperator,
    threshold: inputs.threshold,
    evaluation_minutes: inputs.evaluationMinutes,
    scale_type: inputs.scaleType,
    scale_method: inputs.scaleMethod,
    scale_value: inputs.scaleValue,
    cooldown_seconds: inputs.cooldownSeconds,
    state: inputs.state ?? "ACTIVE",
  };
}

const apiPolicy = z.looseObject({
  id: z.string(),
  auto_scaling_group_id: z.string(),
  name: z.string(),
  metric_type: z.enum(METRIC_TYPES),
  metric_method: z.enum(METRIC_METHODS),
  comparison_operator: z.enum(COMPARISON_OPERATORS),
  threshold: z.number(),
  evaluation_minutes: z.number(),
  scale_type: z.enum(SCALE_TYPES),
  scale_method: z.enum(SCALE_METHODS),
  scale_value: z.number(),
  cooldown_seconds: z.number(),
  state: z.enum(STATES),
  threshold_unit: z.string().nullish(),
});
type ApiPolicy = z.infer<typeof apiPolicy>;

function fromApi(api: ApiPolicy, olds: Partial<AutoScalingPolicyInputs>): AutoScalingPolicyInputs {
  return {
    ...olds,
    autoScalingGroupId: api.auto_scaling_group_id,
    name: api.name,
    metricType: api.metric_type,
    metricMethod: api.metric_method,
    comparisonOperator: api.comparison_operator,
    threshold: api.threshold,
    evaluationMinutes: api.evaluation_minutes,
    scaleType: api.scale_type,
    scaleMethod: api.scale_method,
    scaleValue: api.scale_value,
    cooldownSeconds: api.cooldown_seconds,
    state: api.state,
  };
}

const toOutputs = (api: ApiPolicy, inputs: AutoScalingPolicyInputs): AutoScalingPolicyOutputs => ({
  ...fromApi(api, inputs),
  policyId: api.id,
  thresholdUnit: api.threshold_unit ?? undefined,
});

function showPolicy(ctx: ResourceContext, id: string) {
  const { parentId, childId } = parseNestedId(id, "auto-scaling policy");
  return ctx.client
    .find("showAutoScalingGroupPolicy", { path: { auto_scaling_group_id: parentId, policy_id: childId } })
    .then((b) => (b === undefined ? undefined : apiPolicy.parse(b)));
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const inPlace = { on: "update" } as const;
const diffRules = {
  autoScalingGroupId: { on: "replace" },
  name: inPlace,
  metricType: inPlace,
  metricMethod: inPlace,
  comparisonOperator: inPlace,
  threshold: inPlace,
  evaluationMinutes: inPlace,
  scaleType: inPlace,
  scaleMethod: inPlace,
  scaleValue: inPlace,
  cooldownSeconds: inPlace,
  state: { on: "update", normalize: (v: unknown) => v ?? "ACTIVE" },
  region: { on: "replace", computedWhenUnset: true },
  timeouts: inPlace,
} as const;

// ---- The provider -------------------------------------------------------------------------------------

const spec: ResourceSpec<AutoScalingPolicyInputs, AutoScalingPolicyOutputs> = {
  kind: "auto-scaling policy",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  describe: (inputs) => `auto-scaling policy "${inputs.name}" of group ${inputs.autoScalingGroupId}`,

  async create(ctx, inputs, created) {
    const group = inputs.autoScalingGroupId;
    const answer = apiPolicy.parse(
      await ctx.client.create(
        "createAutoScalingGroupPolicy",
        {
          path: { auto_scaling_group_id: group },
          body: request(inputs),
          resource: `auto-scaling policy "${inputs.name}"`,
        },
        async () => {
          const list = await ctx.client.call<{ policies: unknown[] }>("listAutoScalingGroupPolicies", {
            path: { auto_scaling_group_id: group },
            query: { name: inputs.name },
          });
          return list.body.policies.map((p) => apiPolicy.parse(p)).find((p) => p.name === inputs.name);
        },
      ),
    );
    const id = nestedId(group, answer.id);
    created(id);
    return { id, outputs: toOutputs(answer, inputs) };
  },

  async read(ctx, id, olds) {
    const live = await showPolicy(ctx, id);
    if (!live) return undefined;
    const inputs = fromApi(live, olds);
    delete (inputs as Record<string, unknown>).policyId;
    delete (inputs as Record<string, unknown>).thresholdUnit;
    return { outputs: toOutputs(live, inputs), inputs };
  },

  async update(ctx, id, _olds, news) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling policy");
    const answer = await ctx.client.call("updateAutoScalingGroupPolicy", {
      path: { auto_scaling_group_id: parentId, policy_id: childId },
      body: request(news),
      resource: `auto-scaling policy "${news.name}"`,
    });
    return toOutputs(apiPolicy.parse(answer.body), news);
  },

  async delete(ctx, id) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling policy");
    await ctx.client.call("deleteAutoScalingGroupPolicy", {
      path: { auto_scaling_group_id: parentId, policy_id: childId },
    });
  },
};

export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

export interface AutoScalingPolicyArgs {
  /** The group this policy scales. Changing it replaces the policy. */
  readonly autoScalingGroupId: pulumi.Input<string>;
  readonly name: pulumi.Input<string>;
  /** CPU, MEMORY, NETWORK_IN, NETWORK_OUT, DISK_READ or DISK_WRITE. */
  readonly metricType: pulumi.Input<(typeof METRIC_TYPES)[number]>;
  /** How the metric is aggregated over the group: AVG, MAX or MIN. */
  readonly metricMethod: pulumi.Input<(typeof METRIC_METHODS)[number]>;
  /** ge, gt, le or lt, comparing the metric with the threshold. */
  readonly comparisonOperator: pulumi.Input<(typeof COMPARISON_OPERATORS)[number]>;
  /** Threshold, in % for CPU and MEMORY. */
  readonly threshold: pulumi.Input<number>;
  /** Minutes the condition must hold (1–60). */
  readonly evaluationMinutes: pulumi.Input<number>;
  /** SCALE_OUT (add servers) or SCALE_IN (remove servers). */
  readonly scaleType: pulumi.Input<(typeof SCALE_TYPES)[number]>;
  /** AMOUNT (servers), PERCENTAGE (of the group) or FIXED (count). */
  readonly scaleMethod: pulumi.Input<(typeof SCALE_METHODS)[number]>;
  readonly scaleValue: pulumi.Input<number>;
  /** Seconds before the policy may act again. */
  readonly cooldownSeconds: pulumi.Input<number>;
  /** ACTIVE (default) or INACTIVE. */
  readonly state?: pulumi.Input<(typeof STATES)[number]>;
  readonly region?: pulumi.Input<string>;
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const policyProvider = thinProvider(implementationPath("auto-scaling-policy"));

export class AutoScalingPolicy extends pulumi.dynamic.Resource {
  declare readonly autoScalingGroupId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  declare readonly policyId: pulumi.Output<string>;
  declare readonly thresholdUnit: pulumi.Output<string | undefined>;

  constructor(name: string, args: AutoScalingPolicyArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      policyProvider,
      name,
      { state: undefined, policyId: undefined, thresholdUnit: undefined, ...args },
      resourceOptions(opts),
      "scp",
      "AutoScalingPolicy",
    );
  }
}
