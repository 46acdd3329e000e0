/**
 * One poller per object kind (and client: account and region), shared by every wait of the process.
 *
 * A wait registers the object it needs read and when (its own duration-aware schedule decides, see
 * waiter.ts); the poller lists the kind once for every wait due within the next gap (1.25 s): the newest
 * objects, one page, newest first where the API sorts, plus — for waited objects not on that page — a
 * listing filtered by the state each was last seen in, instead of one show per object. A listing entry
 * settles its wait as a show would where the kind's entries carry every field its show does (`complete`); a
 * wait whose object the listing does not settle (not listed, failed, a kind listed in part, or a listing
 * that failed) reads it with its own show. So twenty servers building together cost about one listing per
 * gap while they are expected to finish, not twenty shows; one server alone polls as it would without the
 * poller.
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
  /**
   * Objects of the kind by id, for the wanted ids and the state each was last seen in (undefined: not read
   * yet, or a one-off read). It may show more or fewer; what it leaves out is read by a show.
   */
  readonly list: (wanted: ReadonlyMap<string, string | undefined>) => Promise<ReadonlyMap<string, T>>;
  /**
   * The listing's entries carry every field the kind's show answers (the reference's List and Show examples
   * have the same keys; test/unit/shared-listings.test.ts checks it), so an entry in a target state ends a
   * wait as a show would. Failure states are always read with a show (for the reason).
   */
  readonly complete: boolean;
  /** The poller's pace: the least time between two listings, and how far ahead one serves waits (tests). */
  readonly gapMs?: number;
}

/**
 * What the listing said about one object; `found: false` also when no listing was made because the read was
 * alone in its tick (a listing costs what a show does, and a show settles the object either way).
 */
export type Listed<T> = { readonly found: true; readonly object: T } | { readonly found: false };

interface Request<T> {
  readonly id: string;
  /** The state the object was last read in; undefined when none was (a one-off read, a state assumed). */
  readonly state: string | undefined;
  readonly dueAt: number;
  resolve(listed: Listed<T>): void;
  reject(error: unknown): void;
}

/**
 * Never two listings of a kind closer than this (a listing every 1.25 s is the most a kind costs), and a
 * listing serves every wait due within this long after it (so a wait reads at most this much early); waits
 * that share read this densely too (waiter.ts). Measured (bench:waiter, 20 objects together): median lag
 * 0.4–0.6 s, p95 1.05–1.2 s, inside issue 14's ≤ 1 s and ≤ 2 s; at 1.5 s the 5 s operations' median lag
 * passed 1 s (1.03 s). bench:stack's up made 163 requests at 1 s, 158 at 1.25 s and 151 at 1.5 s. On the
 * API's clock: scaled by SCP_WAIT_TIME_SCALE, as the waits are.
 */
export const SHARED_LISTING_GAP_MS = 1250;

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
    private readonly list: (wanted: ReadonlyMap<string, string | undefined>) => Promise<ReadonlyMap<string, T>>,
    private readonly gapMs = SHARED_LISTING_GAP_MS,
  ) {}

  /**
   * The object as the listing due in `delayMs` (or sooner, shared with other waits) shows it; `state`: the
   * state it was last read in (undefined for a one-off read or a state only assumed).
   */
  read(id: string, state: string | undefined, delayMs: number): Promise<Listed<T>> {
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
    const now = Date.now();
    const due = [...this.requests].filter((r) => r.dueAt <= now + this.gapMs);
    for (const request of due) this.requests.delete(request);
    if (due.length === 1) {
      // Alone in its tick: its own show costs one request too, and settles the object either way. No listing
      // is made, so none holds the next one back.
      due[0]?.resolve({ found: false });
      this.schedule();
      return;
    }
    this.listing = true;
    this.lastListAt = now;
    try {
      const objects = await this.list(new Map(due.map((r) => [r.id, r.state])));
      for (const request of due) {
        const object = objects.get(request.id);
        request.resolve(object === undefined ? { found: false } : { found: true, object });
      }
    } catch (error) {
      for (const request of due) request.reject(error);
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
      listing.list as (wanted: ReadonlyMap<string, string | undefined>) => Promise<ReadonlyMap<string, unknown>>,
      listing.gapMs ?? SHARED_LISTING_GAP_MS * waitTimeScale(),
    );
    byKind.set(listing.kind, poller);
  }
  return poller as SharedPoller<T>;
}

/**
 * One read of an object of a kind whose listing is complete: the copy a listing made for other waits within
 * the poller's gap shows (a read that then costs nothing), else — alone, not listed, or the listing failed —
 * its own show. It may wait up to the gap.
 */
export async function readShared<T>(
  listing: SharedListing<T>,
  show: () => Promise<T | undefined>,
): Promise<T | undefined> {
  if (!listing.complete) return show();
  const listed = await sharedPoller(listing)
    .read(listing.id, undefined, 0)
    .catch((): Listed<T> => ({ found: false }));
  return listed.found ? listed.object : show();
}

/**
 * Lookups of a kind that one listing of the whole kind can serve together (`findShared`). The first lookup's
 * `listWhole` and `matches` serve every later one of its scope and kind (as a shared listing's `list` does),
 * so they may depend on nothing but the scope.
 */
export interface SharedLookup<T> {
  /** Lookups that share listings: the same client (account and region) and `kind`. */
  readonly scope: object;
  readonly kind: string;
  /** What this lookup looks for (a name, say), as `matches` reads it. */
  readonly key: string;
  /** Every object of the kind, or undefined when one listing cannot hold them all (`listWholeKind`). */
  readonly listWhole: () => Promise<readonly T[] | undefined>;
  readonly matches: (object: T, key: string) => boolean;
}

/**
 * How long a lookup waits for others to share its listing, on the API's clock: the creates of one `up`
 * reach the provider within milliseconds of each other.
 */
const LOOKUP_BATCH_MS = 250;

/**
 * The objects a lookup looks for, for lookups made within a moment of each other (the creates of one `up`,
 * each checking for an interrupted run's object first): one listing of the whole kind serves them all
 * where one page holds it; alone, in an account of more than a page, or when the listing fails, each runs
 * its own `find`.
 */
export async function findShared<T>(lookup: SharedLookup<T>, find: () => Promise<T[]>): Promise<T[]> {
  const poller = sharedPoller<T[]>({
    scope: lookup.scope,
    kind: `${lookup.kind} lookups`,
    id: lookup.key,
    complete: true,
    list: async (wanted) => {
      const all = await lookup.listWhole();
      if (all === undefined) return new Map();
      return new Map([...wanted.keys()].map((key) => [key, all.filter((object) => lookup.matches(object, key))]));
    },
  });
  const listed = await poller
    .read(lookup.key, undefined, LOOKUP_BATCH_MS * waitTimeScale())
    .catch((): Listed<T[]> => ({ found: false }));
  return listed.found ? listed.object : find();
}
