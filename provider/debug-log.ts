/**
 * Opt-in JSONL log of every request and response, for troubleshooting: set `SCP_DEBUG_LOG` to a file
 * path. Credentials, signatures, private keys, passwords and user data are redacted before writing.
 */
import { appendFileSync } from "node:fs";

export const DEBUG_LOG_ENV = "SCP_DEBUG_LOG";
const REDACTED = "[REDACTED]";
const SECRET_HEADERS = /^(scp-accesskey|scp-signature|authorization|cookie|x-auth-token)$/i;
const SECRET_KEYS = /(private_key|password|secret|access_key|user_data|auth_key|auth-token|token)/i;

export function redactHeaders(headers: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, SECRET_HEADERS.test(k) ? REDACTED : v]));
}

export function redactBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBody);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEYS.test(k) && v !== null && v !== "" ? REDACTED : redactBody(v),
      ]),
    );
  }
  return value;
}

function parseMaybeJson(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text.length > 2000 ? `${text.slice(0, 2000)}…` : text;
  }
}

export interface DebugEntry {
  readonly operation: string;
  readonly method: string;
  readonly url: string;
  readonly attempt: number;
  readonly requestHeaders: Readonly<Record<string, unknown>>;
  readonly requestBody?: string | undefined;
  readonly status?: number | undefined;
  readonly responseBody?: string | undefined;
  readonly error?: string | undefined;
  readonly durationMs: number;
}

/** Appends one redacted entry when `SCP_DEBUG_LOG` is set; never throws into the caller. */
export function writeDebugEntry(entry: DebugEntry, env: NodeJS.ProcessEnv = process.env): void {
  const file = env[DEBUG_LOG_ENV];
  if (!file) return;
  const line = {
    time: new Date().toISOString(),
    operation: entry.operation,
    method: entry.method,
    url: entry.url,
    attempt: entry.attempt,
    status: entry.status,
    durationMs: entry.durationMs,
    error: entry.error,
    requestHeaders: redactHeaders(entry.requestHeaders),
    requestBody: redactBody(parseMaybeJson(entry.requestBody)),
    responseBody: redactBody(parseMaybeJson(entry.responseBody)),
  };
  try {
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  } catch {
    // A debug log that cannot be written must not fail the deployment.
  }
}
