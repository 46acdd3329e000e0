/**
 * AutoScalingSchedule: sets its group's counts at given times. The fields each frequency needs are checked
 * at preview (WEEKLY: daysOfWeek; MONTHLY: daysOfMonth; ONCE: startDate). Every setting changes in place.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs, objectName } from "../provider/schema";
import { implementationPath, thinProvider } from "../provider/thin-provider";
import { minutes } from "../provider/timeouts";

// ---- Input schema -------------------------------------------------------------------------------------

export const FREQUENCIES = ["ONCE", "DAILY", "WEEKLY", "MONTHLY"] as const;
export const DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "dates look like 2026-12-31");
const serverCount = z.number().int().min(0).max(1000);

const inputSchema = z
  .object({
    autoScalingGroupId: z.string({ error: "autoScalingGroupId is required" }).min(1),
    name: objectName("schedule"),
    description: z.string().max(255).optional(),
    frequency: z.enum(FREQUENCIES, { error: `frequency must be one of ${FREQUENCIES.join(", ")}` }),
    daysOfWeek: z
      .array(z.enum(DAYS, { error: `days of the week are ${DAYS.join(", ")}` }))
      .min(1)
      .optional(),
    /** Days of the month, 1–31, or -1 for the last day. */
    daysOfMonth: z
      .array(
        z
          .number()
          .int()
          .refine((d) => d === -1 || (d >= 1 && d <= 31), "days of the month are 1–31 or -1 (last)"),
      )
      .min(1)
      .optional(),
    hour: z.number().int().min(0).max(23),
    minute: z.number().int().min(0).max(59),
    timezone: z.string().min(1).optional(),
    startDate: date.optional(),
    endDate: date.optional(),
    minServerCount: serverCount.optional(),
    maxServerCount: serverCount.optional(),
    desiredServerCount: serverCount.optional(),
    state: z.enum(["ACTIVE", "INACTIVE"]).optional(),
    ...commonInputs,
  })
  .strict()
  .superRefine((s, ctx) => {
    const need = (field: keyof typeof s, why: string) => {
      if (s[field] === undefined)
        ctx.addIssue({ code: "custom", path: [field], message: `${field} is required ${why}` });
    };
    if (s.frequency === "WEEKLY") need("daysOfWeek", "for a WEEKLY schedule");
    if (s.frequency === "MONTHLY") need("daysOfMonth", "for a MONTHLY schedule");
    if (s.frequency === "ONCE") need("startDate", "for a ONCE schedule");
    if (s.frequency !== "WEEKLY" && s.daysOfWeek)
      ctx.addIssue({ code: "custom", path: ["daysOfWeek"], message: "daysOfWeek applies only to WEEKLY schedules" });
    if (s.frequency !== "MONTHLY" && s.daysOfMonth)
      ctx.addIssue({ code: "custom", path: ["daysOfMonth"], message: "daysOfMonth applies only to MONTHLY schedules" });
    if (s.startDate && s.endDate && s.endDate < s.startDate)
      ctx.addIssue({ code: "custom", path: ["endDate"], message: "endDate is before startDate" });
    if (s.minServerCount === undefined && s.maxServerCount === undefined && s.desiredServerCount === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["desiredServerCount"],
        message: "a schedule sets at least one of minServerCount, maxServerCount, desiredServerCount",
      });
    }
  });

export type AutoScalingScheduleInputs = z.infer<typeof inputSchema>;

export interface AutoScalingScheduleOutputs extends AutoScalingScheduleInputs {
  readonly scheduleId: string;
}

// ---- Inputs → API requests, API objects → outputs -----------------------------------------------------

function request(s: AutoScalingScheduleInputs) {
  return {
    name: s.name,
    description: s.description,
    frequency: s.frequency,
    day_of_week: s.daysOfWeek?.join(","),
    day_of_month: s.daysOfMonth?.join(","),
    hour: s.hour,
    minute: s.minute,
    timezone: s.timezone ?? "Asia/Seoul",
    start_date: s.startDate,
    end_date: s.endDate,
    min_server_count: s.minServerCount,
    max_server_count: s.maxServerCount,
    desired_server_count: s.desiredServerCount,
    state: s.state ?? "ACTIVE",
  };
}

const apiSchedule = z.looseObject({
  id: z.string(),
  auto_scaling_group_id: z.string().nullish(),
  name: z.string(),
  description: z.string().nullish(),
  frequency: z.enum(FREQUENCIES),
  day_of_week: z.string().nullish(),
  day_of_month: z.string().nullish(),
  hour: z.number(),
  minute: z.number(),
  timezone: z.string().nullish(),
  start_date: z.string().nullish(),
  end_date: z.string().nullish(),
  min_server_count: z.number().nullish(),
  max_server_count: z.number().nullish(),
  desired_server_count: z.number().nullish(),
  state: z.enum(["ACTIVE", "INACTIVE"]).nullish(),
});
type ApiSchedule = z.infer<typeof apiSchedule>;

const opt = <T>(value: T | null | undefined) => (value === null ? undefined : value);

function fromApi(api: ApiSchedule, olds: Partial<AutoScalingScheduleInputs>): AutoScalingScheduleInputs {
  return {
    ...(olds as AutoScalingScheduleInputs),
    autoScalingGroupId: api.auto_scaling_group_id ?? olds.autoScalingGroupId ?? "",
    name: api.name,
    description: opt(api.description),
    frequency: api.frequency,
    daysOfWeek: api.day_of_week ? (api.day_of_week.split(",") as (typeof DAYS)[number][]) : undefined,
    daysOfMonth: api.day_of_month ? api.day_of_month.split(",").map(Number) : undefined,
    hour: api.hour,
    minute: api.minute,
    timezone: opt(api.timezone),
    startDate: opt(api.start_date),
    endDate: opt(api.end_date),
    minServerCount: opt(api.min_server_count),
    maxServerCount: opt(api.max_server_count),
    desiredServerCount: opt(api.desired_server_count),
    state: opt(api.state),
  };
}

