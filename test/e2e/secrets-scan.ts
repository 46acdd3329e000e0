/**
 * The secrets check every e2e scenario goes through (issue 16 item 5): the state, the stack config, the CLI's
 * output, the engine's event log and the provider's debug log of every workspace hold none of the secrets the
 * scenario used — the credentials, the passphrase, private keys, user data, passwords — in any common
 * encoding. setup.ts runs it after every test (a hit fails that test) and at the end of the suite (a summary
 * line with the figures); `E2EStack.dispose` runs it before it removes a workspace.
 *
 * Nothing is registered by the tests. The secrets are gathered where they live:
 * - every `secure:` value of the stack config and every ciphertext in every state file (checkpoints, history,
 *   backups), decrypted with the stack's passphrase (the passphrase secrets manager's scheme: PBKDF2-SHA256,
 *   1,000,000 rounds, AES-256-GCM) — credentials, generated private keys, user data;
 * - every secret field (user data, passwords, private keys, keys) of the requests the emulator received and of
 *   the objects it holds, from the emulator the stack config points at;
 * - the emulator's credentials, the password it answers, and the passphrase.
 *
 * What is scanned lives in an evidence directory per workspace outside it (`.pulumi-e2e/.evidence/…`), so a
 * test that removes its project directory early still has it scanned: the file backend's state, the provider's
 * debug log (`SCP_DEBUG_LOG`), and a transcript of every CLI command the Automation API ran in the workspace
 * (recorded by a tee on the Automation API's one way of running the CLI, so no scenario can bypass it). A clean
 * evidence directory is removed; one with a hit is kept for inspection.
 */
import { createDecipheriv, createHash, pbkdf2 } from "node:crypto";
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { PulumiCommand } from "@pulumi/pulumi/automation";
import { REPO_ROOT } from "../../demo/pulumi-cli";
import type { RunningEmulator } from "../../emulator";

export const WORK_ROOT = join(REPO_ROOT, ".pulumi-e2e");
const EVIDENCE_ROOT = join(WORK_ROOT, ".evidence");
export const PASSPHRASE = "e2e-passphrase";

/** What a secret is, for the summary: the forms the issue names. */
type SecretKind = "access key" | "secret key" | "passphrase" | "private key" | "user data" | "password" | "other";

interface Workspace {
  readonly workDir: string;
  readonly evidenceDir: string;
  passphrase: string;
  emulator?: RunningEmulator;
  commands: number;
  /** Commands whose output asks for secrets in plain text (`--show-secrets`, `config get`): not scanned. */
  showSecretsCommands: number;
  disposed: boolean;
  /** Debug logs the CLI was told to write elsewhere (`SCP_DEBUG_LOG` set by the test). */
  readonly otherDebugLogs: Set<string>;
}

interface ScannedFile {
  readonly size: number;
  readonly mtimeMs: number;
  readonly secretsVersion: number;
}

const workspaces = new Map<string, Workspace>();
/** Secret form → what it is (kind and where it was found), over every workspace of the suite. */
const forms = new Map<string, { kind: SecretKind; what: string; how: string }>();
const secretValues = new Map<string, SecretKind>();
let secretsVersion = 0;
const scanned = new Map<string, ScannedFile>();
const hits = new Set<string>();
const emulators = new Map<string, RunningEmulator>();
const keys = new Map<string, Promise<Buffer | undefined>>();

/** The evidence directory of a workspace: the same path for the same workspace, outside it. */
export function evidenceDirectory(workDir: string): string {
  const full = resolve(workDir);
  return join(EVIDENCE_ROOT, `${basename(full)}-${createHash("sha256").update(full).digest("hex").slice(0, 10)}`);
}

/** Where the file backend of a workspace keeps its state (`PULUMI_BACKEND_URL` of `cliEnvironment`). */
export const stateDirectory = (workDir: string): string => join(evidenceDirectory(workDir), "state");
/** The provider's debug log of a workspace (`SCP_DEBUG_LOG` of `cliEnvironment`). */
export const debugLogPath = (workDir: string): string => join(evidenceDirectory(workDir), "scp-debug.jsonl");
const cliOutputPath = (workDir: string) => join(evidenceDirectory(workDir), "cli-output.log");
const engineEventsPath = (workDir: string) => join(evidenceDirectory(workDir), "engine-events.jsonl");

