/**
 * A user's Pulumi TypeScript project, as `pulumi new typescript` makes it, for compiling code against this
 * package the way a user's `tsc` does: the template's compiler options (strict, CommonJS, `moduleResolution:
 * node`, no `skipLibCheck`, no `esModuleInterop`).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TEMPLATE_TSCONFIG } from "../../tools/scp-import-program";

export const REPO_ROOT = join(__dirname, "..", "..");

/** The template's tsconfig.json (pulumi/templates, typescript/tsconfig.json): the one scp-import writes. */
export { TEMPLATE_TSCONFIG };

/** What the template's package.json brings besides the package under test. */
const TEMPLATE_PACKAGES = ["@pulumi/pulumi", "typescript", "@types/node"];

export interface ConsumerProject {
  readonly dir: string;
  /** Writes a file of the project (`index.ts` is the one the template's tsconfig compiles). */
  writeFile(name: string, text: string): void;
  /** The names the installed package exports at run time (`Object.keys(require(…))` in the project). */
  runtimeExports(): string[];
  /** Runs the project's `tsc` (emitting to bin/, as `tsc` in the project does). */
  compile(): CompileResult;
  dispose(): void;
}

export interface CompileResult {
  readonly exitCode: number;
  /** tsc's diagnostics, one `file(line,col): error TSxxxx: …` line each. */
  readonly errors: string[];
  readonly output: string;
}

/** Packs the built package (`npm pack`, so the tarball holds what package.json's `files` ships). */
export function packPackage(destination: string): string {
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", destination], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [packed] = JSON.parse(out) as { filename: string }[];
  if (!packed) throw new Error(`npm pack printed no file: ${out}`);
  return join(destination, packed.filename);
}

/**
 * A project with the template's tsconfig and the packed package installed from `tarball`. The
 * machine has no registry: the package's dependencies and the template's packages are linked from this
 * repository's node_modules, with the packages they depend on (only those, so that no other `@types` package
 * is in scope, as in a fresh install).
 */
export function consumerProject(tarball: string): ConsumerProject {
  const dir = mkdtempSync(join(tmpdir(), "scp-consumer-"));
  const modules = join(dir, "node_modules");
  const installed = join(modules, "pulumi-scp-virtualserver");
  mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  const manifest = JSON.parse(readFileSync(join(installed, "package.json"), "utf8")) as PackageManifest;

  for (const name of dependencyClosure([...Object.keys(manifest.dependencies ?? {}), ...TEMPLATE_PACKAGES])) {
    mkdirSync(dirname(join(modules, name)), { recursive: true });
    symlinkSync(join(REPO_ROOT, "node_modules", name), join(modules, name), "dir");
  }
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 2));
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "consumer",
      main: "index.ts",
      dependencies: { "pulumi-scp-virtualserver": `file:${tarball}` },
    }),
  );
  return {
    dir,
    writeFile: (name, text) => writeFileSync(join(dir, name), text),
    runtimeExports: () =>
      JSON.parse(
        execFileSync(
          process.execPath,
          ["-e", 'console.log(JSON.stringify(Object.keys(require("pulumi-scp-virtualserver"))))'],
          { cwd: dir, encoding: "utf8" },
        ),
      ) as string[],
    compile: () => runTsc(dir),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

interface PackageManifest {
  readonly dependencies?: Record<string, string>;
}

/** The given packages and everything they depend on that npm hoisted to the repository's node_modules. */
function dependencyClosure(names: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    let manifest: PackageManifest;
    try {
      manifest = JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", name, "package.json"), "utf8"));
    } catch {
      return; // not hoisted: the package that needs it has its own copy in its node_modules
    }
    seen.add(name);
    Object.keys(manifest.dependencies ?? {}).forEach(visit);
  };
  names.forEach(visit);
  // Nested copies (node_modules/x/node_modules/y) come along through the link to x.
  return [...seen];
}

function runTsc(dir: string): CompileResult {
  const tsc = join(dir, "node_modules", "typescript", "bin", "tsc");
  try {
    const output = execFileSync(process.execPath, [tsc, "--pretty", "false"], { cwd: dir, encoding: "utf8" });
    return { exitCode: 0, errors: [], output };
  } catch (error) {
    const failed = error as { status?: number; stdout?: string; stderr?: string };
    const output = `${failed.stdout ?? ""}${failed.stderr ?? ""}`;
    return {
      exitCode: failed.status ?? 1,
      errors: output.split("\n").filter((line) => /error TS\d+/.test(line)),
      output,
    };
  }
}
