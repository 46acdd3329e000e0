/**
 * Control endpoints under `/_emulator` (no authentication): reset, inspect and edit objects out of band
 * (to create drift), force states, queue outcomes, inject faults, read the request log, tune durations.
 *
 *   GET    /_emulator/health
 *   POST   /_emulator/reset
 *   GET    /_emulator/objects                          every object, by collection
 *   GET    /_emulator/objects/{collection}             one collection (URL-encode nested names)
 *   GET    /_emulator/objects/{collection}/{id}
 *   POST   /_emulator/objects/{collection}             create out of band, from an API-shaped body (below)
 *   PATCH  /_emulator/objects/{collection}/{id}        merge fields (out-of-band edit)
 *   DELETE /_emulator/objects/{collection}/{id}        out-of-band delete
 *   POST   /_emulator/objects/{collection}/{id}/state  {"state": "ERROR", "reason": "…"} (reason kept as _error_reason)
 *   POST   /_emulator/outcomes                         {"kind": "server", "state": "ERROR", "reason": "…"}
 *   POST   /_emulator/auto-scaling-groups/{id}/scale   {"desired": 3}  (as a policy or schedule would)
 *   GET    /_emulator/requests        DELETE /_emulator/requests
 *   GET    /_emulator/faults          PUT (replace) / POST (add) / DELETE /_emulator/faults
 *   GET    /_emulator/settings        PUT /_emulator/settings {"durations": {…}, "today": "2026-11-23",
 *                                      "durationJitter": 0.25, "seed": 7, "rateLimit": 10 (null: unlimited),
 *                                      "quotas": {"cores": 20, "volumes": 5, "usages": null}} (merged; kept by
 *                                      reset; names and meanings in handlers/quotas.ts)
 *
 * Out-of-band creation (to rehearse adoption, import and drift: an object the stack did not create).
 * `POST /_emulator/objects/{collection}` takes the body the API's create operation takes and runs that
 * operation's own handler, with its request-type check and validation, so the object gets the ids, the
 * defaults, the life cycle (a server starts in BUILD, a volume in creating) and the relationships (keypair,
 * server group, launch configuration must exist) a real create gives it; refusals answer the API's error
 * envelope and status. It answers 201 with the created object as stored (as `GET …/{id}` answers it; a
 * list when one request creates several, e.g. a server with `max_count`). The collection's name is the
 * create operation's path under /v1: volumes, servers, keypairs, server-groups, snapshots, images,
 * launch-configurations, auto-scaling-groups, volume-transfers, and nested ones, URL-encoded:
 * auto-scaling-groups/{id}/policies|schedules|notifications, servers/{id}/interfaces, images/{id}/members.
 * `?version=1.1` picks an API version of the operation (default: the current one). Not in the request log.
 *
 *   curl -X POST localhost:8080/_emulator/objects/volumes -d '{"name": "legacy-data", "size": 50}'
 */
import { COLLECTIONS, type CollectionName } from "./collections";
import type { ForcedOutcome } from "./context";
import { ApiFault } from "./errors";
import type { FaultConfig } from "./faults";
import { handlers } from "./handlers";
import { scaleAutoScalingGroup } from "./handlers/auto-scaling";
import { applyQuotaLimits } from "./handlers/quotas";
import { checkRequestTypes } from "./request-types";
import { matchRoute } from "./routes";
import type { EmulatorState } from "./server";

export interface ControlAnswer {
  readonly status: number;
  readonly body?: unknown;
}

function json(text: string): Record<string, unknown> {
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new ApiFault(400, "control request body must be a JSON object");
}

/** Collections whose create operation's path is not `/v1/{collection}`. */
const CREATE_PATHS: Readonly<Partial<Record<CollectionName, string>>> = {
  [COLLECTIONS.volumeTransfers]: "/v1/volume-transfer",
};
const TOP_COLLECTIONS = new Set<string>(Object.values(COLLECTIONS));
const NESTED_COLLECTION =
  /^(auto-scaling-groups\/[^/]+\/(policies|schedules|notifications)|servers\/[^/]+\/interfaces|images\/[^/]+\/members)$/;

/** Creates objects of a collection with the API's own create handler (see the header). */
function createOutOfBand(state: EmulatorState, collection: CollectionName, url: URL, body: Record<string, unknown>) {
  const route = matchRoute("POST", CREATE_PATHS[collection] ?? `/v1/${collection}`);
  if (
    !(TOP_COLLECTIONS.has(collection) || NESTED_COLLECTION.test(collection)) ||
    typeof route !== "object" ||
    !route.op.id.startsWith("create")
  ) {
    return { status: 404, body: { error: `no API operation creates objects of ${collection}` } };
  }
  const version = url.searchParams.get("version") ?? route.op.currentVersion;
  if (!route.op.versions.some((v) => v.version === version)) {
    const offered = route.op.versions.map((v) => v.version).join(", ");
    return { status: 400, body: { error: `${route.op.id} has no API version ${version} (offered: ${offered})` } };
  }
  checkRequestTypes(route.op, version, body);
  const before = new Set(state.store.list(collection).map((o) => o.id));
  handlers[route.op.id]({ op: route.op, params: route.params, query: new URLSearchParams(), body, version }, state);
  const created = state.store.list(collection).filter((o) => !before.has(o.id));
  return { status: 201, body: created.length === 1 ? created[0] : created };
}

