/**
 * Input validation for `check`: runs a resource's zod schema and turns its issues into check failures
 * that name the property and the reason, so `pulumi preview` reports bad input before any request.
 *
 * - An unknown property is reported on that property, with the known one it most likely meant
 *   (`publickey` → `publicKey`, the API's `volume_type` → `volumeType`), at any depth.
 * - A value of the wrong type says what was expected and what was given; "is required" only when absent.
 * - Values still unknown during preview pass: issues inside an unknown value are dropped.
 */
import { z } from "zod";
import { closestMatch, describeValue } from "./validators";

/** The placeholder the engine sends for values not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

type Path = readonly PropertyKey[];

function valueAt(root: unknown, path: Path): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Whether any prefix of the path holds the unknown placeholder. */
function touchesUnknown(root: unknown, path: Path): boolean {
  for (let i = 0; i <= path.length; i++) if (valueAt(root, path.slice(0, i)) === UNKNOWN) return true;
  return false;
}

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

function propertyPath(path: Path): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

// ---- Messages for issues the schema gives no message of its own ----------------------------------------

const EXPECTED: Readonly<Record<string, string>> = {
  number: "a number",
  int: "a whole number",
  string: "a string",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  record: "an object",
};

/** The fields of a zod issue (raw or final) that messages are made from. */
interface IssueFacts {
  readonly code?: string | undefined;
  readonly expected?: unknown;
  readonly origin?: unknown;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean | undefined;
  readonly values?: readonly unknown[] | undefined;
  readonly format?: unknown;
}

function boundText(facts: IssueFacts, bound: unknown, atLeast: boolean): string {
  const n = Number(bound);
  if (facts.origin === "string")
    return atLeast && n === 1 ? "must not be empty" : `must be ${atLeast ? "at least" : "at most"} ${n} characters`;
  if (facts.origin === "array" || facts.origin === "set")
    return `must have ${atLeast ? "at least" : "at most"} ${n} ${n === 1 ? "item" : "items"}`;
  const word = facts.inclusive === false ? (atLeast ? "greater than" : "less than") : atLeast ? "at least" : "at most";
  return `must be ${word} ${n}`;
}

/** A reason for an issue, naming the property and what was given. */
function reasonFor(name: string, facts: IssueFacts, value: unknown, present: boolean): string | undefined {
  const got = `; got ${describeValue(value)}`;
  switch (facts.code) {
    case "invalid_type":
      if (!present) return `${name} is required`;
      return `${name} must be ${EXPECTED[String(facts.expected)] ?? String(facts.expected)}${got}`;
    case "too_small":
      return `${name} ${boundText(facts, facts.minimum, true)}${facts.origin === "number" ? got : ""}`;
    case "too_big":
      return `${name} ${boundText(facts, facts.maximum, false)}${facts.origin === "number" ? got : ""}`;
    case "invalid_value":
      if (!present) return `${name} is required`;
      return `${name} must be one of ${(facts.values ?? []).map(String).join(", ")}${got}`;
    case "invalid_format":
      return facts.format === "ipv4" ? `${name} must be an IPv4 address${got}` : `${name} has the wrong format${got}`;
    default:
      return undefined;
  }
}

// ---- Check ----------------------------------------------------------------------------------------------

function unknownPropertyReason(key: string, known: readonly string[]): string {
  const meant = closestMatch(key, known);
  return meant
    ? `unknown property; did you mean "${meant}"?`
    : `unknown property; known properties are ${known.join(", ")}`;
}

/**
 * The schema's message, unless it would mislead: "is required" for a value that is there but of the wrong
 * type, or a bare "must be one of" for a value that is absent.
 */
function plainReason(issue: z.core.$ZodIssue, property: string, value: unknown): string {
  const typeOrChoice = issue.code === "invalid_type" || issue.code === "invalid_value";
  if (!typeOrChoice) return issue.message;
  const present = value !== undefined;
  const misleads = present ? !/; got /.test(issue.message) : !/required/.test(issue.message);
  return misleads ? (reasonFor(property, issue, value, present) ?? issue.message) : issue.message;
}

/** Validates inputs; returns the failures (empty when valid or when only unknown values fail). */
export function checkInputs(schema: z.ZodType, inputs: Record<string, unknown>): CheckFailure[] {
  // Known keys of each strict object that met an unknown key, by the object's path.
  const knownKeys = new Map<string, string[]>();
  const result = schema.safeParse(inputs, {
    reportInput: true,
    // Used only where the schema sets no message of its own.
    error: (issue) => {
      const path = issue.path ?? [];
      if (issue.code === "unrecognized_keys" && issue.inst instanceof z.core.$ZodObject) {
        knownKeys.set(propertyPath(path), Object.keys(issue.inst._zod.def.shape));
      }
      const value = valueAt(inputs, path);
      return reasonFor(propertyPath(path) || "inputs", issue, value, value !== undefined);
    },
  });
  if (result.success) return [];

  const failures: CheckFailure[] = [];
  for (const issue of result.error.issues) {
    if (touchesUnknown(inputs, issue.path)) continue;
    const value = valueAt(inputs, issue.path);
    if (issue.code === "custom" && containsUnknown(value)) continue;
    const property = propertyPath(issue.path);
    if (issue.code === "invalid_key") {
      // A record key that breaks its rule (an empty tag key): on the record, with the key rule's message.
      const inner = issue.issues.map((i) => i.message).join("; ");
      const key = issue.path[issue.path.length - 1];
      failures.push({
        property: propertyPath(issue.path.slice(0, -1)),
        reason: `${inner}; got the key ${JSON.stringify(key)}`,
      });
      continue;
    }
    if (issue.code === "unrecognized_keys") {
      const known = knownKeys.get(property) ?? [];
      for (const key of issue.keys) {
        failures.push({ property: propertyPath([...issue.path, key]), reason: unknownPropertyReason(key, known) });
      }
      continue;
    }
    failures.push({ property: property || "(inputs)", reason: plainReason(issue, property, value) });
  }
  return failures;
}
