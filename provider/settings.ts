/**
 * Settings: where the provider finds credentials, the endpoint and its tuning knobs.
 *
 * Sources, first wins:
 *   1. values given on the resource where that makes sense (`region`);
 *   2. the stack config `scp:*` (handed to the dynamic provider through `configure`, or read by lookups
 *      in the program);
 *   3. the environment: `SCP_*`, then the official tooling's `SCP_TF_*` names;
 *   4. the official files `~/.scpconf/config.json` and `~/.scpconf/credentials.json`.
 *
 * Settings are resolved in memory at call time and never serialized into state or logged.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { ScpSettingsError } from "./errors";

export interface ScpSettings {
  /** Access key of the account. */
  readonly accessKey: string;
  /** Secret key of the account. */
  readonly secretKey: string;
  /** Account id, sent with each signed request. */
  readonly accountId?: string | undefined;
  /** Region, e.g. `kr-west1`. */
  readonly region?: string | undefined;
  /** `s`, `g` or `e`: the environment letter in the endpoint host. */
  readonly environment?: string | undefined;
  /** Any base URL: a private endpoint, a proxy, or the local emulator. */
  readonly endpointOverride?: string | undefined;
  /** The IAM URL used to discover endpoints when no override or known region applies. */
  readonly authUrl?: string | undefined;
  /** Per-operation API version overrides, by operation id (e.g. `{ "deleteVirtualServer": "1.4" }`). */
  readonly apiVersions: Readonly<Record<string, string>>;
  /** Retries after the first attempt for retriable failures (429, 5xx, connection errors). */
  readonly maxRetries: number;
  /** Timeout of one HTTP attempt. */
  readonly requestTimeoutMs: number;
  /** Upper bound on the time spent retrying one call, waits included. */
  readonly maxRetryElapsedMs: number;
  /** Process-wide limit on requests in flight. */
  readonly maxConcurrentRequests: number;
  /** Whether `pulumi preview` compares the servers, vCPUs, RAM and volumes a stack would create with the quotas. */
  readonly quotaCheck: boolean;
}

/** The setting names, as used in stack config (`scp:<name>`). */
export const SETTING_KEYS = [
  "accessKey",
  "secretKey",
  "accountId",
  "region",
  "environment",
  "endpointOverride",
  "authUrl",
  "apiVersions",
  "maxRetries",
  "requestTimeoutMs",
  "maxRetryElapsedMs",
  "maxConcurrentRequests",
  "quotaCheck",
] as const;
export type SettingKey = (typeof SETTING_KEYS)[number];
type RawSettings = Partial<Record<SettingKey, string>>;

const ENV_NAMES: Readonly<Record<SettingKey, readonly string[]>> = {
  accessKey: ["SCP_ACCESS_KEY", "SCP_TF_ACCESS_KEY"],
  secretKey: ["SCP_SECRET_KEY", "SCP_TF_SECRET_KEY"],
  accountId: ["SCP_ACCOUNT_ID", "SCP_TF_ACCOUNT_ID"],
  region: ["SCP_REGION", "SCP_DEFAULT_REGION", "SCP_TF_DEFAULT_REGION"],
  environment: ["SCP_ENVIRONMENT"],
  endpointOverride: ["SCP_ENDPOINT_OVERRIDE", "SCP_TF_ENDPOINT_OVERRIDE"],
  authUrl: ["SCP_AUTH_URL", "SCP_TF_AUTH_URL"],
  apiVersions: ["SCP_API_VERSIONS"],
  maxRetries: ["SCP_MAX_RETRIES"],
  requestTimeoutMs: ["SCP_REQUEST_TIMEOUT_MS"],
  maxRetryElapsedMs: ["SCP_MAX_RETRY_ELAPSED_MS"],
  maxConcurrentRequests: ["SCP_MAX_CONCURRENT_REQUESTS"],
  quotaCheck: ["SCP_QUOTA_CHECK"],
};

/** Keys of the official `~/.scpconf` files. */
const FILE_KEYS: Readonly<Partial<Record<SettingKey, { file: "config.json" | "credentials.json"; key: string }>>> = {
  accessKey: { file: "credentials.json", key: "access-key" },
  secretKey: { file: "credentials.json", key: "secret-key" },
  authUrl: { file: "config.json", key: "auth-url" },
  endpointOverride: { file: "config.json", key: "endpoint-override" },
  accountId: { file: "config.json", key: "account-id" },
  region: { file: "config.json", key: "default-region" },
};

export interface SettingsSources {
  /** Values set on the resource itself (only `region` is meaningful there). */
  readonly resource?: { readonly region?: string | undefined } | undefined;
  /** An explicit `scp.Provider`'s settings: they take the place of the stack config. */
  readonly explicit?: Readonly<Partial<Record<SettingKey, string>>> | undefined;
  /** Stack config values keyed `scp:<name>` (or bare `<name>`). */
  readonly stackConfig?: Readonly<Record<string, string | undefined>> | undefined;
  readonly env?: NodeJS.ProcessEnv | undefined;
  /** Home directory holding `.scpconf`; defaults to the user's. */
  readonly homeDir?: string | undefined;
}