/** Registers a workspace (idempotent) and creates its evidence directory. */
export function registerWorkspace(workDir: string, emulator?: RunningEmulator): void {
  const full = resolve(workDir);
  let workspace = workspaces.get(full);
  if (!workspace) {
    workspace = {
      workDir: full,
      evidenceDir: evidenceDirectory(full),
      passphrase: PASSPHRASE,
      commands: 0,
      showSecretsCommands: 0,
      disposed: false,
      otherDebugLogs: new Set(),
    };
    if (workspaces.size === 0) pruneEvidence();
    workspaces.set(full, workspace);
    mkdirSync(stateDirectory(full), { recursive: true });
    writeFileSync(join(workspace.evidenceDir, "workspace.txt"), full);
  }
  if (emulator) {
    workspace.emulator = emulator;
    emulators.set(emulator.url, emulator);
    addSecret(emulator.credentials.accessKey, "access key", "the emulator's access key");
    addSecret(emulator.credentials.secretKey, "secret key", "the emulator's secret key");
  }
}

/** The emulator a workspace's stack runs against, once registered with it. */
export function workspaceEmulator(workDir: string): RunningEmulator | undefined {
  return workspaces.get(resolve(workDir))?.emulator;
}

/**
 * Evidence a suite could not remove (its workspace was still there at the end, and its test removed it later)
 * is removed by a later suite: its workspace gone and untouched for an hour (so never another running suite's).
 */
function pruneEvidence(): void {
  if (!existsSync(EVIDENCE_ROOT)) return;
  for (const dir of readdirSync(EVIDENCE_ROOT).map((d) => join(EVIDENCE_ROOT, d))) {
    const marker = join(dir, "workspace.txt");
    if (!existsSync(marker) || existsSync(readFileSync(marker, "utf8"))) continue;
    if (Date.now() - statSync(marker).mtimeMs > 3_600_000) rmSync(dir, { recursive: true, force: true });
  }
}

// The password Show Server Password answers, and the passphrase of every e2e stack.
const EMULATOR_PASSWORD = "ZW11bGF0b3ItZW5jcnlwdGVkLXBhc3N3b3Jk";
const MIN_SECRET_LENGTH = 8;
const MIN_LINE_LENGTH = 24;

/** Adds a secret value and the forms it would take in a file: as is, JSON-escaped (once, twice), base64, its long lines. */
export function addSecret(value: string, kind: SecretKind, what: string): void {
  if (value.length < MIN_SECRET_LENGTH || secretValues.has(value)) return;
  secretValues.set(value, kind);
  secretsVersion += 1;
  const add = (form: string, how: string) => {
    if (form.length >= MIN_SECRET_LENGTH && !forms.has(form)) forms.set(form, { kind, what, how });
  };
  add(value, "as is");
  add(JSON.stringify(value).slice(1, -1), "JSON-escaped");
  add(JSON.stringify(JSON.stringify(value)).slice(1, -1), "JSON-escaped twice");
  add(Buffer.from(value).toString("base64"), "base64");
  if (value.includes("\n")) {
    for (const line of value.split("\n")) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_LINE_LENGTH && !trimmed.startsWith("-----")) add(trimmed, "a line of it");
    }
  }
}

// A generated private key's PEM armour, wherever it shows.
forms.set("PRIVATE KEY", { kind: "private key", what: "a private key's PEM marker", how: "as is" });
addSecret(EMULATOR_PASSWORD, "password", "the password the emulator answers");
addSecret(Buffer.from(EMULATOR_PASSWORD, "base64").toString("utf8"), "password", "the emulator's password, decoded");
addSecret(PASSPHRASE, "passphrase", "the stacks' passphrase");

// ---- decrypting the passphrase secrets manager's values ----

const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** The key of a passphrase salt state (`v1:<salt>:v1:<nonce>:<ciphertext>` of "pulumi"), checked against it. */
function keyFor(saltState: string, passphrase: string): Promise<Buffer | undefined> {
  const cacheKey = `${passphrase}\u0000${saltState}`;
  let key = keys.get(cacheKey);
  if (!key) {
    const [version, salt, ...check] = saltState.split(":");
    key = new Promise((done) => {
      if (version !== "v1" || !salt) return done(undefined);
      // Asynchronous: the emulator runs in this process and must keep answering meanwhile.
      pbkdf2(passphrase, Buffer.from(salt, "base64"), 1_000_000, 32, "sha256", (error, derived) => {
        done(error || decrypt(check.join(":"), derived) !== "pulumi" ? undefined : derived);
      });
    });
    keys.set(cacheKey, key);
  }
  return key;
}

