/**
 * AutoScalingSchedule: sets its group's counts at given times. The fields each frequency needs are checked
 * at preview (WEEKLY: daysOfWeek; MONTHLY: daysOfMonth; ONCE: startDate). Every setting changes in place.
 */
import { z } from "zod";
import { type DiffRules, normalize } from "../provider/diff";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, objectName, rulesOf, schemaOf } from "../provider/schema";
import {
  calendarDate,
  checkServerCounts,
  describeValue,
  ianaTimezone,
  oneOf,
  resourceId,
  text,
  typeMessage,
  uniqueList,
  wholeNumber,
} from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { ActivationState, DayOfWeek, ScheduleFrequency, enumValues } from "./enums";

// ---- Input schema -------------------------------------------------------------------------------------

// Reference L4377: the frequencies. L960: days of the week are two-letter codes, L959: days of the month
// are numbers with -1 for the last day.
const FREQUENCIES = enumValues(ScheduleFrequency);
const DAYS = enumValues(DayOfWeek);
const STATES = enumValues(ActivationState);
const serverCount = (name: string) => wholeNumber(name, { min: 0, max: 1000 });

const dayOfMonth = z
  .number({ error: typeMessage("daysOfMonth entry", "a whole number") })
  .int({ error: (issue) => `days of the month are whole numbers; got ${describeValue(issue.input)}` })
  .refine((d) => d === -1 || (d >= 1 && d <= 31), {
    error: (issue) => `days of the month are 1–31 or -1 (last); got ${String(issue.input)}`,
  });

/** Frequencies whose days are chosen; the reference's example sends both day lists with WEEKLY (L959–L964). */
const DAY_BASED: readonly ScheduleFrequency[] = [ScheduleFrequency.Weekly, ScheduleFrequency.Monthly];

const inPlace = { on: "update" } as const;

