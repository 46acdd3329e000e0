import { ScpApiError } from "../../provider/errors";
import * as progress from "../../provider/progress";
import { SHARED_LISTING_GAP_MS } from "../../provider/shared-poller";
import {
  DEFAULT_POLL_SCHEDULE,
  DurationModel,
  EXPECTED_DURATIONS,
  WaitFailedError,
  WaitTimeoutError,
  operationKind,
  plannedDelay,
  pollDelay,
  waitForState,
  waitUntilGone,
} from "../../provider/waiter";

const fast = { initialMs: 1, growth: 1, maxMs: 1, jitter: 0 };

/** A read that walks through the given answers, repeating the last. */
function sequence<T>(answers: (T | undefined | Error)[]): jest.Mock<Promise<T | undefined>, []> {
  let i = 0;
  const read = jest.fn(async (): Promise<T | undefined> => {
    const answer = answers[Math.min(i++, answers.length - 1)];
    if (answer instanceof Error) throw answer;
    return answer;
  });
  return read;
}

const notFound = new ScpApiError({ status: 404, detail: "gone", operation: "showX", method: "GET", path: "/x" });

describe("waitForState", () => {
  test("returns at the first read when already in the target state", async () => {
    const read = sequence([{ state: "ACTIVE" }]);
    await expect(
      waitForState({
        description: "x",
        read,
        stateOf: (o) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 1000,
        schedule: fast,
      }),
    ).resolves.toEqual({ state: "ACTIVE" });
    expect(read).toHaveBeenCalledTimes(1);
  });

  test("unknown states count as pending", async () => {
    const read = sequence([{ state: "BUILD" }, { state: "SPAWNING_SOMETHING_NEW" }, { state: "ACTIVE" }]);
    await waitForState({
      description: "x",
      read,
      stateOf: (o) => o.state,
      target: ["ACTIVE"],
      timeoutMs: 1000,
      schedule: fast,
    });
    expect(read).toHaveBeenCalledTimes(3);
  });

  test("a failure state fails fast with the API's reason", async () => {
    const read = sequence([{ state: "BUILD" }, { state: "ERROR", reason: "no host available" }]);
    const wait = waitForState({
      description: 'server "s"',
      read,
      stateOf: (o) => o.state,
      reasonOf: (o) => o.reason,
      target: ["ACTIVE"],
      timeoutMs: 60_000,
      schedule: fast,
    });
    await expect(wait).rejects.toThrow(new WaitFailedError('server "s"', "ERROR", "no host available"));
  });

  test("a few not-founds right after a create are tolerated", async () => {
    const read = sequence<{ state: string }>([notFound, undefined, { state: "ACTIVE" }]);
    await expect(
      waitForState({
        description: "x",
        read,
        stateOf: (o: { state: string }) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 1000,
        schedule: fast,
      }),
    ).resolves.toBeDefined();
  });

  test("too many not-founds fail", async () => {
    const read = sequence<{ state: string }>([undefined]);
    await expect(
      waitForState({
        description: "x",
        read,
        stateOf: (o) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 1000,
        notFoundTolerance: 2,
        schedule: fast,
      }),
    ).rejects.toThrow(/disappeared/);
    expect(read).toHaveBeenCalledTimes(3);
  });

  test("the deadline ends the wait with the last state", async () => {
    const read = sequence([{ state: "BUILD" }]);
    const wait = waitForState({
      description: "x",
      read,
      stateOf: (o) => o.state,
      target: ["ACTIVE"],
      timeoutMs: 20,
      schedule: { initialMs: 5, growth: 1, maxMs: 5, jitter: 0 },
    });
    await expect(wait).rejects.toThrow(WaitTimeoutError);
    await expect(wait).rejects.toThrow(/last state: BUILD/);
  });

  test("an extra readiness condition holds the wait", async () => {
    const read = sequence([
      { state: "ACTIVE", type: "a" },
      { state: "ACTIVE", type: "b" },
    ]);
    const result = await waitForState({
      description: "x",
      read,
      stateOf: (o) => o.state,
      ready: (o) => o.type === "b",
      target: ["ACTIVE"],
      timeoutMs: 1000,
      schedule: fast,
    });
    expect(result.type).toBe("b");
  });

  test("other API errors are not swallowed", async () => {
    const denied = new ScpApiError({
      status: 403,
      detail: "permission denied",
      operation: "showX",
      method: "GET",
      path: "/x",
    });
    await expect(
      waitForState({
        description: "x",
        read: sequence([denied]),
        stateOf: () => "",
        target: ["ACTIVE"],
        timeoutMs: 1000,
        schedule: fast,
      }),
    ).rejects.toBe(denied);
  });
});

