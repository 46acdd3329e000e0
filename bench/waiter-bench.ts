/**
 * The waiter's poll schedule against a fixed 3-second poller, on objects that become ready after 5 s,
 * 30 s and 120 s on a local server (the emulator: volumes whose creation takes that long).
 *
 * For each duration T and poller, RUNS objects are created at once; object i becomes ready after
 * T + 3 s × i / RUNS (each on its own emulator), so readiness falls evenly across a 3-second poll interval
 * instead of lining up with either schedule. Each poller waits on its own objects. Printed per duration and poller:
 * the median and p95 lag between the object becoming ready and the poller returning, and the mean number
 * of reads. Takes a little over two minutes.
 *
 *   npm run bench:waiter [-- --runs 20]
 */
import { parseArgs } from "node:util";
import { type RunningEmulator, startEmulator } from "../emulator";
import { ScpClient } from "../provider/http";
import { resolveSettings } from "../provider/settings";
import { waitForState } from "../provider/waiter";

const DURATIONS_S = [5, 30, 120];
const FIXED_INTERVAL_MS = 3000;

interface Sample {
  lagMs: number;
  calls: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function fixedPoller(read: () => Promise<string>): Promise<void> {
  for (;;) {
    if ((await read()) === "available") return;
    await sleep(FIXED_INTERVAL_MS);
  }
}

async function runOne(client: ScpClient, durationMs: number, poller: "waiter" | "fixed-3s"): Promise<Sample> {
  const created = await client.call<{ id: string }>("createVolume", { body: { name: "bench", size: 10 } });
  const readyAt = Date.now() + durationMs;
  let calls = 0;
  const read = async () => {
    calls++;
    return (await client.call<{ state: string }>("showVolume", { path: { volume_id: created.body.id } })).body;
  };
  if (poller === "waiter") {
    await waitForState({
      description: "volume",
      read,
      stateOf: (v) => v.state,
      target: ["available"],
      timeoutMs: durationMs + 60_000,
    });
  } else {
    await fixedPoller(async () => (await read()).state);
  }
  return { lagMs: Date.now() - readyAt, calls };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "20" } } });
  const runs = Number(values.runs);
  const emulators: RunningEmulator[] = [];
  const jobs: Promise<{ duration: number; poller: string; sample: Sample }>[] = [];
  for (const seconds of DURATIONS_S) {
    for (let i = 0; i < runs; i++) {
      // Object i becomes ready 3 s × i / runs later than the nominal duration.
      const durationMs = seconds * 1000 + Math.round((3000 * i) / runs);
      const emulator = await startEmulator({ durations: { volumeCreateMs: durationMs } });
      emulators.push(emulator);
      const client = new ScpClient(
        resolveSettings({
          env: {
            SCP_ACCESS_KEY: emulator.credentials.accessKey,
            SCP_SECRET_KEY: emulator.credentials.secretKey,
            SCP_ENDPOINT_OVERRIDE: emulator.url,
            SCP_MAX_CONCURRENT_REQUESTS: "256",
          },
          homeDir: "/nonexistent",
        }),
      );
      for (const poller of ["waiter", "fixed-3s"] as const) {
        jobs.push(runOne(client, durationMs, poller).then((sample) => ({ duration: seconds, poller, sample })));
      }
    }
  }
  const started = Date.now();
  const results = await Promise.all(jobs);
  await Promise.all(emulators.map((e) => e.close()));

  console.log(
    `waiter benchmark: ${runs} objects per duration and poller, wall ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log("ready after  poller     median lag   p95 lag   mean reads");
  for (const seconds of DURATIONS_S) {
    for (const poller of ["waiter", "fixed-3s"]) {
      const samples = results.filter((r) => r.duration === seconds && r.poller === poller).map((r) => r.sample);
      const lags = samples.map((s) => s.lagMs);
      const calls = samples.reduce((n, s) => n + s.calls, 0) / samples.length;
      console.log(
        `${String(seconds).padStart(6)} s    ${poller.padEnd(9)} ${(percentile(lags, 50) / 1000).toFixed(2).padStart(8)} s ${(percentile(lags, 95) / 1000).toFixed(2).padStart(8)} s ${calls.toFixed(1).padStart(10)}`,
      );
    }
  }
}

void main();
