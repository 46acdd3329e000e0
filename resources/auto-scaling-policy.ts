/** AutoScalingPolicy: scales its group when a metric crosses a threshold. Every setting changes in place. */
import { z } from "zod";
import { type DiffRules } from "../provider/diff";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, objectName, rulesOf, schemaOf } from "../provider/schema";
import { oneOf, resourceId, wholeNumber } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import {
  ActivationState,
  ComparisonOperator,
  MetricMethod,
  MetricType,
  ScaleMethod,
  ScaleType,
  enumValues,
} from "./enums";

// ---- Input schema -------------------------------------------------------------------------------------

const METRIC_TYPES = enumValues(MetricType);
const METRIC_METHODS = enumValues(MetricMethod);
const COMPARISON_OPERATORS = enumValues(ComparisonOperator);
const SCALE_TYPES = enumValues(ScaleType);
const SCALE_METHODS = enumValues(ScaleMethod);
const STATES = enumValues(ActivationState);

/**
 * Metrics whose threshold is a percentage: CPU answers `threshold_unit: "%"` (reference L828, L856);
 * MEMORY is a utilisation too and the emulator gives it "%" as well. Other metrics count bytes.
 */
export const PERCENT_METRICS: readonly MetricType[] = [MetricType.Cpu, MetricType.Memory];

const inPlace = { on: "update" } as const;

