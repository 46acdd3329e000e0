// Unit tests are fast and touch no network; integration tests run against the emulator over real HTTP;
// e2e tests drive the real Pulumi CLI (npm run test:e2e).
//
// got 14 and its dependencies are ESM-only. Node (>= 20.19) loads them with require(), but jest's module
// registry does not, so jest transforms them to CommonJS with ts-jest (allowJs) instead.
const esmOnly = [
  "got",
  "@sindresorhus/is",
  "@szmarczak/http-timer",
  "byte-counter",
  "cacheable-lookup",
  "cacheable-request",
  "decompress-response",
  "form-data-encoder",
  "lowercase-keys",
  "mimic-response",
  "normalize-url",
  "p-cancelable",
  "responselike",
  "type-fest",
  "keyv",
  "@keyv/serialize",
  "http-cache-semantics",
  "defer-to-connect",
  "quick-lru",
  "chunk-data",
  "uint8array-extras",
];

const transform = {
  "^.+\\.tsx?$": ["ts-jest", { tsconfig: "tsconfig.json" }],
  "^.+\\.m?js$": ["ts-jest", { tsconfig: { allowJs: true, module: "commonjs", target: "ES2022", isolatedModules: true } }],
};

const common = {
  testEnvironment: "node",
  transform,
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join("|")})/)`],
  moduleFileExtensions: ["ts", "js", "mjs", "json"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
};

module.exports = {
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    { ...common, displayName: "integration", testMatch: ["<rootDir>/test/integration/**/*.test.ts"] },
    { ...common, displayName: "e2e", testMatch: ["<rootDir>/test/e2e/**/*.test.ts"], testTimeout: 600000 },
  ],
};
