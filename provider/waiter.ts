/**
 * The one waiter: polls a read until the object reaches a target state (or is gone).
 *
 * - Failure states fail fast with the API's reason; states it does not know count as pending.
 * - A few not-founds right after a create are tolerated (the object may not be listed yet).
 * - The deadline comes from the resource's `timeouts`.
 * - Progress (what is awaited, elapsed time) is reported while waiting.
 *
 * Poll schedule (see bench/waiter-bench.ts for the measurements): duration-aware. The first read happens at
 * once (many operations finish quickly, and it shows which operation is under way: the pending state, e.g. a
 * server in BUILD) unless the caller knows it already (`startFrom`: a create's answer, or the state the call
 * just accepted puts the object in). The waiter then knows the operation's kind (`server BUILD`, `volume
 * attaching`, …) and how long such operations take: the table EXPECTED_DURATIONS below, refined by what this
 * process observed for the same kind in this run (the first server that built in 50 s predicts the next). From
 * that it derives a window [expected × (1 − u), expected × (1 + u)]:
 *
 * - before the window, a quick check after 1 s, then sparse reads, each waiting twice as long as the wait has
 *   lasted so far (reads at 0, 1 s, 3 s, 9 s, 27 s, …), the last landing on the window's start: an operation
 *   that finishes far earlier than expected (a table entry that is off) is still seen within about twice its
 *   duration, and progress lines keep coming. A window that opens within 4 s (operations expected to take a
 *   few seconds: an attach, a detach) gets no read before it: its first read is as early as a fixed 3 s
 *   poller's second, and a quick check would be a third of the wait's reads;
 * - inside the window, dense reads: every 2.5 s while the wait is alone (each read is a request of its own;
 *   the median lag is then about 1.25 s, and even a 5 s operation gets no more reads than a fixed 3 s
 *   poller's), at the shared listing's pace, 1.25 s, while it shares its listing with others (a read costs a
 *   share of one request);
 * - past the window (a slower operation than expected), the interval grows from the dense one by 1.25× per
 *   read up to 5 s.
 *
 * A kind with no table entry and nothing observed yet polls as before: 1 s growing by 1.25× to 5 s. Every
 * delay carries ±10% jitter, so that many resources waiting together do not poll in lockstep, and never
 * runs past the deadline (a last read happens at the deadline). During a long sparse sleep the progress line
 * is repeated at least every 10 s. Nothing is stored outside the process.
 * An explicit `schedule` (tests) replaces all of this with the plain growing interval.
 *
 * All of this (an explicit schedule too) is planned on the API's clock: real time ÷ `SCP_WAIT_TIME_SCALE` (1 against SCP; the emulator's
 * `--time-scale` against it), so a time-scaled emulator is polled at its own pace, not SCP's. Deadlines and
 * progress lines stay in real time.
 */
import { ScpApiError } from "./errors";
import { formatElapsed, reportProgress } from "./progress";
import { waitTimeScale } from "./settings";
import { type Listed, SHARED_LISTING_GAP_MS, type SharedListing, sharedPoller } from "./shared-poller";

export interface PollSchedule {
  readonly initialMs: number;
  readonly growth: number;
  readonly maxMs: number;
  readonly jitter: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initialMs: 1000, growth: 1.25, maxMs: 5000, jitter: 0.1 };

/**
 * Expected durations by operation kind: `<first word of the description> <pending state>` (lower case;
 * `… gone` for deletions). Sources: SCP's typical times, as the emulator's REALISTIC_DURATIONS (server build
 * 45 s, attach 5 s, snapshot 10 s, …). Kinds not listed are learned from observation in the run.
 */
export const EXPECTED_DURATIONS: Readonly<Record<string, number>> = {
  "server build": 45_000,
  "server rebuild": 45_000,
  "server resize": 30_000,
  "server powering_on": 10_000,
  "server powering_off": 10_000,
  "server reboot": 10_000,
  "server deleting gone": 15_000,
  "volume creating": 8_000,
  "volume attaching": 5_000,
  "volume detaching": 5_000,
  "volume extending": 8_000,
  "volume reverting": 8_000,
  "volume deleting gone": 5_000,
  "boot extending": 8_000,
  "snapshot creating": 10_000,
  "snapshot deleting gone": 5_000,
  "auto-scaling creating": 45_000,
  "auto-scaling scaling_out": 45_000,
  "auto-scaling scaling_in": 20_000,
  "auto-scaling deleting gone": 20_000,
  "image importing": 30_000,
  "image saving": 30_000,
};

/** The kind of an operation being awaited, the key of EXPECTED_DURATIONS and of what was observed. */
export function operationKind(description: string, pendingState: string, gone = false): string {
  const noun = description.trim().split(/\s+/)[0] ?? "";
  return `${noun} ${pendingState}${gone ? " gone" : ""}`.toLowerCase();
}

