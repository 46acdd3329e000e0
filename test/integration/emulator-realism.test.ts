// Emulator realism for benchmarks: seeded duration jitter and an API gateway's rate limit. The emulator runs
// on a fake clock here (life cycles and the rate limit read it), so the assertions are exact, not timed.
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { startEmulator } from "../../emulator";
import { clientFor, control } from "../support/emulator";

const CREATE_MS = 10_000;
const JITTER = 0.25;
const VOLUMES = 20;
const STEP_MS = 20;

interface FakeClock {
  now: number;
}

async function started(options: Parameters<typeof startEmulator>[0], clock: FakeClock): Promise<RunningEmulator> {
  return startEmulator({ ...options, clock: () => clock.now });
}

/** Creates volumes one after another, then moves the clock until all are available: their durations. */
async function volumeDurations(seed: number | undefined, viaSettings = false): Promise<number[]> {
  const clock = { now: Date.now() };
  const emulator = await started(
    {
      durations: { volumeCreateMs: CREATE_MS },
      ...(viaSettings ? {} : { durationJitter: JITTER, ...(seed === undefined ? {} : { seed }) }),
    },
    clock,
  );
  try {
    if (viaSettings) await control(emulator, "PUT", "/settings", { durationJitter: JITTER, seed });
    const client = clientFor(emulator);
    const createdAt = clock.now;
    const ids: string[] = [];
    for (let i = 0; i < VOLUMES; i++) {
      const created = await client.call<{ id: string }>("createVolume", { body: { name: `v${i}`, size: 10 } });
      ids.push(created.body.id);
    }
    const durations = new Map<string, number>();
    for (let t = 0; durations.size < ids.length; t += STEP_MS) {
      if (t > CREATE_MS * 2) throw new Error("volumes never became available");
      clock.now = createdAt + t;
      const volumes = (await control(emulator, "GET", "/objects/volumes")) as { id: string; state: string }[];
      for (const v of volumes) if (v.state === "available" && !durations.has(v.id)) durations.set(v.id, t);
    }
    return ids.map((id) => durations.get(id) ?? NaN);
  } finally {
    await emulator.close();
  }
}

describe("duration jitter", () => {
  test("each duration stays within ±F of the nominal one, and they differ", async () => {
    const durations = await volumeDurations(7);
    for (const d of durations) {
      // Seen at the first step at or after the due time.
      expect(d).toBeGreaterThanOrEqual(CREATE_MS * (1 - JITTER));
      expect(d).toBeLessThanOrEqual(CREATE_MS * (1 + JITTER) + STEP_MS);
    }
    // 20 uniform draws over ±25 % spread well beyond a few steps.
    expect(Math.max(...durations) - Math.min(...durations)).toBeGreaterThan(CREATE_MS * JITTER);
  });

  test("is reproducible with the same seed, and another seed draws other durations", async () => {
    const first = await volumeDurations(7);
    expect(await volumeDurations(7)).toEqual(first);
    // PUT /_emulator/settings sets the same jitter and seed as the start options.
    expect(await volumeDurations(7, true)).toEqual(first);
    expect(await volumeDurations(8)).not.toEqual(first);
    // Four emulators, each stepped through its clock over HTTP: more than jest's 5 s on a loaded 2-core runner.
  }, 30_000);

  test("no jitter by default: durations are exact", async () => {
    const clock = { now: Date.now() };
    const emulator = await started({ durations: { volumeCreateMs: CREATE_MS } }, clock);
    try {
      expect(await control(emulator, "GET", "/settings")).toMatchObject({ durationJitter: 0, rateLimit: null });
      const created = await clientFor(emulator).call<{ id: string }>("createVolume", {
        body: { name: "exact", size: 10 },
      });
      const stateAt = async (t: number) => {
        clock.now = t;
        return ((await control(emulator, "GET", `/objects/volumes/${created.body.id}`)) as { state: string }).state;
      };
      const createdAt = clock.now;
      expect(await stateAt(createdAt + CREATE_MS - 1)).toBe("creating");
      expect(await stateAt(createdAt + CREATE_MS)).toBe("available");
    } finally {
      await emulator.close();
    }
  });

  test("a jitter outside [0, 1) is refused", async () => {
    const emulator = await started({}, { now: Date.now() });
    try {
      await expect(control(emulator, "PUT", "/settings", { durationJitter: 1.5 })).rejects.toThrow(/400/);
    } finally {
      await emulator.close();
    }
  });
});