function decrypt(ciphertext: string, key: Buffer): string | undefined {
  const [version, nonce, sealed] = ciphertext.split(":");
  if (version !== "v1" || !nonce || !sealed) return undefined;
  try {
    const bytes = Buffer.from(sealed, "base64");
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

function kindOfProperty(name: string, value: string): SecretKind {
  if (value.includes("PRIVATE KEY") || /private.?key/i.test(name)) return "private key";
  if (/user.?data/i.test(name)) return "user data";
  if (/password/i.test(name)) return "password";
  if (/access.?key/i.test(name)) return "access key";
  if (/secret.?key/i.test(name)) return "secret key";
  return "other";
}

/**
 * An explicit provider's settings are one secret object (`_scpProvider`), but only its credentials are secret
 * by nature: its endpoint or region may well sit in plain stack config.
 */
const notSecretByNature = (name: string) => /(^|\.)_scpProvider\.(?!accessKey$|secretKey$)/.test(name);

function addStrings(value: unknown, name: string, where: string): void {
  if (notSecretByNature(name)) return;
  if (typeof value === "string") addSecret(value, kindOfProperty(name, value), `${name} (${where})`);
  else if (Array.isArray(value)) value.forEach((v) => addStrings(v, name, where));
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) addStrings(v, `${name}.${k}`, where);
}

/** Every `secure:` value of the workspace's stack config files. */
async function harvestConfig(workspace: Workspace): Promise<void> {
  if (!existsSync(workspace.workDir)) return;
  for (const file of readdirSync(workspace.workDir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))) {
    const text = readFileSync(join(workspace.workDir, file), "utf8");
    const salt = /^encryptionsalt:\s*(\S+)/m.exec(text)?.[1];
    if (!salt) continue;
    const key = await keyFor(salt, workspace.passphrase);
    if (!key) continue;
    for (const [, name = "", ciphertext = ""] of text.matchAll(/^\s*([\w:.-]+):\s*\n\s*secure:\s*(\S+)/gm)) {
      const plain = decrypt(ciphertext, key);
      if (plain !== undefined) addSecret(plain, kindOfProperty(name, plain), `config ${name}`);
    }
  }
}

/** The salt state of a checkpoint (its `secrets_providers`), wherever it sits in the file. */
function findSalt(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const providers = record.secrets_providers as { type?: string; state?: { salt?: unknown } } | undefined;
  if (providers?.type === "passphrase" && typeof providers.state?.salt === "string") return providers.state.salt;
  for (const child of Object.values(record)) {
    const salt = findSalt(child);
    if (salt) return salt;
  }
  return undefined;
}

/** Every ciphertext of a state file, decrypted, with the property that held it. */
async function harvestStateFile(text: string, file: string, passphrase: string): Promise<void> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return;
  }
  const salt = findSalt(parsed);
  const key = salt ? await keyFor(salt, passphrase) : undefined;
  if (!key) return;
  const walk = (value: unknown, name: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => walk(v, name));
    if (typeof value !== "object" || value === null) return;
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] !== undefined && typeof record.ciphertext === "string") {
      const plain = decrypt(record.ciphertext, key);
      if (plain === undefined) return;
      let secret: unknown = plain;
      try {
        secret = JSON.parse(plain);
      } catch {
        // a plain string
      }
      return addStrings(secret, name, `state ${file}`);
    }
    for (const [k, v] of Object.entries(record)) walk(v, k);
  };
  walk(parsed, "state");
}

const SECRET_FIELD = /user_?data|password|private_?key|secret_?key|access_?key/i;

/** The secret fields of the requests an emulator received and of the objects it holds (user data is base64). */
function harvestEmulatorValues(values: unknown, where: string): void {
  const walk = (value: unknown, name: string): void => {
    if (Array.isArray(value)) return value.forEach((v) => walk(v, name));
    if (typeof value === "object" && value !== null) {
      for (const [k, v] of Object.entries(value)) walk(v, k);
      return;
    }
    if (typeof value !== "string" || !SECRET_FIELD.test(name)) return;
    const kind = kindOfProperty(name, value);
    addSecret(value, kind, `${name} (${where})`);
    const decoded = Buffer.from(value, "base64").toString("utf8");
    if (/^[A-Za-z0-9+/=\s]+$/.test(value) && Buffer.from(decoded).toString("base64") === value.replace(/\s/g, ""))
      addSecret(decoded, kind, `${name}, decoded (${where})`);
  };
  walk(values, "");
}

