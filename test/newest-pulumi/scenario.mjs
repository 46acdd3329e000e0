// The e2e core scenario, run by scripts/check-newest-pulumi.sh in a fresh project that installed the packed
// package and the newest @pulumi/pulumi: `npx scp-emulator` from the installed package, then with the
// `pulumi` CLI on PATH: up, refresh (no changes), an out-of-band change found as drift by
// `pulumi preview --refresh`, repaired by up, destroy leaving nothing in the emulator.
//
//   node scenario.mjs <project dir> <state dir>
//
// Exits 1 naming the phase and what was wrong; prints each phase's wall time.
/* global fetch */
import { Buffer } from "node:buffer";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [project, stateDir] = process.argv.slice(2);
if (!project || !stateDir) {
  console.error("usage: node scenario.mjs <project dir> <state dir>");
  process.exit(1);
}
const STACK = "newest";
const ACCESS_KEY = "emulator-access-key";
const SECRET_KEY = "emulator-secret-key";
/** The example's data volume, the object changed out of band. */
const VOLUME_NAME = "app-1-data";
const VOLUME_URN_NAME = "app-data";

class ScenarioFailure extends Error {}
const fail = (message) => {
  throw new ScenarioFailure(message);
};

const env = {
  ...process.env,
  PULUMI_BACKEND_URL: `file://${stateDir}`,
  PULUMI_CONFIG_PASSPHRASE: "newest-pulumi-check",
  PULUMI_SKIP_UPDATE_CHECK: "true",
  PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  // The provider must take its settings from the stack config.
  SCP_ACCESS_KEY: "",
  SCP_SECRET_KEY: "",
  SCP_ENDPOINT_OVERRIDE: "",
};

/** Runs a command in the project; resolves with its exit status and output. */
function run(command, args, { input } = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: project, env, stdio: ["pipe", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (chunk) => out.push(chunk));
    child.stderr.on("data", (chunk) => err.push(chunk));
    child.on("error", (error) => resolve({ status: 1, stdout: "", stderr: `cannot run ${command}: ${error.message}` }));
    child.on("close", (code, signal) =>
      resolve({
        status: code ?? (signal ? 1 : 0),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
    child.stdin.end(input ?? "");
  });
}

/** Runs `pulumi …`, failing the phase with the CLI's own output when it exits non-zero. */
async function pulumi(args, options) {
  const result = await run("pulumi", [...args, "--non-interactive", "--stack", STACK], options);
  if (result.status !== 0) {
    fail(`pulumi ${args.join(" ")} exited ${result.status}:\n${result.stdout.trim()}\n${result.stderr.trim()}`);
  }
  return result.stdout;
}

/** Starts `npx scp-emulator` in the project (its own process group) and resolves with it and its URL. */
function startEmulator() {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["--no-install", "scp-emulator", "--port", "0", "--time-scale", "0.01"], {
      cwd: project,
      env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk.toString("utf8");
      if (out.includes("\n")) resolve({ child, url: out.split("\n")[0].trim() });
    });
    child.stderr.on("data", (chunk) => (err += chunk.toString("utf8")));
    child.once("exit", (code) => reject(new Error(`npx scp-emulator exited ${code} before printing its URL: ${err}`)));
  });
}

async function stopEmulator(child) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  // npx runs the bin in a child of its own: stop the whole group.
  process.kill(-child.pid, "SIGTERM");
  await exited;
}

