import { type SharedListing, SharedPoller } from "../../provider/shared-poller";
import { waitForState, waitUntilGone } from "../../provider/waiter";

const fast = { initialMs: 1, growth: 1, maxMs: 1, jitter: 0 };
type Obj = { readonly id: string; readonly state: string };

/** A kind whose objects reach `done` after `readsUntilDone` listings; records what was called. */
function kind(states: Record<string, string[]>) {
  const calls = { lists: 0, shows: 0 };
  const index: Record<string, number> = {};
  const current = (id: string) => (states[id] ?? [])[Math.min(index[id] ?? 0, (states[id] ?? []).length - 1)];
  const listing = (id: string): SharedListing<Obj> => ({
    scope: calls,
    kind: "things",
    id,
    gapMs: 5,
    list: async (state) => {
      calls.lists++;
      for (const key of Object.keys(states)) index[key] = (index[key] ?? 0) + 1;
      return new Map(
        Object.keys(states)
          .map((key) => ({ id: key, state: current(key) ?? "" }))
          .filter((o) => o.state === state)
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
    await Promise.all([poller.read("a", "BUILD", 0), poller.read("b", "BUILD", 100), poller.read("c", "BUILD", 100)]);
    expect(at).toHaveLength(2);
    expect((at[1] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(29);
  });

  test("waits in different states get one listing per state", async () => {
    const asked: string[] = [];
    const poller = new SharedPoller<Obj>(async (state) => (asked.push(state), new Map()), 20);
    await Promise.all([poller.read("a", "BUILD", 0), poller.read("b", "REBOOT", 0), poller.read("c", "BUILD", 0)]);
    expect(asked.sort()).toEqual(["BUILD", "REBOOT"]);
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

describe("waits through a shared listing", () => {
  test("while pending, the listing stands in for the shows; what ends the wait is a show", async () => {
    const { calls, listing, show } = kind({
      a: ["BUILD", "BUILD", "BUILD", "ACTIVE"],
      b: ["BUILD", "BUILD", "BUILD", "ACTIVE"],
    });
    const wait = (id: string) =>
      waitForState({
        description: `thing ${id}`,
        read: show(id),
        shared: listing(id),
        stateOf: (o) => o.state,
        target: ["ACTIVE"],
        timeoutMs: 5000,
        schedule: fast,
      });
    expect(await Promise.all([wait("a"), wait("b")])).toEqual([
      { id: "a", state: "ACTIVE" },
      { id: "b", state: "ACTIVE" },
    ]);
    // Per object, the first read and the one that saw the change are shows; the pending reads were listings.
    expect(calls).toEqual({ lists: 3, shows: 4 });
  });

  test("ten waits together share their listings", async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `t${i}`);
    const { calls, listing, show } = kind(
      Object.fromEntries(ids.map((id) => [id, ["BUILD", "BUILD", "BUILD", "ACTIVE"]])),
    );
    await Promise.all(
      ids.map((id) =>
        waitForState({
          description: `thing ${id}`,
          read: show(id),
          shared: listing(id),
          stateOf: (o) => o.state,
          target: ["ACTIVE"],
          timeoutMs: 5000,
          schedule: fast,
        }),
      ),
    );
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
