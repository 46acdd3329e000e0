/**
 * Runs Pulumi programs with the real Pulumi CLI (through the Automation API, which spawns the CLI) and a
 * local file backend, against an emulator started by the test.
 *
 * Each workspace lives under `<repo>/.pulumi-e2e/` with the package installed in its own node_modules
 * the way a user's install would hold it (dist + package.json copied), so dependencies resolve from the
 * repository's node_modules and the provider process loads the installed implementation.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type EngineEvent, LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { REPO_ROOT, pulumiBin } from "../../demo/pulumi-cli";
import type { RunningEmulator } from "../../emulator";
import {
  PASSPHRASE,
  WORK_ROOT,
  checkBeforeRemoval,
  debugLogPath,
  registerWorkspace,
  stateDirectory,
  workspaceEmulator,
} from "./secrets-scan";

export const REPO = REPO_ROOT;
export { PASSPHRASE, debugLogPath, stateDirectory };

/** Installs the built package into a workspace's node_modules, as `npm install` would lay it out. */
export function installPackage(workDir: string): string {
  const target = join(workDir, "node_modules", "pulumi-scp-virtualserver");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  cpSync(join(REPO, "dist"), join(target, "dist"), { recursive: true });
  cpSync(join(REPO, "package.json"), join(target, "package.json"));
  return target;
}

export interface E2EStack {
  readonly stack: Stack;
  readonly workDir: string;
  readonly events: EngineEvent[];
  /** Replaces the program (index.js) of the workspace. */
  writeProgram(source: string): void;
  dispose(): Promise<void>;
}

/** A stack whose program is the given JavaScript text. */
export async function createStack(name: string, program: string, emulator: RunningEmulator): Promise<E2EStack> {
  const workDir = newWorkDir(name);
  writeFileSync(join(workDir, "Pulumi.yaml"), `name: ${name}\nruntime: nodejs\ndescription: e2e ${name}\n`);
  writeFileSync(join(workDir, "package.json"), JSON.stringify({ name, private: true, main: "index.js" }));
  writeFileSync(join(workDir, "index.js"), program);
  return openStack(name, workDir, emulator);
}

/** A stack of a project directory (an example), copied as a user would check it out. */
export async function createStackFromDirectory(directory: string, emulator: RunningEmulator): Promise<E2EStack> {
  const name = directory.split("/").pop() ?? "project";
  const workDir = newWorkDir(name);
  cpSync(directory, workDir, { recursive: true, filter: (source) => !source.includes("node_modules") });
  return openStack(name, workDir, emulator);
}

function newWorkDir(name: string): string {
  mkdirSync(WORK_ROOT, { recursive: true });
  return mkdtempSync(join(WORK_ROOT, `${name}-`));
}

/**
 * Environment for running the pulumi CLI on a workspace's stack directly. The file backend's state and the
 * provider's debug log live in the workspace's evidence directory, which the secrets scan reads
 * (secrets-scan.ts): registering the workspace here is what puts every scenario under it.
 */
export function cliEnvironment(workDir: string): Record<string, string> {
  registerWorkspace(workDir);
  const emulator = workspaceEmulator(workDir);
  return {
    PATH: `${pulumiBin()}:${process.env.PATH ?? ""}`,
    PULUMI_BACKEND_URL: `file://${stateDirectory(workDir)}`,
    SCP_DEBUG_LOG: debugLogPath(workDir),
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    // The provider must take its settings from the stack config, not from the test's environment.
    SCP_ACCESS_KEY: "",
    SCP_SECRET_KEY: "",
    SCP_ENDPOINT_OVERRIDE: "",
    // Waits poll at the emulator's pace (its time scale), as they would poll SCP at SCP's.
    ...(emulator ? { SCP_WAIT_TIME_SCALE: String(emulator.timeScale) } : {}),
  };
}

