/**
 * The one error type for everything the SCP API (or the way to it) answers with a failure.
 * It parses every error body seen from SCP so that the message a user reads is the API's own, and names
 * the operation, the request and the resource it concerned.
 */

/** What an error body said, whatever its shape. */
export interface ParsedErrorBody {
  readonly code?: string | undefined;
  readonly detail: string;
  readonly requestId?: string | undefined;
}

export interface ScpApiErrorFields {
  /** HTTP status; 0 when no response arrived (connection refused, reset, timeout). */
  readonly status: number;
  readonly code?: string | undefined;
  readonly detail: string;
  /** Operation id from the operation table, e.g. `createKeypair`. */
  readonly operation: string;
  readonly method: string;
  readonly path: string;
  readonly requestId?: string | undefined;
  /** The resource the call concerned, e.g. `keypair "web"`; set by the caller when known. */
  readonly resource?: string | undefined;
  /** Set when a create may have reached the server although it failed (see http.ts). */
  readonly ambiguous?: boolean | undefined;
}

/**
 * A failure the SCP API answered (or a request that got no answer): its message is the API's own, naming
 * the operation, the request and the resource it concerned.
 */
export class ScpApiError extends Error implements ScpApiErrorFields {
  /** HTTP status; 0 when no response arrived (connection refused, reset, timeout). */
  readonly status: number;
  /** The error code of the API's answer, when it has one. */
  readonly code?: string | undefined;
  /** What the API's answer says went wrong. */
  readonly detail: string;
  /** Operation id from the operation table, e.g. `createKeypair`. */
  readonly operation: string;
  /** The HTTP method, e.g. `POST`. */
  readonly method: string;
  /** The request path (with its ids filled in). */
  readonly path: string;
  /** The API's request id, for SCP support, when the answer has one. */
  readonly requestId?: string | undefined;
  /** The resource the call concerned, e.g. `keypair "web"`; set by the caller when known. */
  readonly resource?: string | undefined;
  /** Set when a create may have reached the server although it failed. */
  readonly ambiguous?: boolean | undefined;

  constructor(fields: ScpApiErrorFields) {
    super(formatMessage(fields));
    this.name = "ScpApiError";
    this.status = fields.status;
    this.code = fields.code;
    this.detail = fields.detail;
    this.operation = fields.operation;
    this.method = fields.method;
    this.path = fields.path;
    this.requestId = fields.requestId;
    this.resource = fields.resource;
    this.ambiguous = fields.ambiguous;
  }

  /** A copy that names the resource the call concerned. */
  about(resource: string): ScpApiError {
    return new ScpApiError({ ...this, resource });
  }

  /**
   * Whether the API said the object does not exist. Besides 404, SCP is reported to answer 400/403 for
   * missing objects: those count only when the body says so, so a real permission error is never
   * mistaken for a deletion.
   */
  get notFound(): boolean {
    if (this.status === 404) return true;
    return (this.status === 400 || this.status === 403) && NOT_FOUND_TEXT.test(`${this.code ?? ""} ${this.detail}`);
  }
}

const NOT_FOUND_TEXT = /not[\s_-]*found|does not exist|doesn't exist|no such|not exist/i;

function formatMessage(f: ScpApiErrorFields): string {
  const where = `${f.operation} (${f.method} ${f.path})`;
  const what = f.resource ? `${f.resource}: ` : "";
  const status = f.status === 0 ? "no response" : `HTTP ${f.status}${f.code ? ` ${f.code}` : ""}`;
  const id = f.requestId ? ` [request id ${f.requestId}]` : "";
  return `${what}${where} failed: ${status}: ${f.detail}${id}`;
}

function asText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("; ");
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `[{loc, msg, type}]` validation lists (on 400/422), alone or under `detail`. */
function validationList(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const items = value.filter(isRecord).filter((v) => typeof v.msg === "string");
  if (items.length !== value.length) return undefined;
  return items
    .map((v) => {
      const loc = Array.isArray(v.loc) ? v.loc.filter((p) => p !== "body").join(".") : undefined;
      return loc ? `${loc}: ${String(v.msg)}` : String(v.msg);
    })
    .join("; ");
}

function htmlText(body: string): string {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
  const h1 = /<h1[^>]*>([^<]*)<\/h1>/i.exec(body)?.[1]?.trim();
  const text =
    title ||
    h1 ||
    body
      .replace(/<[^>]+>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
  return text.slice(0, 300);
}

/** Parses any error body SCP (or something in front of it) is known to send. */
export function parseErrorBody(status: number, body: string, statusMessage?: string): ParsedErrorBody {
  const fallback = statusMessage || `HTTP ${status}`;
  const trimmed = body.trim();
  if (trimmed === "") return { detail: fallback };
  if (trimmed.startsWith("<")) return { detail: `${fallback} (HTML page: ${htmlText(trimmed)})` };
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return { detail: trimmed.slice(0, 500) };
  }
  // {"errors":[{"status", "detail": string | string[], "code"?}]}
  if (isRecord(json) && Array.isArray(json.errors) && json.errors.length > 0) {
    const errors = json.errors.filter(isRecord);
    const detail = errors.map((e) => asText(e.detail) ?? asText(e.message) ?? asText(e.title) ?? "").filter(Boolean);
    const code = errors
      .map((e) => (e.code === undefined || e.code === null ? undefined : String(e.code)))
      .find(Boolean);
    const requestId = errors.map((e) => asText(e.request_id) ?? asText(e.requestId)).find(Boolean);
    return { code, detail: detail.join("; ") || fallback, requestId };
  }
  // Validation list, bare or as {"detail": [...]}
  const list = validationList(json) ?? (isRecord(json) ? validationList(json.detail) : undefined);
  if (list) return { code: "VALIDATION_ERROR", detail: list };
  if (isRecord(json)) {
    // Gateway: {timestamp, path, status, error, requestId} (sometimes with "message")
    const requestId = asText(json.requestId) ?? asText(json.request_id);
    const detail = asText(json.detail) ?? asText(json.message) ?? asText(json.error) ?? asText(json.msg);
    const code = asText(json.code) ?? (typeof json.code === "number" ? String(json.code) : undefined);
    const gatewayError = asText(json.error);
    const message = asText(json.message);
    if (gatewayError && message && gatewayError !== message) {
      return { code: code ?? gatewayError, detail: message, requestId };
    }
    if (detail) return { code, detail, requestId };
  }
  return { detail: trimmed.slice(0, 500) };
}

/** Thrown when settings (credentials, endpoint) cannot be resolved; names every place looked. */
export class ScpSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScpSettingsError";
  }
}
