/**
 * The one HTTP client for the SCP API, on got.
 *
 * - Signs every attempt afresh (the timestamp is part of the signature), over the exact URL sent.
 * - Sends `Scp-API-Version` per operation: the operation table's current version unless overridden.
 * - Retries with got's retry machinery: 429 (honouring Retry-After), 500/502/503/504 and connection errors,
 *   with exponential backoff and jitter (Retry-After spread by up to half again), bounded in attempts
 *   (`maxRetries`, not counting 429s: a throttle is retried for as long as `maxRetryElapsedMs` allows) and in time.
 * - Never blindly retries a creating POST into a duplicate: a POST is retried by got only when the request
 *   provably did not reach the API (connection refused, name not resolved) or the API refused it unprocessed
 *   (429). For any other failure of a create, `create()` first looks the object up by its name; it retries
 *   only when the lookup proves the object does not exist, and adopts it when it does.
 * - A change (an action POST, a PUT, a DELETE) whose answer may have been lost after it took effect is
 *   settled the same way by `change()`: the caller says how to tell that it is in effect, and it is sent
 *   again only when it is not. A PUT or DELETE retried by got after such a loss may be refused because the
 *   first attempt's effect is under way ("volume is extending", "already being deleted"): that refusal is
 *   ambiguous too, never read as the API's verdict on the change.
 * - Holds a process-wide limit on requests in flight: a slot is held per HTTP attempt only (taken before the
 *   attempt is signed and sent, given back as soon as its answer or error is in), never while sleeping for
 *   Retry-After or backoff, so a throttled call does not stall other resources' reads.
 * - Writes an opt-in, redacted JSONL debug log (SCP_DEBUG_LOG).
 */
import got, { type Got, type Options, RequestError } from "got";
import { writeDebugEntry } from "./debug-log";
import { pickEndpoint, staticBaseUrl } from "./endpoints";
import { ScpApiError, parseErrorBody } from "./errors";
import { ConcurrencyLimiter } from "./limiter";
import { type OperationId, type OperationSpec, operations } from "./operations";
import { fillPath } from "./path";
import type { ScpSettings } from "./settings";
import { type Query, canonicalUrl, signedHeaders } from "./signing";

export interface CallOptions {
  /** Values for the path template's `{placeholders}`. */
  readonly path?: Readonly<Record<string, string>>;
  readonly query?: Query;
  readonly body?: unknown;
  /** What the call is about, for error messages (e.g. `keypair "web"`). */
  readonly resource?: string;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly body: T;
  readonly requestId?: string | undefined;
}

/** Connection failures that prove the request never reached the server. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);
const RETRY_STATUS = [429, 500, 502, 503, 504];
const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;
const REQUEST_ID_HEADERS = ["x-request-id", "x-scp-request-id", "x-amzn-requestid", "request-id"];

/** Backoff before retry `attempt` (1-based): equal jitter over an exponential ceiling. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

// One limiter for the whole process: all dynamic resources of a program share one Node process.
const processLimiter = new ConcurrencyLimiter(8);

/**
 * Retry-After, spread by up to half again, so that throttled calls do not come back in step. Without it,
 * every call throttled in the same second retried exactly Retry-After later, together, and was throttled
 * again until its attempts ran out (bench:stack, 200 resources at 10 requests/s, --parallel 64: 34 failed).
 * Calls that were not throttled go on meanwhile (a throttle of one operation must not stall the others).
 */
const spreadRetryAfter = (ms: number, random: () => number = Math.random) => Math.round(ms * (1 + 0.5 * random()));

/** Takes a slot of the process limiter; resolves with the function that gives it back. */
function acquireSlot(): Promise<() => void> {
  return new Promise((acquired) => {
    void processLimiter.run(() => new Promise<void>((release) => acquired(release)));
  });
}

/** Whether a failed attempt (its status, or no answer and got's error code) may have been applied by the API. */
const mayHaveTakenEffect = (status: number | undefined, code: string): boolean =>
  status === undefined ? !NOT_SENT_CODES.has(code) : status >= 500;

/** How many attempts a failed call made (from the last attempt's context; ours may be an earlier copy). */
const attemptsOf = (error: RequestError, context: AttemptContext): number =>
  Math.max(context.attempt, (error.options.context as Partial<AttemptContext> | undefined)?.attempt ?? 0);

/** Gives back the slot an attempt holds, if it holds one (safe to call more than once). */
function releaseSlot(context: AttemptContext): void {
  const release = context.slot.release;
  context.slot.release = undefined;
  release?.();
}

interface AttemptContext extends Record<string, unknown> {
  operation: string;
  startedAt: number;
  attemptStartedAt: number;
  attempt: number;
  postNonIdempotent: boolean;
  /**
   * Whether a failed attempt may have reached the API and taken effect (a 5xx, or a connection lost after
   * the request was sent); an object, shared by got's copies of the context.
   */
  lost: { answer: boolean };
  /** The limiter slot the current attempt holds; an object, so that got's copies of the context share it. */
  slot: { release?: (() => void) | undefined };
}

