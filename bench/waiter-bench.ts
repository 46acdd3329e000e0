/**
 * The provider's waiter against a fixed 3-second poller, on objects that become ready after 5 s, 30 s and
 * 120 s nominal, each duration varied by ±25 % by the emulator's seeded jitter (`durationJitter`), so that
 * no schedule can be tuned to a fixed duration. Volumes stand in for any 202-accepted object.
 *
 * Two situations per duration:
 * - alone: RUNS objects, each on its own emulator with its own client (one object waiting, RUNS samples);
 * - together: RUNS objects on one emulator and one client, waiting at once.
 * Pollers: `waiter` is the provider's (duration-aware, reading through the process's shared listing of the
 * kind while the object is pending, as the resources do; it reads at once, as a wait with no `startFrom`
 * does — the resources' creates start from the create's answer and save that read); `unshared` is the same waiter reading each object
 * with its own show; `fixed-3s` shows every 3 s. Each poller waits on its own objects; reads count every
 * request, a listing's share by object (a listing that served n waits counts 1/n for each). An object's ready time is the exact due time of its transition
 * (the emulator's `store.lastDueAt` right after the create), so lag = returned − due, with no observer.
 *
 * The waiter is given the nominal duration as its expected duration (what its table of expected durations
 * per operation kind does for real kinds: server build 45 s, …), not the jitter; "alone" objects learn
 * nothing from others (a process of their own), "together" objects share what the first ones observed.
 *
 * Printed side by side per duration and situation: median and p95 lag from ready to returned, and mean
 * reads (GETs) per object, for the waiter and the fixed poller; then the issue's targets. Wall: the
 * longest duration × 1.25 plus a few seconds (about 2.5 minutes at the defaults). Figures, not a test.
 *
 *   npm run bench:waiter [-- --runs 20 --durations 5,30,120 --jitter 0.25 --seed 1]
 */
import { parseArgs } from "node:util";
import { type RunningEmulator, startEmulator } from "../emulator";
import { ScpClient } from "../provider/http";
import { listForWaits } from "../provider/list-all";
import { type ApiVolume, apiVolume } from "../provider/volume-api";
import { resolveSettings } from "../provider/settings";
import type { SharedListing } from "../provider/shared-poller";
import { DurationModel, waitForState } from "../provider/waiter";

const FIXED_INTERVAL_MS = 3000;
const POLLERS = ["waiter", "unshared", "fixed-3s"] as const;
const SITUATIONS = ["alone", "together"] as const;
type Poller = (typeof POLLERS)[number];
type Situation = (typeof SITUATIONS)[number];

