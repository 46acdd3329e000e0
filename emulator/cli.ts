#!/usr/bin/env node
/**
 * `scp-emulator`: starts the SCP Virtual Server emulator and prints its base URL (the only line on stdout,
 * so scripts can read it: `URL=$(npx scp-emulator --port 0 | head -1)` style). Installed with the package
 * as its `bin`: `npx scp-emulator …` in any project that depends on pulumi-scp-virtualserver.
 *
 *   scp-emulator [--port 0] [--host 127.0.0.1] [--time-scale 1] [--today YYYY-MM-DD]
 *                [--duration-jitter F] [--seed N] [--rate-limit N] [--quota NAME=N …] [--access-key K --secret-key S]
 *
 * --duration-jitter F  each life-cycle duration varies randomly by ±F (0 ≤ F < 1), seeded by --seed (default 1)
 * --rate-limit N       at most N API requests per second (token bucket); 429 + Retry-After beyond it
 * --quota NAME=N       a quota's limit (cores=20, volumes=10, usages=none …; repeatable); creates beyond it are refused
 *
 * Stops on SIGINT/SIGTERM. The control API (reset, out-of-band create/edit/delete, faults) is described
 * in control.ts and the README.
 */
import { parseArgs } from "node:util";
import { DEFAULT_CREDENTIALS } from "./auth";
import { type QuotaLimits, SERVER_QUOTAS, VOLUME_QUOTAS } from "./handlers/quotas";
import { startEmulator } from "./server";

const USAGE = `usage: scp-emulator [--port N] [--host H] [--time-scale F] [--today YYYY-MM-DD] [--duration-jitter F] [--seed N]
                    [--rate-limit N] [--quota NAME=N ...] [--access-key K --secret-key S]

Prints the base URL and serves until interrupted. Point a stack at it:
  pulumi config set scp:endpointOverride <URL>
  pulumi config set --secret scp:accessKey ${DEFAULT_CREDENTIALS.accessKey}
  pulumi config set --secret scp:secretKey ${DEFAULT_CREDENTIALS.secretKey}
Control API (no authentication) under <URL>/_emulator: GET /health, POST /reset, GET /objects[/{collection}[/{id}]],
POST /objects/{collection} (create out of band, API-shaped body), PATCH|DELETE /objects/{collection}/{id} (drift),
/faults, /settings, /requests. Environment: SCP_EMULATOR_PORT, SCP_EMULATOR_TIME_SCALE, SCP_EMULATOR_DURATION_JITTER,
SCP_EMULATOR_SEED, SCP_EMULATOR_RATE_LIMIT, SCP_EMULATOR_QUOTAS (cores=20,volumes=10).
Quotas: ${[...SERVER_QUOTAS, ...VOLUME_QUOTAS].join(", ")}; "none" lifts a volume quota's limit.`;

function number(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text.trim() === "" || !Number.isFinite(value)) {
    throw new Error(`--${flag} needs a number, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** `cores=20`, `usages=none` → the emulator's `quotas` option (checked by the emulator itself). */
function quotas(entries: readonly string[]): Partial<QuotaLimits> {
  return Object.fromEntries(
    entries.map((entry) => {
      const [name, value, extra] = entry.split("=");
      if (!name || value === undefined || extra !== undefined) throw new Error(`--quota needs NAME=N, got ${entry}`);
      return [name.trim(), value.trim() === "none" ? null : number(`quota ${name}`, value)];
    }),
  ) as Partial<QuotaLimits>;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.SCP_EMULATOR_PORT ?? "0" },
      host: { type: "string", default: "127.0.0.1" },
      "time-scale": { type: "string", default: process.env.SCP_EMULATOR_TIME_SCALE ?? "1" },
      today: { type: "string" },
      "duration-jitter": { type: "string", default: process.env.SCP_EMULATOR_DURATION_JITTER ?? "0" },
      seed: { type: "string", default: process.env.SCP_EMULATOR_SEED ?? "1" },
      "rate-limit": { type: "string", default: process.env.SCP_EMULATOR_RATE_LIMIT },
      quota: {
        type: "string",
        multiple: true,
        default: (process.env.SCP_EMULATOR_QUOTAS ?? "").split(",").filter(Boolean),
      },
      "access-key": { type: "string", default: DEFAULT_CREDENTIALS.accessKey },
      "secret-key": { type: "string", default: DEFAULT_CREDENTIALS.secretKey },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const emulator = await startEmulator({
    port: Number(values.port),
    host: values.host,
    timeScale: Number(values["time-scale"]),
    ...(values.today ? { today: values.today } : {}),
    durationJitter: number("duration-jitter", values["duration-jitter"]),
    seed: number("seed", values.seed),
    ...(values["rate-limit"] ? { rateLimit: number("rate-limit", values["rate-limit"]) } : {}),
    quotas: quotas(values.quota ?? []),
    credentials: [{ accessKey: values["access-key"] ?? "", secretKey: values["secret-key"] ?? "" }],
  });
  console.log(emulator.url);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
