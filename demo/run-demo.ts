/**
 * `npm run demo`: the root Pulumi.yaml stack, with the real Pulumi engine, against a local SCP emulator —
 * no cloud account needed.
 *
 * Starts the emulator, uses a local file backend under .demo/, runs `pulumi up` (progress streams to the
 * terminal), prints the outputs, runs a drift check (and shows one being caught after an out-of-band
 * change), then destroys. `npm run demo -- --keep` leaves the stack and the emulator running and prints
 * how to use and destroy them.
 */
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { type RunningEmulator, startEmulator } from "../emulator";
import { REPO_ROOT, pulumiBin } from "./pulumi-cli";

const ROOT = REPO_ROOT;
const DEMO_DIR = join(ROOT, ".demo");
const PASSPHRASE = "demo";

function heading(text: string): void {
  console.log(`\n=== ${text} ${"=".repeat(Math.max(0, 70 - text.length))}`);
}

/** What `pulumi preview --refresh` would change, resource by resource, with the properties involved. */
async function driftCheck(stack: Stack): Promise<string[]> {
  const drifted: string[] = [];
  const refused: string[] = [];
  await stack
    .preview({
      refresh: true,
      onEvent: (event) => {
        const diagnostic = event.diagnosticEvent;
        if (diagnostic?.severity === "error" && diagnostic.urn && !diagnostic.urn.includes("pulumi:pulumi:Stack")) {
          refused.push(
            `${diagnostic.urn.split("::").pop()}: refused: ${diagnostic.message.trim().replace(/^.*has a problem: /, "")}`,
          );
        }
        const meta = event.resourcePreEvent?.metadata;
        if (!meta || !["update", "replace", "create", "delete"].includes(meta.op) || meta.type.startsWith("pulumi:"))
          return;
        const olds = meta.old?.inputs ?? {};
        const news = meta.new?.inputs ?? {};
        const properties =
          meta.op === "replace"
            ? (meta.keys ?? [])
            : Object.keys(news).filter(
                (k) => k !== "__provider" && JSON.stringify(olds[k]) !== JSON.stringify(news[k]),
              );
        const detail = properties
          .map((p) => `${p}: ${JSON.stringify(olds[p])} → ${JSON.stringify(news[p])}`)
          .join(", ");
        drifted.push(`${meta.urn.split("::").pop()}: ${meta.op}${detail ? ` (${detail})` : ""}`);
      },
    })
    .catch(() => undefined); // a refused preview is reported through its diagnostics above
  return [...drifted, ...refused];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { keep: { type: "boolean", default: false }, "time-scale": { type: "string", default: "0.1" } },
  });
  const started = Date.now();
  const bin = pulumiBin();

  heading("Starting the SCP emulator");
  const emulator: RunningEmulator = await startEmulator({ timeScale: Number(values["time-scale"]) });
  console.log(`emulator listening on ${emulator.url} (life cycles at ${values["time-scale"]}x real durations)`);

  // The stack program requires this package by name, as a user's program would: link it into the
  // program's node_modules the way an `npm install file:` dependency does.
  const link = join(ROOT, "demo", "stack", "node_modules", "pulumi-scp-virtualserver");
  rmSync(link, { recursive: true, force: true });
  mkdirSync(join(link, ".."), { recursive: true });
  symlinkSync(join("..", "..", ".."), link, "dir");

  rmSync(DEMO_DIR, { recursive: true, force: true });
  mkdirSync(join(DEMO_DIR, "state"), { recursive: true });
  const envVars = {
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${join(DEMO_DIR, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // The provider's waits poll at the emulator's pace, as they poll SCP at SCP's.
    SCP_WAIT_TIME_SCALE: String(emulator.timeScale),
  };
  const pulumiCommand = await PulumiCommand.get({ root: resolve(bin, ".."), skipVersionCheck: true });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "demo", workDir: ROOT },
    { workDir: ROOT, envVars, pulumiCommand },
  );
  await stack.setAllConfig({
    "scp:endpointOverride": { value: emulator.url },
    "scp:accessKey": { value: emulator.credentials.accessKey, secret: true },
    "scp:secretKey": { value: emulator.credentials.secretKey, secret: true },
  });

  try {
    heading("pulumi up");
    // --parallel 16: see the README's Parallelism section (waits hold engine slots).
    const up = await stack.up({ parallel: 16, onOutput: (out) => process.stdout.write(out), color: "always" });
    heading("Outputs");
    for (const [key, output] of Object.entries(up.outputs)) {
      console.log(`${key.padEnd(26)} ${output.secret ? "[secret]" : JSON.stringify(output.value)}`);
    }

    heading("Drift check (pulumi preview --refresh)");
    const clean = await driftCheck(stack);
    console.log(clean.length === 0 ? "no drift: the cloud matches the stack" : `drift found:\n  ${clean.join("\n  ")}`);

    console.log("\nSimulating an out-of-band change: someone renames demo-web-1 and its data volume in the console…");
    const objects = async (collection: string) =>
      (await (await fetch(`${emulator.url}/_emulator/objects/${collection}`)).json()) as { id: string; name: string }[];
    const server = (await objects("servers")).find((s) => s.name === "demo-web-1");
    const volume = (await objects("volumes")).find((v) => v.name === "demo-web-1-data");
    const patch = (collection: string, id: string | undefined, body: unknown) =>
      fetch(`${emulator.url}/_emulator/objects/${collection}/${id}`, { method: "PATCH", body: JSON.stringify(body) });
    await patch("servers", server?.id, { name: "renamed-by-hand" });
    await patch("volumes", volume?.id, { name: "renamed-by-hand-too" });
    const drifted = await driftCheck(stack);
    console.log(drifted.length === 0 ? "no drift found (unexpected)" : `drift found:\n  ${drifted.join("\n  ")}`);
    heading("Repairing the drift (pulumi up --refresh)");
    await stack.up({ refresh: true, parallel: 16, onOutput: (out) => process.stdout.write(out), color: "always" });
    const after = await driftCheck(stack);
    console.log(
      after.length === 0
        ? "no drift left: the cloud matches the stack again"
        : `still drifting:\n  ${after.join("\n  ")}`,
    );
    console.log("In CI, `pulumi preview --refresh --expect-no-changes` on a schedule catches such changes.");

    if (values.keep) {
      heading("Left running");
      console.log(`The emulator runs at ${emulator.url} until you press Ctrl-C. Meanwhile, in another terminal:`);
      console.log(
        `  export PATH=${bin}:$PATH PULUMI_BACKEND_URL=file://${join(DEMO_DIR, "state")} PULUMI_CONFIG_PASSPHRASE=${PASSPHRASE}`,
      );
      console.log("  pulumi stack output --stack demo            # the outputs");
      console.log("  pulumi destroy --stack demo --yes           # destroy");
      await new Promise<void>((done) => process.once("SIGINT", () => done()));
    }
    heading("pulumi destroy");
    await stack.destroy({ onOutput: (out) => process.stdout.write(out), color: "always" });
    console.log(`\ndemo finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await emulator.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