/** What the debug log needs of got's options (plain or normalized). */
interface AttemptOptions {
  readonly context: Record<string, unknown>;
  readonly method: string;
  readonly url?: string | URL | undefined;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly body?: unknown;
}

function requestIdOf(headers: Readonly<Record<string, string | string[] | undefined>>): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers[name];
    if (typeof value === "string" && value) return value;
  }
  return undefined;
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class ScpClient {
  private readonly http: Got;
  private baseUrl: Promise<string> | undefined;

  constructor(readonly settings: ScpSettings) {
    processLimiter.setLimit(settings.maxConcurrentRequests);
    this.http = got.extend({
      responseType: "text",
      timeout: { request: settings.requestTimeoutMs },
      followRedirect: false,
      retry: {
        // 429s are retried for as long as maxRetryElapsedMs allows (a throttle is not a failure of the call);
        // every other failure at most maxRetries times (checked in calculateDelay).
        limit: Number.MAX_SAFE_INTEGER,
        methods: ["GET", "PUT", "DELETE", "POST", "HEAD"],
        statusCodes: RETRY_STATUS,
        maxRetryAfter: settings.maxRetryElapsedMs,
        calculateDelay: ({ attemptCount, error, computedValue, retryAfter }) => {
          const context = error.options.context as AttemptContext;
          // The attempt is over: its slot goes back before any sleep.
          releaseSlot(context);
          const status = error.response?.statusCode;
          if (mayHaveTakenEffect(status, error.code)) context.lost.answer = true;
          if (computedValue === 0) return 0;
          // maxRetries 0 turns retries off altogether, 429s included.
          if ((status !== 429 || settings.maxRetries === 0) && attemptCount > settings.maxRetries) return 0;
          if (context.postNonIdempotent && status !== 429 && !NOT_SENT_CODES.has(error.code)) return 0;
          // 0 would mean "do not retry" to got: a Retry-After of 0 still waits a moment.
          const delay = Math.max(
            1,
            retryAfter === undefined ? backoffDelay(attemptCount) : spreadRetryAfter(retryAfter),
          );
          if (Date.now() - context.startedAt + delay > settings.maxRetryElapsedMs) return 0;
          return delay;
        },
      },
      hooks: {
        beforeRequest: [
          async (options) => {
            const context = options.context as AttemptContext;
            releaseSlot(context);
            context.slot.release = await acquireSlot();
            this.signAttempt(options);
          },
        ],
        afterResponse: [
          (response) => {
            releaseSlot(response.request.options.context as AttemptContext);
            this.logAttempt(response.request.options, response.statusCode, String(response.body));
            return response;
          },
        ],
        beforeRetry: [
          (error) => {
            if (!error.response) this.logAttempt(error.options, undefined, undefined, error.code ?? error.message);
          },
        ],
      },
    });
  }

  private signAttempt(options: Options | AttemptOptions): void {
    const context = options.context as AttemptContext;
    context.attempt += 1;
    context.attemptStartedAt = Date.now();
    const url = options.url instanceof URL ? options.url.href : String(options.url);
    Object.assign(
      options.headers,
      signedHeaders({
        method: options.method,
        url,
        accessKey: this.settings.accessKey,
        secretKey: this.settings.secretKey,
        accountId: this.settings.accountId,
      }),
    );
  }

  private logAttempt(
    options: AttemptOptions,
    status: number | undefined,
    body: string | undefined,
    error?: string,
  ): void {
    const context = options.context as AttemptContext;
    writeDebugEntry({
      operation: context.operation,
      method: options.method,
      url: options.url instanceof URL ? options.url.href : String(options.url),
      attempt: context.attempt,
      requestHeaders: options.headers,
      requestBody: typeof options.body === "string" ? options.body : undefined,
      status,
      responseBody: body,
      error,
      durationMs: Date.now() - context.attemptStartedAt,
    });
  }

  /** The version sent for an operation: the user's override or the table's current version. */
  apiVersion(spec: OperationSpec): string {
    return this.settings.apiVersions[spec.id] ?? spec.currentVersion;
  }

  private resolveBaseUrl(): Promise<string> {
    this.baseUrl ??= (async () => {
      const fixed = staticBaseUrl(this.settings);
      if (fixed) return fixed;
      const authUrl = (this.settings.authUrl ?? "").replace(/\/+$/, "");
      const catalogue = await this.send("discoverEndpoints", "GET", `${authUrl}/endpoints`, undefined, {});
      return pickEndpoint(catalogue.body, this.settings.region);
    })();
    this.baseUrl.catch(() => (this.baseUrl = undefined));
    return this.baseUrl;
  }

  /** Calls one operation; resolves with the parsed body on 2xx, rejects with ScpApiError otherwise. */
  async call<T = unknown>(operation: OperationId, options: CallOptions = {}): Promise<ApiResponse<T>> {
    const spec: OperationSpec = operations[operation];
    const path = fillPath(spec.path, options.path);
    const url = canonicalUrl(await this.resolveBaseUrl(), path, options.query);
    try {
      return await this.send<T>(operation, spec.method, url, options.body, {
        "Scp-API-Version": `virtualserver ${this.apiVersion(spec)}`,
      });
    } catch (error) {
      throw error instanceof ScpApiError && options.resource ? error.about(options.resource) : error;
    }
  }

  /** Like `call`, but a not-found answer resolves to `undefined` (reads of objects that may be gone). */
  async find<T = unknown>(operation: OperationId, options: CallOptions = {}): Promise<T | undefined> {
    try {
      return (await this.call<T>(operation, options)).body;
    } catch (error) {
      if (error instanceof ScpApiError && error.notFound) return undefined;
      throw error;
    }
  }

  /**
   * A creating POST that never turns into a duplicate. `findExisting` looks the object up by the name it
   * was created with. After a failure that may have reached the API (5xx, reset, timeout), the object is
   * looked up: found, it is returned (adopted); proven absent, the POST is sent again (bounded).
   */
  async create<T>(
    operation: OperationId,
    options: CallOptions,
    findExisting: () => Promise<T | undefined>,
  ): Promise<T> {
    const outcome = await this.settle<T, T>(operation, options, findExisting);
    return "body" in outcome ? outcome.body : outcome.found;
  }

  /**
   * A change that never fails on a lost answer and is never applied twice: an action POST (attach, start,
   * resize), a PUT or a DELETE. `applied` reads the object and says whether the change is in effect (or
   * under way). After a failure that may have reached the API, or a retry refused because the first attempt
   * is under way, it is asked: yes, the call resolves with `undefined` (the answer is lost); proven no, the
   * change is sent again (bounded). Any other failure is thrown as the API answered it.
   */
  async change<T = unknown>(
    operation: OperationId,
    options: CallOptions,
    applied: () => Promise<boolean>,
  ): Promise<T | undefined> {
    const outcome = await this.settle<T, true>(operation, options, async () => ((await applied()) ? true : undefined));
    return "body" in outcome ? outcome.body : undefined;
  }

  /** Sends a call; after an ambiguous failure, `recover` looks at the API: found, that is the outcome; else sent again. */
  private async settle<T, R>(
    operation: OperationId,
    options: CallOptions,
    recover: () => Promise<R | undefined>,
  ): Promise<{ body: T } | { found: R }> {
    const deadline = Date.now() + this.settings.maxRetryElapsedMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return { body: (await this.call<T>(operation, options)).body };
      } catch (error) {
        if (!(error instanceof ScpApiError) || !error.ambiguous) throw error;
        const found = await recover();
        if (found !== undefined) return { found };
        if (attempt > this.settings.maxRetries || Date.now() + backoffDelay(attempt) > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt)));
      }
    }
  }

  private async send<T>(
    operation: string,
    method: OperationSpec["method"],
    url: string,
    body: unknown,
    extraHeaders: Record<string, string>,
  ): Promise<ApiResponse<T>> {
    const context: AttemptContext = {
      operation,
      startedAt: Date.now(),
      attemptStartedAt: Date.now(),
      attempt: 0,
      postNonIdempotent: method === "POST",
      lost: { answer: false },
      slot: {},
    };
    const pathForErrors = new URL(url).pathname;
    try {
      const response = await this.http(url, {
        method,
        context,
        headers: {
          Accept: "application/json",
          "Accept-Language": "en-US",
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...extraHeaders,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: response.statusCode,
        body: parseJson(response.body) as T,
        requestId: requestIdOf(response.headers),
      };
    } catch (error) {
      if (error instanceof RequestError) {
        const response = error.response;
        if (response) {
          // got has already retried what was retriable; this is the final answer.
          const parsed = parseErrorBody(response.statusCode, String(response.body ?? ""), response.statusMessage);
          throw new ScpApiError({
            status: response.statusCode,
            code: parsed.code,
            detail: parsed.detail,
            operation,
            method,
            path: pathForErrors,
            requestId: parsed.requestId ?? requestIdOf(response.headers),
            // A change may have been applied: a POST that got a 5xx, or any change an earlier attempt of
            // which lost its answer (the refusal of its retry may be about the first attempt's effect).
            ambiguous: method !== "GET" && (response.statusCode >= 500 || context.lost.answer),
          });
        }
        this.logAttempt(error.options, undefined, undefined, error.code ?? error.message);
        throw new ScpApiError({
          status: 0,
          code: error.code,
          // got hands each attempt a copy of the context: the failing attempt's copy holds the count.
          detail: `${error.message}${attemptsOf(error, context) > 1 ? ` (after ${attemptsOf(error, context)} attempts)` : ""}`,
          operation,
          method,
          path: pathForErrors,
          ambiguous: method !== "GET" && (!NOT_SENT_CODES.has(error.code) || context.lost.answer),
        });
      }
      throw error;
    } finally {
      releaseSlot(context);
    }
  }
}