interface Sample {
  readonly seconds: number;
  readonly situation: Situation;
  readonly poller: Poller;
  readonly lagMs: number;
  readonly reads: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function clientOf(emulator: RunningEmulator): ScpClient {
  return new ScpClient(
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
}

interface Pending {
  readonly id: string;
  readonly dueAt: number;
  readonly poller: Poller;
  readonly timeoutMs: number;
}

/** What the waiter knows: the nominal duration (as its table does for a real kind) and what it observed. */
interface Knowledge {
  readonly expectedMs: number;
  readonly durations: DurationModel;
}

/** Creates a volume and answers when the emulator will make it available. */
async function create(emulator: RunningEmulator, client: ScpClient, poller: Poller, timeoutMs: number) {
  const created = await client.call<{ id: string }>("createVolume", { body: { name: `bench-${poller}`, size: 10 } });
  return { id: created.body.id, dueAt: emulator.state.store.lastDueAt, poller, timeoutMs };
}

type Volume = ApiVolume;

/** Listings of a situation's volumes, counted: their cost is shared by the objects of the situation. */
const listings = new Map<string, number>();
const group = (seconds: number, situation: Situation) => `${seconds} ${situation}`;

/**
 * The shared listing of one client's volumes, as the provider's (provider/volume-api.ts) does it; counted per
 * listing (one request: the bench's volumes are all on the newest page).
 */
function listingOf(client: ScpClient, counted: string): (id: string) => SharedListing<Volume> {
  const list = async (wanted: ReadonlyMap<string, string | undefined>) => {
    listings.set(counted, (listings.get(counted) ?? 0) + 1);
    return listForWaits(client, "listVolumes", "volumes", apiVolume, wanted);
  };
  return (id) => ({ scope: client, kind: "volumes", id, complete: true, list });
}

async function wait(
  client: ScpClient,
  pending: Pending,
  knowledge: Knowledge,
  listing: ReturnType<typeof listingOf>,
): Promise<{ lagMs: number; reads: number }> {
  let reads = 0;
  const read = async () => {
    reads++;
    return (await client.call<Volume>("showVolume", { path: { volume_id: pending.id } })).body;
  };
  if (pending.poller !== "fixed-3s") {
    await waitForState({
      description: "volume",
      read,
      ...(pending.poller === "waiter" ? { shared: listing(pending.id) } : {}),
      stateOf: (v) => v.state,
      target: ["available"],
      timeoutMs: pending.timeoutMs,
      expectedMs: knowledge.expectedMs,
      durations: knowledge.durations,
    });
  } else {
    while ((await read()).state !== "available") await sleep(FIXED_INTERVAL_MS);
  }
  return { lagMs: Date.now() - pending.dueAt, reads };
}

const seconds2 = (ms: number) => (ms / 1000).toFixed(2);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: "string", default: "20" },
      durations: { type: "string", default: "5,30,120" },
      jitter: { type: "string", default: "0.25" },
      seed: { type: "string", default: "1" },
    },
  });
  const runs = Number(values.runs);
  const durations = values.durations.split(",").map(Number);
  const jitter = Number(values.jitter);
  const seed = Number(values.seed);

  const emulators: RunningEmulator[] = [];
  const start = async (seconds: number, offset: number) => {
    const emulator = await startEmulator({
      durations: { volumeCreateMs: seconds * 1000 },
      durationJitter: jitter,
      seed: seed + offset,
    });
    emulators.push(emulator);
    return emulator;
  };

  // Each wait starts right after its object's create (creates are sequential per emulator, so each due
  // time is that create's own); the together objects are all created within a fraction of a second.
  const started = Date.now();
  const waits: Promise<Sample>[] = [];
  for (const [d, seconds] of durations.entries()) {
    const timeoutMs = seconds * 1000 * (1 + jitter) + 60_000;
    for (let i = 0; i < runs; i++) {
      for (const poller of POLLERS) {
        const emulator = await start(seconds, 1000 * d + 3 * i + POLLERS.indexOf(poller));
        const client = clientOf(emulator);
        const pending = await create(emulator, client, poller, timeoutMs);
        // Alone: as if in a process of its own, with nothing observed before.
        const knowledge = { expectedMs: seconds * 1000, durations: new DurationModel() };
        waits.push(
          wait(client, pending, knowledge, listingOf(client, group(seconds, "alone"))).then((r) => ({
            seconds,
            situation: "alone",
            poller,
            ...r,
          })),
        );
      }
    }
    const emulator = await start(seconds, 1000 * d + 999);
    const client = clientOf(emulator);
    // Together: one process, learning from the objects that finish first.
    const knowledge = { expectedMs: seconds * 1000, durations: new DurationModel() };
    const listing = listingOf(client, group(seconds, "together"));
    for (let i = 0; i < runs; i++) {
      for (const poller of POLLERS) {
        const pending = await create(emulator, client, poller, timeoutMs);
        waits.push(
          wait(client, pending, knowledge, listing).then((r) => ({ seconds, situation: "together", poller, ...r })),
        );
      }
    }
  }
  const samples = await Promise.all(waits);
  await Promise.all(emulators.map((e) => e.close()));

  console.log(
    `waiter benchmark: jitter ±${jitter * 100}% (seed ${seed}), ${runs} objects per duration, situation and poller; ` +
      `wall ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  console.log("alone = each object on its own emulator and client; together = all objects on one emulator and client.");
  console.log("lag = returned − ready (s); reads = GETs per object\n");
  console.log(
    "ready after  situation  | waiter: median   p95   reads | unshared: median   p95   reads | fixed-3s: median   p95   reads | reads waiter/fixed",
  );
  for (const seconds of durations) {
    for (const situation of SITUATIONS) {
      const figures = POLLERS.map((poller) => {
        const of = samples.filter((s) => s.seconds === seconds && s.situation === situation && s.poller === poller);
        const lags = of.map((s) => s.lagMs);
        return {
          median: percentile(lags, 50),
          p95: percentile(lags, 95),
          // Shows, plus the listings of the situation, shared by its waiter objects.
          reads:
            (of.reduce((n, s) => n + s.reads, 0) +
              (poller === "waiter" ? (listings.get(group(seconds, situation)) ?? 0) : 0)) /
            of.length,
        };
      });
      const [w, u, f] = figures as [(typeof figures)[0], (typeof figures)[0], (typeof figures)[0]];
      console.log(
        `${String(seconds).padStart(6)} s    ${situation.padEnd(9)}  |` +
          `   ${seconds2(w.median).padStart(9)} ${seconds2(w.p95).padStart(6)} ${w.reads.toFixed(1).padStart(7)} |` +
          `     ${seconds2(u.median).padStart(9)} ${seconds2(u.p95).padStart(6)} ${u.reads.toFixed(1).padStart(7)} |` +
          `     ${seconds2(f.median).padStart(9)} ${seconds2(f.p95).padStart(6)} ${f.reads.toFixed(1).padStart(7)} |` +
          `   ${((100 * w.reads) / f.reads).toFixed(0).padStart(6)} %`,
      );
    }
  }
  console.log(
    "\ntargets (issue 14): together (≥ 4 objects): median ≤ 1 s, p95 ≤ 2 s, reads ≤ 50 % of fixed-3s;" +
      " alone: median ≤ 1.5 s, reads ≤ fixed-3s",
  );
}

void main();