/** The policy's inputs: each one's schema, diff rule and (above it) the doc `AutoScalingPolicyArgs` shows. */
const properties = {
  /**
   * The group this policy scales (its id). Changing it replaces the policy. Part of the policy's id (it is
   * addressed under its group), so not drift-checked.
   */
  // Reference L802: the group id is a URL path segment; it is also the first half of the nested id.
  // Identity, not drift: the policy is addressed under its group, and no operation moves it to another.
  autoScalingGroupId: {
    schema: resourceId("autoScalingGroupId", { parentOfNested: true }),
    on: "replace",
    writeOnly: "part of the policy's id (it is addressed under its group); no operation moves a policy",
  },
  /**
   * Policy name. Changed in place. Default: the resource's name plus a random suffix (`web-3f9a2c1`), kept
   * across updates; a replacement gets a new one.
   */
  name: { schema: objectName("policy"), ...inPlace },
  /**
   * The metric watched: CPU, MEMORY, NETWORK_IN, NETWORK_OUT, DISK_READ or DISK_WRITE (see `MetricType`).
   * Changed in place.
   */
  metricType: { schema: oneOf("metricType", METRIC_TYPES), ...inPlace },
  /** How the metric is aggregated over the group's servers: AVG, MAX or MIN (see `MetricMethod`). Changed in place. */
  metricMethod: { schema: oneOf("metricMethod", METRIC_METHODS), ...inPlace },
  /**
   * How the metric is compared with the threshold: ge (≥), gt (>), le (≤) or lt (<) (see
   * `ComparisonOperator`). Changed in place.
   */
  comparisonOperator: { schema: oneOf("comparisonOperator", COMPARISON_OPERATORS), ...inPlace },
  /**
   * Threshold, a whole number ≥ 1: in % (1–100) for CPU and MEMORY, in bytes for the network and disk
   * metrics (output `thresholdUnit` says which). Changed in place.
   */
  threshold: { schema: wholeNumber("threshold", { min: 1 }), ...inPlace },
  /** Minutes the condition must hold before the policy acts (1–60). Changed in place. */
  evaluationMinutes: { schema: wholeNumber("evaluationMinutes", { min: 1, max: 60, unit: "minutes" }), ...inPlace },
  /** SCALE_OUT (add servers) or SCALE_IN (remove servers) (see `ScaleType`). Changed in place. */
  scaleType: { schema: oneOf("scaleType", SCALE_TYPES), ...inPlace },
  /**
   * How `scaleValue` is read: AMOUNT (a number of servers to add or remove), PERCENTAGE (a percentage of the
   * group's servers) or FIXED (the server count to set) (see `ScaleMethod`). Changed in place.
   */
  scaleMethod: { schema: oneOf("scaleMethod", SCALE_METHODS), ...inPlace },
  /** How much to scale, a whole number ≥ 1, in the unit `scaleMethod` gives. Changed in place. */
  scaleValue: { schema: wholeNumber("scaleValue", { min: 1 }), ...inPlace },
  /** Seconds (0–86400) before the policy may act again. Changed in place. */
  cooldownSeconds: { schema: wholeNumber("cooldownSeconds", { min: 0, max: 86_400, unit: "seconds" }), ...inPlace },
  /**
   * ACTIVE or INACTIVE (see `ActivationState`). Left unset, the cloud's state (ACTIVE for a new policy) is
   * kept and not drift. Create takes no state, so INACTIVE is set by an update right after creation. Changed
   * in place.
   */
  state: { schema: oneOf("state", STATES).optional(), ...inPlace },
  ...commonProperties,
  /**
   * Region of the group, e.g. `kr-west1`; default: the provider's. Changing it replaces the policy; a provider
   * setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create, update and delete may take (`"5m"`); default 5 minutes each. Changed in place; a provider
   * setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties).superRefine((policy, ctx) => {
  if (PERCENT_METRICS.includes(policy.metricType) && policy.threshold > 100)
    ctx.addIssue({
      code: "custom",
      path: ["threshold"],
      message: `threshold is a percentage for ${policy.metricType} and must be at most 100 (%); got ${policy.threshold}`,
    });
});

export type AutoScalingPolicyInputs = z.infer<typeof inputSchema>;

export interface AutoScalingPolicyOutputs extends AutoScalingPolicyInputs {
  /**
   * The API's id of the policy (the resource's id is `<autoScalingGroupId>:<policyId>`). Refresh reads it
   * (Show Auto-Scaling Group Policy).
   */
  readonly policyId: string;
  /**
   * The unit of `threshold` as the API answers it, e.g. `%` for CPU and MEMORY. Refresh reads it (Show
   * Auto-Scaling Group Policy).
   */
  readonly thresholdUnit?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = ["policyId", "thresholdUnit"] as const satisfies readonly (keyof AutoScalingPolicyOutputs)[];
const _everyOutputListed: ListsEveryOutput<AutoScalingPolicyOutputs, AutoScalingPolicyInputs, typeof OUTPUT_KEYS> =
  true;

// ---- Inputs → API requests, API objects → outputs -----------------------------------------------------

/** Create Auto-Scaling Group Policy (reference L822–L835): the documented keys, which do not include `state`. */
function createRequest(inputs: AutoScalingPolicyInputs) {
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
  };
}

/**
 * Update Auto-Scaling Group Policy (L9918–L9932): the whole policy, with `state`. A state the program leaves
 * unset keeps the live one.
 */
function updateRequest(inputs: AutoScalingPolicyInputs, liveState: string | undefined) {
  return { ...createRequest(inputs), state: inputs.state ?? liveState };
}

/** A policy as Create / Show / Update answer it (L836–L857, L7312–L7333, L9933–L9954). */
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

