// The examples users copy, run as they are (TypeScript programs) against the emulator, the drift check
// script of the CI recipe, and the packed package installed into a fresh project.
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalWorkspace, PulumiCommand } from "@pulumi/pulumi/automation";
import { type RunningEmulator, startEmulator } from "../../emulator";
import {
  REPO,
  type E2EStack,
  cliEnvironment,
  createStackFromDirectory,
  emulatorControl,
  emulatorObjects,
} from "./harness";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
});
afterAll(() => emulator?.close());

describe("examples", () => {
  let e2e: E2EStack | undefined;
  afterEach(async () => {
    await e2e?.stack.destroy().catch(() => undefined);
    await e2e?.dispose();
    e2e = undefined;
  });

  test("single-server: up, no drift, then the drift check script catches an out-of-band change", async () => {
    e2e = await createStackFromDirectory(join(REPO, "examples", "single-server"), emulator);
    const up = await e2e.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.dataDevice?.value).toMatch(/^\/dev\/vd/);
    expect(up.outputs.sshKey?.secret).toBe(true);

    const script = join(REPO, "examples", "drift-detection", "check-drift.sh");
    // Asynchronously: the emulator runs in this process and must keep answering while the script runs.
    const check = () =>
      new Promise<{ status: number; stdout: string }>((resolve) => {
        const env = { ...process.env, ...cliEnvironment(e2e?.workDir ?? "") };
        execFile("bash", [script, "e2e", e2e?.workDir ?? ""], { env, encoding: "utf8" }, (error, stdout) =>
          resolve({ status: error ? Number(error.code) : 0, stdout }),
        );
      });
    const clean = await check();
    expect({ status: clean.status, tail: clean.stdout.trim().split("\n").pop() }).toEqual({
      status: 0,
      tail: "drift check: stack e2e matches the cloud",
    });

    await emulatorControl(emulator, "PATCH", "/objects/keypairs/app-key", {
      public_key: "ssh-ed25519 AAAAchanged",
      fingerprint: "00",
    });
    const drifted = await check();
    expect(drifted.status).toBe(2);
    expect(drifted.stdout).toMatch(/app-key/);
  });

  test("autoscaling-web-tier: up, scaling is not drift, a new release repoints the group", async () => {
    e2e = await createStackFromDirectory(join(REPO, "examples", "autoscaling-web-tier"), emulator);
    const up = await e2e.stack.up();
    expect(up.outputs.servers?.value).toBe(2);
    await emulatorControl(emulator, "POST", `/auto-scaling-groups/${String(up.outputs.groupId?.value)}/scale`, {
      desired: 5,
    });
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
    await e2e.stack.setConfig("release", { value: "v2" });
    const release = await e2e.stack.up();
    expect(release.summary.resourceChanges).toMatchObject({ replace: 1, update: 1 });
    expect((await emulatorObjects(emulator, "launch-configurations")).map((l) => l.name)).toEqual(["web-v2"]);
  });
});

describe("packaging", () => {
  test("npm pack produces a package that a fresh Pulumi project installs and deploys", async () => {
    const project = mkdtempSync(join(tmpdir(), "scp-packed-"));
    try {
      const tarball =
        execFileSync("npm", ["pack", "--silent", "--pack-destination", project], { cwd: REPO, encoding: "utf8" })
          .trim()
          .split("\n")
          .pop() ?? "";
      // Only the library, the emulator, the tools, the README and the LICENSE: no benchmarks, demo, tests or maps.
      const shipped = execFileSync("tar", ["-tzf", join(project, tarball)], { encoding: "utf8" })
        .trim()
        .split("\n");
      expect(
        shipped.filter(
          (f) =>
            !/^package\/(dist\/(index|provider|resources|lookups|emulator|tools)\b|README\.md$|LICENSE$|package\.json$)/.test(
              f,
            ),
        ),
      ).toEqual([]);
      expect(shipped.filter((f) => /\.map$|\.test\.|\/(bench|demo)\//.test(f))).toEqual([]);
      expect(shipped).toEqual(
        expect.arrayContaining([
          "package/LICENSE",
          "package/dist/emulator/cli.js",
          "package/dist/tools/scp-recover.js",
          "package/dist/index.d.ts",
        ]),
      );
      const sdkManifest = join(REPO, "node_modules", "@pulumi", "pulumi", "package.json");
      const version = (JSON.parse(readFileSync(sdkManifest, "utf8")) as { version: string }).version;
      writeFileSync(
        join(project, "package.json"),
        JSON.stringify({ name: "packed-consumer", private: true, main: "index.js" }),
      );
      execFileSync(
        "npm",
        ["install", "--no-audit", "--no-fund", "--prefer-offline", join(project, tarball), `@pulumi/pulumi@${version}`],
        {
          cwd: project,
          stdio: "pipe",
        },
      );
      writeFileSync(join(project, "Pulumi.yaml"), "name: packed-consumer\nruntime: nodejs\n");
      writeFileSync(
        join(project, "index.js"),
        `const scp = require("pulumi-scp-virtualserver");\nconst key = new scp.Keypair("key", { name: "packed-key" });\nexports.fingerprint = key.fingerprint;\n`,
      );
      mkdirSync(join(project, ".state"));
      const envVars = cliEnvironment(project);
      const pulumiCommand = await PulumiCommand.get({
        root: join(envVars.PATH?.split(":")[0] ?? "", ".."),
        skipVersionCheck: true,
      });
      const stack = await LocalWorkspace.createOrSelectStack(
        { stackName: "e2e", workDir: project },
        { workDir: project, envVars, pulumiCommand },
      );
      await stack.setAllConfig({
        "scp:endpointOverride": { value: emulator.url },
        "scp:accessKey": { value: emulator.credentials.accessKey, secret: true },
        "scp:secretKey": { value: emulator.credentials.secretKey, secret: true },
      });
      const up = await stack.up();
      expect(up.outputs.fingerprint?.value).toMatch(/:/);
      expect((await emulatorObjects(emulator, "keypairs")).map((k) => k.name)).toContain("packed-key");
      await stack.destroy();
      expect((await emulatorObjects(emulator, "keypairs")).map((k) => k.name)).not.toContain("packed-key");
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
