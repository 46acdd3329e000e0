/**
 * The SCP Virtual Server emulator: a real HTTP server speaking the API of the operation table, for
 * offline stacks and for every test.
 *
 * Request pipeline: control paths (`/_emulator/…`, unauthenticated) → route → signature → API version →
 * injected faults → body types against the reference's request example → settle due life-cycle
 * transitions → the operation's handler (every operation has one: handlers/index.ts) → JSON answer, or
 * the error envelope with a status the operation documents (errors.ts `documentedRefusal`).
 */
import { randomUUID } from "node:crypto";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Credentials, DEFAULT_CREDENTIALS, verifySignature } from "./auth";
import type { EmulatorWorld, ForcedOutcome, Handler, HandlerRequest } from "./context";
import { handleControl } from "./control";
import { ApiFault, documentedRefusal } from "./errors";
import { FaultInjector, RateLimiter } from "./faults";
import { handlers } from "./handlers";
import { internalFieldsIn } from "./handlers/common";
import { type QuotaLimits, quotaLimits } from "./handlers/quotas";
import type { OperationSpec } from "../provider/operations";
import { checkRequestTypes } from "./request-types";
import { matchRoute } from "./routes";
import { seedCatalog } from "./seed";
import { type Durations, REALISTIC_DURATIONS, Store, scaleDurations } from "./store";
import { negotiateVersion } from "./versions";

export interface EmulatorOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
  readonly host?: string;
  /** Accepted credentials; default `emulator-access-key` / `emulator-secret-key`. */
  readonly credentials?: readonly Credentials[];
  /** Multiplies every life-cycle duration (0.01 makes a 45 s server build take 450 ms). */
  readonly timeScale?: number;
  /** Individual durations, in milliseconds, after scaling. */
  readonly durations?: Partial<Durations>;
  /**
   * Duration jitter F (0 ≤ F < 1): each life-cycle duration varies randomly by ±F (uniformly), drawn from
   * a generator seeded with `seed`. Default 0 (exact durations).
   */
  readonly durationJitter?: number;
  /** Seed of the duration jitter (default 1): the same seed and the same requests give the same durations. */
  readonly seed?: number;
  /**
   * An API gateway's rate limit: at most N requests per second across all API operations (a token bucket
   * with bursts up to N); beyond it, 429 with Retry-After. Control paths (`/_emulator/…`) are exempt.
   * Default: no limit.
   */
  readonly rateLimit?: number;
  /** The clock of life cycles and of the rate limit (default `Date.now`; tests move a fake one). */
  readonly clock?: () => number;
  /** The emulator's "today" (YYYY-MM-DD) for API version support dates; default the real date. */
  readonly today?: string;
  /** How far a request timestamp may be from the emulator's clock. */
  readonly timestampToleranceMs?: number;
  /** Quota limits (handlers/quotas.ts), e.g. `{ cores: 20, volumes: 10 }`; the others keep their defaults. */
  readonly quotas?: Partial<QuotaLimits>;
  readonly requestLogLimit?: number;
}

export interface RequestLogEntry {
  readonly time: string;
  readonly method: string;
  readonly path: string;
  readonly operation?: string | undefined;
  readonly version?: string | undefined;
  readonly status: number;
  readonly durationMs: number;
  readonly requestId: string;
  readonly fault?: string | undefined;
  /** The parsed JSON request body; undefined when the request had none (or it was not JSON). */
  readonly body?: unknown;
}

export interface EmulatorSettings {
  durations: Durations;
  today: string;
  timestampToleranceMs: number;
  durationJitter: number;
  seed: number;
  /** Requests per second across all API operations; null when unlimited. */
  rateLimit: number | null;
  /** The quota limits (the same object as the state's `quotas`). */
  quotas: QuotaLimits;
}