async function harvestEmulator(workspace: Workspace): Promise<void> {
  let url = workspace.emulator?.url;
  if (!url && existsSync(workspace.workDir)) {
    for (const file of readdirSync(workspace.workDir).filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))) {
      url ??= /^\s*scp:endpointOverride:\s*(\S+)/m.exec(readFileSync(join(workspace.workDir, file), "utf8"))?.[1];
    }
  }
  if (!url) return;
  const emulator = emulators.get(url);
  if (emulator) {
    harvestEmulatorValues(emulator.state.requestLog, "request to the emulator");
    harvestEmulatorValues(emulator.state.store.dump(), "object in the emulator");
    return;
  }
  try {
    for (const path of ["requests", "objects"]) {
      const response = await fetch(`${url}/_emulator/${path}`);
      harvestEmulatorValues(await response.json(), `emulator ${path}`);
    }
  } catch {
    // An emulator already closed has nothing more to tell.
  }
}

const harvestedStateFiles = new Map<string, string>();

async function harvest(workspace: Workspace): Promise<void> {
  await harvestConfig(workspace);
  await harvestEmulator(workspace);
  for (const file of filesOf(stateDirectory(workspace.workDir))) {
    const stat = statSync(file);
    const version = `${stat.size}:${stat.mtimeMs}`;
    if (harvestedStateFiles.get(file) === version) continue;
    harvestedStateFiles.set(file, version);
    await harvestStateFile(readText(file), relative(workspace.evidenceDir, file), workspace.passphrase);
  }
}

// ---- recording the CLI ----

interface CliResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}
/** The Automation API's internal `PulumiCommand.run`, through which every CLI command of a workspace runs. */
type Run = (
  this: PulumiCommand,
  args: string[],
  cwd: string,
  additionalEnv: Record<string, string>,
  ...rest: unknown[]
) => Promise<CliResult>;

let recording = false;
const ENGINE_COMMANDS = new Set(["up", "preview", "refresh", "destroy", "import"]);

/** Output that holds secrets because it was asked to: `--show-secrets`, `config get`, the config listing. */
const asksForSecrets = (args: readonly string[]) =>
  args.includes("--show-secrets") || (args[0] === "config" && (args[1] === "get" || args[1]?.startsWith("-")));

/**
 * Tees the output of every CLI command the Automation API runs into its workspace's transcript, and the engine
 * event log of the command (`--event-log`, read before the Automation API removes it).
 */
export function recordCliOutput(): void {
  if (recording) return;
  recording = true;
  const prototype = PulumiCommand.prototype as unknown as { run: Run };
  const run = prototype.run;
  prototype.run = async function (this: PulumiCommand, args, cwd, additionalEnv, ...rest) {
    registerWorkspace(cwd);
    const workspace = workspaces.get(resolve(cwd)) as Workspace;
    workspace.passphrase = additionalEnv.PULUMI_CONFIG_PASSPHRASE ?? workspace.passphrase;
    const debugLog = additionalEnv.SCP_DEBUG_LOG;
    if (debugLog && resolve(debugLog) !== debugLogPath(cwd)) workspace.otherDebugLogs.add(resolve(debugLog));
    // The command's name only: `config set-all` carries the secret values in its arguments.
    const command = args.filter((a) => !a.startsWith("-")).slice(0, 2);
    // The engine's events of every update, also when the test asked for none (then into the evidence).
    if (ENGINE_COMMANDS.has(args[0] ?? "") && !args.includes("--event-log")) {
      mkdirSync(workspace.evidenceDir, { recursive: true });
      args.push("--event-log", join(workspace.evidenceDir, `engine-events-${workspace.commands + 1}.jsonl`));
    }
    const eventLog = args[args.indexOf("--event-log") + 1];
    const ownEventLog = eventLog?.startsWith(workspace.evidenceDir) === true;
    const record = (output: string) => {
      workspace.commands += 1;
      mkdirSync(workspace.evidenceDir, { recursive: true });
      if (asksForSecrets(args)) {
        workspace.showSecretsCommands += 1;
        appendFileSync(cliOutputPath(cwd), `$ pulumi ${command.join(" ")} (asks for secrets: output not kept)\n`);
      } else {
        appendFileSync(cliOutputPath(cwd), `$ pulumi ${command.join(" ")}\n${output}\n`);
      }
      if (eventLog && !ownEventLog && existsSync(eventLog)) {
        appendFileSync(engineEventsPath(cwd), readFileSync(eventLog));
      }
    };
    let result: CliResult;
    try {
      result = await run.call(this, args, cwd, additionalEnv, ...rest);
    } catch (error) {
      // A failed command's error carries its stdout and stderr.
      record(String(error));
      await harvest(workspace).catch(() => undefined);
      throw error;
    }
    record(`${result.stdout}\n${result.stderr}`);
    await harvest(workspace);
    return result;
  };
}