describe("waitUntilGone", () => {
  test("404 is done", async () => {
    const read = sequence<{ state: string }>([{ state: "DELETING" }, notFound]);
    await expect(
      waitUntilGone({
        description: "x",
        read,
        stateOf: (o: { state: string }) => o.state,
        timeoutMs: 1000,
        schedule: fast,
      }),
    ).resolves.toBeUndefined();
  });

  test("a failure state while deleting fails", async () => {
    const read = sequence([{ state: "error_deleting" }]);
    await expect(
      waitUntilGone({ description: "x", read, stateOf: (o) => o.state, timeoutMs: 1000, schedule: fast }),
    ).rejects.toThrow(WaitFailedError);
  });
});

describe("poll schedule", () => {
  test("starts at 1 s, grows by 1.25 and caps at 5 s", () => {
    const noJitter = { ...DEFAULT_POLL_SCHEDULE, jitter: 0 };
    expect([0, 1, 2, 3, 7, 8, 20].map((n) => pollDelay(n, noJitter))).toEqual([
      1000, 1250, 1563, 1953, 4768, 5000, 5000,
    ]);
  });

  test("jitter stays within ±10%", () => {
    expect(pollDelay(20, DEFAULT_POLL_SCHEDULE, () => 0)).toBe(4500);
    expect(pollDelay(20, DEFAULT_POLL_SCHEDULE, () => 1)).toBe(5500);
  });
});