export interface EmulatorState extends EmulatorWorld {
  readonly settings: EmulatorSettings;
  readonly faults: FaultInjector;
  readonly rateLimiter: RateLimiter;
  readonly requestLog: RequestLogEntry[];
  readonly outcomes: ForcedOutcome[];
  reset(): void;
}

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly port: number;
  /**
   * The `timeScale` option (1 = SCP's durations): what a provider's SCP_WAIT_TIME_SCALE should be. Durations
   * set explicitly (the `durations` option, `PUT /_emulator/settings`) are not reflected in it.
   */
  readonly timeScale: number;
  readonly state: EmulatorState;
  readonly credentials: Credentials;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiFault(413, "request body too large", "PAYLOAD_TOO_LARGE");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined || status === 204 ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "X-Request-Id": requestId,
    "Content-Length": Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function createEmulatorState(options: EmulatorOptions = {}): EmulatorState {
  const durations = { ...scaleDurations(REALISTIC_DURATIONS, options.timeScale ?? 1), ...options.durations };
  const store = new Store(durations, options.clock);
  const durationJitter = options.durationJitter ?? 0;
  const seed = options.seed ?? 1;
  store.setJitter(durationJitter, seed);
  const rateLimiter = new RateLimiter(options.rateLimit, options.clock);
  const outcomes: ForcedOutcome[] = [];
  const quotas = quotaLimits(options.quotas);
  const state: EmulatorState = {
    store,
    settings: {
      durations,
      today: options.today ?? new Date().toISOString().slice(0, 10),
      timestampToleranceMs: options.timestampToleranceMs ?? 5 * 60_000,
      durationJitter,
      seed,
      rateLimit: rateLimiter.limit ?? null,
      quotas,
    },
    quotas,
    faults: new FaultInjector(),
    rateLimiter,
    requestLog: [],
    outcomes,
    accountId: "a8f10467abfc4b87b64614ab36eb9ae4",
    userId: "570907805e5447be84b618450ef52o0t",
    takeOutcome(kind) {
      const index = outcomes.findIndex((o) => o.kind === kind);
      return index < 0 ? undefined : outcomes.splice(index, 1)[0];
    },
    reset() {
      store.reset();
      outcomes.length = 0;
      state.requestLog.length = 0;
      state.faults.clear();
      rateLimiter.refill();
      seedCatalog(store);
    },
  };
  seedCatalog(store);
  return state;
}