// ---- scanning ----

function filesOf(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function readText(file: string): string {
  const raw = readFileSync(file);
  return (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
}

function category(workspace: Workspace, file: string): string {
  if (file.startsWith(stateDirectory(workspace.workDir))) return "state";
  if (file === cliOutputPath(workspace.workDir)) return "CLI output";
  if (basename(file).startsWith("engine-events")) return "engine events";
  if (file === debugLogPath(workspace.workDir) || workspace.otherDebugLogs.has(file)) return "provider debug log";
  return "stack config";
}

/** The files of a workspace that must hold no secret: its evidence and its stack config files. */
function targets(workspace: Workspace): string[] {
  const config = existsSync(workspace.workDir)
    ? readdirSync(workspace.workDir)
        .filter((f) => /^Pulumi\..+\.ya?ml$/.test(f))
        .map((f) => join(workspace.workDir, f))
    : [];
  const evidence = filesOf(workspace.evidenceDir).filter((f) => basename(f) !== "workspace.txt");
  return [...evidence, ...config, ...workspace.otherDebugLogs];
}

/**
 * The Node.js SDK's own debug diagnostics of its RPCs (`log.debug("RegisterResource RPC finished: … resp: …")`
 * in @pulumi/pulumi runtime/resource.js) print the engine's answer with the secrets' plaintext. They reach the
 * event log at debug severity (the CLI shows them only with --debug): an upstream leak no provider can prevent,
 * counted apart (sdkDebugLines) instead of failing every scenario with a secret output.
 */
const SDK_RPC_DEBUG =
  /^(RegisterResource|RegisterResourceOutputs|ReadResource|Invoke|Call|getResource Invoke) RPC finished/;
const sdkDebugLines = new Map<string, number>();

function withoutSdkDebugLines(text: string, file: string): string {
  let count = 0;
  const kept = text.split("\n").filter((line) => {
    if (!line.includes('"severity":"debug"')) return true;
    let event: { diagnosticEvent?: { severity?: string; message?: string } };
    try {
      event = JSON.parse(line) as typeof event;
    } catch {
      return true;
    }
    const message = event.diagnosticEvent?.message ?? "";
    if (event.diagnosticEvent?.severity !== "debug" || !SDK_RPC_DEBUG.test(message)) return true;
    if ([...forms.keys()].some((form) => message.includes(form))) count += 1;
    return false;
  });
  sdkDebugLines.set(file, count);
  return kept.join("\n");
}

export interface ScanFigures {
  workspaces: number;
  commands: number;
  showSecretsCommands: number;
  files: Record<string, { files: number; bytes: number }>;
  secretValues: Record<string, number>;
  forms: number;
  hits: string[];
  /** SDK debug diagnostics holding a secret (see SDK_RPC_DEBUG): not hits. */
  sdkDebugLines: number;
}

const totals: Record<string, { files: Set<string>; bytes: Map<string, number> }> = {};

/** Scans what changed since the last scan (everything again when new secrets were found); returns new hits. */
async function scan(workspace: Workspace): Promise<string[]> {
  await harvest(workspace);
  const found: string[] = [];
  for (const file of targets(workspace)) {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      continue;
    }
    const previous = scanned.get(file);
    if (previous?.size === stat.size && previous.mtimeMs === stat.mtimeMs && previous.secretsVersion === secretsVersion)
      continue;
    const what = category(workspace, file);
    const text = what === "engine events" ? withoutSdkDebugLines(readText(file), file) : readText(file);
    scanned.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, secretsVersion });
    totals[what] ??= { files: new Set(), bytes: new Map() };
    totals[what].files.add(file);
    totals[what].bytes.set(file, Buffer.byteLength(text));
    // One hit per file and secret, with the forms it was found in.
    const inFile = new Map<string, string[]>();
    for (const [form, secret] of forms) {
      if (!text.includes(form)) continue;
      const hit = `${what} ${relative(WORK_ROOT, file)}: ${secret.kind} — ${secret.what}`;
      inFile.set(hit, [...(inFile.get(hit) ?? []), secret.how]);
    }
    for (const [hit, hows] of inFile) {
      const line = `${hit} (${hows.join(", ")})`;
      if (!hits.has(line)) found.push(line);
      hits.add(line);
    }
  }
  return found;
}

