/**
 * Fault injection, global or per operation, reproducible from a seed: a rate of 5xx answers, 429 with
 * Retry-After, connection resets and slow responses; plus a queue of one-shot faults for exact scripts
 * ("the next createKeypair answers 503").
 */

export type FaultKind = "5xx" | "429" | "reset" | "slow";

export interface FaultRule {
  /** Operation ids the rule applies to; all when absent. */
  readonly operations?: readonly string[];
  readonly errorRate?: number;
  /** The 5xx status to answer (default 503). */
  readonly errorStatus?: number;
  readonly throttleRate?: number;
  readonly retryAfterSeconds?: number;
  readonly resetRate?: number;
  readonly slowRate?: number;
  readonly slowMs?: number;
  /** Apply the failure after the operation took effect (a lost answer) instead of before. */
  readonly afterEffect?: boolean;
}

export interface OneShotFault {
  readonly operation?: string;
  readonly kind: FaultKind;
  readonly status?: number;
  readonly retryAfterSeconds?: number;
  readonly delayMs?: number;
  readonly afterEffect?: boolean;
  /** How many matching requests it hits (default 1). */
  readonly times?: number;
}

export interface FaultConfig {
  readonly seed?: number;
  readonly rules?: readonly FaultRule[];
  readonly next?: readonly OneShotFault[];
}

export interface FaultDecision {
  readonly kind: FaultKind;
  readonly status?: number | undefined;
  readonly retryAfterSeconds?: number | undefined;
  readonly delayMs?: number | undefined;
  readonly afterEffect: boolean;
}

/** mulberry32: small, fast, good enough for reproducible fault draws (and duration jitter). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How many faults were decided, by kind and by whether they fall after the effect ("5xx after effect"). */
export type InjectedCounts = Record<string, number>;

export class FaultInjector {
  private rules: FaultRule[] = [];
  private queue: { fault: OneShotFault; left: number }[] = [];
  private random: () => number = prng(1);
  private injected: InjectedCounts = {};

  configure(config: FaultConfig): void {
    this.injected = {};
    this.rules = [...(config.rules ?? [])];
    this.queue = (config.next ?? []).map((fault) => ({ fault, left: fault.times ?? 1 }));
    this.random = prng(config.seed ?? 1);
  }

  add(config: FaultConfig): void {
    this.rules.push(...(config.rules ?? []));
    this.queue.push(...(config.next ?? []).map((fault) => ({ fault, left: fault.times ?? 1 })));
    if (config.seed !== undefined) this.random = prng(config.seed);
  }

  clear(): void {
    this.configure({});
  }

  describe(): { rules: FaultRule[]; next: OneShotFault[]; injected: InjectedCounts } {
    return {
      rules: this.rules,
      next: this.queue.map((q) => ({ ...q.fault, times: q.left })),
      injected: { ...this.injected },
    };
  }

  /** Decides the fault of one request, and counts it (a soak reports what it injected). */
  decide(operation: string): FaultDecision | undefined {
    const decision = this.draw(operation);
    if (decision) {
      const key = `${decision.kind}${decision.afterEffect ? " after effect" : ""}`;
      this.injected[key] = (this.injected[key] ?? 0) + 1;
    }
    return decision;
  }

  private draw(operation: string): FaultDecision | undefined {
    const queued = this.queue.find((q) => !q.fault.operation || q.fault.operation === operation);
    if (queued) {
      queued.left--;
      if (queued.left <= 0) this.queue.splice(this.queue.indexOf(queued), 1);
      const f = queued.fault;
      return {
        kind: f.kind,
        status: f.status ?? (f.kind === "429" ? 429 : 503),
        retryAfterSeconds: f.retryAfterSeconds,
        delayMs: f.delayMs,
        afterEffect: f.afterEffect ?? false,
      };
    }
    for (const rule of this.rules) {
      if (rule.operations && !rule.operations.includes(operation)) continue;
      const afterEffect = rule.afterEffect ?? false;
      if (rule.resetRate && this.random() < rule.resetRate) return { kind: "reset", afterEffect };
      if (rule.throttleRate && this.random() < rule.throttleRate) {
        return { kind: "429", status: 429, retryAfterSeconds: rule.retryAfterSeconds ?? 1, afterEffect: false };
      }
      if (rule.errorRate && this.random() < rule.errorRate) {
        return { kind: "5xx", status: rule.errorStatus ?? 503, afterEffect };
      }
      if (rule.slowRate && this.random() < rule.slowRate) {
        return { kind: "slow", delayMs: rule.slowMs ?? 2000, afterEffect: false };
      }
    }
    return undefined;
  }
}

/**
 * An API gateway's rate limit: a token bucket of `rate` requests per second (bursts up to `rate`) across
 * every API operation. A request beyond it is refused unprocessed with 429 and a Retry-After (whole seconds,
 * as the header carries them) for when a token is next available; refused requests take no token.
 */
export class RateLimiter {
  private tokens = 0;
  private refilledAt = 0;

  constructor(
    private rate: number | undefined,
    private readonly clock: () => number = Date.now,
  ) {
    this.refill();
  }

  /** Requests per second; undefined or 0 turns the limit off. */
  get limit(): number | undefined {
    return this.rate;
  }

  setRate(rate: number | undefined): void {
    if (rate !== undefined && !(rate >= 0 && Number.isFinite(rate))) {
      throw new RangeError(`rate limit must be a number of requests per second ≥ 0: ${rate}`);
    }
    this.rate = rate || undefined;
    this.refill();
  }

  /** A full bucket (at start, on a change of rate, on a reset). */
  refill(): void {
    this.tokens = this.rate ?? 0;
    this.refilledAt = this.clock();
  }

  /** Takes a token; answers undefined when the request may pass, else the Retry-After in seconds. */
  take(): number | undefined {
    if (!this.rate) return undefined;
    const now = this.clock();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
    this.refilledAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.rate));
  }
}