/** The window in which an operation is expected to finish, in ms since the wait started. */
export interface ExpectedWindow {
  readonly expectedMs: number;
  readonly fromMs: number;
  readonly untilMs: number;
}

const TABLE_UNCERTAINTY = 0.3;
const OBSERVED_MARGIN = 0.1;
const KEPT_OBSERVATIONS = 50;

/**
 * How long operations of each kind took in this process. The expected duration blends the prior (table or
 * caller's) with the observations; the window spans both the prior's ±30% and the observed range ±10%.
 */
export class DurationModel {
  private readonly observed = new Map<string, number[]>();

  observe(kind: string, ms: number): void {
    const list = this.observed.get(kind) ?? [];
    list.push(ms);
    if (list.length > KEPT_OBSERVATIONS) list.shift();
    this.observed.set(kind, list);
  }

  window(kind: string, priorMs: number | undefined = EXPECTED_DURATIONS[kind]): ExpectedWindow | undefined {
    const seen = this.observed.get(kind) ?? [];
    if (seen.length === 0) {
      if (priorMs === undefined) return undefined;
      return {
        expectedMs: priorMs,
        fromMs: Math.round(priorMs * (1 - TABLE_UNCERTAINTY)),
        untilMs: Math.round(priorMs * (1 + TABLE_UNCERTAINTY)),
      };
    }
    const total = seen.reduce((a, b) => a + b, 0) + (priorMs ?? 0);
    const expectedMs = total / (seen.length + (priorMs === undefined ? 0 : 1));
    return {
      expectedMs,
      fromMs: Math.round(Math.min(expectedMs * (1 - TABLE_UNCERTAINTY), Math.min(...seen) * (1 - OBSERVED_MARGIN))),
      untilMs: Math.round(Math.max(expectedMs * (1 + TABLE_UNCERTAINTY), Math.max(...seen) * (1 + OBSERVED_MARGIN))),
    };
  }

  clear(): void {
    this.observed.clear();
  }
}

/** What this process observed: shared by every resource it waits for. */
export const observedDurations = new DurationModel();

const QUICK_CHECK_MS = 1000;
/** A window that opens this soon gets no read before it (see the header). */
const NO_EARLY_READS_WITHIN_MS = 4000;
/** The dense pace of a wait alone: each read is a request (see the header). */
const ALONE_DENSE_MS = 2500;
const LATE_MAX_MS = 5000;

/**
 * The duration-aware delay before the next read, `elapsedMs` after the wait started, after `reads` reads,
 * `late` of them past the window. Without a window: the plain growing interval.
 */
export function plannedDelay(
  elapsedMs: number,
  reads: number,
  window: ExpectedWindow | undefined,
  late: number,
  random = Math.random,
  shared = false,
): number {
  const jitter = (ms: number) => Math.round(ms * (1 + 0.1 * (2 * random() - 1)));
  if (window === undefined) return pollDelay(reads - 1, DEFAULT_POLL_SCHEDULE, random);
  // Sharing a listing with other waits, a read costs a share of one request: read at the listing's pace.
  const dense = shared ? SHARED_LISTING_GAP_MS : ALONE_DENSE_MS;
  if (elapsedMs < window.fromMs) {
    // A quick check, then sparse: each read waits twice as long as the wait has lasted (at least 1 s), so an
    // operation far quicker than expected is still seen within twice its duration; a step that would end
    // just short of the window's start goes all the way to it, and so does a wait whose window is near.
    const gap = window.fromMs - elapsedMs;
    if (gap <= NO_EARLY_READS_WITHIN_MS) return Math.max(1, Math.round(gap));
    const step = Math.max(QUICK_CHECK_MS, 2 * elapsedMs);
    return Math.max(1, Math.round(gap - step < step / 2 ? gap : step));
  }
  if (elapsedMs <= window.untilMs) return jitter(dense);
  return jitter(Math.min(LATE_MAX_MS, dense * 1.25 ** late));
}

/** Delay before poll `n` (0-based, counted after the immediate first read). */
export function pollDelay(n: number, schedule: PollSchedule = DEFAULT_POLL_SCHEDULE, random = Math.random): number {
  const base = Math.min(schedule.maxMs, schedule.initialMs * schedule.growth ** n);
  return Math.round(base * (1 + schedule.jitter * (2 * random() - 1)));
}

/** A wait for steady state that ran out of time (raise the resource's `timeouts` if it needs longer). */
export class WaitTimeoutError extends Error {
  constructor(
    /** What was awaited, e.g. `server "web-1" to become ACTIVE`. */
    readonly description: string,
    /** The last state read, when any read answered. */
    readonly lastState: string | undefined,
    /** How long it waited, in milliseconds. */
    readonly timeoutMs: number,
  ) {
    super(
      `timed out after ${formatElapsed(timeoutMs)} waiting for ${description}` +
        `${lastState === undefined ? "" : ` (last state: ${lastState})`}; raise the resource's timeouts if it needs longer`,
    );
    this.name = "WaitTimeoutError";
  }
}

