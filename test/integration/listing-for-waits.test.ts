/**
 * The shared poller's listing (`listForWaits`) against the emulator: what it asks for, by the request log.
 * The newest page serves objects a create waits for; a state listing is added only for waited objects not
 * on it whose state was read; one-off reads (no state) never add one.
 */
import type { RunningEmulator } from "../../emulator";
import { listForWaits } from "../../provider/list-all";
import { apiVolume } from "../../provider/volume-api";
import { clientFor, control, untilObject, withEmulator } from "../support/emulator";

let emulator: RunningEmulator;
const ids: string[] = [];
beforeAll(async () => {
  emulator = await withEmulator();
  for (const name of ["first", "second", "third"]) {
    const created = await clientFor(emulator).call<{ id: string }>("createVolume", { body: { name, size: 10 } });
    ids.push(created.body.id);
    await untilObject(emulator, "volumes", created.body.id, (v) => v?.state === "available");
  }
});
afterAll(() => emulator.close());
beforeEach(() => control(emulator, "DELETE", "/requests"));

const requests = async () =>
  ((await control(emulator, "GET", "/requests")) as { operation?: string; path: string }[])
    .filter((r) => r.operation === "listVolumes")
    .map((r) => new URL(r.path, "http://x").searchParams);

test("objects on the newest page are served by one request, newest first", async () => {
  const listed = await listForWaits(
    clientFor(emulator),
    "listVolumes",
    "volumes",
    apiVolume,
    new Map([[ids[0] ?? "", "available"]]),
  );
  expect([...listed.keys()]).toEqual([...ids].reverse());
  const asked = await requests();
  expect(asked).toHaveLength(1);
  expect(asked[0]?.get("sort")).toBe("created_at:desc");
  expect(asked[0]?.get("state")).toBeNull();
});

test("a waited object not on the newest page adds one listing filtered by the state it was read in", async () => {
  await listForWaits(
    clientFor(emulator),
    "listVolumes",
    "volumes",
    apiVolume,
    new Map([["not-on-the-page", "extending"]]),
  );
  const asked = await requests();
  expect(asked.map((q) => q.get("state"))).toEqual([null, "extending"]);
});

test("a one-off read (no state known) never adds a state listing", async () => {
  await listForWaits(
    clientFor(emulator),
    "listVolumes",
    "volumes",
    apiVolume,
    new Map([["not-on-the-page", undefined]]),
  );
  expect((await requests()).map((q) => q.get("state"))).toEqual([null]);
});
