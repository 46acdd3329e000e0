#!/usr/bin/env node
// Checks a Pulumi stack for drift and says what drifted, from the engine's structured plan
// (`pulumi preview --refresh --json`), never from the CLI's display text.
//
//   node check-drift.mjs <stack> [<project directory>] [-- <more pulumi preview arguments>]
//
// Exit status: 0 no drift, 2 drift found, 1 the check itself failed (credentials, network, program error,
// no such stack). The refresh runs in memory only: the stack's state is not written.
//
// Output: one block per resource the plan would change (operation, name, type, URN), then one line per
// property: `<property>: <live value> → <program's value>`. Secret values print as [secret], values the
// engine knows only after an update as (known after apply). The provider's warnings (what cannot be
// repaired, keys replaced out of band) follow. With GITHUB_STEP_SUMMARY set (GitHub Actions), the same
// summary is appended to the job summary as a Markdown table.
//
// The pulumi CLI is taken from PATH, or from $PULUMI_COMMAND.
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";

const USAGE = "usage: check-drift.mjs <stack> [project directory] [-- pulumi preview arguments]";
/** The engine's stand-in for a value known only after the update (plugin.UnknownStringValue). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** The key marking a secret in engine output (resource.SecretSig). */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** The CLI's colour codes, stripped from the messages it passes on. */
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g");
/** Steps that change nothing in the cloud. */
const NO_CHANGE = new Set(["same", "read", "refresh", "discard"]);
const SYMBOL = { create: "+", update: "~", replace: "+-", delete: "-", import: "=" };

function parseArguments(argv) {
  const separator = argv.indexOf("--");
  const own = separator < 0 ? argv : argv.slice(0, separator);
  const extra = separator < 0 ? [] : argv.slice(separator + 1);
  const [stack, dir = "."] = own;
  if (!stack || own.length > 2 || stack.startsWith("-")) return undefined;
  return { stack, dir, extra };
}

/** Runs the preview; resolves with its exit status and output (a spawn failure counts as status 1). */
function preview({ stack, dir, extra }) {
  const command = process.env.PULUMI_COMMAND || "pulumi";
  const args = ["preview", "--refresh", "--json", "--non-interactive", "--stack", stack, "--cwd", dir, ...extra];
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    const stdout = [];
    const stderr = [];
    child.stdout.on("data", (chunk) => stdout.push(chunk));
    child.stderr.on("data", (chunk) => stderr.push(chunk));
    child.on("error", (error) => resolve({ status: 1, stdout: "", stderr: `cannot run ${command}: ${error.message}` }));
    child.on("close", (code, signal) =>
      resolve({
        status: code ?? (signal ? 1 : 0),
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      }),
    );
  });
}

const isSecret = (value) => typeof value === "object" && value !== null && SECRET_SIG in value;

