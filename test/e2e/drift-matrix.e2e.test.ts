// Issue 11 item 4: the e2e drift matrix. One stack with every resource kind; one case per (resource,
// property) whose diff rule is drift-checked (no `writeOnly`), generated from each built resource module's
// `spec.diffRules`. Each case: an out-of-band change → `preview --refresh --expect-no-changes` fails and the
// engine's events name that property for that resource → `up --refresh` puts the object back → the next
// preview is clean. Cases run in rounds (at most one per resource instance) on the same stack.
// Item 6: every request body the provider sent in the whole run has only documented keys.
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type RunningEmulator, startEmulator } from "../../emulator";
import {
  CHANGE_OPS,
  type ChangeContext,
  type Console,
  type EventDigest,
  type Instance,
  type ProgramValues,
  type Row,
  type WriteOnlyProperty,
  addressOf,
  consoleFor,
  digestEvents,
  generateRows,
  loadResourceModules,
  planRounds,
  programText,
  sshPublicKey,
  stackInstances,
  topLevel,
} from "./drift-matrix-support";
import { type E2EStack, createStack } from "./harness";
import { expectOnlyDocumentedRequestKeys } from "./request-keys";

let emulator: RunningEmulator;
let e2e: E2EStack;
let instances: Instance[];
let console_: Console;
/** Request-log entries of the test's own (console) calls: not the provider's. */
const own = new Set<unknown>();
const values: ProgramValues = {
  volumeSizes: { "volume-0": 20, "volume-1": 30, "volume-2": 10 },
  bootVolumeSizes: { "server-0": 50, "server-1": 50 },
};
const startedAt = Date.now();

/** Progress, written as it happens (jest prints console output only at the end). */
const progress = (text: string) => {
  if (process.env.DRIFT_MATRIX_PROGRESS)
    appendFileSync(process.env.DRIFT_MATRIX_PROGRESS, `${new Date().toISOString().slice(11, 19)} ${text}\n`);
};

const say = (text: string) => {
  console.log(text);
  progress(text);
};

const writeValues = () => writeFileSync(join(e2e.workDir, "values.json"), JSON.stringify(values, null, 2));

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01, requestLogLimit: 1_000_000 });
  console_ = consoleFor(emulator, own);
  instances = stackInstances(sshPublicKey("drift-matrix-imported"));
  e2e = await createStack("drift-matrix", programText(instances), emulator);
  writeValues();
});
afterAll(async () => {
  await e2e?.dispose();
  await emulator?.close();
});

/** Provider ids of the stack's resources, by logical name (replacements give new ids). */
async function stackIds(): Promise<Record<string, string>> {
  const state = await e2e.stack.exportStack();
  const resources =
    (
      state.deployment as {
        resources?: { urn: string; id?: string; type: string; custom?: boolean; delete?: boolean }[];
      }
    ).resources ?? [];
  return Object.fromEntries(
    resources
      // A replaced object pending deletion keeps its old id: take the live one.
      .filter((r) => r.custom && !r.delete && !r.type.startsWith("pulumi:providers:") && r.id)
      .map((r) => [r.urn.split("::").pop() ?? r.urn, String(r.id)]),
  );
}

function contextFor(row: Row, ids: Record<string, string>): ChangeContext | undefined {
  const instance = row.instance;
  const id = instance ? ids[instance.name] : undefined;
  if (!instance || !id) return undefined;
  const address = addressOf(row.file, id);
  const show = async () => (await console_.call(address.show.operation, address.show.path)) as Record<string, unknown>;
  return {
    console: console_,
    instance,
    id,
    ids,
    address,
    show,
    until: async (done, what) => {
      for (let i = 0; i < 600; i++) {
        const shown = await show();
        if (done(shown)) return shown;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`${instance.name} never became ${what}`);
    },
  };
}

interface Run {
  readonly ok: boolean;
  readonly digest: EventDigest;
  readonly error?: string;
  readonly seconds: number;
}