describe("rate limit", () => {
  const RATE = 5;
  let emulator: RunningEmulator;
  const clock = { now: Date.now() };
  beforeAll(async () => {
    emulator = await started({ rateLimit: RATE }, clock);
  });
  afterAll(() => emulator.close());
  beforeEach(() => control(emulator, "POST", "/reset"));

  /** N requests at once, straight to the API (no client retries): their statuses and Retry-After. */
  const burst = async (n: number) =>
    Promise.all(
      Array.from({ length: n }, async () => {
        const response = await fetch(`${emulator.url}/v1/keypairs`);
        await response.text();
        return { status: response.status, retryAfter: response.headers.get("retry-after") };
      }),
    );

  test("answers 429 with Retry-After past N requests in a second, and recovers", async () => {
    const first = await burst(RATE + 4);
    // Unsigned requests pass the gateway and are then refused by authentication (401).
    expect(first.filter((r) => r.status === 401)).toHaveLength(RATE);
    const refused = first.filter((r) => r.status === 429);
    expect(refused).toHaveLength(4);
    for (const r of refused) expect(r.retryAfter).toBe("1");

    // A fifth of a second refills one token; a whole second refills the bucket (but never beyond N).
    clock.now += 1000 / RATE;
    expect((await burst(2)).map((r) => r.status).sort()).toEqual([401, 429]);
    clock.now += 10_000;
    const recovered = await burst(RATE + 1);
    expect(recovered.filter((r) => r.status === 401)).toHaveLength(RATE);
    expect(recovered.filter((r) => r.status === 429)).toHaveLength(1);

    const log = (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
    expect(log.filter((r) => r.status === 429).every((r) => r.fault === "rate-limit")).toBe(true);
    expect(log.find((r) => r.status === 429)?.operation).toBe("listKeypairs");
  });

  test("counts every API operation together; control paths are exempt", async () => {
    const client = clientFor(emulator, { maxRetries: 0 });
    for (let i = 0; i < RATE; i++) await client.call(i % 2 ? "listVolumes" : "listKeypairs");
    await expect(client.call("listVirtualServers")).rejects.toMatchObject({ status: 429 });
    // The control API still answers with the bucket empty.
    for (let i = 0; i < RATE * 2; i++) await control(emulator, "GET", "/health");
    clock.now += 1000;
    await expect(client.call("listVirtualServers")).resolves.toMatchObject({ status: 200 });
  });

  test("can be changed and lifted through PUT /_emulator/settings", async () => {
    expect(await control(emulator, "PUT", "/settings", { rateLimit: null })).toMatchObject({ rateLimit: null });
    expect((await burst(RATE * 3)).every((r) => r.status === 401)).toBe(true);
    expect(await control(emulator, "PUT", "/settings", { rateLimit: 2 })).toMatchObject({ rateLimit: 2 });
    expect((await burst(3)).filter((r) => r.status === 429)).toHaveLength(1);
    await control(emulator, "PUT", "/settings", { rateLimit: RATE });
  });
});

test("a client under a real-time rate limit converges: every call succeeds after honouring Retry-After", async () => {
  const emulator = await startEmulator({ rateLimit: 3 });
  try {
    const client = clientFor(emulator);
    const calls = await Promise.all(Array.from({ length: 6 }, () => client.call("listKeypairs")));
    expect(calls.every((c) => c.status === 200)).toBe(true);
    const log = (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
    expect(log.filter((r) => r.status === 200)).toHaveLength(6);
    expect(log.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(3);
  } finally {
    await emulator.close();
  }
});