const positiveInt = (name: string) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number`)
    .min(0, `${name} must not be negative`);

const apiVersionsSchema = z.record(z.string(), z.string().regex(/^\d+\.\d+$/, "an API version looks like 1.1"));

const settingsSchema = z.object({
  accessKey: z.string().min(1),
  secretKey: z.string().min(1),
  accountId: z.string().optional(),
  region: z.string().optional(),
  environment: z.enum(["s", "g", "e"], { error: "environment must be one of s, g, e" }).optional(),
  endpointOverride: z.url({ error: "endpointOverride must be a URL (http:// or https://)" }).optional(),
  authUrl: z.url({ error: "authUrl must be a URL" }).optional(),
  apiVersions: apiVersionsSchema,
  maxRetries: positiveInt("maxRetries").max(20, "maxRetries must be at most 20"),
  requestTimeoutMs: positiveInt("requestTimeoutMs").min(1000, "requestTimeoutMs must be at least 1000"),
  maxRetryElapsedMs: positiveInt("maxRetryElapsedMs"),
  maxConcurrentRequests: positiveInt("maxConcurrentRequests").min(1, "maxConcurrentRequests must be at least 1"),
  quotaCheck: z.enum(["true", "false"], { error: "quotaCheck must be true or false" }).transform((v) => v === "true"),
});

export const DEFAULTS = {
  maxRetries: "6",
  requestTimeoutMs: "60000",
  maxRetryElapsedMs: "300000",
  maxConcurrentRequests: "8",
  quotaCheck: "true",
  apiVersions: "{}",
} as const;

function readJsonFile(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    throw new ScpSettingsError(`${path} is not valid JSON`);
  }
}

function fromStackConfig(config: SettingsSources["stackConfig"], key: SettingKey): string | undefined {
  const value = config?.[`scp:${key}`] ?? config?.[key];
  return value === undefined || value === "" ? undefined : value;
}

function fromEnv(env: NodeJS.ProcessEnv, key: SettingKey): string | undefined {
  for (const name of ENV_NAMES[key]) {
    const value = env[name];
    if (value !== undefined && value !== "") return value;
  }
  return undefined;
}

/** Resolves settings from every source; throws ScpSettingsError naming every place looked. */
export function resolveSettings(sources: SettingsSources = {}): ScpSettings {
  const env = sources.env ?? process.env;
  const dir = join(sources.homeDir ?? homedir(), ".scpconf");
  const files = {
    "config.json": readJsonFile(join(dir, "config.json")),
    "credentials.json": readJsonFile(join(dir, "credentials.json")),
  };
  const raw: RawSettings = {};
  for (const key of SETTING_KEYS) {
    const fileKey = FILE_KEYS[key];
    const fileValue = fileKey ? files[fileKey.file]?.[fileKey.key] : undefined;
    const value =
      (key === "region" ? sources.resource?.region : undefined) ??
      fromStackConfig(sources.explicit ?? sources.stackConfig, key) ??
      fromEnv(env, key) ??
      (typeof fileValue === "string" && fileValue !== "" ? fileValue : undefined) ??
      (key in DEFAULTS ? DEFAULTS[key as keyof typeof DEFAULTS] : undefined);
    if (value !== undefined) raw[key] = value;
  }

  const missing = (["accessKey", "secretKey"] as const).filter((k) => raw[k] === undefined);
  if (missing.length > 0) {
    const places = missing.map(
      (k) =>
        `${k}: stack config "scp:${k}" (pulumi config set --secret scp:${k} ...), environment ${ENV_NAMES[k].join(" or ")}, ` +
        `or "${FILE_KEYS[k]?.key}" in ${join(dir, FILE_KEYS[k]?.file ?? "")}`,
    );
    throw new ScpSettingsError(`SCP credentials not found. Looked in:\n  - ${places.join("\n  - ")}`);
  }

  let apiVersions: unknown;
  try {
    apiVersions = JSON.parse(raw.apiVersions ?? "{}");
  } catch {
    throw new ScpSettingsError(`apiVersions must be a JSON object like {"deleteVirtualServer":"1.3"}`);
  }
  const parsed = settingsSchema.safeParse({ ...raw, apiVersions });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "settings"}: ${i.message}`);
    throw new ScpSettingsError(`invalid SCP settings: ${problems.join("; ")}`);
  }
  return parsed.data;
}

// The stack config handed to this process by the dynamic provider host's `configure`. Kept in module
// memory only: it may hold secrets and must never reach a serialized provider.
let stackConfig: Record<string, string | undefined> | undefined;

export function setStackConfig(config: Record<string, string | undefined>): void {
  stackConfig = config;
}

export function getStackConfig(): Readonly<Record<string, string | undefined>> | undefined {
  return stackConfig;
}

/**
 * How fast the API's operations run against real time, for pacing waits (environment only,
 * `SCP_WAIT_TIME_SCALE`; process-wide): 1 against SCP. Against an emulator started with `--time-scale F`,
 * F makes waits poll at the emulator's pace (tests, offline rehearsals) instead of SCP's; deadlines
 * (`timeouts`) stay in real time. Checked at `check` (resource-provider.ts), so a bad value fails the preview.
 */
export function waitTimeScale(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.SCP_WAIT_TIME_SCALE;
  if (text === undefined || text === "") return 1;
  const scale = Number(text);
  if (!Number.isFinite(scale) || scale <= 0) {
    throw new ScpSettingsError(`SCP_WAIT_TIME_SCALE must be a number above 0, got "${text}"`);
  }
  return scale;
}
