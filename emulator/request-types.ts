/**
 * Request bodies checked against the reference's request example for the operation and version: a key the
 * example shows must have the example's JSON type (a string stays a string: `metadata`, `tags` and
 * `security_groups` are strings in the reference, Python-literal lists included). Null values and keys
 * the example does not show are left to the handlers.
 */
import type { OperationSpec } from "../provider/operations";
import { badRequest } from "./errors";
import { referenceExamplesByVersion } from "./reference-examples";

const jsonType = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "list" : typeof value);

export function checkRequestTypes(op: OperationSpec, version: string, body: Record<string, unknown>): void {
  const example = referenceExamplesByVersion[op.id][version]?.request;
  if (typeof example !== "object" || example === null || Array.isArray(example)) return;
  for (const [key, sample] of Object.entries(example)) {
    const value = body[key];
    if (value === undefined || value === null || sample === null) continue;
    if (jsonType(value) !== jsonType(sample)) {
      throw badRequest(`${key}: expected ${jsonType(sample)}, got ${jsonType(value)}`);
    }
  }
}
