/**
 * The emulator as a user meets it, from the packed package installed into a fresh project with npm:
 * `npx scp-emulator` (the package's `bin`), and the programmatic entry `pulumi-scp-virtualserver/emulator`
 * under each TypeScript `moduleResolution` a project may use, and at run time from CommonJS and ESM.
 * Needs `npm run build` first (the tarball packs dist/).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, packPackage } from "../support/consumer-project";

let project: string;
let tarball: string;
beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "scp-packed-emulator-"));
  tarball = packPackage(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "emulator-user", private: true }));
  // The emulator needs none of the package's peer dependencies (no @pulumi/pulumi): it is left out, so
  // nothing here can lean on it.
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--legacy-peer-deps", tarball], {
    cwd: project,
    stdio: "pipe",
  });
});
afterAll(() => rmSync(project, { recursive: true, force: true }));

test("the tarball ships the scp-emulator bin with a node shebang and an executable mode", () => {
  const listing = execFileSync("tar", ["-tvzf", tarball, "package/dist/emulator/cli.js"], { encoding: "utf8" });
  const firstLine = execFileSync("tar", ["-xOzf", tarball, "package/dist/emulator/cli.js"], {
    encoding: "utf8",
  }).split("\n")[0];
  expect({ mode: listing.slice(0, 10), firstLine }).toEqual({ mode: "-rwxr-xr-x", firstLine: "#!/usr/bin/env node" });
});

describe("npx scp-emulator in a project that installed the package", () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    // npx runs the bin in a child of its own: the whole process group (started detached) is stopped.
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await exited;
    }
    child = undefined;
  });

  /** Starts `npx scp-emulator …` and resolves with the first line it prints (the base URL). */
  const start = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      child = spawn("npx", ["scp-emulator", ...args], { cwd: project, detached: true });
      let out = "";
      let err = "";
      child.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString("utf8");
        if (out.includes("\n")) resolve(out.split("\n")[0] ?? "");
      });
      child.stderr?.on("data", (chunk: Buffer) => (err += chunk.toString("utf8")));
      child.once("exit", (code) => reject(new Error(`npx scp-emulator exited ${code}: ${err}`)));
    });

  test("--port 0 prints the base URL, and /_emulator/health answers there", async () => {
    const url = await start(["--port", "0", "--time-scale", "0.01"]);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${url}/_emulator/health`);
    expect({ status: health.status, body: await health.json() }).toMatchObject({
      status: 200,
      body: { ok: true, pendingTransitions: 0 },
    });
  });

  test("an object created out of band through the started emulator is listed by it", async () => {
    const url = await start(["--port", "0"]);
    const created = await fetch(`${url}/_emulator/objects/volumes`, {
      method: "POST",
      body: JSON.stringify({ name: "legacy-data", size: 10 }),
    });
    expect(created.status).toBe(201);
    const volumes = (await (await fetch(`${url}/_emulator/objects/volumes`)).json()) as { name: string }[];
    expect(volumes.map((v) => v.name)).toEqual(["legacy-data"]);
  });
});

describe('import { startEmulator } from "pulumi-scp-virtualserver/emulator"', () => {
  const CONSUMER = `import { type RunningEmulator, startEmulator } from "pulumi-scp-virtualserver/emulator";

export async function baseUrl(): Promise<string> {
  const emulator: RunningEmulator = await startEmulator({ port: 0, timeScale: 0.01 });
  const url: string = emulator.url;
  await emulator.close();
  return url;
}
`;
  const SETTINGS = [
    { moduleResolution: "node", module: "commonjs" },
    { moduleResolution: "node16", module: "node16" },
    { moduleResolution: "bundler", module: "esnext" },
  ] as const;

  test.each(SETTINGS)("type-checks under moduleResolution $moduleResolution", ({ moduleResolution, module }) => {
    const name = `consumer-${moduleResolution}`;
    writeFileSync(join(project, `${name}.ts`), CONSUMER);
    writeFileSync(
      join(project, `tsconfig.${moduleResolution}.json`),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "es2022",
          module,
          moduleResolution,
          // Only resolution is under test here: whether the declarations compile without skipLibCheck is
          // consumer-compile.e2e.test.ts's subject.
          skipLibCheck: true,
          typeRoots: [join(REPO_ROOT, "node_modules", "@types")],
          types: ["node"],
        },
        files: [`${name}.ts`],
      }),
    );
    const tsc = join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    let output = "";
    try {
      execFileSync(process.execPath, [tsc, "-p", `tsconfig.${moduleResolution}.json`], {
        cwd: project,
        encoding: "utf8",
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  });

  const RUN = `const emulator = await startEmulator({ port: 0 });
const health = await (await fetch(emulator.url + "/_emulator/health")).json();
console.log(JSON.stringify(health.ok));
await emulator.close();
`;
  test.each([
    [
      "CommonJS require",
      "consumer.cjs",
      `const { startEmulator } = require("pulumi-scp-virtualserver/emulator");\n(async () => {\n${RUN}})();\n`,
    ],
    ["ESM import", "consumer.mjs", `import { startEmulator } from "pulumi-scp-virtualserver/emulator";\n${RUN}`],
  ])("starts the emulator at run time from %s", (_kind, file, source) => {
    writeFileSync(join(project, file), source);
    expect(execFileSync(process.execPath, [file], { cwd: project, encoding: "utf8" }).trim()).toBe("true");
  });
});