export function handleControl(state: EmulatorState, method: string, url: URL, text: string): ControlAnswer {
  const parts = url.pathname.split("/").filter(Boolean).slice(1).map(decodeURIComponent);
  const [area, b, c] = [parts[0], parts[2], parts[3]];
  // Any name is accepted: an unknown collection is simply empty.
  const a = parts[1] as CollectionName | undefined;
  const { store } = state;
  const body = json(text);
  store.settle();

  switch (`${method} ${area ?? ""}`) {
    case "GET health":
      return {
        status: 200,
        body: {
          ok: true,
          objects: store.count(),
          pendingTransitions: store.pendingTransitions,
          memory: process.memoryUsage(),
        },
      };
    case "POST reset":
      state.reset();
      return { status: 204 };
    case "GET objects": {
      if (a === undefined) return { status: 200, body: store.dump() };
      if (b === undefined) return { status: 200, body: store.list(a) };
      const object = store.get(a, b);
      return object ? { status: 200, body: object } : { status: 404, body: { error: `${a}/${b} not found` } };
    }
    case "PATCH objects": {
      const object = a && b ? store.get(a, b) : undefined;
      if (!object) return { status: 404, body: { error: `${a}/${b} not found` } };
      Object.assign(object, body, { id: object.id });
      return { status: 200, body: object };
    }
    case "DELETE objects":
      return a && b && store.remove(a, b) ? { status: 204 } : { status: 404, body: { error: `${a}/${b} not found` } };
    case "POST objects": {
      if (a !== undefined && b === undefined) return createOutOfBand(state, a, url, body);
      const object = a && b && c === "state" ? store.get(a, b) : undefined;
      if (!object) return { status: 404, body: { error: `${a}/${b} not found` } };
      const field = "status" in object && !("state" in object) ? "status" : "state";
      object[field] = body.state;
      // SCP answers no failure reason: it is kept internally (for the group's state, the request log).
      if (body.reason !== undefined) object._error_reason = body.reason;
      return { status: 200, body: object };
    }
    case "POST outcomes":
      state.outcomes.push(body as unknown as ForcedOutcome);
      return { status: 201, body: state.outcomes };
    case "POST auto-scaling-groups": {
      if (!a || b !== "scale" || typeof body.desired !== "number") {
        return { status: 400, body: { error: 'POST /_emulator/auto-scaling-groups/{id}/scale {"desired": n}' } };
      }
      return { status: 200, body: scaleAutoScalingGroup(state, a, body.desired) };
    }
    case "GET requests":
      return { status: 200, body: state.requestLog };
    case "DELETE requests":
      state.requestLog.length = 0;
      return { status: 204 };
    case "GET faults":
      return { status: 200, body: state.faults.describe() };
    case "PUT faults":
      state.faults.configure(body as FaultConfig);
      return { status: 200, body: state.faults.describe() };
    case "POST faults":
      state.faults.add(body as FaultConfig);
      return { status: 200, body: state.faults.describe() };
    case "DELETE faults":
      state.faults.clear();
      return { status: 204 };
    case "GET settings":
      return { status: 200, body: state.settings };
    case "PUT settings": {
      if (body.durations) Object.assign(state.settings.durations, body.durations);
      if (typeof body.today === "string") state.settings.today = body.today;
      if (typeof body.timestampToleranceMs === "number")
        state.settings.timestampToleranceMs = body.timestampToleranceMs;
      store.durations = state.settings.durations;
      if (typeof body.durationJitter === "number" || typeof body.seed === "number") {
        const jitter = typeof body.durationJitter === "number" ? body.durationJitter : state.settings.durationJitter;
        const seed = typeof body.seed === "number" ? body.seed : undefined;
        try {
          store.setJitter(jitter, seed);
        } catch (error) {
          return { status: 400, body: { error: (error as Error).message } };
        }
        state.settings.durationJitter = jitter;
        if (seed !== undefined) state.settings.seed = seed;
      }
      if (typeof body.rateLimit === "number" || body.rateLimit === null) {
        try {
          state.rateLimiter.setRate(body.rateLimit ?? undefined);
        } catch (error) {
          return { status: 400, body: { error: (error as Error).message } };
        }
        state.settings.rateLimit = state.rateLimiter.limit ?? null;
      }
      if (body.quotas !== undefined) {
        try {
          applyQuotaLimits(state.quotas, body.quotas);
        } catch (error) {
          return { status: 400, body: { error: (error as Error).message } };
        }
      }
      return { status: 200, body: state.settings };
    }
    default:
      return { status: 404, body: { error: `no control endpoint ${method} ${url.pathname}` } };
  }
}
