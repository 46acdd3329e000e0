/**
 * The object handed to `dynamic.Resource`. The engine serializes it into state with every resource, and
 * `refresh`/`destroy` run what was serialized. So it holds nothing but the name of the implementation
 * module and loads that module from the installed package at call time: state stays a few hundred bytes,
 * carries no credentials (they are resolved in the provider process), and always runs the installed code.
 *
 * Two sides, two names: each resources/<name>.ts module exports its Resource class (runs in the Pulumi
 * program) and `provider`, the implementation (runs in the provider host). `implementation` is a package
 * specifier resolvable from the Pulumi program's directory, e.g. `pulumi-scp-virtualserver/impl/keypair`
 * (package.json `exports` maps `./impl/*` to dist/resources/*.js); test/unit/implementations.test.ts
 * checks that every such module exports a complete `provider`.
 */
import type * as pulumi from "@pulumi/pulumi";

/** What an implementation module exports, under the name the thin provider loads. */
export interface ImplementationModule {
  readonly provider: Required<pulumi.dynamic.ResourceProvider>;
}

export function thinProvider(implementation: string): pulumi.dynamic.ResourceProvider {
  // `require` is not captured by Pulumi's closure serializer; only the `implementation` string is.
  // Every implementation defines all methods (defineResourceProvider); the text is kept short because it
  // is stored twice per resource.
  const load = () => (require(implementation) as ImplementationModule).provider;
  return {
    configure: (r) => load().configure(r),
    check: (o, n) => load().check(o, n),
    diff: (i, o, n) => load().diff(i, o, n),
    create: (n) => load().create(n),
    read: (i, p) => load().read(i, p),
    update: (i, o, n) => load().update(i, o, n),
    delete: (i, p) => load().delete(i, p),
  };
}

/** The package name implementations are loaded from: package.json's `name` (a unit test checks it). */
export const PACKAGE_NAME = "pulumi-scp-virtualserver";

/** The specifier of a resource's implementation module: `<package>/impl/<resources/ file name>`. */
export const implementationPath = (resource: string): string => `${PACKAGE_NAME}/impl/${resource}`;
