/** User data as state keeps it: never the payload, only its SHA-256 (servers and launch configurations). */
import { createHash } from "node:crypto";

export const hashUserData = (userData: string | undefined): string | undefined =>
  userData === undefined ? undefined : createHash("sha256").update(userData).digest("hex");