/** A wait for steady state that ended in a failed state (e.g. ERROR). */
export class WaitFailedError extends Error {
  constructor(
    /** What was awaited, e.g. `server "web-1" to become ACTIVE`. */
    readonly description: string,
    /** The failed state read, e.g. `ERROR`. */
    readonly state: string,
    /** Why, when the API says. */
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
  /** A plain growing schedule instead of the duration-aware one (tests). */
  readonly schedule?: PollSchedule;
  /** The operation's expected duration, instead of the table's entry for its kind. */
  readonly expectedMs?: number;
  /** Where durations are learned; default the process-wide `observedDurations`. */
  readonly durations?: DurationModel;
  /** Read through the process's shared listing of the kind while the object is pending (shared-poller.ts). */
  readonly shared?: SharedListing<T>;
  /**
   * What is known without a read, right after the call that started the operation: its answer (`object`,
   * when it is the object as a show answers it) or the state the operation puts the object in (`state`,
   * e.g. BUILD after Create Virtual Server). The wait then starts from it, with no read at once.
   */
  readonly startFrom?: { readonly object: T } | { readonly state: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const PROGRESS_EVERY_MS = 10_000;

/** Sleeps `ms`, repeating the progress line at least every 10 s of a long (sparse) sleep. */
async function sleepReporting(ms: number, progress: () => string): Promise<void> {
  reportProgress(progress());
  for (let left = ms; left > 0; left -= PROGRESS_EVERY_MS) {
    await sleep(Math.min(left, PROGRESS_EVERY_MS));
    if (left > PROGRESS_EVERY_MS) reportProgress(progress());
  }
}

async function readOrUndefined<T>(read: () => Promise<T | undefined>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ScpApiError && error.notFound) return undefined;
    throw error;
  }
}

/** A state that ends a wait with a failure: one of `failure`, or any state naming an error or failure. */
export function isFailureState(state: string, failure: readonly string[] | undefined): boolean {
  return (failure ?? []).includes(state) || /error|fail/i.test(state);
}

/** The schedule of one wait: when to read next, and what to learn when it ends. */
class Pacer {
  private readonly started = Date.now();
  /** Real ms per API ms (see the header). */
  private readonly scale = waitTimeScale();
  private reads = 0;
  private late = 0;
  private kind: string | undefined;
  private window: ExpectedWindow | undefined;
  private lastPendingAt: number | undefined;

  constructor(
    private readonly options: {
      readonly description: string;
      readonly timeoutMs: number;
      readonly schedule?: PollSchedule | undefined;
      readonly expectedMs?: number | undefined;
      readonly durations?: DurationModel | undefined;
      readonly shared?: SharedListing<unknown> | undefined;
    },
    private readonly gone: boolean,
  ) {}

  /** Real time since the wait started (deadlines, progress lines). */
  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** After a read that did not end the wait; `state` undefined when the object was not found. */
  pending(state: string | undefined): void {
    this.reads++;
    this.lastPendingAt = Date.now();
    if (this.kind === undefined && state !== undefined) {
      this.kind = operationKind(this.options.description, state, this.gone);
      this.window = (this.options.durations ?? observedDurations).window(this.kind, this.options.expectedMs);
    }
  }

  /** The real delay before the next read; undefined when the deadline leaves no time for one. */
  nextDelay(): number | undefined {
    const remaining = this.started + this.options.timeoutMs - Date.now();
    if (this.options.schedule) {
      const delay = pollDelay(this.reads - 1, this.options.schedule) * this.scale;
      return delay > remaining ? undefined : delay;
    }
    const elapsed = this.elapsedMs / this.scale;
    if (this.window && elapsed > this.window.untilMs) this.late++;
    const crowded = this.options.shared !== undefined && sharedPoller(this.options.shared).waiting > 0;
    const delay = plannedDelay(elapsed, this.reads, this.window, this.late, Math.random, crowded) * this.scale;
    if (remaining <= 0) return undefined;
    return Math.min(delay, remaining);
  }

