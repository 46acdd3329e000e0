/**
 * The program side names each resource's implementation by a package specifier (`resourceClass({
 * implementation: "…" })` → `implementationPath("…")` → `pulumi-scp-virtualserver/impl/<name>`), which the provider host resolves
 * through package.json's `exports` and loads with `require(…).provider` (provider/thin-provider.ts: `providerSource`). Nothing
 * but this test checks, before a real engine runs, that every such name leads to a module exporting a complete
 * implementation, that the package name the provider source uses is this package's, and that the source loads as the host loads it.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type ImplementationModule,
  PACKAGE_NAME,
  PROVIDER_METHODS,
  implementationPath,
  providerSource,
} from "../../provider/thin-provider";

const REPO_ROOT = join(__dirname, "..", "..");
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  name: string;
  exports: Record<string, string | Record<string, string>>;
};

/** Where package.json's `exports` sends a specifier of this package (only `*` patterns and plain strings). */
function exportTarget(specifier: string): string | undefined {
  const subpath = `.${specifier.slice(PACKAGE_NAME.length)}`;
  for (const [pattern, target] of Object.entries(packageJson.exports)) {
    if (typeof target !== "string") continue;
    const [prefix, suffix] = pattern.split("*") as [string, string | undefined];
    if (suffix === undefined) {
      if (pattern === subpath) return target;
    } else if (subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
      return target.replace("*", subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return undefined;
}

/** The source module a built file comes from (`./dist/resources/x.js` → `resources/x.ts`). */
const sourceOf = (target: string): string => join(REPO_ROOT, target.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts"));

const resourceFiles = readdirSync(join(REPO_ROOT, "resources")).filter((f) => f.endsWith(".ts"));

/** Every implementation the resource modules' classes name (`resourceClass({ implementation: "…" })`). */
const namedImplementations = resourceFiles.flatMap((file) =>
  [...readFileSync(join(REPO_ROOT, "resources", file), "utf8").matchAll(/^ {2}implementation: "([^"]+)",$/gm)].map(
    (m) => ({ file, name: m[1]! }),
  ),
);

test("the provider source loads implementations from this package", () => {
  expect(PACKAGE_NAME).toBe(packageJson.name);
});

test("every resource module names exactly one implementation: its own", () => {
  expect(namedImplementations.map((n) => `${n.file}: ${n.name}`).sort()).toEqual(
    resourceFiles.map((f) => `${f}: ${f.replace(/\.ts$/, "")}`).sort(),
  );
});

describe.each(namedImplementations)("implementationPath($name)", ({ name }) => {
  const specifier = implementationPath(name);

  test("resolves through package.json's exports to a built resource module", () => {
    expect(exportTarget(specifier)).toBe(`./dist/resources/${name}.js`);
    expect(existsSync(sourceOf(exportTarget(specifier)!))).toBe(true);
  });

  test("exports `provider` with every method the provider source calls", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by name, as the provider host does
    const loaded = require(sourceOf(exportTarget(specifier)!)) as Partial<ImplementationModule>;
    expect(loaded.provider).toBeDefined();
    for (const method of PROVIDER_METHODS)
      expect([method, typeof loaded.provider?.[method]]).toEqual([method, "function"]);
  });
});

describe("providerSource", () => {
  // The provider host's own loader (cmd/dynamic-provider: requireFromString(__provider).handler()).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the library the host uses, as it uses it
  const requireFromString = require("require-from-string") as (code: string) => { handler: () => unknown };
  const directory = mkdtempSync(join(tmpdir(), "provider-source-"));
  const implementation = join(directory, "implementation.js");
  // An implementation that answers each call with its method's name and arguments.
  writeFileSync(
    implementation,
    `exports.provider = Object.fromEntries(${JSON.stringify(PROVIDER_METHODS)}.map((m) => [m, (...args) => [m, ...args]]));`,
  );
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  test("loads as the provider host loads it and passes every call and its arguments to the implementation", () => {
    const provider = requireFromString(providerSource(implementation)).handler() as Record<
      string,
      (...args: unknown[]) => unknown
    >;
    expect(Object.keys(provider)).toEqual([...PROVIDER_METHODS]);
    for (const method of PROVIDER_METHODS)
      expect(provider[method]?.("id", { a: 1 }, { b: 2 })).toEqual([method, "id", { a: 1 }, { b: 2 }]);
  });

  test("is a few hundred bytes (it is stored with every resource, twice)", () => {
    expect(Buffer.byteLength(providerSource(implementationPath("launch-configuration")))).toBeLessThan(600);
  });
});