async function openStack(name: string, workDir: string, emulator: RunningEmulator): Promise<E2EStack> {
  installPackage(workDir);
  registerWorkspace(workDir, emulator);

  const bin = pulumiBin();
  const envVars = cliEnvironment(workDir);
  const pulumiCommand = await PulumiCommand.get({ root: resolve(bin, ".."), skipVersionCheck: true });
  const workspace = await LocalWorkspace.create({ workDir, envVars, pulumiCommand });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "e2e", workDir },
    { workDir, envVars, pulumiCommand },
  );
  void workspace;
  await stack.setAllConfig({
    "scp:endpointOverride": { value: emulator.url },
    "scp:accessKey": { value: emulator.credentials.accessKey, secret: true },
    "scp:secretKey": { value: emulator.credentials.secretKey, secret: true },
  });
  const events: EngineEvent[] = [];
  return {
    stack,
    workDir,
    events,
    writeProgram: (source) => writeFileSync(join(workDir, "index.js"), source),
    // The secrets scan reads the workspace before it goes; a hit fails the hook that disposes it.
    dispose: async () => {
      try {
        await checkBeforeRemoval(workDir);
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    },
  };
}

export interface PlannedStep {
  readonly op: string;
  readonly name: string;
  /**
   * For a replace, the properties the provider says force it; for an update, the properties the program
   * sets whose value differs from the prior (refreshed) inputs: what `pulumi preview --diff` shows.
   */
  readonly properties: string[];
}

function changedInputs(olds: Record<string, unknown> | undefined, news: Record<string, unknown> | undefined): string[] {
  return Object.keys(news ?? {}).filter(
    (k) => k !== "__provider" && JSON.stringify(olds?.[k]) !== JSON.stringify(news?.[k]),
  );
}

/** The steps a preview plans for the program's resources (refresh steps and replacement halves left out). */
export async function plannedSteps(stack: Stack, options: { refresh?: boolean } = {}): Promise<PlannedStep[]> {
  const steps: PlannedStep[] = [];
  await stack.preview({
    refresh: options.refresh ?? true,
    diff: true,
    onEvent: (event) => {
      const meta = event.resourcePreEvent?.metadata;
      if (!meta || !["create", "update", "replace", "delete"].includes(meta.op)) return;
      if (meta.type === "pulumi:pulumi:Stack" || meta.type.startsWith("pulumi:providers:")) return;
      const properties = meta.op === "replace" ? (meta.keys ?? []) : changedInputs(meta.old?.inputs, meta.new?.inputs);
      steps.push({ op: meta.op, name: meta.urn.split("::").pop() ?? meta.urn, properties: [...properties].sort() });
    },
  });
  return steps;
}

/** Checks a state file for credentials and for plain-text secrets that must only appear encrypted. */
export function expectNoSecretsInState(text: string, emulator: RunningEmulator, secrets: readonly string[] = []): void {
  for (const secret of [emulator.credentials.accessKey, emulator.credentials.secretKey, "PRIVATE KEY", ...secrets]) {
    expect({ secret, found: text.includes(secret) }).toEqual({ secret, found: false });
  }
}

/** The stack's state file as the backend stores it (secrets encrypted), not a decrypted export. */
export function stateFileText(e2e: E2EStack, project: string): string {
  return readFileSync(join(stateDirectory(e2e.workDir), ".pulumi", "stacks", project, "e2e.json"), "utf8");
}

/** Size in bytes of the provider source (`__provider`) of each resource in the exported state. */
export async function providerSizes(stack: Stack): Promise<Record<string, number>> {
  const state = await stack.exportStack();
  const resources =
    (state.deployment as { resources?: { urn: string; inputs?: Record<string, unknown> }[] }).resources ?? [];
  const sizes: Record<string, number> = {};
  for (const r of resources) {
    const provider = r.inputs?.__provider;
    if (typeof provider === "string") sizes[r.urn.split("::").pop() ?? r.urn] = Buffer.byteLength(provider);
  }
  return sizes;
}

export async function emulatorObjects(
  emulator: RunningEmulator,
  collection: string,
): Promise<Record<string, unknown>[]> {
  const response = await fetch(`${emulator.url}/_emulator/objects/${encodeURIComponent(collection)}`);
  return (await response.json()) as Record<string, unknown>[];
}

export async function emulatorControl(
  emulator: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<void> {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    headers: { "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status >= 400) throw new Error(`control ${method} ${path}: ${response.status} ${await response.text()}`);
}
