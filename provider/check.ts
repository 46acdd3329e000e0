/**
 * Input validation for `check`: runs a resource's zod schema and turns its issues into check failures
 * that name the property and the reason, so `pulumi preview` reports bad input before any request.
 * Values still unknown during preview pass: issues inside an unknown value are dropped.
 */
import type { z } from "zod";

/** The placeholder the engine sends for values not known yet (during preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface CheckFailure {
  readonly property: string;
  readonly reason: string;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Whether any prefix of the path holds the unknown placeholder. */
function touchesUnknown(root: unknown, path: readonly PropertyKey[]): boolean {
  for (let i = 0; i <= path.length; i++) if (valueAt(root, path.slice(0, i)) === UNKNOWN) return true;
  return false;
}

export function containsUnknown(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (typeof value === "object" && value !== null) return Object.values(value).some(containsUnknown);
  return false;
}

function propertyPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join("");
}

/** Validates inputs; returns the failures (empty when valid or when only unknown values fail). */
export function checkInputs(schema: z.ZodType, inputs: Record<string, unknown>): CheckFailure[] {
  const result = schema.safeParse(inputs);
  if (result.success) return [];
  return result.error.issues
    .filter((issue) => !touchesUnknown(inputs, issue.path))
    .filter((issue) => !(issue.code === "custom" && containsUnknown(valueAt(inputs, issue.path))))
    .map((issue) => ({ property: propertyPath(issue.path) || "(inputs)", reason: issue.message }));
}