async function preview(options: { diff?: boolean } = {}): Promise<Run> {
  const events: EngineEvent[] = [];
  const t0 = Date.now();
  try {
    await e2e.stack.preview({
      refresh: true,
      expectNoChanges: true,
      diff: options.diff,
      onEvent: (e) => events.push(e),
    });
    return { ok: true, digest: digestEvents(events), seconds: (Date.now() - t0) / 1000 };
  } catch (error) {
    return { ok: false, digest: digestEvents(events), error: String(error), seconds: (Date.now() - t0) / 1000 };
  }
}

async function up(): Promise<Run> {
  const events: EngineEvent[] = [];
  const t0 = Date.now();
  try {
    await e2e.stack.up({ refresh: true, continueOnError: true, onEvent: (e) => events.push(e) });
    return { ok: true, digest: digestEvents(events), seconds: (Date.now() - t0) / 1000 };
  } catch (error) {
    return { ok: false, digest: digestEvents(events), error: String(error), seconds: (Date.now() - t0) / 1000 };
  }
}

const changeSteps = (digest: EventDigest, name: string) =>
  digest.steps.filter((s) => s.name === name && CHANGE_OPS.includes(s.op));

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const short = (v: unknown, n = 160) => {
  const text = JSON.stringify(v);
  return text === undefined ? "undefined" : text.length > n ? `${text.slice(0, n)}…` : text;
};
const exitCode = (error: string | undefined) => /exit code (\d+)/.exec(error ?? "")?.[1] ?? "?";

interface RowResult {
  readonly row: Row;
  round: number;
  detected: boolean;
  named: boolean;
  namedBy: string;
  asDrift: boolean;
  repaired: boolean | "n/a";
  clean: boolean;
  how: string;
  evidence: string[];
}

const yes = (b: boolean | "n/a") => (b === "n/a" ? "n/a" : b ? "yes" : "NO");

function passed(r: RowResult): boolean {
  if (!r.row.change || !r.row.instance) return false;
  const repairedOk = r.row.change.unrepairable ? r.repaired === "n/a" : r.repaired === true;
  return r.detected && r.named && r.asDrift && repairedOk && r.clean;
}

function formatTable(results: readonly RowResult[], writeOnly: readonly WriteOnlyProperty[]): string {
  const lines = [
    "| # | case | instance | out-of-band change | detected | named (by) | as drift | repaired | clean | how | pass |",
    "|---|------|----------|--------------------|----------|------------|----------|----------|-------|-----|------|",
  ];
  results.forEach((r, i) =>
    lines.push(
      `| ${i + 1} | ${r.row.key}${r.row.change?.unrepairable ? " (unrepairable: " + r.row.change.unrepairable.expected + ")" : ""} | ${r.row.instance?.name ?? "-"} | ${r.row.change?.description ?? "NONE DEFINED"} | ${yes(r.detected)} | ${yes(r.named)}${r.namedBy ? ` (${r.namedBy})` : ""} | ${yes(r.asDrift)} | ${yes(r.repaired)} | ${yes(r.clean)} | ${r.how} | ${passed(r) ? "yes" : "NO"} |`,
    ),
  );
  const count = (f: (r: RowResult) => boolean) => results.filter(f).length;
  lines.push(
    "",
    `rows: ${results.length}; detected ${count((r) => r.detected)}; named ${count((r) => r.named)}; as drift ${count((r) => r.asDrift)}; repaired ${count((r) => r.repaired === true)} (+${count((r) => r.repaired === "n/a")} unrepairable by design); clean ${count((r) => r.clean)}; all yes ${count(passed)}`,
    "",
    "Not drift-checked (writeOnly):",
    ...writeOnly.map((w) => `- ${w.file}.${w.property}: ${w.reason}`),
  );
  return lines.join("\n");
}

