import { type SharedListing, SharedPoller, findShared, readShared, sharedPoller } from "../../provider/shared-poller";
import { waitForState, waitUntilGone } from "../../provider/waiter";

const fast = { initialMs: 1, growth: 1, maxMs: 1, jitter: 0 };
type Obj = { readonly id: string; readonly state: string };

/**
 * A kind whose objects step through their states, one step per listing; records what was called. A partial
 * kind lists the objects in the asked state; a complete one lists every object, whole (as the newest page).
 */
function kind(states: Record<string, string[]>, complete = false) {
  const calls = { lists: 0, shows: 0 };
  const index: Record<string, number> = {};
  const current = (id: string) => (states[id] ?? [])[Math.min(index[id] ?? 0, (states[id] ?? []).length - 1)];
  const listing = (id: string): SharedListing<Obj> => ({
    scope: calls,
    kind: "things",
    id,
    gapMs: 5,
    complete,
    list: async (wanted) => {
      calls.lists++;
      for (const key of Object.keys(states)) index[key] = (index[key] ?? 0) + 1;
      const asked = new Set(wanted.values());
      return new Map(
        Object.keys(states)
          .map((key) => ({ id: key, state: current(key) ?? "" }))
          .filter((o) => o.state !== "gone" && (complete || asked.has(o.state)))
          .map((o) => [o.id, o]),
      );
    },
  });
  const show = (id: string) => async () => {
    calls.shows++;
    const state = current(id);
    return state === undefined || state === "gone" ? undefined : { id, state };
  };
  return { calls, listing, show };
}

/** A wait until ACTIVE through `listing`, with the fast schedule; `extra` adds or overrides options. */
function untilActive(
  read: () => Promise<Obj | undefined>,
  shared: SharedListing<Obj>,
  extra: Partial<Parameters<typeof waitForState<Obj>>[0]> = {},
) {
  return waitForState<Obj>({
    description: `thing ${shared.id}`,
    read,
    shared,
    stateOf: (o) => o.state,
    target: ["ACTIVE"],
    timeoutMs: 5000,
    schedule: fast,
    ...extra,
  });
}