  /** The wait succeeded: remember how long the operation took (midway between the last two reads). */
  done(): void {
    if (this.kind === undefined || this.lastPendingAt === undefined || this.options.schedule) return;
    const finishedAt = (this.lastPendingAt + Date.now()) / 2;
    (this.options.durations ?? observedDurations).observe(this.kind, (finishedAt - this.started) / this.scale);
  }
}

/** Where a wait stands before its next read through a shared listing. */
interface ListedRead<T> {
  readonly shared: SharedListing<T> | undefined;
  /** The state the object was last seen in (read, or assumed); undefined when not found. */
  readonly lastState: string | undefined;
  /** `lastState` is only assumed (`startFrom: { state }`): it picks the schedule, never a listing's filter. */
  readonly assumed: boolean;
  /** A listing's copy in a new state may end the wait (false for waits until gone: only a show says gone). */
  readonly copyMayEnd: boolean;
}

/**
 * The next read, `delayMs` from now. Through the shared listing while the object is pending: the listing's
 * copy when it shows the object still in `lastState`, or — where the listing's entries are whole objects
 * (`complete`) and the wait allows it — in any state but a failure; otherwise (not listed, failed, a partial
 * listing, a listing that failed) the object's own read, so that a failure and its reason, and gone, always
 * come from a show.
 */
async function readAfter<T>(
  delayMs: number,
  options: {
    readonly read: () => Promise<T | undefined>;
    readonly stateOf: (object: T) => string;
    readonly failure?: readonly string[] | undefined;
  },
  at: ListedRead<T>,
  progress: () => string,
): Promise<T | undefined> {
  const { shared, lastState } = at;
  if (shared === undefined || lastState === undefined) {
    await sleepReporting(delayMs, progress);
    return readOrUndefined(options.read);
  }
  reportProgress(progress());
  const repeat = setInterval(() => reportProgress(progress()), PROGRESS_EVERY_MS);
  try {
    const listed = await sharedPoller(shared)
      .read(shared.id, at.assumed ? undefined : lastState, delayMs)
      .catch((): Listed<T> => ({ found: false }));
    if (listed.found) {
      const state = options.stateOf(listed.object);
      if (state === lastState) return listed.object;
      if (shared.complete && at.copyMayEnd && !isFailureState(state, options.failure)) return listed.object;
    }
  } finally {
    clearInterval(repeat);
  }
  return readOrUndefined(options.read);
}

/** Polls until the object reaches a target state; returns the object as last read. */
export async function waitForState<T>(options: WaitOptions<T>): Promise<T> {
  const pacer = new Pacer(options, false);
  const tolerance = options.notFoundTolerance ?? 3;
  const start = options.startFrom;
  let notFound = 0;
  let lastState: string | undefined;
  // A state the caller knows (an operation just accepted) stands for the first read.
  let known = start !== undefined && "state" in start ? start.state : undefined;
  let object = start === undefined ? await readOrUndefined(options.read) : "object" in start ? start.object : undefined;
  let assumed = false;
  for (;;) {
    if (known !== undefined) {
      lastState = known;
      assumed = true;
      known = undefined;
    } else if (object === undefined) {
      notFound++;
      if (notFound > tolerance) {
        throw new WaitFailedError(options.description, "NOT_FOUND", "the object disappeared while being waited for");
      }
    } else {
      notFound = 0;
      const state = options.stateOf(object);
      lastState = state;
      assumed = false;
      if (options.target.includes(state) && (options.ready?.(object) ?? true)) {
        pacer.done();
        return object;
      }
      if (isFailureState(state, options.failure)) {
        throw new WaitFailedError(options.description, state, options.reasonOf?.(object));
      }
    }
    const visible = notFound === 0 && lastState !== undefined;
    pacer.pending(visible ? lastState : undefined);
    const delay = pacer.nextDelay();
    if (delay === undefined) throw new WaitTimeoutError(options.description, lastState, options.timeoutMs);
    object = await readAfter(
      delay,
      options,
      { shared: visible ? options.shared : undefined, lastState, assumed, copyMayEnd: true },
      () =>
        `waiting for ${options.description} (${lastState ?? "not visible yet"}, ${formatElapsed(pacer.elapsedMs)} elapsed)`,
    );
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
  readonly expectedMs?: number;
  readonly durations?: DurationModel;
  readonly shared?: SharedListing<T>;
}

/** Polls until the object is not found (404 counts as done). */
export async function waitUntilGone<T>(options: WaitGoneOptions<T>): Promise<void> {
  const pacer = new Pacer(options, true);
  let lastState: string | undefined;
  let object = await readOrUndefined(options.read);
  for (;;) {
    if (object === undefined) {
      pacer.done();
      return;
    }
    lastState = options.stateOf(object);
    if (isFailureState(lastState, options.failure)) {
      throw new WaitFailedError(options.description, lastState, options.reasonOf?.(object));
    }
    pacer.pending(lastState);
    const delay = pacer.nextDelay();
    if (delay === undefined) throw new WaitTimeoutError(options.description, lastState, options.timeoutMs);
    const state = lastState;
    object = await readAfter(
      delay,
      options,
      { shared: options.shared, lastState: state, assumed: false, copyMayEnd: false },
      () => `waiting for ${options.description} (${state}, ${formatElapsed(pacer.elapsedMs)} elapsed)`,
    );
  }
}