describe("drift matrix through the real engine", () => {
  let firstUp: Run | undefined;

  test("up creates a stack with every resource kind", async () => {
    firstUp = await up();
    const errors = Object.entries(firstUp.digest.errors).map(([n, m]) => `${n}: ${m.join(" / ")}`);
    expect({ ok: firstUp.ok, errors }).toEqual({ ok: true, errors: [] });
    const ids = await stackIds();
    expect(Object.keys(ids).sort()).toEqual(instances.map((i) => i.name).sort());
  });

  test("a refresh right after the clean up reports no change at all, not even output-only changes", async () => {
    const run = await preview({ diff: true });
    const planned = run.digest.steps
      .filter((s) => s.op !== "same" && s.op !== "refresh")
      .map((s) => `${s.name}: ${s.op} ${[...s.keys, ...s.changedInputs].join(",")}`);
    const outputs = run.digest.steps
      .filter((s) => s.op === "refresh" && s.changedOutputs.length > 0)
      .map((s) => `${s.name}: outputs ${s.changedOutputs.join(",")}`);
    const errors = Object.entries(run.digest.errors).map(([n, m]) => `${n}: ${m.join(" / ")}`);
    say(
      `clean preview after up (${run.seconds.toFixed(1)} s): ${run.ok ? "passed" : "FAILED"}\n${[...planned, ...outputs, ...errors].join("\n")}`,
    );
    expect({ ok: run.ok, planned, outputs, errors }).toEqual({ ok: true, planned: [], outputs: [], errors: [] });
  });

  test(
    "every drift-checked property: out-of-band change → named → repaired → clean",
    async () => {
      const modules = loadResourceModules();
      const { rows, writeOnly } = generateRows(modules, instances);
      const rounds = planRounds(rows, instances);
      const results = new Map<Row, RowResult>(
        rows.map((row) => [
          row,
          {
            row,
            round: 0,
            detected: false,
            named: false,
            namedBy: "",
            asDrift: false,
            repaired: false,
            clean: false,
            how: "-",
            evidence: [
              ...(row.instance ? [] : ["the program sets this property on no instance"]),
              ...(row.change ? [] : ["no out-of-band change defined"]),
            ],
          },
        ]),
      );
      say(
        `drift matrix: ${rows.length} cases from ${modules.length} resource modules, ${writeOnly.length} writeOnly properties, ${rounds.length} rounds`,
      );

      const runRound = async (round: Row[], index: number, label: string) => {
        const t0 = Date.now();
        const ids = await stackIds();
        const before = new Map<Row, unknown>();
        const rawBefore = new Map<Row, Record<string, unknown> | undefined>();
        for (const row of round) {
          const result = results.get(row)!;
          result.round = index + 1;
          const ctx = contextFor(row, ids);
          if (!ctx || !row.change) {
            result.evidence.push(`no id for ${row.instance?.name} in the stack`);
            continue;
          }
          try {
            before.set(row, await row.change.observe(ctx));
            rawBefore.set(row, await console_.raw(ctx.address.collection, ctx.address.rawId));
            await row.change.apply(ctx);
            const after = await row.change.observe(ctx);
            if (same(before.get(row), after))
              result.evidence.push(`the change did not change what the API shows: ${short(after)}`);
            else result.evidence.push(`API showed ${short(before.get(row))} → ${short(after)} after the change`);
          } catch (error) {
            result.evidence.push(`out-of-band change failed: ${String(error).slice(0, 300)}`);
          }
        }

        // 1. Detected and named.
        const drift = await preview();
        for (const row of round) {
          const result = results.get(row)!;
          const name = row.instance?.name ?? "";
          const steps = changeSteps(drift.digest, name);
          const errors = drift.digest.errors[name] ?? [];
          result.detected = !drift.ok && steps.length > 0;
          const namedIn = (source: string, keys: string[]) => (topLevel(keys).includes(row.property) ? [source] : []);
          const sources = steps.flatMap((s) => [
            ...namedIn("replace keys", s.keys),
            ...namedIn("diffs", s.diffs),
            ...namedIn("detailedDiff", s.detailedDiff),
            // A create (the object is gone) shows every input as new: that names no property.
            ...(s.op === "create" ? [] : namedIn("inputs", s.changedInputs)),
          ]);
          result.named = sources.length > 0;
          result.namedBy = [...new Set(sources)].join("+");
          result.asDrift = result.detected && errors.length === 0;
          result.evidence.push(
            `preview (exit ${drift.ok ? 0 : exitCode(drift.error)}): ${steps.map((s) => `${s.op} keys=[${s.keys}] inputs=[${s.changedInputs}]`).join("; ") || "no step for the resource"}` +
              (errors.length ? `; errors: ${errors.join(" / ")}` : "") +
              ((drift.digest.warnings[name] ?? []).length
                ? `; warnings: ${drift.digest.warnings[name]?.join(" / ")}`
                : ""),
          );
        }

        // 2. Repaired.
        const repair = await up();
        let adopted: Run | undefined;
        for (const row of round) {
          const result = results.get(row)!;
          const name = row.instance?.name ?? "";
          const ops = [...new Set(changeSteps(repair.digest, name).map((s) => s.op))];
          result.how = ops.some((o) => o.includes("replace"))
            ? "replace"
            : ops.includes("update")
              ? "in-place"
              : ops.includes("create")
                ? "recreate"
                : "none";
          const errors = repair.digest.errors[name] ?? [];
          result.evidence.push(`up: ops [${ops}]${errors.length ? `; errors: ${errors.join(" / ")}` : ""}`);
        }
        const unrepairable = round.filter((r) => r.change?.unrepairable);
        const newIds = await stackIds();
        for (const row of round) {
          const result = results.get(row)!;
          const ctx = contextFor(row, newIds);
          if (!ctx || !row.change) continue;
          const now = await row.change.observe(ctx).catch((e: unknown) => `(unreadable: ${String(e).slice(0, 120)})`);
          if (row.change.unrepairable) {
            result.repaired = "n/a";
            result.evidence.push(`after up the API shows ${short(now)} (program ${short(before.get(row))})`);
            row.change.unrepairable.adopt(values, ctx, now);
          } else {
            result.repaired = before.has(row) && same(now, before.get(row));
            if (!result.repaired)
              result.evidence.push(
                `after up the API shows ${short(now)}, the program's value is ${short(before.get(row))}`,
              );
            if (row.instance && ids[row.instance.name] !== newIds[row.instance.name]) result.evidence.push("new id");
          }
        }
        if (unrepairable.length > 0) {
          // What the user must do: take the live value into the program.
          writeValues();
          adopted = await up();
          for (const row of unrepairable)
            results
              .get(row)!
              .evidence.push(
                `program changed to the live value ${short(values)}; up ${adopted.ok ? "succeeded" : `failed: ${Object.values(adopted.digest.errors).flat().join(" / ")}`}`,
              );
        }

        // 3. Clean.
        let clean = await preview();
        const dirty = (run: Run, row: Row) => {
          const name = row.instance?.name ?? "";
          return changeSteps(run.digest, name).length > 0 || (run.digest.errors[name] ?? []).length > 0;
        };
        for (const row of round) {
          const result = results.get(row)!;
          result.clean = clean.ok || !dirty(clean, row);
          if (!result.clean) {
            const name = row.instance?.name ?? "";
            result.evidence.push(
              `next preview: ${changeSteps(clean.digest, name)
                .map((s) => `${s.op} keys=[${s.keys}] inputs=[${s.changedInputs}]`)
                .join("; ")}${(clean.digest.errors[name] ?? []).join(" / ")}`,
            );
          }
        }

        // Restore what stayed broken, so the next rounds start from a clean stack.
        if (!clean.ok) {
          for (const row of round) {
            const raw = rawBefore.get(row);
            const ctx = contextFor(row, newIds);
            if (!ctx || results.get(row)!.clean || row.change?.unrepairable) continue;
            if (row.change?.restore) {
              await row.change.restore(ctx).catch(() => undefined);
              results.get(row)!.evidence.push("restored by hand (case's own restore)");
              continue;
            }
            if (!raw) continue;
            const live = await console_.raw(ctx.address.collection, ctx.address.rawId);
            if (!live) continue;
            const fields = Object.fromEntries(Object.entries(raw).filter(([k, v]) => k !== "id" && !same(v, live[k])));
            if (Object.keys(fields).length > 0) {
              await console_.patch(ctx.address.collection, ctx.address.rawId, fields).catch(() => undefined);
              results.get(row)!.evidence.push(`restored by hand: ${Object.keys(fields).join(", ")}`);
            }
          }
          await up();
          clean = await preview();
          // An object the engine wants to create but cannot (it exists under the same name, or the old one
          // was left behind): delete what this round's change left, by hand, and try once more.
          if (!clean.ok) {
            let removed = false;
            for (const row of round) {
              const name = row.instance?.name ?? "";
              if (!changeSteps(clean.digest, name).some((s) => s.op.startsWith("create")) || !ids[name]) continue;
              const address = addressOf(row.file, ids[name]);
              if (row.file === "volume-attachment") continue;
              if (await console_.raw(address.collection, address.rawId)) {
                await console_
                  .control(
                    "DELETE",
                    `/objects/${encodeURIComponent(address.collection)}/${encodeURIComponent(address.rawId)}`,
                  )
                  .catch(() => undefined);
                results
                  .get(row)!
                  .evidence.push(`left-over object deleted by hand: ${address.collection}/${address.rawId}`);
                removed = true;
              }
            }
            if (removed) {
              await up();
              clean = await preview();
            }
          }
          if (!clean.ok) {
            const still = [...new Set(clean.digest.steps.filter((s) => CHANGE_OPS.includes(s.op)).map((s) => s.name))];
            say(`${label}: the stack is still not clean after restoring: ${still.join(", ")}`);
          }
        }
        for (const row of round) {
          const r = results.get(row)!;
          progress(
            `  ${row.key} on ${row.instance?.name}: detected=${r.detected} named=${r.named}(${r.namedBy}) drift=${r.asDrift} repaired=${r.repaired} clean=${r.clean} how=${r.how} :: ${r.evidence.join(" | ")}`,
          );
        }
        say(
          `${label}: ${round.map((r) => `${r.instance?.name}.${r.property}`).join(", ")} — preview ${drift.seconds.toFixed(0)} s, up ${repair.seconds.toFixed(0)} s${adopted ? ` + ${adopted.seconds.toFixed(0)} s` : ""}, round ${((Date.now() - t0) / 1000).toFixed(0)} s`,
        );
      };

      for (const [index, round] of rounds.entries())
        await runRound(round, index, `round ${index + 1}/${rounds.length}`);

      // A row can fail because another row of its round broke the shared up (a failed create stops the
      // deletion of replaced objects): run every failing row once more, alone, and keep that verdict.
      const failed = rows.filter((r) => r.instance && r.change && !passed(results.get(r)!));
      for (const [n, row] of failed.entries()) {
        const result = results.get(row)!;
        Object.assign(result, { detected: false, named: false, namedBy: "", asDrift: false, repaired: false });
        Object.assign(result, { clean: false, how: "-" });
        result.evidence.push(`=== in round ${result.round} it failed; run again alone:`);
        await runRound([row], rounds.length + n, `rerun alone ${n + 1}/${failed.length} (${row.key})`);
        result.evidence.push(passed(result) ? "=> passes alone" : "=> fails alone too");
      }

      const all = rows.map((r) => results.get(r)!);
      const table = formatTable(all, writeOnly);
      const failing = all
        .filter((r) => !passed(r))
        .map((r) => `${r.row.key} on ${r.row.instance?.name ?? "-"} (round ${r.round}): ${r.evidence.join(" | ")}`);
      const wall = `matrix wall time ${((Date.now() - startedAt) / 1000).toFixed(0)} s since the stack was first created`;
      const text = `${table}\n\n${wall}\n\nFailing rows:\n${failing.map((f) => `- ${f}`).join("\n")}\n`;
      say(text);
      if (process.env.DRIFT_MATRIX_REPORT) writeFileSync(process.env.DRIFT_MATRIX_REPORT, text);
      expect(failing).toEqual([]);
    },
    60 * 60_000,
  );

  test("destroy removes every object", async () => {
    // A locked server would block the destroy: unlock whatever a failed case left locked.
    for (const server of (await console_.control("GET", "/objects/servers")) as { id: string; locked?: boolean }[]) {
      if (server.locked) await console_.patch("servers", server.id, { locked: false });
    }
    const result = await e2e.stack.destroy({ continueOnError: true });
    expect(result.summary.result).toBe("succeeded");
  });

  test("every request body the provider sent has only keys the reference's request example shows", () => {
    expectOnlyDocumentedRequestKeys(emulator, own);
  });
});
