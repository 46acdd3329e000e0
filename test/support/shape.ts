/**
 * Compares JSON values by shape against the API reference's examples.
 *
 * Rules:
 * - Objects are compared by keys, recursively: a key the example lacks is "not in the reference", a key
 *   the example has and the value lacks is "missing".
 * - Every element of a list is compared against the example's FIRST element; an empty example list
 *   accepts any elements.
 * - A `null` example value accepts null or a value of any type (the reference prints null for fields it
 *   has no sample of); a null value where the example shows something else is a difference.
 * - Numbers, strings, booleans, lists and objects are distinct types; the values themselves do not matter.
 */
import { type ReferenceExample, referenceExamplesByVersion } from "../../emulator/reference-examples";
import { type OperationId, operations } from "../../provider/operations";

type JsonType = "null" | "list" | "object" | "string" | "number" | "boolean" | "undefined";

function typeOf(value: unknown): JsonType {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  const t = typeof value;
  if (t === "string" || t === "number" || t === "boolean" || t === "undefined") return t;
  return "object";
}

const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

/**
 * The differences in shape between a reference example and an actual value, one line each with its key
 * path: `servers[0].tags: not in the reference`, `volume_image_metadata: missing`,
 * `count: expected number, got string`. Empty when the shapes match.
 */
export function shapeDifferences(expected: unknown, actual: unknown, path = ""): string[] {
  const where = path === "" ? "(answer)" : path;
  const want = typeOf(expected);
  if (want === "null") return [];
  const got = typeOf(actual);
  if (want !== got) return [`${where}: expected ${want}, got ${got}`];
  if (want === "list") {
    const [first] = expected as unknown[];
    if ((expected as unknown[]).length === 0) return [];
    return (actual as unknown[]).flatMap((item, i) => shapeDifferences(first, item, `${path}[${i}]`));
  }
  if (want !== "object") return [];
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  const out: string[] = [];
  for (const key of Object.keys(e)) {
    if (!(key in a) || a[key] === undefined) out.push(`${join(path, key)}: missing`);
    else out.push(...shapeDifferences(e[key], a[key], join(path, key)));
  }
  for (const key of Object.keys(a)) if (!(key in e)) out.push(`${join(path, key)}: not in the reference`);
  return out;
}

/**
 * Key paths where the example shows a non-empty list and the actual value has an empty one: the
 * elements' shape could not be compared there (`servers[0].security_groups`).
 */
export function emptyListPaths(expected: unknown, actual: unknown, path = ""): string[] {
  const want = typeOf(expected);
  if (want !== typeOf(actual)) return [];
  if (want === "list") {
    const [first] = expected as unknown[];
    if ((expected as unknown[]).length === 0) return [];
    if ((actual as unknown[]).length === 0) return [path === "" ? "(answer)" : path];
    // Reported only where every element's list was empty (one element with items shows their shape).
    const perItem = (actual as unknown[]).map((item) => new Set(emptyListPaths(first, item, `${path}[]`)));
    return [...(perItem[0] ?? [])].filter((p) => perItem.every((set) => set.has(p)));
  }
  if (want !== "object") return [];
  const e = expected as Record<string, unknown>;
  const a = actual as Record<string, unknown>;
  return Object.keys(e).flatMap((key) => (key in a ? emptyListPaths(e[key], a[key], join(path, key)) : []));
}

/** The reference's examples for an operation at a version; throws when the reference has none. */
export function referenceExample(operation: OperationId, version: string = operations[operation].currentVersion) {
  const example: ReferenceExample | undefined = referenceExamplesByVersion[operation][version];
  if (!example) throw new Error(`the reference has no version ${version} of ${operation}`);
  return example;
}

/** Where an example is, for messages: `virtualserver-api-reference.txt:8661`. */
export function exampleLocation(example: ReferenceExample, part: "request" | "response"): string {
  const line = part === "request" ? (example.requestLine ?? example.sectionLine) : example.responseLine;
  return `${example.source}:${line}`;
}

/**
 * Keys of a request body that the reference's request example for the operation and version does not
 * show, recursively (`lb_server_groups[0].weight: not in the reference`). Only extra keys count: a
 * request may leave out optional keys. A body sent where the example has none is one difference.
 */
export function requestKeyDifferences(
  operation: OperationId,
  version: string = operations[operation].currentVersion,
  body: unknown,
): string[] {
  const example = referenceExample(operation, version).request;
  if (body === undefined) return [];
  if (example === null) return ["(body): the reference shows no request body"];
  return shapeDifferences(example, body).filter((d) => !d.endsWith(": missing"));
}
