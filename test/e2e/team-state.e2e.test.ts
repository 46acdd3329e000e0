// Team state on real S3-compatible object storage: the real Pulumi CLI keeps a stack's state in a bucket of
// a SeaweedFS S3 gateway started here (built from Go modules by scripts/ensure-seaweedfs.sh), with the
// passphrase secrets provider, against the emulator: up, refresh, destroy; the backend's lock refuses a
// second concurrent `up` and survives a killed run until `pulumi cancel`; and no object in the bucket
// holds a credential, the private key or the user data.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";
import { LocalWorkspace, PulumiCommand, type Stack } from "@pulumi/pulumi/automation";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { pulumiBin } from "../../demo/pulumi-cli";
import { PASSPHRASE, REPO, cliEnvironment, emulatorControl, emulatorObjects, installPackage } from "./harness";
import { alive, processTree, pulumi as runPulumi, waitFor } from "./processes";
import { type RunningS3Server, type S3Credentials, startSeaweedS3 } from "./seaweedfs-s3";

const PROJECT = "team-state";
const STACK = "e2e";
const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";
const unique = randomBytes(6).toString("hex");
const BUCKET = `pulumi-state-${unique}`;
const SCP = { accessKey: `ts-access-${unique}`, secretKey: `ts-secret-${randomBytes(12).toString("hex")}` };
const S3: S3Credentials = { accessKeyId: `ts-s3-${unique}`, secretAccessKey: randomBytes(16).toString("hex") };
const USER_DATA = `#!/bin/sh\necho team-state-user-data-${unique} > /etc/motd\n`;

const resources = (extra = "") => `
const key = new scp.Keypair("key", { name: "ts-key" });
const server = new scp.VirtualServer("server", {
  name: "ts-web",
  imageId: "${IMAGE_ID}",
  serverTypeId: "s1v1m2",
  keypairName: key.name,
  networks: [{ subnetId: "subnet-ts" }],
  bootVolume: { size: 50, type: "SSD" },
  userData: ${JSON.stringify(USER_DATA)},
  powerState: "ACTIVE",
});
const data = new scp.Volume("data", { name: "ts-data", size: 20 });
${extra}
return { privateKey: key.privateKey, serverId: server.id, volumeId: data.id };`;
const program = (extra = "", delayMs = 0) => `
const scp = require("pulumi-scp-virtualserver");
module.exports = async () => {
  await new Promise((r) => setTimeout(r, ${delayMs}));
  ${resources(extra)}
};
`;
const EXTRA_VOLUME = `new scp.Volume("extra", { name: "ts-extra", size: 10 });`;

let emulator: RunningEmulator;
let s3: RunningS3Server;
let workDir: string;
let envVars: Record<string, string>;
let pulumiCommand: PulumiCommand;
let stack: Stack;
let privateKey = "";

/** The CLI's environment for the S3 backend, with the given S3 credentials. */
function environment(credentials: S3Credentials): Record<string, string> {
  return {
    ...cliEnvironment(workDir),
    PULUMI_BACKEND_URL: s3.backendUrl(BUCKET),
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: s3.region,
    // Nothing from the machine's own AWS setup.
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_EC2_METADATA_DISABLED: "true",
  };
}

/** Runs the pulumi CLI in the workspace; resolves with its exit code and output (never rejects). */
const pulumi = (args: string[], env: Record<string, string>) => runPulumi(args, { cwd: workDir, env });

const lockKeys = async () => s3.listKeys(BUCKET, ".pulumi/locks/");
const historyKeys = async () =>
  (await s3.listKeys(BUCKET, `.pulumi/history/${PROJECT}/${STACK}/`)).filter((k) => k.endsWith(".history.json"));

const LOCKED = /the stack is currently locked by 1 lock\(s\)|another update is currently in progress/i;

beforeAll(async () => {
  // Started first: without the weed binary the suite fails here, saying how to build it.
  const started = Date.now();
  s3 = await startSeaweedS3(S3);
  await s3.createBucket(BUCKET);
  console.log(`SeaweedFS S3 gateway at ${s3.endpoint} ready, bucket ${BUCKET} created, in ${Date.now() - started} ms`);
  emulator = await startEmulator({ timeScale: 0.01, credentials: [SCP] });

  mkdirSync(join(REPO, ".pulumi-e2e"), { recursive: true });
  workDir = mkdtempSync(join(REPO, ".pulumi-e2e", `${PROJECT}-`));
  writeFileSync(join(workDir, "Pulumi.yaml"), `name: ${PROJECT}\nruntime: nodejs\ndescription: e2e team state on S3\n`);
  writeFileSync(join(workDir, "package.json"), JSON.stringify({ name: PROJECT, private: true, main: "index.js" }));
  writeFileSync(join(workDir, "index.js"), program());
  installPackage(workDir);

  envVars = environment(S3);
  pulumiCommand = await PulumiCommand.get({ root: resolve(pulumiBin(), ".."), skipVersionCheck: true });
  stack = await LocalWorkspace.createOrSelectStack(
    { stackName: STACK, workDir },
    { workDir, envVars, pulumiCommand, secretsProvider: "passphrase" },
  );
  await stack.setAllConfig({
    "scp:endpointOverride": { value: emulator.url },
    "scp:accessKey": { value: SCP.accessKey, secret: true },
    "scp:secretKey": { value: SCP.secretKey, secret: true },
  });
});

