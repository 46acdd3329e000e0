/**
 * The program side names each resource's implementation by a package specifier (`resourceClass({
 * implementation: "…" })` → `implementationPath("…")` → `pulumi-scp-virtualserver/impl/<name>`), which the provider host resolves
 * through package.json's `exports` and loads with `require(…).provider` (provider/thin-provider.ts). Nothing
 * but this test checks, before a real engine runs, that every such name leads to a module exporting a complete
 * implementation, and that the package name the thin provider uses is this package's.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { type ImplementationModule, PACKAGE_NAME, implementationPath } from "../../provider/thin-provider";

const REPO_ROOT = join(__dirname, "..", "..");
const packageJson = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
  name: string;
  exports: Record<string, string | Record<string, string>>;
};
const METHODS = ["configure", "check", "diff", "create", "read", "update", "delete"] as const;

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

test("the thin provider loads implementations from this package", () => {
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

  test("exports `provider` with every method the thin provider calls", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded by name, as the provider host does
    const loaded = require(sourceOf(exportTarget(specifier)!)) as Partial<ImplementationModule>;
    expect(loaded.provider).toBeDefined();
    for (const method of METHODS) expect([method, typeof loaded.provider?.[method]]).toEqual([method, "function"]);
  });
});
