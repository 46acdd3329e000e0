import { ScpApiError } from "../../provider/errors";
import {
  DEFAULT_POLL_SCHEDULE,
  WaitFailedError,
  WaitTimeoutError,
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