function failure(found: readonly string[]): Error {
  return new Error(
    `secrets scan: ${found.length} secret(s) in plain text (evidence kept under ${relative(REPO_ROOT, EVIDENCE_ROOT)}):\n  ${found.join("\n  ")}`,
  );
}

/** Scans every live workspace; throws on a hit (setup.ts runs it after every test). */
export async function checkWorkspaces(): Promise<void> {
  const found: string[] = [];
  for (const workspace of workspaces.values()) if (!workspace.disposed) found.push(...(await scan(workspace)));
  if (found.length > 0) throw failure(found);
}

/** Scans a workspace the harness is about to remove; throws on a hit, removes its evidence when clean. */
export async function checkBeforeRemoval(workDir: string): Promise<void> {
  const workspace = workspaces.get(resolve(workDir));
  if (!workspace || workspace.disposed) return;
  const found = await scan(workspace);
  workspace.disposed = true;
  if (found.length > 0) throw failure(found);
  if (![...hits].some((hit) => hit.includes(relative(WORK_ROOT, workspace.evidenceDir)))) {
    rmSync(workspace.evidenceDir, { recursive: true, force: true });
  }
}

/** The suite's figures so far. */
export function figures(): ScanFigures {
  const all = [...workspaces.values()];
  const kinds: Record<string, number> = {};
  for (const kind of secretValues.values()) kinds[kind] = (kinds[kind] ?? 0) + 1;
  return {
    workspaces: all.length,
    commands: all.reduce((n, w) => n + w.commands, 0),
    showSecretsCommands: all.reduce((n, w) => n + w.showSecretsCommands, 0),
    files: Object.fromEntries(
      Object.entries(totals).map(([what, t]) => [
        what,
        { files: t.files.size, bytes: [...t.bytes.values()].reduce((a, b) => a + b, 0) },
      ]),
    ),
    secretValues: kinds,
    forms: forms.size,
    hits: [...hits],
    sdkDebugLines: [...sdkDebugLines.values()].reduce((a, b) => a + b, 0),
  };
}

/**
 * The last scan of the suite: every workspace, then one summary line. Evidence of workspaces that are gone
 * (their test removed them) is removed when clean; live ones are left to `dispose`. Throws on a hit.
 */
export async function finishSuite(suite: string): Promise<void> {
  const found: string[] = [];
  for (const workspace of workspaces.values()) if (!workspace.disposed) found.push(...(await scan(workspace)));
  const f = figures();
  const files = Object.values(f.files).reduce((n, t) => n + t.files, 0);
  const bytes = Object.values(f.files).reduce((n, t) => n + t.bytes, 0);
  const parts = Object.entries(f.files).map(([what, t]) => `${what} ${t.files}/${t.bytes} B`);
  const secrets = Object.entries(f.secretValues).map(([kind, n]) => `${n} ${kind}`);
  console.log(
    `secrets scan ${suite}: ${f.workspaces} workspace(s), ${f.commands} CLI commands ` +
      `(${f.showSecretsCommands} asking for secrets, not kept); ${files} files, ${bytes} bytes ` +
      `(${parts.join(", ")}); ${[...secretValues.keys()].length} secret values (${secrets.join(", ")}) ` +
      `in ${f.forms} forms; ${f.hits.length} hits` +
      (f.sdkDebugLines > 0 ? ` (${f.sdkDebugLines} SDK "RPC finished" debug diagnostics hold secrets: upstream)` : ""),
  );
  // Evidence a later command may still need (a live workspace's file-backend state) is left to `dispose`.
  for (const workspace of workspaces.values()) {
    const kept = f.hits.some((hit) => hit.includes(relative(WORK_ROOT, workspace.evidenceDir)));
    const needed = existsSync(workspace.workDir) && filesOf(stateDirectory(workspace.workDir)).length > 0;
    if (!kept && !needed && !workspace.disposed) rmSync(workspace.evidenceDir, { recursive: true, force: true });
  }
  if (found.length > 0) throw failure(found);
}
