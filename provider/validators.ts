/**
 * zod building blocks for rules the API reference implies but a type alone does not: ids that stay one
 * URL path segment, calendar dates that exist, IANA timezones, percentages, sets without repeats and
 * count ranges. Messages name the property and say what was expected and what was given, so `pulumi
 * preview` can tell the user the real problem before any request is sent.
 */
import { z } from "zod";

// ---- Describing values and suggesting names -----------------------------------------------------------

/** How a given value reads in a message: `the string "100"`, `the number -1`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "number" || typeof value === "bigint") return `the number ${String(value)}`;
  if (typeof value === "boolean") return `the boolean ${String(value)}`;
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return typeof value;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** `volume_type`, `VolumeType` and `volumetype` all compare equal to `volumeType`. */
const comparable = (name: string): string => name.toLowerCase().replace(/[_\-\s]/g, "");

/**
 * The candidate a mistyped name most likely meant: the same name in another case or as the API's
 * snake_case, a near spelling (`publickey`, `sise`), or a name the typo is the start or end of
 * (`drain_timeout` → `drainTimeoutSeconds`, `notification_events` → `events`).
 */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const typed = comparable(word);
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const known = comparable(candidate);
    const distance = editDistance(typed, known);
    const allowed = Math.min(typed.length, known.length) >= 5 ? 2 : Math.min(typed.length, known.length) >= 3 ? 1 : 0;
    const [shorter, longer] = typed.length <= known.length ? [typed, known] : [known, typed];
    const contained = shorter.length >= 4 && (longer.startsWith(shorter) || longer.endsWith(shorter));
    const score =
      distance === 0
        ? 0
        : distance <= allowed
          ? distance
          : contained
            ? 3 + (1 - shorter.length / longer.length)
            : Number.POSITIVE_INFINITY;
    if (score < (best?.score ?? Number.POSITIVE_INFINITY)) best = { candidate, score };
  }
  return best?.candidate;
}

// ---- Type messages --------------------------------------------------------------------------------------

interface RawIssue {
  readonly code?: string | undefined;
  readonly input?: unknown;
}

/**
 * A schema's `error` option: an absent value is "required", a value of the wrong type says what was
 * expected and what was given; every other issue keeps its own message.
 */
export const typeMessage =
  (name: string, expected: string) =>
  (issue: RawIssue): string | undefined => {
    if (issue.code !== "invalid_type") return undefined;
    return issue.input === undefined
      ? `${name} is required`
      : `${name} must be ${expected}; got ${describeValue(issue.input)}`;
  };

export const text = (name: string) => z.string({ error: typeMessage(name, "a string") });

export const flag = (name: string) => z.boolean({ error: typeMessage(name, "true or false") });

/** A whole number within bounds; `unit` reads after the number (`GB`, `seconds`). */
export function wholeNumber(name: string, bounds: { min: number; max?: number; unit?: string }) {
  const unit = bounds.unit ? ` ${bounds.unit}` : "";
  const inUnit = bounds.unit ? ` (${bounds.unit})` : "";
  const schema = z
    .number({ error: typeMessage(name, `a number${inUnit}`) })
    .int({ error: (issue) => `${name} must be a whole number${inUnit}; got ${describeValue(issue.input)}` })
    .min(bounds.min, { error: (issue) => `${name} must be at least ${bounds.min}${unit}; got ${String(issue.input)}` });
  const { max } = bounds;
  return max === undefined
    ? schema
    : schema.max(max, { error: (issue) => `${name} must be at most ${max}${unit}; got ${String(issue.input)}` });
}

