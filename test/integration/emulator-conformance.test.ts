// Conformance of the emulator's answers to the API reference: every operation, every version the reference
// lists, called over real signed HTTP (the walk of test/support/operation-walk.ts) and each 2xx answer's
// shape compared with the reference's example for that operation and version (test/support/shape.ts).
//
// The current versions are walked on an emulator whose "today" is the real date; the older versions
// (1.0, and 1.1/1.2 of Delete Virtual Server) on emulators whose "today" precedes their support dates.
// No allow-list: a difference the reference itself justifies would be listed here with its line.
import type { RunningEmulator } from "../../emulator";
import { type OperationId, type OperationSpec, operations } from "../../provider/operations";
import { withEmulator } from "../support/emulator";
import { type WalkStep, walkAllOperations } from "../support/operation-walk";
import {
  emptyListPaths,
  exampleLocation,
  referenceExample,
  requestKeyDifferences,
  shapeDifferences,
} from "../support/shape";

/** A day when every version the reference lists (1.0 included, until 2025-12-31) was still supported. */
const BEFORE_EVERY_SUPPORT_DATE = "2025-06-01";
const today = new Date().toISOString().slice(0, 10);
const supportedToday = (op: OperationSpec, version: string) => {
  const until = op.versions.find((v) => v.version === version)?.supportedUntil;
  return until === null || until === undefined || until >= today;
};

const allOps: OperationSpec[] = Object.values(operations);
const cases = allOps.flatMap((op) => op.versions.map((v) => ({ id: op.id, version: v.version })));
const maxVersions = Math.max(...allOps.map((op) => op.versions.length));

/** Answers by "operation@version": the first walk that called that version. */
const answers = new Map<string, WalkStep>();
/** Current versions past their support date, which the current walk must refuse with 406. */
const refusedToday: WalkStep[] = [];
const outcome = new Map<string, string[]>();
/** Lists the walk got empty where the example shows elements: their elements' shape went unchecked. */
const unchecked = new Map<string, string[]>();

async function walk(options: { today?: string; versionFor?: (op: OperationSpec) => string | undefined }) {
  const emulator: RunningEmulator = await withEmulator({
    timeScale: 0.0005,
    ...(options.today ? { today: options.today } : {}),
  });
  try {
    const steps = await walkAllOperations(emulator, options.versionFor ? { versionFor: options.versionFor } : {});
    for (const step of steps) {
      const op = operations[step.id];
      if (!options.today && !supportedToday(op, step.version)) refusedToday.push(step);
      else if (!answers.has(`${step.id}@${step.version}`)) answers.set(`${step.id}@${step.version}`, step);
    }
  } finally {
    await emulator.close();
  }
}

beforeAll(async () => {
  await walk({});
  // Walk k sends each operation's k-th listed version (its oldest when it lists fewer).
  for (let k = 1; k < maxVersions; k++) {
    await walk({
      today: BEFORE_EVERY_SUPPORT_DATE,
      versionFor: (op) => (op.versions[Math.min(k, op.versions.length - 1)] ?? op.versions[0])?.version,
    });
  }
}, 240_000);

afterAll(() => {
  const failing = [...outcome.entries()].filter(([, d]) => d.length > 0);
  const lines = [
    `emulator conformance: ${new Set(cases.map((c) => c.id)).size} operations, ${cases.length} operation versions checked`,
    `  matching the reference: ${cases.length - failing.length}/${cases.length} operation versions, ` +
      `${allOps.filter((op) => !failing.some(([key]) => key.startsWith(`${op.id}@`))).length}/${allOps.length} operations`,
    `  with differences: ${failing.length}`,
    ...failing.map(
      ([key, d]) => `    ${key}: ${d.slice(0, 5).join("; ")}${d.length > 5 ? ` (+${d.length - 5} more)` : ""}`,
    ),
    `  answered with an empty list where the example shows elements (elements unchecked): ${unchecked.size}`,
    ...[...unchecked.entries()].map(([key, paths]) => `    ${key}: ${paths.join(", ")}`),
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
});

/** The differences of one operation version's answer from the reference's example. */
function differences(id: OperationId, version: string): string[] {
  const example = referenceExample(id, version);
  const step = answers.get(`${id}@${version}`);
  if (!step) return ["never called at this version"];
  if (step.status !== example.status) {
    return [`status: expected ${example.status}, got ${step.status}${step.error ? ` (${step.error})` : ""}`];
  }
  if (example.response === null) {
    return step.body === undefined || step.body === "" ? [] : ["(answer): the reference shows no body"];
  }
  const empty = emptyListPaths(example.response, step.body);
  if (empty.length > 0) unchecked.set(`${id}@${version}`, empty);
  return shapeDifferences(example.response, step.body);
}

test.each(cases)("$id $version answers as the reference's example", ({ id, version }) => {
  const found = differences(id, version);
  outcome.set(`${id}@${version}`, found);
  const where = exampleLocation(referenceExample(id, version), "response");
  expect({ operation: id, version, reference: where, differences: found }).toEqual({
    operation: id,
    version,
    reference: where,
    differences: [],
  });
});

test("current versions past their support date are refused with 406", () => {
  expect(refusedToday.map((s) => ({ id: s.id, version: s.version, status: s.status }))).toEqual(
    refusedToday.map((s) => ({ id: s.id, version: s.version, status: 406 })),
  );
});

describe("the shape comparator", () => {
  test("names invented, missing and mistyped keys by path, list elements included", () => {
    const expected = { count: 1, servers: [{ id: "a", addresses: [{ subnet_name: "s" }] }], extra: null };
    const actual = {
      count: "1",
      servers: [{ id: "b", addresses: [{ subnet_name: "s", subnet_id: "x" }], tags: "[]" }],
    };
    expect(shapeDifferences(expected, actual)).toEqual([
      "count: expected number, got string",
      "servers[0].addresses[0].subnet_id: not in the reference",
      "servers[0].tags: not in the reference",
      "extra: missing",
    ]);
  });

  test("a null example accepts anything, an empty example list any elements", () => {
    expect(shapeDifferences({ a: null, b: [] }, { a: { x: 1 }, b: [1, "2"] })).toEqual([]);
    expect(shapeDifferences({ a: "s" }, { a: null })).toEqual(["a: expected string, got null"]);
  });

  test("request bodies may leave keys out but not add any", () => {
    const version = operations.createAutoScalingGroupPolicy.currentVersion;
    expect(requestKeyDifferences("createAutoScalingGroupPolicy", version, { name: "p" })).toEqual([]);
    expect(requestKeyDifferences("createAutoScalingGroupPolicy", version, { name: "p", state: "ACTIVE" })).toEqual([
      "state: not in the reference",
    ]);
    expect(requestKeyDifferences("deleteVirtualServer", "1.3", { force: true })).toEqual([
      "(body): the reference shows no request body",
    ]);
  });
});