async function control(url, method, path, body) {
  const response = await fetch(`${url}/_emulator${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 400) fail(`emulator control ${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Every object id in the emulator, by collection ("collection/id" strings, sorted). */
async function objectIds(url) {
  const dump = await control(url, "GET", "/objects");
  return Object.entries(dump)
    .flatMap(([collection, objects]) => objects.map((o) => `${collection}/${o.id}`))
    .sort();
}

const volumesNamed = async (url, name) =>
  (await control(url, "GET", "/objects/volumes")).filter((v) => v.name === name);

/** The steps of a `pulumi preview --json` plan that change a resource of the program. */
function changingSteps(previewJson) {
  const plan = JSON.parse(previewJson);
  return (plan.steps ?? []).filter(
    (s) =>
      !["same", "read", "refresh", "discard"].includes(s.op) &&
      !String(s.newState?.type ?? s.oldState?.type ?? "").startsWith("pulumi:"),
  );
}

const timings = [];
async function phase(name, body) {
  const started = process.hrtime.bigint();
  try {
    await body();
  } catch (error) {
    const message = error instanceof ScenarioFailure ? error.message : (error?.stack ?? String(error));
    throw new ScenarioFailure(`phase "${name}": ${message}`);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  timings.push([name, seconds]);
  console.log(`newest-pulumi: phase ${name}: ${seconds.toFixed(1)}s`);
}

async function main() {
  const nodeVersion = (await run("node", ["--version"])).stdout.trim();
  const cliVersion = (await run("pulumi", ["version"])).stdout.trim();
  const sdkVersion = JSON.parse(
    readFileSync(join(project, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
  ).version;
  console.log(`newest-pulumi: node ${nodeVersion}, @pulumi/pulumi ${sdkVersion}, pulumi CLI ${cliVersion}`);
  if (cliVersion !== `v${sdkVersion}`) fail(`the pulumi CLI on PATH is ${cliVersion}, not v${sdkVersion}`);

  let emulator;
  // Interrupted (CI's time limit, ^C): the emulator's process group goes too.
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      try {
        if (emulator?.child.pid !== undefined) process.kill(-emulator.child.pid, "SIGTERM");
      } finally {
        process.exit(1);
      }
    });
  }
  try {
    await phase("emulator start (npx scp-emulator)", async () => {
      emulator = await startEmulator();
      const health = await control(emulator.url, "GET", "/health");
      if (health.ok !== true) fail(`the emulator's health answer is ${JSON.stringify(health)}`);
    });
    const { url } = emulator;
    const seeded = await objectIds(url);

    await phase("stack init + config", async () => {
      const init = await run("pulumi", ["stack", "init", STACK, "--non-interactive"]);
      if (init.status !== 0) fail(`pulumi stack init exited ${init.status}: ${init.stderr}`);
      await pulumi(["config", "set", "scp:endpointOverride", url]);
      // Secrets from stdin, never on a command line.
      await pulumi(["config", "set", "--secret", "scp:accessKey"], { input: ACCESS_KEY });
      await pulumi(["config", "set", "--secret", "scp:secretKey"], { input: SECRET_KEY });
    });

    await phase("up", async () => {
      await pulumi(["up", "--yes", "--skip-preview"]);
      const outputs = JSON.parse(await pulumi(["stack", "output", "--json", "--show-secrets"]));
      if (!/^\/dev\/vd/.test(String(outputs.dataDevice))) fail(`dataDevice output is ${outputs.dataDevice}`);
      if (!String(outputs.sshKey).includes("PRIVATE KEY")) fail("the sshKey output holds no private key");
      const servers = await control(url, "GET", "/objects/servers");
      const states = servers.map((s) => `${s.name}:${s.state}`);
      if (states.join() !== "app-1:ACTIVE") fail(`the emulator's servers are [${states}], not [app-1:ACTIVE]`);
      if ((await volumesNamed(url, VOLUME_NAME)).length !== 1) fail(`no single volume named ${VOLUME_NAME}`);
      // Credentials and the generated private key are never in the state file, not even encrypted as plain text.
      for (const file of stateFiles(stateDir)) {
        const text = readFileSync(file, "utf8");
        for (const secret of [ACCESS_KEY, SECRET_KEY, "PRIVATE KEY"]) {
          if (text.includes(secret)) fail(`the state file ${file} contains ${JSON.stringify(secret)}`);
        }
      }
    });

    await phase("refresh (no changes)", async () => {
      await pulumi(["refresh", "--yes", "--skip-preview", "--expect-no-changes"]);
    });

    await phase("drift: out-of-band rename found by preview --refresh", async () => {
      const [volume] = await volumesNamed(url, VOLUME_NAME);
      await control(url, "PATCH", `/objects/volumes/${volume.id}`, { name: `${VOLUME_NAME}-renamed-by-hand` });
      // --json: the engine's structured plan, not the display text.
      const steps = changingSteps(await pulumi(["preview", "--refresh", "--json", "--diff"]));
      const found = steps.map((s) => `${s.op} ${s.urn.split("::").pop()}`);
      if (found.join() !== `update ${VOLUME_URN_NAME}`) {
        fail(`the plan's changes are [${found}], not [update ${VOLUME_URN_NAME}]`);
      }
      const step = steps[0];
      const live = step.oldState?.inputs?.name;
      const wanted = step.newState?.inputs?.name;
      if (live !== `${VOLUME_NAME}-renamed-by-hand` || wanted !== VOLUME_NAME) {
        fail(
          `the planned update of ${VOLUME_URN_NAME} changes name ${JSON.stringify(live)} → ${JSON.stringify(wanted)}`,
        );
      }
    });

    await phase("repair: up --refresh", async () => {
      await pulumi(["up", "--yes", "--skip-preview", "--refresh"]);
      if ((await volumesNamed(url, VOLUME_NAME)).length !== 1) fail(`the volume is not named ${VOLUME_NAME} again`);
      await pulumi(["preview", "--refresh", "--expect-no-changes"]);
    });

    await phase("destroy", async () => {
      await pulumi(["destroy", "--yes", "--skip-preview"]);
      const left = (await objectIds(url)).filter((id) => !seeded.includes(id));
      if (left.length > 0) fail(`objects left in the emulator after destroy: ${left.join(", ")}`);
      await pulumi(["stack", "rm", "--yes"]);
    });
  } finally {
    if (emulator) await stopEmulator(emulator.child);
  }
  const total = timings.reduce((sum, [, s]) => sum + s, 0);
  console.log(`newest-pulumi: scenario passed in ${total.toFixed(1)}s`);
}

function stateFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => join(entry.parentPath, entry.name));
}

main().catch((error) => {
  console.error(`newest-pulumi: FAILED: ${error instanceof ScenarioFailure ? error.message : error?.stack}`);
  process.exit(1);
});