/** The AutoScalingSchedule's inputs: each one's schema, diff rule and (above it) the doc `AutoScalingScheduleArgs` shows. */
const properties = {
  /**
   * The group this schedule sets counts on (its id). Changing it replaces the schedule. Part of the
   * schedule's id (Show Auto-Scaling Group Schedule names no group), so not drift-checked.
   */
  // Reference L937: the group id is a URL path segment; it is also the first half of the nested id.
  autoScalingGroupId: {
    schema: resourceId("autoScalingGroupId", { parentOfNested: true }),
    on: "replace",
    writeOnly:
      "part of the schedule's id: Show Auto-Scaling Group Schedule answers no group id (reference L7419–L7441) and no operation moves a schedule",
  },
  /**
   * Schedule name. Changed in place. Default: the resource's name plus a random suffix (`web-3f9a2c1`), kept
   * across updates; a replacement gets a new one.
   */
  name: { schema: objectName("schedule"), ...inPlace },
  /** Free text, at most 255 characters. Changed in place. */
  description: { schema: text("description").max(255, "description is at most 255 characters").optional(), ...inPlace },
  /**
   * How often the schedule fires: ONCE (on `startDate`), DAILY, WEEKLY or MONTHLY (see `ScheduleFrequency`).
   * Changed in place.
   */
  frequency: { schema: oneOf("frequency", FREQUENCIES), ...inPlace },
  /**
   * Days of the week it fires on, for WEEKLY (required then): MO, TU, WE, TH, FR, SA, SU (see `DayOfWeek`),
   * each once, in any order, e.g. `["SA", "SU"]`. Changed in place.
   */
  daysOfWeek: {
    schema: uniqueList(
      z
        .array(oneOf("daysOfWeek entry", DAYS), { error: typeMessage("daysOfWeek", "a list of days") })
        .min(1, "daysOfWeek must name at least one day"),
      "daysOfWeek",
    ).optional(),
    on: "update",
    normalize: normalize.unorderedList,
  },
  /**
   * Days of the month it fires on, for MONTHLY (required then): 1–31, or -1 for the last day, each once, in
   * any order. Changed in place.
   */
  // Days of the month, 1–31, or -1 for the last day.
  daysOfMonth: {
    schema: uniqueList(
      z
        .array(dayOfMonth, { error: typeMessage("daysOfMonth", "a list of days") })
        .min(1, "daysOfMonth must name at least one day"),
      "daysOfMonth",
    ).optional(),
    on: "update",
    normalize: normalize.unorderedList,
  },
  /** Hour of the day it fires at (0–23), in `timezone`. Changed in place. */
  // Reference L965, L968: hour and minute of the day.
  hour: { schema: wholeNumber("hour", { min: 0, max: 23 }), ...inPlace },
  /** Minute of the hour it fires at (0–59). Changed in place. */
  minute: { schema: wholeNumber("minute", { min: 0, max: 59 }), ...inPlace },
  /** IANA time zone of `hour` and `minute`, e.g. `Asia/Seoul` (sent when unset). Changed in place. */
  // Reference L972: an IANA timezone ("Asia/Seoul").
  timezone: { schema: ianaTimezone("timezone").optional(), ...inPlace },
  /** First day it may fire, `YYYY-MM-DD` (a real calendar date); required for ONCE. Changed in place. */
  // Reference L963, L970: dates are written 2024-01-01.
  startDate: { schema: calendarDate("startDate").optional(), ...inPlace },
  /** Last day it may fire, `YYYY-MM-DD`, not before `startDate`. Changed in place. */
  endDate: { schema: calendarDate("endDate").optional(), ...inPlace },
  /** Minimum server count the group gets when it fires (0–1000). Changed in place. */
  minServerCount: { schema: serverCount("minServerCount").optional(), ...inPlace },
  /** Maximum server count the group gets when it fires (0–1000). Changed in place. */
  maxServerCount: { schema: serverCount("maxServerCount").optional(), ...inPlace },
  /**
   * Desired server count the group gets when it fires (0–1000, between the minimum and maximum when those
   * are set). At least one of the three counts is required. Changed in place.
   */
  desiredServerCount: { schema: serverCount("desiredServerCount").optional(), ...inPlace },
  /** ACTIVE or INACTIVE (see `ActivationState`; ACTIVE is sent when unset). Changed in place. */
  state: { schema: oneOf("state", STATES).optional(), ...inPlace },
  ...commonProperties,
  /**
   * Region of the group, e.g. `kr-west1`; default: the provider's. Changing it replaces the schedule; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create, update and delete may take (`"5m"`); default 5 minutes each. Changed in place; a provider
   * setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties).superRefine((s, ctx) => {
  const need = (field: keyof typeof s, why: string) => {
    if (s[field] === undefined) ctx.addIssue({ code: "custom", path: [field], message: `${field} is required ${why}` });
  };
  if (s.frequency === "WEEKLY") need("daysOfWeek", "for a WEEKLY schedule");
  if (s.frequency === "MONTHLY") need("daysOfMonth", "for a MONTHLY schedule");
  if (s.frequency === "ONCE") need("startDate", "for a ONCE schedule");
  for (const days of ["daysOfWeek", "daysOfMonth"] as const) {
    if (!DAY_BASED.includes(s.frequency) && s[days])
      ctx.addIssue({
        code: "custom",
        path: [days],
        message: `${days} applies only to WEEKLY and MONTHLY schedules, not ${s.frequency}`,
      });
  }
  if (s.startDate && s.endDate && s.endDate < s.startDate)
    ctx.addIssue({
      code: "custom",
      path: ["endDate"],
      message: `endDate (${s.endDate}) is before startDate (${s.startDate})`,
    });
  if (s.minServerCount === undefined && s.maxServerCount === undefined && s.desiredServerCount === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["desiredServerCount"],
      message: "a schedule sets at least one of minServerCount, maxServerCount, desiredServerCount",
    });
  }
  checkServerCounts(s, ctx);
});

export type AutoScalingScheduleInputs = z.infer<typeof inputSchema>;

export interface AutoScalingScheduleOutputs extends AutoScalingScheduleInputs {
  /**
   * The API's id of the schedule (the resource's id is `<autoScalingGroupId>:<scheduleId>`). Refresh reads it
   * (Show Auto-Scaling Group Schedule).
   */
  readonly scheduleId: string;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = ["scheduleId"] as const satisfies readonly (keyof AutoScalingScheduleOutputs)[];
const _everyOutputListed: ListsEveryOutput<AutoScalingScheduleOutputs, AutoScalingScheduleInputs, typeof OUTPUT_KEYS> =
  true;

// ---- Inputs → API requests, API objects → outputs -----------------------------------------------------

/**
 * Create / Update Auto-Scaling Group Schedule (reference L957–L974, L10057–L10074) take the same documented
 * keys: the whole schedule. Properties the program leaves unset are not sent (the cloud's value stands),
 * except the timezone and state, which keep their live value on an update.
 */
function request(s: AutoScalingScheduleInputs, live?: Partial<AutoScalingScheduleOutputs>) {
  return {
    name: s.name,
    description: s.description,
    frequency: s.frequency,
    day_of_week: s.daysOfWeek?.join(","),
    day_of_month: s.daysOfMonth?.join(","),
    hour: s.hour,
    minute: s.minute,
    timezone: s.timezone ?? live?.timezone ?? "Asia/Seoul",
    start_date: s.startDate,
    end_date: s.endDate,
    min_server_count: s.minServerCount,
    max_server_count: s.maxServerCount,
    desired_server_count: s.desiredServerCount,
    state: s.state ?? live?.state ?? "ACTIVE",
  };
}

/**
 * A schedule as Create / Show / Update answer it (L975–L997, L7419–L7441, L10075–L10097). No answer names
 * the group: it comes from the resource's id.
 */
const apiSchedule = z.looseObject({
  id: z.string(),
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
  state: z.enum(STATES).nullish(),
});
type ApiSchedule = z.infer<typeof apiSchedule>;

const opt = <T>(value: T | null | undefined) => (value === null ? undefined : value);
/** Dates and day lists: an empty string is "none". */
const optText = (value: string | null | undefined) => (value ? value : undefined);

/** Every input rebuilt from live state (`read` keeps only those the program set). */
function fromApi(
  api: ApiSchedule,
  groupId: string,
  prior: Partial<AutoScalingScheduleInputs>,
): AutoScalingScheduleInputs {
  const daysOfWeek = optText(api.day_of_week);
  const daysOfMonth = optText(api.day_of_month);
  return {
    region: prior.region,
    timeouts: prior.timeouts,
    autoScalingGroupId: groupId,
    name: api.name,
    description: opt(api.description),
    frequency: api.frequency,
    daysOfWeek: daysOfWeek ? (daysOfWeek.split(",").map((d) => d.trim()) as (typeof DAYS)[number][]) : undefined,
    daysOfMonth: daysOfMonth ? daysOfMonth.split(",").map(Number) : undefined,
    hour: api.hour,
    minute: api.minute,
    timezone: opt(api.timezone),
    startDate: optText(api.start_date),
    endDate: optText(api.end_date),
    minServerCount: opt(api.min_server_count),
    maxServerCount: opt(api.max_server_count),
    desiredServerCount: opt(api.desired_server_count),
    state: opt(api.state),
  };
}

/** Outputs, built the same way by create, read and update (a refresh after `up` reads what was stored). */
const toOutputs = (
  api: ApiSchedule,
  groupId: string,
  prior: Partial<AutoScalingScheduleInputs>,
): AutoScalingScheduleOutputs => ({ ...fromApi(api, groupId, prior), scheduleId: api.id });

function showSchedule(ctx: ResourceContext, id: string) {
  const { parentId, childId } = parseNestedId(id, "auto-scaling schedule");
  return ctx.client
    .find("showAutoScalingGroupSchedule", { path: { auto_scaling_group_id: parentId, schedule_id: childId } })
    .then((b) => (b === undefined ? undefined : apiSchedule.parse(b)));
}

async function schedulesNamed(ctx: ResourceContext, group: string, name: string) {
  const list = await ctx.client.call<{ schedules: unknown[] }>("listAutoScalingGroupSchedules", {
    path: { auto_scaling_group_id: group },
  });
  return list.body.schedules.map((s) => apiSchedule.parse(s)).filter((s) => s.name === name);
}

// ---- Diff rules ---------------------------------------------------------------------------------------

// Every property Show returns is drift-checked and changed in place.
const diffRules: DiffRules<AutoScalingScheduleInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<AutoScalingScheduleInputs, AutoScalingScheduleOutputs> = {
  kind: "auto-scaling schedule",
  autoName: true,
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
        async () => (await schedulesNamed(ctx, group, inputs.name))[0],
      ),
    );
    const id = nestedId(group, answer.id);
    created(id);
    return { id, outputs: toOutputs(answer, group, inputs) };
  },

  findNamed: async (ctx, inputs) =>
    (await schedulesNamed(ctx, inputs.autoScalingGroupId, inputs.name)).map((s) =>
      nestedId(inputs.autoScalingGroupId, s.id),
    ),

  async read(ctx, id, olds) {
    const live = await showSchedule(ctx, id);
    if (!live) return undefined;
    const { parentId } = parseNestedId(id, "auto-scaling schedule");
    return { outputs: toOutputs(live, parentId, olds), inputs: fromApi(live, parentId, olds) };
  },

  // The one Update operation takes the whole schedule: every change sends it with the program's values,
  // so each property changed outside Pulumi is put back.
  async update(ctx, id, olds, news) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling schedule");
    const answer = await ctx.client.call("updateAutoScalingGroupSchedule", {
      path: { auto_scaling_group_id: parentId, schedule_id: childId },
      body: request(news, olds),
      resource: `auto-scaling schedule "${news.name}"`,
    });
    return toOutputs(apiSchedule.parse(answer.body), parentId, news);
  },

  async delete(ctx, id) {
    const { parentId, childId } = parseNestedId(id, "auto-scaling schedule");
    await ctx.client.call("deleteAutoScalingGroupSchedule", {
      path: { auto_scaling_group_id: parentId, schedule_id: childId },
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of a `AutoScalingSchedule` (each documented where it is declared, in `properties`). */
export interface AutoScalingScheduleArgs extends ArgsOf<AutoScalingScheduleInputs, "name"> {}

/**
 * A schedule of an auto-scaling group: sets its server counts once, daily, weekly or monthly.
 *
 * ```ts
 * new AutoScalingSchedule("weekday-morning", {
 *   autoScalingGroupId: group.id, name: "weekday-morning",
 *   frequency: "WEEKLY", daysOfWeek: ["MO", "TU", "WE", "TH", "FR"],
 *   hour: 8, minute: 0, minServerCount: 4,
 * });
 * ```
 */
export const AutoScalingSchedule = resourceClass<
  AutoScalingScheduleArgs,
  AutoScalingScheduleOutputs,
  typeof OUTPUT_KEYS
>({
  type: "AutoScalingSchedule",
  implementation: "auto-scaling-schedule",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** A `AutoScalingSchedule`: its inputs and outputs as the engine resolves them (see `AutoScalingScheduleArgs`, `AutoScalingScheduleOutputs`). */
export type AutoScalingSchedule = InstanceType<typeof AutoScalingSchedule>;
