// Deliberately not shared with provider/ (python-literal.ts, validators.ts): the emulator is an independent check of the provider.
/** Helpers the resource handlers share. */
import type { CollectionName } from "../collections";
import type { ApiObject, EmulatorWorld } from "../context";
import { badRequest, notFound } from "../errors";

/**
 * What SCP does not answer but the emulator must remember (tags given at create, user data, a failure
 * reason, security group ids) is kept in fields with a leading underscore. Answers are built by each
 * kind's view function from the reference's keys only; `internalFieldsIn` is the server's safety net.
 */
export function internalFieldsIn(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => internalFieldsIn(item, `${path}[${i}]`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) =>
    key.startsWith("_") ? [`${path}${path ? "." : ""}${key}`] : internalFieldsIn(v, `${path}${path ? "." : ""}${key}`),
  );
}

export function mustGet(world: EmulatorWorld, collection: CollectionName, id: string, what: string): ApiObject {
  const object = world.store.get(collection, id);
  if (!object) throw notFound(what, id);
  return object;
}

export function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "") throw badRequest(`${field}: field required`);
  return value;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw badRequest(`${field}: must be a string`);
  return value;
}

export function requireInt(
  body: Record<string, unknown>,
  field: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = body[field];
  if (typeof value !== "number" || !Number.isInteger(value)) throw badRequest(`${field}: must be an integer`);
  if (value < min || value > max) throw badRequest(`${field}: must be between ${min} and ${max}`);
  return value;
}

export function optionalInt(
  body: Record<string, unknown>,
  field: string,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  return body[field] === undefined || body[field] === null ? undefined : requireInt(body, field, min, max);
}

export function optionalBool(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "boolean") throw badRequest(`${field}: must be a boolean`);
  return value;
}

/** A required field that must be one of `allowed`. */
export function requireEnum<T extends string>(body: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const value = body[field];
  if (typeof value !== "string" || !allowed.includes(value as T)) {
    throw badRequest(`${field}: must be one of ${allowed.join(", ")}`);
  }
  return value as T;
}

/** An optional field that must be one of `allowed` when given; `fallback` when absent. */
export function enumOrDefault<T extends string>(
  body: Record<string, unknown>,
  field: string,
  allowed: readonly T[],
  fallback: T,
): T {
  return body[field] === undefined || body[field] === null ? fallback : requireEnum(body, field, allowed);
}

/** Python-literal string lists as the API takes them (`"['a', 'b']"`), or real lists. */
export function pythonList(value: unknown, field: string): string[] {
  if (value === undefined || value === null || value === "") return [];
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== "string") throw badRequest(`${field}: must be a list`);
  const items = value
    .trim()
    .replace(/^\[|\]$/g, "")
    .trim();
  if (items === "") return [];
  return items.split(",").map((s) => s.trim().replace(/^['"]|['"]$/g, ""));
}

export function formatPythonList(items: readonly string[]): string {
  return `[${items.map((i) => `'${i}'`).join(", ")}]`;
}