describe("duration-aware schedule", () => {
  const half = () => 0.5; // no jitter
  /** The elapsed times of the reads `plannedDelay` asks for, up to `untilMs`. */
  function readTimes(window: Parameters<typeof plannedDelay>[2], untilMs: number): number[] {
    const times = [0];
    let late = 0;
    for (let reads = 1; times[times.length - 1]! < untilMs; reads++) {
      const elapsed = times[times.length - 1]!;
      if (window && elapsed > window.untilMs) late++;
      times.push(elapsed + plannedDelay(elapsed, reads, window, late, half));
    }
    return times;
  }

  test("kinds come from the description's first word and the pending state", () => {
    expect(operationKind("server abc to become ACTIVE", "BUILD")).toBe("server build");
    expect(operationKind("volume v-1 to be deleted", "deleting", true)).toBe("volume deleting gone");
    expect(EXPECTED_DURATIONS["server build"]).toBe(45_000);
  });

  test("quick checks, sparse reads until the window, dense inside it, growing past it", () => {
    const window = new DurationModel().window("server build")!;
    expect(window).toEqual({ expectedMs: 45_000, fromMs: 31_500, untilMs: 58_500 });
    const times = readTimes(window, 70_000);
    // 0, 1 s, then each read waits twice as long as the wait has lasted, the last landing on the window's start.
    expect(times.slice(0, 5)).toEqual([0, 1000, 3000, 9000, 31_500]);
    const inside = times.filter((t) => t >= 31_500 && t <= 58_500);
    expect(new Set(inside.slice(1).map((t, i) => t - inside[i]!))).toEqual(new Set([2500]));
    const after = times.filter((t) => t > 58_500);
    const gaps = after.slice(1).map((t, i) => t - after[i]!);
    expect(gaps.every((g, i) => i === 0 || g >= gaps[i - 1]!)).toBe(true);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5000);
    // Fewer reads than a fixed 3 s poller over a 45 s build.
    expect(times.filter((t) => t <= 45_000).length).toBeLessThan(45_000 / 3000);
  });

  test("a window that opens within 4 s gets no read before it, and a wait alone reads no more than a 3 s poller", () => {
    const window = new DurationModel().window("volume attaching")!;
    expect(window).toEqual({ expectedMs: 5000, fromMs: 3500, untilMs: 6500 });
    const times = readTimes(window, 6500);
    expect(times).toEqual([0, 3500, 6000, 8500]);
    // A fixed 3 s poller reads at 0, 3 s, 6 s, 9 s: for every finish time in the window, this schedule
    // sees it with no more reads than that poller.
    for (let finish = window.fromMs; finish <= window.untilMs; finish += 250) {
      const ours = times.filter((t) => t < finish).length + 1;
      const fixed = Math.ceil(finish / 3000) + 1;
      expect(ours).toBeLessThanOrEqual(fixed);
    }
    // Sharing a listing with other waits, the dense pace is the listing's.
    expect(plannedDelay(4000, 2, window, 0, half, true)).toBe(SHARED_LISTING_GAP_MS);
  });

  test("a kind with no table entry and nothing observed polls as before", () => {
    expect(plannedDelay(0, 1, undefined, 0, half)).toBe(1000);
    expect(plannedDelay(5000, 4, undefined, 0, half)).toBe(pollDelay(3, DEFAULT_POLL_SCHEDULE, half));
  });

  test("observations refine the expectation: the window moves toward what was seen", () => {
    const model = new DurationModel();
    model.observe("server build", 80_000);
    const window = model.window("server build")!;
    expect(window.expectedMs).toBe(62_500);
    expect(window.untilMs).toBeGreaterThanOrEqual(88_000);
    expect(window.fromMs).toBe(43_750);
    // A kind the table does not know is learned from its first observation.
    model.observe("image queued", 20_000);
    expect(model.window("image queued")).toMatchObject({ expectedMs: 20_000 });
  });

  test("a wait learns how long its kind took, and the deadline still ends it with the last state", async () => {
    jest.useFakeTimers();
    try {
      const model = new DurationModel();
      let state = "BUILD";
      setTimeout(() => (state = "ACTIVE"), 40_000);
      const read = jest.fn(async () => ({ state }));
      const done = waitForState({
        description: "server s1 to become ACTIVE",
        read,
        stateOf: (o) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 600_000,
        durations: model,
      });
      await jest.advanceTimersByTimeAsync(45_000);
      await expect(done).resolves.toEqual({ state: "ACTIVE" });
      // Seen within a dense interval of the finish, with far fewer reads than a 3 s poller.
      expect(read.mock.calls.length).toBeLessThanOrEqual(12);
      const learned = model.window("server build")!;
      expect(learned.expectedMs).toBeGreaterThan(40_000);
      expect(learned.expectedMs).toBeLessThan(45_000);

      const stuck = waitForState({
        description: "server s2 to become ACTIVE",
        read: async () => ({ state: "BUILD" }),
        stateOf: (o) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 20_000,
        durations: model,
      });
      const outcome = expect(stuck).rejects.toThrow(/timed out after 20s.*last state: BUILD/);
      await jest.advanceTimersByTimeAsync(21_000);
      await outcome;
    } finally {
      jest.useRealTimers();
    }
  });

  test("a long sparse sleep still repeats the progress line at least every 10 s", async () => {
    jest.useFakeTimers();
    const lines = jest.spyOn(progress, "reportProgress").mockImplementation(() => undefined);
    try {
      const wait = waitForState({
        description: "server s3 to become ACTIVE",
        read: async () => ({ state: "BUILD" }),
        stateOf: (o: { state: string }) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 40_000,
        durations: new DurationModel(),
      });
      const outcome = expect(wait).rejects.toThrow(WaitTimeoutError);
      // Reads at 0, 1 s, 3 s, 9 s, then none until the window opens at 31.5 s.
      await jest.advanceTimersByTimeAsync(9_500);
      const before = lines.mock.calls.length;
      await jest.advanceTimersByTimeAsync(21_000);
      expect(lines.mock.calls.length - before).toBeGreaterThanOrEqual(2);
      expect(String(lines.mock.calls.at(-1)?.[0])).toMatch(
        /waiting for server s3 to become ACTIVE \(BUILD, \d+s elapsed\)/,
      );
      await jest.advanceTimersByTimeAsync(20_000);
      await outcome;
    } finally {
      lines.mockRestore();
      jest.useRealTimers();
    }
  });
});