/** "A or B" for two choices, "one of A, B, C" for more. */
export const choices = (values: readonly string[]): string =>
  values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(", ")}`;

/** One of a fixed set of values; absent reads "is required", anything else names what was given. */
export const oneOf = <const T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `${name} is required (${choices(values)})`
        : `${name} must be ${choices(values)}; got ${describeValue(issue.input)}`,
  });

// ---- Ids ------------------------------------------------------------------------------------------------

/** What would make an id leave its URL path segment or change the request: `/`, `?`, `#`, `..`, spaces. */
function pathProblem(id: string): string | undefined {
  if (/\s/.test(id)) return "must not contain spaces or line breaks";
  if (/[/\\?#]/.test(id)) return "must not contain /, \\, ? or #";
  if (id.includes("..")) return 'must not contain ".."';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(id)) return "must not contain control characters";
  return undefined;
}

/**
 * An id the API takes in a URL path or a body (`3f500f00-ed80-…`, `s1v1m2`): not empty, and nothing that
 * could break the path it is put into. `parentOfNested` also refuses `:`, the separator of nested ids
 * (`<group id>:<policy id>`).
 */
export function resourceId(name: string, options: { parentOfNested?: boolean } = {}) {
  return text(name)
    .min(1, `${name} must not be empty`)
    .superRefine((id, ctx) => {
      const problem =
        pathProblem(id) ?? (options.parentOfNested && id.includes(":") ? 'must not contain ":"' : undefined);
      if (problem) ctx.addIssue({ code: "custom", message: `${name} ${problem}; got ${JSON.stringify(id)}` });
    });
}

/** A list of ids where each may appear once. */
export const idSet = (name: string) =>
  uniqueList(z.array(resourceId(`${name} entry`), { error: typeMessage(name, "a list of ids") }), name);

// ---- Sets -----------------------------------------------------------------------------------------------

/**
 * Refuses repeats in a list, naming the repeated element (`securityGroupIds[1]`); `keyOf` says what makes
 * two elements the same (default: their JSON).
 */
export function uniqueList<T extends z.ZodType<unknown[]>>(
  list: T,
  name: string,
  keyOf: (item: unknown) => string = (item) => JSON.stringify(item) ?? String(item),
) {
  return list.superRefine((items, ctx) => {
    const seen = new Map<string, number>();
    items.forEach((item, index) => {
      const key = keyOf(item);
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: `${name} must not repeat: ${key} is also at [${first}]`,
        });
    });
  });
}

// ---- Dates and times ------------------------------------------------------------------------------------

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `YYYY-MM-DD` names a day that exists (no month 13, no February 30). */
export function isCalendarDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A date written as the reference writes it, `2024-01-01`, that is a real day of the calendar. */
export const calendarDate = (name: string) =>
  text(name)
    .regex(ISO_DATE, { error: (issue) => `${name} must be a date like 2024-01-01; got ${describeValue(issue.input)}` })
    .refine(isCalendarDate, {
      error: (issue) => `${name} is not a day of the calendar; got ${describeValue(issue.input)}`,
    });

let zoneList: readonly string[] | undefined;
const knownZones = (): readonly string[] => (zoneList ??= [...Intl.supportedValuesOf("timeZone"), "UTC"]);

/** Why a name is no IANA timezone, with the zone probably meant; undefined when it is one. */
export function timezoneProblem(zone: string): string | undefined {
  if (knownZones().includes(zone)) return undefined;
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat("en-US", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  if (resolved !== undefined && resolved !== zone && resolved.toLowerCase() === zone.toLowerCase())
    return `is not an IANA timezone as spelled; did you mean "${resolved}"?`;
  // Accepted beyond the canonical list: UTC, GMT and Area/Location names the runtime knows (Etc/GMT-9,
  // aliases such as Asia/Calcutta). Abbreviations (KST, EST) are ambiguous and not what the API documents.
  if (resolved !== undefined && (/^(UTC|GMT)$/.test(zone) || /^[A-Z][A-Za-z]*\/[A-Za-z0-9_+\-/]+$/.test(zone)))
    return undefined;
  const suggestion = closestMatch(zone, knownZones());
  return `is not an IANA timezone${suggestion ? `; did you mean "${suggestion}"?` : ' (such as "Asia/Seoul" or "UTC")'}`;
}

/** An IANA timezone name (`Asia/Seoul`, `UTC`, `Etc/GMT-9`). */
export const ianaTimezone = (name: string) =>
  text(name).superRefine((zone, ctx) => {
    const problem = timezoneProblem(zone);
    if (problem) ctx.addIssue({ code: "custom", message: `${name} ${JSON.stringify(zone)} ${problem}` });
  });

// ---- Counts ---------------------------------------------------------------------------------------------

interface ServerCounts {
  readonly minServerCount?: number | undefined;
  readonly maxServerCount?: number | undefined;
  readonly desiredServerCount?: number | undefined;
}

/** min ≤ desired ≤ max among the counts that are set, each problem on the count that breaks it. */
export function checkServerCounts(counts: ServerCounts, ctx: z.RefinementCtx): void {
  const { minServerCount: min, maxServerCount: max, desiredServerCount: desired } = counts;
  if (min !== undefined && max !== undefined && min > max) {
    ctx.addIssue({
      code: "custom",
      path: ["minServerCount"],
      message: `minServerCount (${min}) must not exceed maxServerCount (${max})`,
    });
    return;
  }
  if (desired === undefined) return;
  if ((min !== undefined && desired < min) || (max !== undefined && desired > max)) {
    const range =
      min !== undefined && max !== undefined
        ? "between minServerCount and maxServerCount"
        : min !== undefined
          ? `at least minServerCount (${min})`
          : `at most maxServerCount (${max})`;
    ctx.addIssue({
      code: "custom",
      path: ["desiredServerCount"],
      message: `desiredServerCount (${desired}) must be ${range}`,
    });
  }
}
