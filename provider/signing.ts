/**
 * Request signing, exactly as the official SCP SDK does it:
 *
 *   message   = METHOD + url + timestamp + accessKey + accountId + "Openapi"
 *   signature = base64(HMAC-SHA256(secretKey, message))
 *
 * `url` is the full URL that goes on the wire: scheme://host + path, and "?" + the query with its keys
 * sorted and form-encoded. The body is not signed. Building the URL and signing it live together here so
 * that what is signed is always what is sent.
 */
import { createHmac } from "node:crypto";

/** Query values as callers give them; arrays repeat the key (`k=a&k=b`); undefined and null are left out. */
export type QueryValue = string | number | boolean | readonly (string | number | boolean)[] | null | undefined;
export type Query = Readonly<Record<string, QueryValue>>;

export const CLIENT_TYPE = "Openapi";

/**
 * Form-encodes one query component the way the SDK's form encoder does: unreserved characters
 * (A–Z a–z 0–9 `-._~`) stay, a space becomes `+`, everything else is UTF-8 percent-encoded in upper case.
 */
export function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

/** The query string with keys sorted (stable for repeated keys), without the leading "?". */
export function canonicalQuery(query: Query | undefined): string {
  if (!query) return "";
  const pairs: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) pairs.push(`${formEncode(key)}=${formEncode(String(v))}`);
  }
  return pairs.join("&");
}

/** The full URL to send and sign: base URL (no trailing slash) + path + canonical query. */
export function canonicalUrl(baseUrl: string, path: string, query?: Query): string {
  const q = canonicalQuery(query);
  return `${baseUrl.replace(/\/+$/, "")}${path}${q ? `?${q}` : ""}`;
}

export interface SignatureInput {
  readonly method: string;
  readonly url: string;
  readonly timestamp: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly accountId?: string | undefined;
}

export function signatureMessage(input: Omit<SignatureInput, "secretKey">): string {
  return `${input.method.toUpperCase()}${input.url}${input.timestamp}${input.accessKey}${input.accountId ?? ""}${CLIENT_TYPE}`;
}

export function sign(input: SignatureInput): string {
  return createHmac("sha256", input.secretKey).update(signatureMessage(input), "utf8").digest("base64");
}

/** The authentication headers for one request (timestamp in Unix milliseconds). */
export function signedHeaders(
  input: Omit<SignatureInput, "timestamp">,
  now: number = Date.now(),
): Record<string, string> {
  const timestamp = String(now);
  const headers: Record<string, string> = {
    "Scp-AccessKey": input.accessKey,
    "Scp-Signature": sign({ ...input, timestamp }),
    "Scp-Timestamp": timestamp,
    "Scp-ClientType": CLIENT_TYPE,
  };
  if (input.accountId) headers["Scp-AccountId"] = input.accountId;
  return headers;
}
