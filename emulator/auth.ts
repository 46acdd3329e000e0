/**
 * Signature verification, implemented here on its own (not with the client's signing code), so that
 * tests of the client against the emulator check the algorithm and not just agreement with itself.
 *
 *   expected = base64(HMAC-SHA256(secret, METHOD + url + timestamp + accessKey + accountId + "Openapi"))
 *
 * `url` is what the client asked for: scheme://Host + the request target as received. A client that
 * does not sort its query keys is accepted too if its signature covers the sorted form.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { ApiFault } from "./errors";

export interface Credentials {
  readonly accessKey: string;
  readonly secretKey: string;
}

export const DEFAULT_CREDENTIALS: Credentials = { accessKey: "emulator-access-key", secretKey: "emulator-secret-key" };

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function hmac(secret: string, message: string): Buffer {
  return createHmac("sha256", secret).update(Buffer.from(message, "utf8")).digest();
}

/** The request target with its query keys sorted (values left exactly as sent). */
function sortedTarget(target: string): string {
  const q = target.indexOf("?");
  if (q < 0) return target;
  const pairs = target.slice(q + 1).split("&");
  const key = (p: string) => p.split("=")[0] ?? "";
  pairs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return `${target.slice(0, q)}?${pairs.join("&")}`;
}

export function verifySignature(
  req: IncomingMessage,
  credentials: readonly Credentials[],
  now: number,
  toleranceMs: number,
): void {
  const accessKey = header(req, "Scp-AccessKey");
  const signature = header(req, "Scp-Signature");
  const timestamp = header(req, "Scp-Timestamp");
  const clientType = header(req, "Scp-ClientType");
  const accountId = header(req, "Scp-AccountId") ?? "";
  if (!accessKey || !signature || !timestamp) {
    throw new ApiFault(
      401,
      "missing authentication headers (Scp-AccessKey, Scp-Signature, Scp-Timestamp)",
      "UNAUTHORIZED",
    );
  }
  if (clientType !== undefined && clientType !== "Openapi") {
    throw new ApiFault(401, `unsupported Scp-ClientType ${clientType}`, "UNAUTHORIZED");
  }
  const known = credentials.find((c) => c.accessKey === accessKey);
  if (!known) throw new ApiFault(401, "unknown access key", "INVALID_ACCESS_KEY");
  const ts = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(now - ts) > toleranceMs) {
    throw new ApiFault(
      401,
      `request timestamp outside the allowed window of ${toleranceMs / 1000}s`,
      "EXPIRED_TIMESTAMP",
    );
  }
  const host = header(req, "Host") ?? "";
  const target = req.url ?? "/";
  const given = Buffer.from(signature, "base64");
  for (const candidate of new Set([target, sortedTarget(target)])) {
    const message = `${(req.method ?? "GET").toUpperCase()}http://${host}${candidate}${timestamp}${accessKey}${accountId}Openapi`;
    const expected = hmac(known.secretKey, message);
    if (given.length === expected.length && timingSafeEqual(given, expected)) return;
  }
  throw new ApiFault(401, "signature does not match", "INVALID_SIGNATURE");
}