describe("SharedPoller", () => {
  test("one listing answers every read due within its gap", async () => {
    let lists = 0;
    const poller = new SharedPoller<Obj>(async () => {
      lists++;
      return new Map([["a", { id: "a", state: "BUILD" }]]);
    }, 50);
    const answers = await Promise.all([
      poller.read("a", "BUILD", 0),
      poller.read("b", "BUILD", 10),
      poller.read("a", "BUILD", 40),
    ]);
    expect(lists).toBe(1);
    expect(answers).toEqual([
      { found: true, object: { id: "a", state: "BUILD" } },
      { found: false },
      { found: true, object: { id: "a", state: "BUILD" } },
    ]);
  });

  test("reads due later than the gap wait for a later listing, at least a gap apart", async () => {
    const at: number[] = [];
    const poller = new SharedPoller<Obj>(async () => (at.push(Date.now()), new Map()), 30);
    await Promise.all([
      poller.read("a", "BUILD", 0),
      poller.read("b", "BUILD", 0),
      poller.read("c", "BUILD", 100),
      poller.read("d", "BUILD", 100),
    ]);
    expect(at).toHaveLength(2);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(29);
  });

  test("one listing per tick is asked for every due read, with the state each was last read in", async () => {
    const asked: [string, string | undefined][][] = [];
    const poller = new SharedPoller<Obj>(async (wanted) => (asked.push([...wanted]), new Map()), 20);
    await Promise.all([poller.read("a", "BUILD", 0), poller.read("b", "REBOOT", 0), poller.read("v", undefined, 0)]);
    expect(asked).toEqual([
      [
        ["a", "BUILD"],
        ["b", "REBOOT"],
        ["v", undefined],
      ],
    ]);
  });

  test("a one-off read is served by the tick's listing for waits", async () => {
    let lists = 0;
    const poller = new SharedPoller<Obj>(async () => {
      lists++;
      return new Map([
        ["a", { id: "a", state: "BUILD" }],
        ["v", { id: "v", state: "in-use" }],
      ]);
    }, 20);
    const [, oneOff] = await Promise.all([poller.read("a", "BUILD", 0), poller.read("v", undefined, 0)]);
    expect(oneOff).toEqual({ found: true, object: { id: "v", state: "in-use" } });
    expect(lists).toBe(1);
  });

  test("a read alone in its tick makes no listing, though other waits are due later", async () => {
    let lists = 0;
    const poller = new SharedPoller<Obj>(async () => (lists++, new Map()), 10);
    const later = poller.read("a", "BUILD", 200);
    await expect(poller.read("v", undefined, 0)).resolves.toEqual({ found: false });
    expect(lists).toBe(0);
    await later;
  });

  test("a listing that fails fails the reads it was to answer, and the next listing serves later reads", async () => {
    let fail = true;
    const poller = new SharedPoller<Obj>(async () => {
      if (fail) throw new Error("503 from the list");
      return new Map();
    }, 5);
    const both = () => Promise.allSettled([poller.read("a", "BUILD", 0), poller.read("b", "BUILD", 0)]);
    expect((await both()).map((r) => r.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect((await both()).map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
  });

  test("a wait alone is answered without a listing: its own show costs one request too", async () => {
    let lists = 0;
    const poller = new SharedPoller<Obj>(async () => (lists++, new Map()), 5);
    await expect(poller.read("a", "BUILD", 0)).resolves.toEqual({ found: false });
    expect(lists).toBe(0);
  });
});

describe("findShared", () => {
  type Named = { readonly id: string; readonly name: string };
  const objects: Named[] = [
    { id: "1", name: "web" },
    { id: "2", name: "db" },
    { id: "3", name: "web" },
  ];
  function lookups(whole: boolean) {
    const calls = { lists: 0, finds: 0 };
    const scope = {};
    const find = (name: string) =>
      findShared<Named>(
        {
          scope,
          kind: "things",
          key: name,
          listWhole: async () => (calls.lists++, whole ? objects : undefined),
          matches: (o, key) => o.name === key,
        },
        async () => (calls.finds++, objects.filter((o) => o.name === name)),
      );
    return { calls, find };
  }

  test("lookups made together share one listing of the whole kind", async () => {
    const { calls, find } = lookups(true);
    const [web, db, none] = await Promise.all([find("web"), find("db"), find("cache")]);
    expect([web.map((o) => o.id), db.map((o) => o.id), none]).toEqual([["1", "3"], ["2"], []]);
    expect(calls).toEqual({ lists: 1, finds: 0 });
  });

  test("when one page cannot hold the kind, each lookup runs its own find", async () => {
    const { calls, find } = lookups(false);
    const [web, db] = await Promise.all([find("web"), find("db")]);
    expect([web.map((o) => o.id), db.map((o) => o.id)]).toEqual([["1", "3"], ["2"]]);
    expect(calls).toEqual({ lists: 1, finds: 2 });
  });

  test("a lookup alone runs its own find and lists nothing", async () => {
    const { calls, find } = lookups(true);
    expect((await find("db")).map((o) => o.id)).toEqual(["2"]);
    expect(calls).toEqual({ lists: 0, finds: 1 });
  });
});

describe("readShared", () => {
  test("alone, it reads the object's own show and makes no listing", async () => {
    const { calls, listing, show } = kind({ v: ["in-use"] }, true);
    await expect(readShared(listing("v"), show("v"))).resolves.toEqual({ id: "v", state: "in-use" });
    expect(calls).toEqual({ lists: 0, shows: 1 });
  });

  test("beside a wait, it takes the listing's copy: one listing, no show but the wait's first read", async () => {
    const { calls, listing, show } = kind({ a: ["BUILD", "ACTIVE"], v: ["in-use"] }, true);
    const wait = waitForState({
      description: "thing a",
      read: show("a"),
      shared: listing("a"),
      stateOf: (o) => o.state,
      target: ["ACTIVE"],
      timeoutMs: 5000,
      schedule: fast,
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const [, volume] = await Promise.all([wait, readShared(listing("v"), show("v"))]);
    expect(volume).toEqual({ id: "v", state: "in-use" });
    expect(calls).toEqual({ lists: 1, shows: 1 });
  });

  test("when the listing fails, it reads the object's own show", async () => {
    let shows = 0;
    const listing: SharedListing<Obj> = {
      scope: {},
      kind: "things",
      id: "v",
      gapMs: 5,
      complete: true,
      list: async () => {
        throw new Error("503 from the list");
      },
    };
    const show = async () => (shows++, { id: "v", state: "in-use" });
    const [a, b] = await Promise.all([readShared(listing, show), readShared({ ...listing, id: "w" }, show)]);
    expect([a, b]).toEqual([
      { id: "v", state: "in-use" },
      { id: "v", state: "in-use" },
    ]);
    expect(shows).toBe(2);
  });

  test("a partial listing never stands in for a show, though a listing for another read is due", async () => {
    const { calls, listing, show } = kind({ a: ["BUILD"], v: ["in-use"] }, false);
    // Due together: had the one-off read joined, the tick would have listed for both.
    const other = sharedPoller(listing("a")).read("a", "BUILD", 0);
    await expect(readShared(listing("v"), show("v"))).resolves.toEqual({ id: "v", state: "in-use" });
    await expect(other).resolves.toEqual({ found: false });
    expect(calls).toEqual({ lists: 0, shows: 1 });
  });
});

describe("waits through a shared listing", () => {
  test("while pending, the listing stands in for the shows; what ends the wait is a show", async () => {
    const { calls, listing, show } = kind({
      a: ["BUILD", "BUILD", "BUILD", "ACTIVE"],
      b: ["BUILD", "BUILD", "BUILD", "ACTIVE"],
    });
    const wait = (id: string) => untilActive(show(id), listing(id));
    expect(await Promise.all([wait("a"), wait("b")])).toEqual([
      { id: "a", state: "ACTIVE" },
      { id: "b", state: "ACTIVE" },
    ]);
    // Per object, the first read and the one that saw the change are shows; the pending reads were listings.
    expect(calls).toEqual({ lists: 3, shows: 4 });
  });

  test("a complete listing ends the waits it shows in a target state: no show but the first reads", async () => {
    const { calls, listing, show } = kind(
      { a: ["BUILD", "BUILD", "BUILD", "ACTIVE"], b: ["BUILD", "BUILD", "BUILD", "ACTIVE"] },
      true,
    );
    const wait = (id: string) => untilActive(show(id), listing(id));
    expect(await Promise.all([wait("a"), wait("b")])).toEqual([
      { id: "a", state: "ACTIVE" },
      { id: "b", state: "ACTIVE" },
    ]);
    expect(calls).toEqual({ lists: 3, shows: 2 });
  });

  test("a failure state in a complete listing is read with a show, for its reason", async () => {
    const { calls, listing, show } = kind({ a: ["BUILD", "BUILD", "ERROR"], b: ["BUILD", "BUILD", "ERROR"] }, true);
    const wait = (id: string) => untilActive(show(id), listing(id), { reasonOf: () => "the reason only a show gives" });
    const results = await Promise.allSettled([wait("a"), wait("b")]);
    expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "fulfilled"))).toEqual([
      "WaitFailedError: thing a failed: state ERROR: the reason only a show gives",
      "WaitFailedError: thing b failed: state ERROR: the reason only a show gives",
    ]);
    // First reads (2), then one show each after the listing showed ERROR (2).
    expect(calls.shows).toBe(4);
  });

  test("a wait started from a known state makes no read at once: the listing reads first", async () => {
    const { calls, listing, show } = kind({ a: ["BUILD", "ACTIVE"], b: ["BUILD", "ACTIVE"] }, true);
    const wait = (id: string) => untilActive(show(id), listing(id), { startFrom: { state: "BUILD" } });
    expect(await Promise.all([wait("a"), wait("b")])).toEqual([
      { id: "a", state: "ACTIVE" },
      { id: "b", state: "ACTIVE" },
    ]);
    expect(calls).toEqual({ lists: 1, shows: 0 });
  });

  test("a wait started from a create's answer ends at once when the answer is in a target state", async () => {
    const { calls, listing, show } = kind({ a: ["ACTIVE"] }, true);
    const answer = { id: "a", state: "ACTIVE" };
    await expect(
      waitForState({
        description: "thing a",
        read: show("a"),
        shared: listing("a"),
        stateOf: (o) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 5000,
        schedule: fast,
        startFrom: { object: answer },
      }),
    ).resolves.toBe(answer);
    expect(calls).toEqual({ lists: 0, shows: 0 });
  });

  test("a state only assumed is never a listing's filter", async () => {
    const asked: (string | undefined)[] = [];
    const listing = (id: string): SharedListing<Obj> => ({
      scope: asked,
      kind: "things",
      id,
      gapMs: 5,
      complete: true,
      list: async (wanted) => {
        asked.push(...wanted.values());
        return new Map([...wanted.keys()].map((key) => [key, { id: key, state: "ACTIVE" }]));
      },
    });
    const wait = (id: string) =>
      waitForState({
        description: `thing ${id}`,
        read: async () => ({ id, state: "ACTIVE" }),
        shared: listing(id),
        stateOf: (o) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 5000,
        schedule: fast,
        startFrom: { state: "BUILD" },
      });
    await Promise.all([wait("a"), wait("b")]);
    expect(asked).toEqual([undefined, undefined]);
  });

  test("waiting until gone, a listing's copy in a new state is read with a show: only a show says gone", async () => {
    const { calls, listing, show } = kind({ a: ["DELETING", "DELETED"], b: ["DELETING", "DELETED"] }, true);
    const gone = new Set<string>();
    const wait = (id: string) =>
      waitUntilGone({
        description: `thing ${id}`,
        read: async () => (gone.has(id) ? undefined : (gone.add(id), show(id)())),
        shared: listing(id),
        stateOf: (o) => o.state,
        timeoutMs: 5000,
        schedule: fast,
      });
    await Promise.all([wait("a"), wait("b")]);
    // First reads (2 shows), one listing showing DELETED, then each wait's own read (404 here).
    expect(calls).toEqual({ lists: 1, shows: 2 });
    expect([...gone].sort()).toEqual(["a", "b"]);
  });

  test("ten waits together share their listings", async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const { calls, listing, show } = kind(
      Object.fromEntries(ids.map((id) => [id, ["BUILD", "BUILD", "BUILD", "ACTIVE"]])),
    );
    await Promise.all(ids.map((id) => untilActive(show(id), listing(id))));
    expect(calls.shows).toBe(20);
    expect(calls.lists).toBeLessThan(10);
  });

  test("an object the listing does not show is read with its own show (gone, here)", async () => {
    const { calls, listing, show } = kind({ a: ["DELETING", "gone"], b: ["DELETING", "gone"] });
    const wait = (id: string) =>
      waitUntilGone({
        description: `thing ${id}`,
        read: show(id),
        shared: listing(id),
        stateOf: (o) => o.state,
        timeoutMs: 5000,
        schedule: fast,
      });
    await Promise.all([wait("a"), wait("b")]);
    expect(calls).toEqual({ lists: 1, shows: 4 });
  });
});