afterAll(async () => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  await emulator?.close();
  await s3?.stop();
});

describe("team state on S3-compatible object storage (SeaweedFS)", () => {
  test("the gateway refuses unsigned requests and wrong credentials; the stack exists only in the bucket", async () => {
    expect((await s3.send("GET", `/${BUCKET}`, { query: { "list-type": "2" }, credentials: null })).status).toBe(403);
    const unknownKey = await pulumi(["stack", "ls"], environment({ ...S3, accessKeyId: "not-a-key" }));
    const wrongSecret = await pulumi(["stack", "ls"], environment({ ...S3, secretAccessKey: "wrong-secret" }));
    console.log(
      `wrong S3 credentials refused:\n  unknown access key: ${unknownKey.output.trim().split("\n").pop()}\n` +
        `  wrong secret key: ${wrongSecret.output.trim().split("\n").pop()}`,
    );
    for (const refused of [unknownKey, wrongSecret]) {
      expect(refused.code).not.toBe(0);
      expect(refused.output).toMatch(/InvalidAccessKeyId|SignatureDoesNotMatch|AccessDenied|403/);
    }
    const ok = await pulumi(["stack", "ls"], envVars);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.output).toContain(STACK);
    expect(await s3.listKeys(BUCKET)).toContain(`.pulumi/stacks/${PROJECT}/${STACK}.json`);
  });

  test("up creates the keypair, the server with user data and the volume", async () => {
    const result = await stack.up();
    expect(result.summary.result).toBe("succeeded");
    privateKey = String(result.outputs.privateKey?.value);
    expect(privateKey).toMatch(/PRIVATE KEY/);
    expect(result.outputs.privateKey?.secret).toBe(true);
    expect((await emulatorObjects(emulator, "servers")).map((s) => s.name)).toEqual(["ts-web"]);
    expect((await emulatorObjects(emulator, "volumes")).map((v) => v.name)).toContain("ts-data");
  });

  test("refresh right after changes nothing", async () => {
    const result = await stack.refresh();
    expect(result.summary.result).toBe("succeeded");
    const changes = result.summary.resourceChanges ?? {};
    expect(Object.keys(changes).filter((op) => op !== "same")).toEqual([]);
  });

  test("a second `up` on the same stack while one runs is refused by the lock, not interleaved", async () => {
    writeFileSync(join(workDir, "index.js"), program(EXTRA_VOLUME));
    const historyBefore = (await historyKeys()).length;
    const settings = (await (await fetch(`${emulator.url}/_emulator/settings`)).json()) as {
      durations: Record<string, number>;
    };
    await emulatorControl(emulator, "PUT", "/settings", { durations: { volumeCreateMs: 15_000 } });
    try {
      const first = stack.up();
      const lock = await waitFor("the first up's lock", async () => (await lockKeys())[0]);
      const second = await LocalWorkspace.selectStack(
        { stackName: STACK, workDir },
        { workDir, envVars, pulumiCommand },
      );
      const refused = await second.up().then(
        () => "",
        (error: unknown) => String(error),
      );
      const reason = refused.split("\n").find((line) => LOCKED.test(line)) ?? refused;
      console.log(`second concurrent up refused: ${reason.trim()}\n  (lock object: ${lock})`);
      expect(refused).toMatch(LOCKED);
      const result = await first;
      expect(result.summary.resourceChanges?.create).toBe(1);
    } finally {
      await emulatorControl(emulator, "PUT", "/settings", {
        durations: { volumeCreateMs: settings.durations.volumeCreateMs },
      });
    }
    expect(await lockKeys()).toEqual([]);
    // One update recorded, one volume created: the refused run did nothing.
    expect((await historyKeys()).length).toBe(historyBefore + 1);
    expect((await emulatorObjects(emulator, "volumes")).filter((v) => v.name === "ts-extra")).toHaveLength(1);
  });

  test("a killed run leaves its lock; the next up is refused until `pulumi cancel`", async () => {
    // The program waits before declaring anything: the run holds the lock with no operation in flight.
    writeFileSync(join(workDir, "index.js"), program(EXTRA_VOLUME, 120_000));
    const killed = spawn(join(pulumiBin(), "pulumi"), ["up", "--yes", "--non-interactive", "--stack", STACK], {
      cwd: workDir,
      env: { ...process.env, ...envVars },
      stdio: "ignore",
    });
    const exited = new Promise((r) => killed.on("exit", r));
    await waitFor("the lock of the run to kill", async () => (await lockKeys())[0]);
    // Killed while the program runs (it waits before declaring anything), and with the whole process tree, as a
    // cancelled CI runner goes: the CLI starts its plugins in process groups of their own.
    const tree = await waitFor("the program of the run to kill", async () => {
      const t = processTree(killed.pid as number);
      return t.some((p) => p.args.includes("cmd/run")) ? t : undefined;
    });
    for (const { pid } of tree) process.kill(pid, "SIGKILL");
    await exited;
    await waitFor(
      "the killed tree to be gone",
      async () => (tree.some((p) => alive(p.pid)) ? undefined : true),
      10_000,
    );
    writeFileSync(join(workDir, "index.js"), program(EXTRA_VOLUME));
    const left = await lockKeys();
    expect(left).toHaveLength(1);
    const refused = await pulumi(["up", "--yes", "--stack", STACK], envVars);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(LOCKED);
    const cancel = await pulumi(["cancel", "--yes", "--stack", STACK], envVars);
    expect(cancel).toMatchObject({ code: 0 });
    expect(await lockKeys()).toEqual([]);
    console.log(
      `killed run: ${tree.length} processes killed (${tree.map((p) => p.args.split(" ")[0]?.split("/").pop()).join(", ")}); ` +
        `its lock ${left[0]} stayed; the next up was refused; \`pulumi cancel\` removed the lock`,
    );
    const result = await stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(Object.keys(result.summary.resourceChanges ?? {}).filter((op) => op !== "same")).toEqual([]);
  });

  test("destroy leaves the emulator empty", async () => {
    const result = await stack.destroy();
    expect(result.summary.result).toBe("succeeded");
    expect(await emulatorObjects(emulator, "servers")).toEqual([]);
    expect(await emulatorObjects(emulator, "volumes")).toEqual([]);
    expect(await emulatorObjects(emulator, "keypairs")).toEqual([]);
  });

  test("the bucket holds the checkpoint, and no object in it holds a credential, the private key or user data", async () => {
    const keys = await s3.listKeys(BUCKET);
    const checkpointKey = `.pulumi/stacks/${PROJECT}/${STACK}.json`;
    expect(keys).toContain(checkpointKey);
    const checkpoint = JSON.parse((await s3.getObject(BUCKET, checkpointKey)).toString("utf8")) as {
      checkpoint: { stack: string; latest: { secrets_providers?: { type: string } } };
    };
    expect(checkpoint.checkpoint.stack).toContain(STACK);
    expect(checkpoint.checkpoint.latest.secrets_providers?.type).toBe("passphrase");

    expect(privateKey).toMatch(/PRIVATE KEY/);
    const pemLines = privateKey.split("\n").filter((line) => line.length > 0 && !line.startsWith("-----"));
    const secrets: Record<string, string> = {
      "SCP access key": SCP.accessKey,
      "SCP secret key": SCP.secretKey,
      "S3 secret key": S3.secretAccessKey,
      passphrase: PASSPHRASE,
      "private key": privateKey,
      "private key (JSON-escaped)": JSON.stringify(privateKey).slice(1, -1),
      "private key (longest line)": pemLines.reduce((a, b) => (b.length > a.length ? b : a), ""),
      "PRIVATE KEY marker": "PRIVATE KEY",
      "user-data payload": `team-state-user-data-${unique}`,
      "user data (JSON-escaped)": JSON.stringify(USER_DATA).slice(1, -1),
      "user data (base64)": Buffer.from(USER_DATA).toString("base64"),
    };

    const hits: string[] = [];
    let withServer = 0;
    let withCiphertext = 0;
    for (const key of keys) {
      const raw = await s3.getObject(BUCKET, key);
      const text = (key.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8");
      if (text.includes("ts-web")) withServer += 1;
      if (text.includes("ciphertext")) withCiphertext += 1;
      for (const [what, value] of Object.entries(secrets)) if (text.includes(value)) hits.push(`${key}: ${what}`);
    }
    console.log(
      `bucket ${BUCKET}: ${keys.length} objects checked (${withServer} hold the server, ${withCiphertext} hold ` +
        `encrypted secrets) for ${Object.keys(secrets).length} secret forms: ${hits.length} hits\n  ${keys.join("\n  ")}`,
    );
    // The scan read real state: the history and backups hold the checkpoints with the server and its secrets.
    expect(withServer).toBeGreaterThan(0);
    expect(withCiphertext).toBeGreaterThan(0);
    expect(hits).toEqual([]);
  });
});
