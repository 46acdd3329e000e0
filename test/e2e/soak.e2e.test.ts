// Faults at volume (issue 16 item 2): cycles of up → change → refresh → destroy through the real engine
// while the emulator fails or slows 30 % of API requests (resets and 5xx before and after the effect, 429
// with Retry-After, slow answers). Targets: no failed run, no orphan after destroy, no duplicate after up.
//
// In `npm test`: 1 cycle of a 2-server stack (15 resources, about a minute). Full size: `npm run test:soak`
// (8 servers, 42 resources, 5 cycles); SOAK_CYCLES, SOAK_SERVERS, SOAK_SEED, SOAK_TIME_SCALE and SOAK_SLOW_MS
// choose. Keypairs import a public key: a generated one whose create answer is lost cannot be recovered.
import { join } from "node:path";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { type E2EStack, createStack, emulatorControl } from "./harness";
import {
  type RunFigures,
  attemptFigures,
  declaredResources,
  duplicates,
  figuresTable,
  injectedFaults,
  objectKeys,
  orphans,
  soakFaults,
  soakProgram,
  soakShape,
} from "./soak-support";

const numberFromEnv = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return process.env[name] && Number.isFinite(value) ? value : fallback;
};
const CYCLES = numberFromEnv("SOAK_CYCLES", 1);
const SHAPE = soakShape(numberFromEnv("SOAK_SERVERS", 2));
const SEED = numberFromEnv("SOAK_SEED", 16);
// 0.1, not the 0.01 of other e2e tests: a delete must outlast the first retry's backoff (as SCP's do),
// or a retried DELETE after a lost answer never meets the object while it is being deleted.
const TIME_SCALE = numberFromEnv("SOAK_TIME_SCALE", 0.1);
const SLOW_MS = numberFromEnv("SOAK_SLOW_MS", 1000);
// A destroy that fails is run again, as a user would, before orphans are counted.
const DESTROY_ATTEMPTS = 3;

let emulator: RunningEmulator;
let e2e: E2EStack;
let figures: RunFigures | undefined;
const failures: string[] = [];
const orphansLeft: string[] = [];
const duplicatesFound: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: TIME_SCALE, requestLogLimit: 10_000_000 });
  e2e = await createStack("soak", soakProgram(SHAPE, false), emulator);
  // Calls and attempts are counted from the provider's own debug log (redacted, inside the workspace).
  e2e.stack.workspace.envVars.SCP_DEBUG_LOG = join(e2e.workDir, "scp-debug.jsonl");
});
afterAll(async () => {
  await e2e?.dispose();
  await emulator?.close();
});

/** The lines of a failed command's output that say which resource failed and why (one per error). */
function whatFailed(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => /^\* |error: (?!1 error occurred|update failed)/.test(line));
  const unique = [...new Set(lines)];
  return (unique.length > 0 ? unique.slice(0, 6) : [text.slice(0, 600)]).join(" | ");
}

describe(`soak: ${CYCLES} cycle(s) of a ${declaredResources(SHAPE)}-resource stack under 30 % faults`, () => {
  test(
    "every cycle runs up, change, refresh and destroy",
    async () => {
      const started = Date.now();
      const baseline = await objectKeys(emulator);
      let refreshChanges = 0;
      const step = async <T>(cycle: number, name: string, run: () => Promise<T>): Promise<T | undefined> => {
        try {
          return await run();
        } catch (error) {
          failures.push(`cycle ${cycle} ${name}: ${whatFailed(error)}`);
          return undefined;
        }
      };
      const countDuplicates = async (cycle: number, after: string) => {
        for (const [kind, extra] of Object.entries(await duplicates(emulator, SHAPE))) {
          duplicatesFound.push(`cycle ${cycle} after ${after}: ${extra} extra ${kind}`);
        }
      };

      await emulatorControl(emulator, "PUT", "/faults", soakFaults(SEED, SLOW_MS));
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        e2e.writeProgram(soakProgram(SHAPE, false));
        if (await step(cycle, "up", () => e2e.stack.up())) await countDuplicates(cycle, "up");
        e2e.writeProgram(soakProgram(SHAPE, true));
        if (await step(cycle, "change", () => e2e.stack.up())) await countDuplicates(cycle, "change");
        const refresh = await step(cycle, "refresh", () => e2e.stack.refresh());
        for (const [op, n] of Object.entries(refresh?.summary.resourceChanges ?? {})) {
          if (op !== "same") refreshChanges += n;
        }
        for (let attempt = 1; attempt <= DESTROY_ATTEMPTS; attempt++) {
          if (await step(cycle, attempt === 1 ? "destroy" : `destroy (run ${attempt})`, () => e2e.stack.destroy()))
            break;
        }
        for (const key of await orphans(emulator, baseline)) orphansLeft.push(`cycle ${cycle}: ${key}`);
      }
      const faults = await injectedFaults(emulator);
      await emulatorControl(emulator, "DELETE", "/faults");

      const { calls, attempts } = attemptFigures(join(e2e.workDir, "scp-debug.jsonl"));
      figures = {
        label: `(seed ${SEED}, time scale ${TIME_SCALE}, slow answers ${SLOW_MS} ms)`,
        cycles: CYCLES,
        resources: declaredResources(SHAPE),
        requests: emulator.state.requestLog.length,
        faults,
        failedRuns: failures.length,
        orphans: orphansLeft.length,
        duplicates: duplicatesFound.length,
        refreshChanges,
        calls,
        attempts,
        wallSeconds: (Date.now() - started) / 1000,
      };
      const details = [...failures, ...orphansLeft, ...duplicatesFound].map((line) => `  ${line}`);
      process.stdout.write(`${figuresTable(figures)}\n${details.join("\n")}${details.length ? "\n" : ""}`);
      expect(figures.requests).toBeGreaterThan(0);
    },
    CYCLES * 20 * 60_000,
  );

  test("no pulumi command failed", () => {
    expect(figures).toBeDefined();
    expect({ failedRuns: failures }).toEqual({ failedRuns: [] });
  });

  test("destroy left no object in the emulator (no orphans)", () => {
    expect(figures).toBeDefined();
    expect({ orphans: orphansLeft }).toEqual({ orphans: [] });
  });

  test("up created no object twice (no duplicates)", () => {
    expect(figures).toBeDefined();
    expect({ duplicates: duplicatesFound }).toEqual({ duplicates: [] });
  });
});
