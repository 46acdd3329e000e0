/**
 * The emulator's in-memory objects and their life cycles.
 *
 * Objects live in named collections. Transitions (BUILD → ACTIVE, creating → available, deletion) are
 * scheduled at a future time and applied lazily: every request first settles what is due, so state depends
 * only on the clock and no timers run in the background.
 *
 * Duration jitter (`--duration-jitter F`): every scheduled life-cycle duration is multiplied by a factor
 * drawn uniformly from [1 − F, 1 + F], from a seeded generator, so that no poll schedule can be tuned to
 * fixed durations and a run can still be reproduced (same seed, same order of operations → same durations).
 */
import { randomUUID } from "node:crypto";
import type { CollectionName } from "./collections";
import { prng } from "./faults";

export type ApiObject = Record<string, unknown> & { id: string };

interface Transition {
  readonly at: number;
  readonly seq: number;
  readonly apply: () => void;
}

export interface Durations {
  serverBuildMs: number;
  serverActionMs: number;
  serverResizeMs: number;
  serverDeleteMs: number;
  volumeCreateMs: number;
  volumeAttachMs: number;
  volumeExtendMs: number;
  volumeDeleteMs: number;
  snapshotCreateMs: number;
  snapshotDeleteMs: number;
  imageCreateMs: number;
  asgScaleMs: number;
  asgDeleteMs: number;
}

/** Defaults close to what the real cloud takes; tests and the demo shorten them. */
export const REALISTIC_DURATIONS: Durations = {
  serverBuildMs: 45_000,
  serverActionMs: 10_000,
  serverResizeMs: 30_000,
  serverDeleteMs: 15_000,
  volumeCreateMs: 8_000,
  volumeAttachMs: 5_000,
  volumeExtendMs: 8_000,
  volumeDeleteMs: 5_000,
  snapshotCreateMs: 10_000,
  snapshotDeleteMs: 5_000,
  imageCreateMs: 30_000,
  asgScaleMs: 45_000,
  asgDeleteMs: 20_000,
};

export function scaleDurations(base: Durations, factor: number): Durations {
  return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, Math.round(v * factor)])) as unknown as Durations;
}

/** Sequences the emulator numbers things with (IP addresses, keypair ids, …); reset with the store. */
export type Counter = "privateIp" | "publicIp" | "natIp" | "keypairId" | "mac";

export class Store {
  private readonly collections = new Map<CollectionName, Map<string, ApiObject>>();
  private readonly counters = new Map<Counter, number>();
  private transitions: Transition[] = [];
  private seq = 0;
  private jitter = 0;
  private seed = 1;
  private random: () => number = prng(1);
  /** When the most recently scheduled transition is due (benchmarks read it: when an object is ready). */
  lastDueAt = 0;

  constructor(
    public durations: Durations,
    readonly clock: () => number = Date.now,
  ) {}

  /** Sets the duration jitter F (0 ≤ F < 1) and, when given, reseeds its generator. */
  setJitter(jitter: number, seed?: number): void {
    if (!(jitter >= 0 && jitter < 1)) throw new RangeError(`duration jitter must be in [0, 1): ${jitter}`);
    this.jitter = jitter;
    if (seed !== undefined) {
      this.seed = seed;
      this.random = prng(seed);
    }
  }

  /** A life-cycle duration with the jitter applied: `ms` × a factor in [1 − F, 1 + F]. */
  jittered(ms: number): number {
    if (this.jitter === 0 || ms <= 0) return ms;
    return Math.round(ms * (1 + this.jitter * (2 * this.random() - 1)));
  }

  now(): number {
    return this.clock();
  }

  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  newId(): string {
    return randomUUID();
  }

  /** A 32-hex id, the shape SCP uses for several kinds (ASGs, launch configurations, …). */
  newHexId(): string {
    return randomUUID().replace(/-/g, "");
  }

  /** The next value of a counter: 1, 2, 3, … from the start or the last reset. */
  next(counter: Counter): number {
    const value = (this.counters.get(counter) ?? 0) + 1;
    this.counters.set(counter, value);
    return value;
  }

  collection(name: CollectionName): Map<string, ApiObject> {
    let c = this.collections.get(name);
    if (!c) {
      c = new Map();
      this.collections.set(name, c);
    }
    return c;
  }

  get(name: CollectionName, id: string): ApiObject | undefined {
    return this.collections.get(name)?.get(id);
  }

  put(name: CollectionName, object: ApiObject): ApiObject {
    this.collection(name).set(object.id, object);
    return object;
  }

  remove(name: CollectionName, id: string): boolean {
    return this.collections.get(name)?.delete(id) ?? false;
  }

  list(name: CollectionName): ApiObject[] {
    return [...(this.collections.get(name)?.values() ?? [])];
  }

  /**
   * Schedules a change `afterMs` (a life-cycle duration, jittered) from now; applied on the first request at
   * or after that time.
   */
  schedule(afterMs: number, apply: () => void): void {
    const at = this.now() + Math.max(0, this.jittered(afterMs));
    this.lastDueAt = at;
    this.transitions.push({ at, seq: this.seq++, apply });
    this.transitions.sort((a, b) => a.at - b.at || a.seq - b.seq);
  }

  /** Applies every transition that is due (including ones scheduled by those applied). */
  settle(): void {
    const now = this.now();
    while (this.transitions.length > 0 && (this.transitions[0]?.at ?? Infinity) <= now) {
      const next = this.transitions.shift();
      next?.apply();
    }
  }

  /** Pending transitions, for the control API. */
  get pendingTransitions(): number {
    return this.transitions.length;
  }

  reset(): void {
    this.collections.clear();
    this.counters.clear();
    this.transitions = [];
    this.seq = 0;
    // A reset replays the same jitter draws.
    this.random = prng(this.seed);
  }

  dump(): Record<CollectionName, ApiObject[]> {
    this.settle();
    return Object.fromEntries([...this.collections.entries()].map(([name, c]) => [name, [...c.values()]])) as Record<
      CollectionName,
      ApiObject[]
    >;
  }

  count(): number {
    let n = 0;
    for (const c of this.collections.values()) n += c.size;
    return n;
  }
}
