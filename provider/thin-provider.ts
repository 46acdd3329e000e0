/**
 * The provider a resource hands the engine. A dynamic resource's `__provider` input is the source of a module
 * whose `exports.handler()` returns the provider; the provider host evaluates it (`require-from-string`) once
 * per process and text, and `refresh`/`destroy` run the text stored in state. So the text holds nothing but the name of
 * the implementation module and loads that module from the installed package at call time: state stays a few
 * hundred bytes, carries no credentials (they are resolved in the provider process), and always runs the
 * installed code.
 *
 * The text is written here rather than by `dynamic.Resource`, which runs Pulumi's closure serializer on the
 * provider object: loading the serializer (it brings TypeScript) and running it kept the program's first
 * resource from the engine for about 1 s of every `up` and `preview` (traced with a 40-resource stack: 2.8 s
 * from the program's start to its first registration, 1.8 s without the serializer).
 *
 * Two sides, two names: each resources/<name>.ts module exports its Resource class (runs in the Pulumi
 * program) and `provider`, the implementation (runs in the provider host). `implementation` is a package
 * specifier resolvable from the Pulumi program's directory, e.g. `pulumi-scp-virtualserver/impl/keypair`
 * (package.json `exports` maps `./impl/*` to dist/resources/*.js); test/unit/implementations.test.ts
 * checks that every such module exports a complete `provider`, and that the text loads it.
 */
import type * as pulumi from "@pulumi/pulumi";

/** What an implementation module exports, under the name the loader reads. */
export interface ImplementationModule {
  readonly provider: Required<pulumi.dynamic.ResourceProvider>;
}

/** The input holding the provider's source, as `dynamic.Resource` names it and the provider host reads it. */
export const PROVIDER_KEY = "__provider";

/** Every method of a dynamic provider; each implementation defines all of them (defineResourceProvider). */
export const PROVIDER_METHODS = [
  "configure",
  "check",
  "diff",
  "create",
  "read",
  "update",
  "delete",
] as const satisfies readonly (keyof pulumi.dynamic.ResourceProvider)[];

/**
 * The source stored as `__provider`: each method loads the implementation (from the require cache after the
 * first call) and calls it. `require` here is the host's module `require`, resolving from the program's directory.
 */
export function providerSource(implementation: string): string {
  return [
    `const load = () => require(${JSON.stringify(implementation)}).provider;`,
    "exports.handler = () => ({",
    ...PROVIDER_METHODS.map((method) => `  ${method}: (...args) => load().${method}(...args),`),
    "});",
    "",
  ].join("\n");
}

/** The package name implementations are loaded from: package.json's `name` (a unit test checks it). */
export const PACKAGE_NAME = "pulumi-scp-virtualserver";

/** The specifier of a resource's implementation module: `<package>/impl/<resources/ file name>`. */
export const implementationPath = (resource: string): string => `${PACKAGE_NAME}/impl/${resource}`;