/** A value as the summary shows it: JSON, secrets and unknowns named, long values cut. */
function show(value) {
  if (value === undefined) return "(unset)";
  if (value === "[secret]" || isSecret(value)) return "[secret]";
  if (value === UNKNOWN) return "(known after apply)";
  const text = JSON.stringify(value, (_key, v) =>
    isSecret(v) || v === "[secret]" ? "[secret]" : v === UNKNOWN ? "(known after apply)" : v,
  );
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Inputs a user set: the dynamic provider's serialized code and internal `_` fields are not properties. */
function properties(inputs) {
  return Object.fromEntries(
    Object.entries(inputs ?? {}).filter(([key]) => key !== "__provider" && !key.startsWith("_")),
  );
}

/** What one step of the plan changes, property by property (live value → the program's value). */
function describeStep(step) {
  const live = properties(step.oldState?.inputs);
  const wanted = properties(step.newState?.inputs);
  const replacing = new Set(step.replaceReasons ?? []);
  const urn = step.urn;
  const name = urn.split("::").pop();
  const type = (step.newState?.type ?? step.oldState?.type ?? urn.split("::").at(-2) ?? "").replace(
    /^pulumi-nodejs:dynamic\//,
    "",
  );
  const changes = [];
  if (step.op === "create") {
    changes.push({ note: "not in the cloud (deleted out of band?): pulumi up creates it again" });
  } else if (step.op === "delete") {
    changes.push({ note: "in the stack's state but no longer in the program: pulumi up deletes it" });
  } else {
    const keys = [...new Set([...Object.keys(live), ...Object.keys(wanted), ...replacing])].sort();
    for (const key of keys) {
      if (JSON.stringify(live[key]) === JSON.stringify(wanted[key]) && !replacing.has(key)) continue;
      changes.push({ property: key, live: show(live[key]), wanted: show(wanted[key]), replaces: replacing.has(key) });
    }
    if (changes.length === 0) {
      changes.push({
        note: "no input differs: the provider found the live object changed in a way the inputs do not show (see the warnings)",
      });
    }
  }
  return { op: step.op, urn, name, type, changes };
}

/** Error and warning diagnostics, once each, without colour codes; the program's stack traces cut. */
function diagnosticsOf(result, severity) {
  const seen = new Set();
  for (const d of result.diagnostics ?? []) {
    if (d.severity !== severity) continue;
    const text = String(d.message ?? "")
      .replace(COLOUR, "")
      .replace(/^(error|warning): /, "");
    // The message's own lines; indented ones are the program's stack trace and the error's fields.
    const lines = text.split("\n");
    const indented = lines.findIndex((l) => /^\s/.test(l));
    const firstLines = (indented < 0 ? lines : lines.slice(0, indented)).join("\n").trim();
    if (firstLines !== "") seen.add(firstLines);
  }
  return [...seen];
}

function printText(stack, drifted, warnings) {
  const lines = [];
  for (const r of drifted) {
    lines.push(`${SYMBOL[r.op] ?? "*"} ${r.op} ${r.name} [${r.type}] ${r.urn}`);
    for (const c of r.changes) {
      lines.push(
        c.note
          ? `    ${c.note}`
          : `    ${c.property}: ${c.live} → ${c.wanted}${c.replaces ? " (replaces the resource)" : ""}`,
      );
    }
  }
  if (warnings.length > 0) lines.push("provider warnings:", ...warnings.map((w) => `  ${w.replace(/\n/g, "\n  ")}`));
  const count = drifted.length;
  lines.push(
    count === 0
      ? `drift check: stack ${stack} matches the cloud`
      : `drift check: DRIFT in stack ${stack}: ${count} resource${count === 1 ? "" : "s"} would change (live → program above; 'pulumi up --refresh' repairs what can be repaired)`,
  );
  console.log(lines.join("\n"));
}

function appendStepSummary(stack, drifted) {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) return;
  const cell = (text) => String(text).replace(/\|/g, "\\|");
  const rows = drifted.flatMap((r) =>
    r.changes.map(
      (c) =>
        `| ${r.op} | \`${cell(r.name)}\` | ${cell(r.type)} | ${c.note ? cell(c.note) : `\`${cell(c.property)}\``} | ${c.note ? "" : `\`${cell(c.live)}\``} | ${c.note ? "" : `\`${cell(c.wanted)}\``} |`,
    ),
  );
  const text =
    drifted.length === 0
      ? `### Drift check: \`${stack}\` matches the cloud\n`
      : [
          `### Drift check: DRIFT in \`${stack}\``,
          "",
          "| operation | resource | type | property | live | program |",
          "| --- | --- | --- | --- | --- | --- |",
          ...rows,
          "",
        ].join("\n");
  appendFileSync(file, text + "\n");
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  if (!options) {
    console.error(USAGE);
    return 1;
  }
  const run = await preview(options);
  let result;
  try {
    result = JSON.parse(run.stdout);
  } catch {
    result = undefined;
  }
  const errors = result ? diagnosticsOf(result, "error") : [];
  if (run.status !== 0 || !result || errors.length > 0) {
    const output = (run.stderr.trim() || run.stdout.trim()).replace(COLOUR, "").replace(/^error: /gm, "");
    const reasons = errors.length > 0 ? errors : [output || `pulumi exited ${run.status}`];
    console.error(reasons.map((r) => `error: ${r}`).join("\n"));
    console.log(`drift check: the check itself failed for stack ${options.stack} (pulumi exited ${run.status})`);
    return 1;
  }
  const drifted = (result.steps ?? [])
    .filter(
      (step) =>
        !NO_CHANGE.has(step.op) && !String(step.newState?.type ?? step.oldState?.type ?? "").startsWith("pulumi:"),
    )
    .map(describeStep);
  printText(options.stack, drifted, diagnosticsOf(result, "warning"));
  appendStepSummary(options.stack, drifted);
  return drifted.length === 0 ? 0 : 2;
}

// exitCode, not exit(): the summary written to a pipe is flushed before the process ends.
main().then(
  (status) => {
    process.exitCode = status;
  },
  (error) => {
    console.error(`drift check: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  },
);
