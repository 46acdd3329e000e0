// Unit tests are fast and touch no network; integration tests run against the emulator over real HTTP;
// e2e tests drive the real Pulumi CLI (npm run test:e2e).
//
// got 14 and its dependencies are ESM-only. Node (>= 20.19) loads them with require(), but jest's module
// registry does not, so jest transforms them to CommonJS with ts-jest (allowJs) instead.
const path = require("node:path");
const fs = require("node:fs");

/** got and everything it depends on, found by walking package.json files (nested copies included). */
function dependencyClosure() {
  const seen = new Map(); // package directory → package name
  const visit = (name, fromDir) => {
    let dir;
    try {
      dir = path.dirname(require.resolve(`${name}/package.json`, { paths: [fromDir] }));
    } catch {
      // Packages with an "exports" map that hides package.json: find the directory by hand.
      for (let d = fromDir; ; d = path.dirname(d)) {
        const candidate = path.join(d, "node_modules", name);
        if (fs.existsSync(path.join(candidate, "package.json"))) {
          dir = candidate;
          break;
        }
        if (path.dirname(d) === d) return;
      }
    }
    if (seen.has(dir)) return;
    seen.set(dir, name);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir);
  };
  visit("got", __dirname);
  return [...new Set(seen.values())];
}
const esmOnly = dependencyClosure();

const transform = {
  "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  "^.+\\.m?js$": [
    "ts-jest",
    { tsconfig: { allowJs: true, module: "commonjs", target: "ES2022", isolatedModules: true } },
  ],
};

const common = {
  testEnvironment: "node",
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.map((n) => n.replace(/[.+]/g, "\\$&")).join("|")})/)`],
  moduleFileExtensions: ["ts", "js", "mjs", "json"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
};

module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    { ...common, displayName: "integration", testMatch: ["<rootDir>/test/integration/**/*.test.ts"] },
    {
      ...common,
      displayName: "e2e",
      testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/e2e/setup.ts"],
    },
  ],
};