function showSchedule(ctx: ResourceContext, id: string) {
  const { parentId, childId } = parseNestedId(id, "auto-scaling schedule");
  return ctx.client
    .find("showAutoScalingGroupSchedule", { path: { auto_scaling_group_id: parentId, schedule_id: childId } })
    .then((b) => (b === undefined ? undefined : apiSchedule.parse(b)));
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const inPlace = { on: "update" } as const;
const diffRules = {
  autoScalingGroupId: { on: "replace" },
  name: inPlace,
  description: inPlace,
  frequency: inPlace,
  daysOfWeek: inPlace,
  daysOfMonth: inPlace,
  hour: inPlace,
  minute: inPlace,
  timezone: { on: "update", computedWhenUnset: true },
  startDate: inPlace,
  endDate: inPlace,
  minServerCount: inPlace,
  maxServerCount: inPlace,
  desiredServerCount: inPlace,
  state: { on: "update", normalize: (v: unknown) => v ?? "ACTIVE" },
  region: { on: "replace", computedWhenUnset: true },
  timeouts: inPlace,
} as const;

// ---- The provider -------------------------------------------------------------------------------------

const spec: ResourceSpec<AutoScalingScheduleInputs, AutoScalingScheduleOutputs> = {
  kind: "auto-scaling schedule",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  describe: (inputs) => `auto-scaling schedule "${inputs.name}" of group ${inputs.autoScalingGroupId}`,

  async create(ctx, inputs, created) {
    const group = inputs.autoScalingGroupId;
    const answer = apiSchedule.parse(
      await ctx.client.create(
        "createAutoScalingGroupSchedule",
        {
          path: { auto_scaling_group_id: group },
          body: request(inputs),
          resource: `auto-scaling schedule "${inputs.name}"`,
        },
        async () => {
          const list = await ctx.client.call<{ schedules: unknown[] }>("listAutoScalingGroupSchedules", {
            path: { auto_scaling_group_id: group },
          });
          return list.body.schedules.map((s) => apiSchedule.parse(s)).find((s) => s.name === inputs.name);
        },
      ),
    );
    const id = nestedId(group, answer.id);
    created(id);
    return { id, outputs: { ...fromApi(answer, inputs), autoScalingGroupId: group, scheduleId: answer.id } };
  },

  async read(ctx, id, olds) {
    const live = await showSchedule(ctx, id);
    if (!live) return undefined;
    const inputs = fromApi(live, olds);
    delete (inputs as Record<string, unknown>).scheduleId;
    return { outputs: { ...inputs, scheduleId: live.id }, inputs };
  },

  async update(ctx, id, _olds, news) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling schedule");
    const answer = await ctx.client.call("updateAutoScalingGroupSchedule", {
      path: { auto_scaling_group_id: parentId, schedule_id: childId },
      body: request(news),
      resource: `auto-scaling schedule "${news.name}"`,
    });
    return { ...fromApi(apiSchedule.parse(answer.body), news), autoScalingGroupId: parentId, scheduleId: childId };
  },

  async delete(ctx, id) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling schedule");
    await ctx.client.call("deleteAutoScalingGroupSchedule", {
      path: { auto_scaling_group_id: parentId, schedule_id: childId },
    });
  },
};

export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

export interface AutoScalingScheduleArgs {
  /** The group this schedule sets counts on. Changing it replaces the schedule. */
  readonly autoScalingGroupId: pulumi.Input<string>;
  readonly name: pulumi.Input<string>;
  readonly description?: pulumi.Input<string>;
  /** ONCE, DAILY, WEEKLY or MONTHLY. */
  readonly frequency: pulumi.Input<(typeof FREQUENCIES)[number]>;
  /** For WEEKLY: e.g. `["MO", "FR"]`. */
  readonly daysOfWeek?: pulumi.Input<pulumi.Input<(typeof DAYS)[number]>[]>;
  /** For MONTHLY: days 1–31, or -1 for the last day. */
  readonly daysOfMonth?: pulumi.Input<pulumi.Input<number>[]>;
  readonly hour: pulumi.Input<number>;
  readonly minute: pulumi.Input<number>;
  /** IANA time zone; default `Asia/Seoul`. */
  readonly timezone?: pulumi.Input<string>;
  /** `YYYY-MM-DD`; required for ONCE. */
  readonly startDate?: pulumi.Input<string>;
  readonly endDate?: pulumi.Input<string>;
  readonly minServerCount?: pulumi.Input<number>;
  readonly maxServerCount?: pulumi.Input<number>;
  readonly desiredServerCount?: pulumi.Input<number>;
  /** ACTIVE (default) or INACTIVE. */
  readonly state?: pulumi.Input<"ACTIVE" | "INACTIVE">;
  readonly region?: pulumi.Input<string>;
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const scheduleProvider = thinProvider(implementationPath("auto-scaling-schedule"));

export class AutoScalingSchedule extends pulumi.dynamic.Resource {
  declare readonly autoScalingGroupId: pulumi.Output<string>;
  declare readonly name: pulumi.Output<string>;
  declare readonly frequency: pulumi.Output<string>;
  declare readonly state: pulumi.Output<string>;
  declare readonly scheduleId: pulumi.Output<string>;

  constructor(name: string, args: AutoScalingScheduleArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      scheduleProvider,
      name,
      { state: undefined, scheduleId: undefined, ...args },
      resourceOptions(opts),
      "scp",
      "AutoScalingSchedule",
    );
  }
}