export function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const state = createEmulatorState(options);
  const credentials = options.credentials ?? [DEFAULT_CREDENTIALS];
  const logLimit = options.requestLogLimit ?? 10_000;

  const log = (entry: RequestLogEntry) => {
    state.requestLog.push(entry);
    if (state.requestLog.length > logLimit) state.requestLog.splice(0, state.requestLog.length - logLimit);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const requestId = randomUUID();
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = (req.method ?? "GET").toUpperCase();
    let operation: string | undefined;
    let version: string | undefined;
    let fault: string | undefined;
    let loggedBody: unknown;
    let documentedOp: OperationSpec | undefined;
    let status = 500;
    let logged = true;
    try {
      const text = await readBody(req);
      if (url.pathname.startsWith("/_emulator")) {
        logged = false;
        const answer = handleControl(state, method, url, text);
        status = answer.status;
        send(res, answer.status, answer.body, requestId);
        return;
      }
      // The gateway's rate limit comes first: a refused request is not authenticated, routed or processed.
      const retryAfter = state.rateLimiter.take();
      if (retryAfter !== undefined) {
        fault = "rate-limit";
        const routed = matchRoute(method, url.pathname);
        if (typeof routed === "object") operation = routed.op.id;
        throw new ApiFault(429, "Too many requests: rate limit exceeded", "TOO_MANY_REQUESTS", {
          "Retry-After": String(retryAfter),
        });
      }
      if (method === "GET" && url.pathname === "/endpoints") {
        // The IAM endpoint catalogue the official SDK discovers endpoints from: the emulator stands in
        // for every region.
        verifySignature(req, credentials, Date.now(), state.settings.timestampToleranceMs);
        status = 200;
        send(res, 200, endpointCatalogue(`http://${req.headers.host ?? "127.0.0.1"}`), requestId);
        return;
      }
      const route = matchRoute(method, url.pathname);
      if (route === undefined) throw new ApiFault(404, `no operation at ${method} ${url.pathname}`, "NOT_FOUND");
      if (route === "method-not-allowed")
        throw new ApiFault(405, `method ${method} not allowed on ${url.pathname}`, "METHOD_NOT_ALLOWED");
      operation = route.op.id;
      documentedOp = route.op;
      verifySignature(req, credentials, Date.now(), state.settings.timestampToleranceMs);
      version = negotiateVersion(req, route.op, state.settings.today);

      const decision = state.faults.decide(route.op.id);
      if (decision) fault = decision.kind;
      if (decision?.kind === "slow") await new Promise((r) => setTimeout(r, decision.delayMs ?? 0));
      const failNow = () => {
        if (!decision) return;
        if (decision.kind === "reset") {
          status = 0;
          req.socket.destroy();
          throw new ConnectionReset();
        }
        if (decision.kind === "429") {
          throw new ApiFault(429, "Too many requests", "TOO_MANY_REQUESTS", {
            "Retry-After": String(decision.retryAfterSeconds ?? 1),
          });
        }
        if (decision.kind === "5xx") {
          throw new ApiFault(decision.status ?? 503, "injected failure: service unavailable", "SERVICE_UNAVAILABLE");
        }
      };
      if (!decision?.afterEffect) failNow();

      let body: Record<string, unknown> = {};
      if (text.trim() !== "") {
        try {
          const parsed: unknown = JSON.parse(text);
          loggedBody = parsed;
          if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
          body = parsed as Record<string, unknown>;
        } catch {
          throw new ApiFault(400, "request body must be a JSON object", "BAD_REQUEST");
        }
      }
      checkRequestTypes(route.op, version, body);
      const request: HandlerRequest = { op: route.op, params: route.params, query: url.searchParams, body, version };
      state.store.settle();
      const handler: Handler = handlers[route.op.id];
      const result = handler(request, state);
      const leaked = internalFieldsIn(result.body);
      if (leaked.length > 0) throw new Error(`${route.op.id} would answer internal fields: ${leaked.join(", ")}`);
      if (decision?.afterEffect) failNow();
      status = result.status ?? route.op.successStatus;
      send(res, status, result.body, requestId);
    } catch (error) {
      if (error instanceof ConnectionReset) return;
      let apiFault =
        error instanceof ApiFault
          ? error
          : new ApiFault(500, `emulator error: ${(error as Error).message}`, "INTERNAL_SERVER_ERROR");
      const documented = documentedOp
        ? documentedRefusal(documentedOp.errorStatuses, apiFault.status)
        : apiFault.status;
      if (documented !== apiFault.status) {
        apiFault = new ApiFault(documented, apiFault.detail, undefined, apiFault.headers);
      }
      status = apiFault.status;
      if (!res.headersSent) send(res, apiFault.status, apiFault.envelope(), requestId, apiFault.headers);
    } finally {
      if (logged)
        log({
          time: new Date(started).toISOString(),
          method,
          path: url.pathname + url.search,
          operation,
          version,
          status,
          durationMs: Date.now() - started,
          requestId,
          fault,
          body: loggedBody,
        });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      const address = server.address() as AddressInfo;
      const host = options.host && options.host !== "0.0.0.0" ? options.host : "127.0.0.1";
      resolve({
        url: `http://${host}:${address.port}`,
        port: address.port,
        timeScale: options.timeScale ?? 1,
        state,
        credentials: credentials[0] ?? DEFAULT_CREDENTIALS,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

class ConnectionReset extends Error {}

const CATALOGUE_REGIONS = ["kr-west1", "kr-east1", "kr-south1", "kr-south2", "kr-south3", "emulator"];

function endpointCatalogue(baseUrl: string) {
  return {
    endpoints: CATALOGUE_REGIONS.flatMap((region) => [
      { region, service_type: "scp-virtualserver", service_name: "virtualserver", url: baseUrl },
      { region, service_type: "scp-iam", service_name: "iam", url: `${baseUrl}/iam` },
    ]),
  };
}
