// Walks the operation table and calls every operation of the API at least once, through real HTTP with
// signed requests, in an order that gives each call the objects it needs (test/support/operation-walk.ts).
// Every answer must be the operation's documented success status; the shapes of the answers are checked
// by emulator-conformance.test.ts.
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { operations } from "../../provider/operations";
import { control, withEmulator } from "../support/emulator";
import { walkAllOperations, walkSequence } from "../support/operation-walk";

let emulator: RunningEmulator;

beforeAll(async () => {
  // A date when every version the reference lists (1.0 included) was still supported.
  emulator = await withEmulator({ timeScale: 0.0005, today: "2025-06-01" });
});
afterAll(() => emulator.close());

test("the walk names every operation of the table exactly once", () => {
  expect([...walkSequence].sort()).toEqual(Object.keys(operations).sort());
});

test("every operation answers its documented success status over real HTTP", async () => {
  const steps = await walkAllOperations(emulator);
  expect(steps.map((s) => ({ id: s.id, status: s.status, error: s.error }))).toEqual(
    walkSequence.map((id) => ({ id, status: operations[id].successStatus, error: undefined })),
  );
  const log = (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
  const called = new Set(log.map((r) => r.operation));
  expect(Object.keys(operations).filter((id) => !called.has(id))).toEqual([]);
}, 120_000);