describe("the API's clock (SCP_WAIT_TIME_SCALE)", () => {
  const saved = process.env.SCP_WAIT_TIME_SCALE;
  afterEach(() => {
    if (saved === undefined) delete process.env.SCP_WAIT_TIME_SCALE;
    else process.env.SCP_WAIT_TIME_SCALE = saved;
    jest.useRealTimers();
  });

  /** A wait on a build that ends after `buildMs` of API time, observed `runMs` of API time, at `scale`. */
  async function buildWait(scale: number, buildMs: number, runMs: number, timeoutMs = 600_000) {
    process.env.SCP_WAIT_TIME_SCALE = String(scale);
    jest.useFakeTimers();
    const model = new DurationModel();
    let state = "BUILD";
    if (Number.isFinite(buildMs)) setTimeout(() => (state = "ACTIVE"), buildMs * scale);
    const read = jest.fn(async () => ({ state }));
    let outcome: "pending" | "done" | Error = "pending";
    void waitForState({
      description: "server s1 to become ACTIVE",
      read,
      stateOf: (o) => o.state,
      target: ["ACTIVE"],
      timeoutMs,
      durations: model,
    }).then(
      () => (outcome = "done"),
      (error: Error) => (outcome = error),
    );
    await jest.advanceTimersByTimeAsync(runMs * scale);
    return { outcome: () => outcome, reads: () => read.mock.calls.length, model };
  }

  test("at scale 0.01 a 40 s build is seen within a hundredth of 45 s, with the reads it takes at scale 1", async () => {
    const real = await buildWait(1, 40_000, 45_000);
    const scaled = await buildWait(0.01, 40_000, 45_000);
    expect([real.outcome(), scaled.outcome()]).toEqual(["done", "done"]);
    expect(Math.abs(scaled.reads() - real.reads())).toBeLessThanOrEqual(1);
    // What is learned is in the API's time: a 40 s build, whatever the scale.
    const learned = scaled.model.window("server build")?.expectedMs;
    expect(learned).toBeGreaterThan(40_000);
    expect(learned).toBeLessThan(45_000);
  });

  test("the deadline stays in real time: a 2 s timeout at scale 0.01 has not fired at 1.9 s, and fires by 2.1 s", async () => {
    // A build that never ends, watched 1.9 s of real time (190 s of API time, past a scaled deadline).
    const wait = await buildWait(0.01, Infinity, 190_000, 2_000);
    expect(wait.outcome()).toBe("pending");
    await jest.advanceTimersByTimeAsync(200);
    expect(String(wait.outcome())).toMatch(/timed out after 2s .*last state: BUILD/);
  });

  test("a scale that is not a number above 0 is refused naming the variable", async () => {
    process.env.SCP_WAIT_TIME_SCALE = "0";
    await expect(
      waitForState({
        description: "x",
        read: async () => ({ state: "ACTIVE" }),
        stateOf: (o: { state: string }) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 1000,
      }),
    ).rejects.toThrow(/SCP_WAIT_TIME_SCALE must be a number above 0, got "0"/);
  });
});