/** Every input rebuilt from live state (`read` keeps only those the program set). */
function fromApi(api: ApiPolicy, prior: Partial<AutoScalingPolicyInputs>): AutoScalingPolicyInputs {
  return {
    region: prior.region,
    timeouts: prior.timeouts,
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

/** Outputs, built the same way by create, read and update (a refresh after `up` reads what was stored). */
const toOutputs = (api: ApiPolicy, prior: Partial<AutoScalingPolicyInputs>): AutoScalingPolicyOutputs => ({
  ...fromApi(api, prior),
  policyId: api.id,
  thresholdUnit: api.threshold_unit ?? undefined,
});

function showPolicy(ctx: ResourceContext, id: string) {
  const { parentId, childId } = parseNestedId(id, "auto-scaling policy");
  return ctx.client
    .find("showAutoScalingGroupPolicy", { path: { auto_scaling_group_id: parentId, policy_id: childId } })
    .then((b) => (b === undefined ? undefined : apiPolicy.parse(b)));
}

async function policiesNamed(ctx: ResourceContext, group: string, name: string) {
  const list = await ctx.client.call<{ policies: unknown[] }>("listAutoScalingGroupPolicies", {
    path: { auto_scaling_group_id: group },
    query: { name },
  });
  return list.body.policies.map((p) => apiPolicy.parse(p)).filter((p) => p.name === name);
}

// ---- Diff rules ---------------------------------------------------------------------------------------

// Every property Show returns: all drift-checked, all but the group changed in place.
const diffRules: DiffRules<AutoScalingPolicyInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<AutoScalingPolicyInputs, AutoScalingPolicyOutputs> = {
  kind: "auto-scaling policy",
  autoName: true,
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  describe: (inputs) => `auto-scaling policy "${inputs.name}" of group ${inputs.autoScalingGroupId}`,

  async create(ctx, inputs, created) {
    const group = inputs.autoScalingGroupId;
    const resource = `auto-scaling policy "${inputs.name}"`;
    const answer = apiPolicy.parse(
      await ctx.client.create(
        "createAutoScalingGroupPolicy",
        { path: { auto_scaling_group_id: group }, body: createRequest(inputs), resource },
        async () => (await policiesNamed(ctx, group, inputs.name))[0],
      ),
    );
    const id = nestedId(group, answer.id);
    created(id);
    // Create takes no state: a policy meant to start INACTIVE is set so by the Update operation.
    if (inputs.state === undefined || inputs.state === answer.state) return { id, outputs: toOutputs(answer, inputs) };
    const updated = await ctx.client.call("updateAutoScalingGroupPolicy", {
      path: { auto_scaling_group_id: group, policy_id: answer.id },
      body: updateRequest(inputs, answer.state),
      resource,
    });
    return { id, outputs: toOutputs(apiPolicy.parse(updated.body), inputs) };
  },

  findNamed: async (ctx, inputs) =>
    (await policiesNamed(ctx, inputs.autoScalingGroupId, inputs.name)).map((p) =>
      nestedId(inputs.autoScalingGroupId, p.id),
    ),

  async read(ctx, id, olds) {
    const live = await showPolicy(ctx, id);
    if (!live) return undefined;
    return { outputs: toOutputs(live, olds), inputs: fromApi(live, olds) };
  },

  // The one Update operation takes the whole policy: every change sends it, with the program's values.
  async update(ctx, id, olds, news) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling policy");
    const answer = await ctx.client.call("updateAutoScalingGroupPolicy", {
      path: { auto_scaling_group_id: parentId, policy_id: childId },
      body: updateRequest(news, olds.state),
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

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of an `AutoScalingPolicy` (each documented where it is declared, in `properties`). */
export interface AutoScalingPolicyArgs extends ArgsOf<AutoScalingPolicyInputs, "name"> {}

/**
 * A scaling policy of an auto-scaling group: scales out or in when a metric crosses a threshold.
 *
 * ```ts
 * new AutoScalingPolicy("cpu-high", {
 *   autoScalingGroupId: group.id, name: "cpu-high",
 *   metricType: "CPU", metricMethod: "AVG", comparisonOperator: "ge", threshold: 80,
 *   evaluationMinutes: 5, scaleType: "SCALE_OUT", scaleMethod: "AMOUNT", scaleValue: 1,
 *   cooldownSeconds: 300,
 * });
 * ```
 */
export const AutoScalingPolicy = resourceClass<AutoScalingPolicyArgs, AutoScalingPolicyOutputs, typeof OUTPUT_KEYS>({
  type: "AutoScalingPolicy",
  implementation: "auto-scaling-policy",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** A `AutoScalingPolicy`: its inputs and outputs as the engine resolves them (see `AutoScalingPolicyArgs`, `AutoScalingPolicyOutputs`). */
export type AutoScalingPolicy = InstanceType<typeof AutoScalingPolicy>;
