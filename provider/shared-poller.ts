/**
 * One poller per object kind (and client: account and region), shared by every wait of the process.
 *
 * A wait registers the object it needs read and when (its own duration-aware schedule decides, see
 * waiter.ts); the poller lists the kind once for every wait due within the next second: one list request
 * (paginated; filtered by the pending state where the API can filter) instead of one show per object. A wait
 * whose object the list does not settle (not listed, or in another state) reads it with its own show. So
 * twenty servers building together cost about one list a second while they are expected to finish, not
 * twenty shows; one server alone polls as it would without the poller.
 */
import { waitTimeScale } from "./settings";

/** How a wait's object is found by listing its kind. */
export interface SharedListing<T> {
  /** Waits that share listings: the same client (account and region) and `kind`. */
  readonly scope: object;
  /** The kind listed, with its filter: `servers`, `volumes` … */
  readonly kind: string;
  /** The object's id in the listing. */
  readonly id: string;
  /** Every object of the kind in `state` (or of any state, where the API cannot filter), by id. */
  readonly list: (state: string) => Promise<ReadonlyMap<string, T>>;
  /** The poller's pace: the least time between two listings, and how far ahead one serves waits (tests). */
  readonly gapMs?: number;
}

/**
 * What the listing said about one object; `found: false` also when no listing was made because the wait was
 * alone (a listing costs what a show does, and a show settles the object either way).
 */
export type Listed<T> = { readonly found: true; readonly object: T } | { readonly found: false };

interface Request<T> {
  readonly id: string;
  readonly state: string;
  readonly dueAt: number;
  resolve(listed: Listed<T>): void;
  reject(error: unknown): void;
}

/**
 * Never two listings of a kind closer than this (one a second is the most a kind costs), and a listing
 * serves every wait due within this long after it (so a wait reads at most this much early). On the API's
 * clock: scaled by SCP_WAIT_TIME_SCALE, as the waits are (waiter.ts).
 */
const GAP_MS = 1000;

export class SharedPoller<T> {
  private readonly requests = new Set<Request<T>>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private lastListAt = -Infinity;
  private listing = false;
  /** Waits registered now (other than the one asking): more than none, and a dense read costs them nothing. */
  get waiting(): number {
    return this.requests.size;
  }

  constructor(
    private readonly list: (state: string) => Promise<ReadonlyMap<string, T>>,
    private readonly gapMs = GAP_MS,
  ) {}

  /** The object as the listing due in `delayMs` (or sooner, shared with other waits) shows it. */
  read(id: string, state: string, delayMs: number): Promise<Listed<T>> {
    return new Promise((resolve, reject) => {
      this.requests.add({ id, state, dueAt: Date.now() + delayMs, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.listing || this.requests.size === 0) return;
    const earliest = Math.min(...[...this.requests].map((r) => r.dueAt));
    const at = Math.max(earliest, this.lastListAt + this.gapMs);
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => void this.fire(), Math.max(0, at - Date.now()));
  }

  private async fire(): Promise<void> {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.listing = true;
    const now = Date.now();
    this.lastListAt = now;
    const due = [...this.requests].filter((r) => r.dueAt <= now + this.gapMs);
    for (const request of due) this.requests.delete(request);
    if (due.length === 1 && this.requests.size === 0) {
      // Alone: the wait's own show costs one request too, and needs no second one to confirm a change.
      due[0]?.resolve({ found: false });
      this.listing = false;
      this.schedule();
      return;
    }
    try {
      for (const state of new Set(due.map((r) => r.state))) {
        const batch = due.filter((r) => r.state === state);
        try {
          const objects = await this.list(state);
          for (const request of batch) {
            const object = objects.get(request.id);
            request.resolve(object === undefined ? { found: false } : { found: true, object });
          }
        } catch (error) {
          for (const request of batch) request.reject(error);
        }
      }
    } finally {
      this.listing = false;
      this.schedule();
    }
  }
}

const pollers = new WeakMap<object, Map<string, SharedPoller<unknown>>>();

/** The process's poller for this listing's scope and kind. */
export function sharedPoller<T>(listing: SharedListing<T>): SharedPoller<T> {
  let byKind = pollers.get(listing.scope);
  if (!byKind) pollers.set(listing.scope, (byKind = new Map()));
  let poller = byKind.get(listing.kind);
  if (!poller) {
    poller = new SharedPoller(
      listing.list as (state: string) => Promise<ReadonlyMap<string, unknown>>,
      listing.gapMs ?? GAP_MS * waitTimeScale(),
    );
    byKind.set(listing.kind, poller);
  }
  return poller as SharedPoller<T>;
}
