/**
 * The one waiter: polls a read until the object reaches a target state (or is gone).
 *
 * - Failure states fail fast with the API's reason; states it does not know count as pending.
 * - A few not-founds right after a create are tolerated (the object may not be listed yet).
 * - The deadline comes from the resource's `timeouts`.
 * - Progress (what is awaited, elapsed time) is reported while waiting.
 *
 * Poll schedule (see bench/waiter-bench.ts for the measurements): the first read happens at once, since
 * many operations finish quickly; then the interval starts at 1 s and grows by 1.25× per poll up to a cap of
 * 5 s, with ±10% jitter so that many resources waiting together do not poll in lockstep. Short operations are
 * seen within about a second; long ones cost one call per 5 s.
 */
import { ScpApiError } from "./errors";
import { formatElapsed, reportProgress } from "./progress";

export interface PollSchedule {
  readonly initialMs: number;
  readonly growth: number;
  readonly maxMs: number;
  readonly jitter: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initialMs: 1000, growth: 1.25, maxMs: 5000, jitter: 0.1 };

/** Delay before poll `n` (0-based, counted after the immediate first read). */
export function pollDelay(n: number, schedule: PollSchedule = DEFAULT_POLL_SCHEDULE, random = Math.random): number {
  const base = Math.min(schedule.maxMs, schedule.initialMs * schedule.growth ** n);
  return Math.round(base * (1 + schedule.jitter * (2 * random() - 1)));
}

export class WaitTimeoutError extends Error {
  constructor(
    readonly description: string,
    readonly lastState: string | undefined,
    readonly timeoutMs: number,
  ) {
    super(
      `timed out after ${formatElapsed(timeoutMs)} waiting for ${description}` +
        `${lastState === undefined ? "" : ` (last state: ${lastState})`}; raise the resource's timeouts if it needs longer`,
    );
    this.name = "WaitTimeoutError";
  }
}

export class WaitFailedError extends Error {
  constructor(
    readonly description: string,
    readonly state: string,
    readonly reason: string | undefined,
  ) {
    super(`${description} failed: state ${state}${reason ? `: ${reason}` : ""}`);
    this.name = "WaitFailedError";
  }
}

export interface WaitOptions<T> {
  /** What is awaited, for messages: `server "web-1" to become ACTIVE`. */
  readonly description: string;
  /** Reads the object; `undefined` means not found. ScpApiError not-founds are treated the same. */
  readonly read: () => Promise<T | undefined>;
  /** The state of the object (`state`, `status`, …). */
  readonly stateOf: (object: T) => string;
  /** States that end the wait successfully. For waiting until gone, use `waitUntilGone`. */
  readonly target: readonly string[];
  /** States that end the wait with a failure; also any state matching /error|fail/i. */
  readonly failure?: readonly string[];
  /** The API's reason for a failure state, when it offers one. */
  readonly reasonOf?: (object: T) => string | undefined;
  /** An extra condition on a target state (e.g. the new server type is applied). */
  readonly ready?: (object: T) => boolean;
  readonly timeoutMs: number;
  /** How many not-founds in a row to tolerate before failing (right after a create). */
  readonly notFoundTolerance?: number;
  readonly schedule?: PollSchedule;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readOrUndefined<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ScpApiError && error.notFound) return undefined;
    throw error;
  }
}

function isFailureState(state: string, failure: readonly string[] | undefined): boolean {
  return (failure ?? []).includes(state) || /error|fail/i.test(state);
}

/** Polls until the object reaches a target state; returns the object as last read. */
export async function waitForState<T>(options: WaitOptions<T>): Promise<T> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const tolerance = options.notFoundTolerance ?? 3;
  let notFound = 0;
  let lastState: string | undefined;
  for (let poll = 0; ; poll++) {
    const object = await readOrUndefined(options.read);
    if (object === undefined) {
      notFound++;
      if (notFound > tolerance) {
        throw new WaitFailedError(options.description, "NOT_FOUND", "the object disappeared while being waited for");
      }
    } else {
      notFound = 0;
      const state = options.stateOf(object);
      lastState = state;
      if (options.target.includes(state) && (options.ready?.(object) ?? true)) return object;
      if (isFailureState(state, options.failure)) {
        throw new WaitFailedError(options.description, state, options.reasonOf?.(object));
      }
    }
    const delay = pollDelay(poll, options.schedule);
    if (Date.now() + delay > deadline) throw new WaitTimeoutError(options.description, lastState, options.timeoutMs);
    reportProgress(
      `waiting for ${options.description} (${lastState ?? "not visible yet"}, ${formatElapsed(Date.now() - started)} elapsed)`,
    );
    await sleep(delay);
  }
}

export interface WaitGoneOptions<T> {
  readonly description: string;
  readonly read: () => Promise<T | undefined>;
  readonly stateOf: (object: T) => string;
  readonly failure?: readonly string[];
  readonly reasonOf?: (object: T) => string | undefined;
  readonly timeoutMs: number;
  readonly schedule?: PollSchedule;
}

/** Polls until the object is not found (404 counts as done). */
export async function waitUntilGone<T>(options: WaitGoneOptions<T>): Promise<void> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let lastState: string | undefined;
  for (let poll = 0; ; poll++) {
    const object = await readOrUndefined(options.read);
    if (object === undefined) return;
    lastState = options.stateOf(object);
    if (isFailureState(lastState, options.failure)) {
      throw new WaitFailedError(options.description, lastState, options.reasonOf?.(object));
    }
    const delay = pollDelay(poll, options.schedule);
    if (Date.now() + delay > deadline) throw new WaitTimeoutError(options.description, lastState, options.timeoutMs);
    reportProgress(`waiting for ${options.description} (${lastState}, ${formatElapsed(Date.now() - started)} elapsed)`);
    await sleep(delay);
  }
}
