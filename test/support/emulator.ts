/** Starts an emulator for a test file, with life cycles shortened so waits take milliseconds. */
import { ScpClient } from "../../provider/http";
import { type ScpSettings, resolveSettings } from "../../provider/settings";
import { type EmulatorOptions, type RunningEmulator, startEmulator } from "../../emulator";

export const FAST: EmulatorOptions = { timeScale: 0.002 };

export async function withEmulator(options: EmulatorOptions = FAST): Promise<RunningEmulator> {
  return startEmulator(options);
}

export function settingsFor(emulator: RunningEmulator, overrides: Partial<ScpSettings> = {}): ScpSettings {
  return {
    ...resolveSettings({
      env: {
        SCP_ACCESS_KEY: emulator.credentials.accessKey,
        SCP_SECRET_KEY: emulator.credentials.secretKey,
        SCP_ENDPOINT_OVERRIDE: emulator.url,
      },
      homeDir: "/nonexistent",
    }),
    ...overrides,
  };
}

export function clientFor(emulator: RunningEmulator, overrides: Partial<ScpSettings> = {}): ScpClient {
  return new ScpClient(settingsFor(emulator, overrides));
}

/** Calls a control endpoint of the emulator. */
export async function control(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`control ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Environment for code that resolves settings itself (providers): points at the emulator, and paces waits
 * on the emulator's clock (its time scale) as they would be paced on SCP's.
 */
export function useEmulatorEnv(emulator: RunningEmulator): () => void {
  const saved = { ...process.env };
  process.env.SCP_ACCESS_KEY = emulator.credentials.accessKey;
  process.env.SCP_SECRET_KEY = emulator.credentials.secretKey;
  process.env.SCP_ENDPOINT_OVERRIDE = emulator.url;
  process.env.SCP_WAIT_TIME_SCALE = String(emulator.timeScale);
  return () => {
    for (const key of ["SCP_ACCESS_KEY", "SCP_SECRET_KEY", "SCP_ENDPOINT_OVERRIDE", "SCP_WAIT_TIME_SCALE"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  };
}

/** Waits until an emulator object satisfies a condition (life cycles are shortened, not instant). */
export async function untilObject(
  emulator: RunningEmulator,
  collection: string,
  id: string,
  condition: (object: Record<string, unknown> | undefined) => boolean,
): Promise<Record<string, unknown> | undefined> {
  for (let i = 0; i < 1000; i++) {
    const object = (await control(emulator, "GET", `/objects/${encodeURIComponent(collection)}/${id}`).catch(
      () => undefined,
    )) as Record<string, unknown> | undefined;
    if (condition(object)) return object;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${collection}/${id} never reached the expected condition`);
}

/**
 * For tests of provider implementations: starts an emulator for the file, points the provider's settings
 * (environment) at it, and stops it afterwards. `use` receives the running emulator.
 */
export function emulatorForProviderTests(
  use: (emulator: RunningEmulator) => void,
  options: EmulatorOptions = FAST,
): void {
  let emulator: RunningEmulator | undefined;
  let restoreEnv: (() => void) | undefined;
  beforeAll(async () => {
    emulator = await startEmulator(options);
    restoreEnv = useEmulatorEnv(emulator);
    use(emulator);
  });
  afterAll(async () => {
    restoreEnv?.();
    await emulator?.close();
  });
}
