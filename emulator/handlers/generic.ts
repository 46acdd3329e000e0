/**
 * Any operation without a specific handler: behaviour follows the shape of its path (list, show,
 * create, update, delete or action) and responses take the reference's example as their template,
 * so every operation of the table answers with the documented shape.
 */
import { type OperationSpec, operations } from "../../provider/operations";
import { referenceExamples } from "../reference-examples";
import type { ApiObject, Handler, HandlerRequest } from "../context";
import { badRequest, notFound } from "../errors";
import { listResponse } from "../listing";

function fill(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, n: string) => params[n] ?? n);
}

/** Collection of the objects a path addresses: the path without its last `{id}`, parents filled in. */
export function collectionOf(req: HandlerRequest): { collection: string; id?: string } {
  const segments = req.op.path.split("/").filter(Boolean).slice(1);
  const last = segments[segments.length - 1] ?? "";
  const idParam = /^\{([a-z_]+)\}$/.exec(last)?.[1];
  const base = idParam ? segments.slice(0, -1) : segments;
  const collection = fill(base.join("/"), req.params);
  return idParam ? { collection, id: req.params[idParam] ?? "" } : { collection };
}

/** Checks body fields against the types of the reference's example request. */
export function checkBodyTypes(req: HandlerRequest): void {
  const example = referenceExamples[req.op.id]?.request;
  if (!req.op.hasBody) return;
  if (Object.keys(req.body).length === 0 && example && typeof example === "object" && Object.keys(example).length > 0) {
    throw badRequest(`${req.op.title}: a request body is required`);
  }
  if (!example || typeof example !== "object" || Array.isArray(example)) return;
  for (const [key, sample] of Object.entries(example as Record<string, unknown>)) {
    const value = req.body[key];
    if (value === undefined || value === null || sample === null) continue;
    const expected = Array.isArray(sample) ? "array" : typeof sample;
    const actual = Array.isArray(value) ? "array" : typeof value;
    if (expected !== actual) throw badRequest(`${key}: expected ${expected}, got ${actual}`);
  }
}

/**
 * The field that identifies objects of the collection a create adds to: the path parameter the
 * collection's show/delete operations take (`{port_id}`, `{member_id}`), or `id`.
 */
function idFieldOf(op: OperationSpec, template: Record<string, unknown>): string {
  const itemPath = new RegExp(`^${op.path.replace(/[{}]/g, "\\$&")}/\\{([a-z_]+)\\}$`);
  for (const other of Object.values(operations as Record<string, OperationSpec>)) {
    const param = itemPath.exec(other.path)?.[1];
    if (param && param in template) return param;
  }
  return "id";
}

function itemsKeyOf(example: unknown): string | undefined {
  if (!example || typeof example !== "object" || Array.isArray(example)) return undefined;
  return Object.entries(example).find(([, v]) => Array.isArray(v))?.[0];
}

export const genericHandler: Handler = (req, world) => {
  const { store } = world;
  const example = referenceExamples[req.op.id]?.response ?? null;
  const { collection, id } = collectionOf(req);
  const status = req.op.successStatus;
  checkBodyTypes(req);
  switch (req.op.method) {
    case "GET": {
      if (id !== undefined) {
        const object = store.get(collection, id);
        if (!object) throw notFound(collection, id);
        return { status, body: object };
      }
      const itemsKey = itemsKeyOf(example);
      if (!itemsKey) return { status, body: example };
      const withCount = typeof example === "object" && example !== null && "count" in example;
      return { status, body: listResponse(req.op, req.query, store.list(collection), itemsKey, { withCount }) };
    }
    case "POST": {
      const template = (example && typeof example === "object" && !Array.isArray(example) ? example : {}) as Record<
        string,
        unknown
      >;
      const idField = idFieldOf(req.op, template);
      if (id !== undefined || !(idField in template)) return { status, body: example };
      // Some objects are named by the caller (an image member is the account it is shared with).
      const given = idField !== "id" ? req.body[idField] : undefined;
      const newId = typeof given === "string" && given !== "" ? given : store.newId();
      const object: ApiObject = {
        ...template,
        ...req.body,
        [idField]: newId,
        id: newId,
        created_at: store.isoNow(),
        modified_at: store.isoNow(),
      };
      store.put(collection, object);
      return { status, body: object };
    }
    case "PUT": {
      const target = id !== undefined ? store.get(collection, id) : undefined;
      if (id !== undefined && !target) throw notFound(collection, id);
      if (target) Object.assign(target, req.body, { modified_at: store.isoNow() });
      return { status, body: target ?? example };
    }
    case "DELETE": {
      if (id !== undefined && !store.remove(collection, id)) throw notFound(collection, id);
      return { status };
    }
  }
};
