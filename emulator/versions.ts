/** `Scp-API-Version` negotiation: versions the reference lists, within their support dates. */
import type { IncomingMessage } from "node:http";
import type { OperationSpec } from "../provider/operations";
import { ApiFault } from "./errors";

/** Returns the version the request asked for (the current one when it names none). */
export function negotiateVersion(req: IncomingMessage, op: OperationSpec, today: string): string {
  const raw = req.headers["scp-api-version"];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return op.currentVersion;
  const match = /^virtualserver\s+(\S+)$/i.exec(value);
  if (!match?.[1]) {
    throw new ApiFault(
      406,
      `Scp-API-Version must look like "virtualserver 1.1", got "${value}"`,
      "UNSUPPORTED_API_VERSION",
    );
  }
  const version = match[1];
  const entry = op.versions.find((v) => v.version === version);
  const offered = op.versions.map((v) => v.version).join(", ");
  if (!entry) {
    throw new ApiFault(
      406,
      `${op.title} has no API version ${version} (offered: ${offered})`,
      "UNSUPPORTED_API_VERSION",
    );
  }
  if (entry.supportedUntil && entry.supportedUntil < today) {
    throw new ApiFault(
      406,
      `API version ${version} of ${op.title} is no longer supported (supported until ${entry.supportedUntil}); use ${op.currentVersion}`,
      "DEPRECATED_API_VERSION",
    );
  }
  return version;
}
