/**
 * The object handed to `dynamic.Resource`. The engine serializes it into state with every resource, and
 * `refresh`/`destroy` run what was serialized. So it holds nothing but the name of the implementation
 * module and loads that module from the installed package at call time: state stays a few hundred bytes,
 * carries no credentials (they are resolved in the provider process), and always runs the installed code.
 *
 * `implementation` is a package specifier resolvable from the Pulumi program's directory, e.g.
 * `pulumi-scp-virtualserver/impl/keypair`; the module exports `provider`.
 */
import type * as pulumi from "@pulumi/pulumi";

export function thinProvider(implementation: string): pulumi.dynamic.ResourceProvider {
  // `require` is not captured by Pulumi's closure serializer; only the `implementation` string is.
  // Every implementation defines all methods (defineResourceProvider); the text is kept short because it
  // is stored twice per resource.
  type Full = Required<pulumi.dynamic.ResourceProvider>;
  const load = (): Full => (require(implementation) as { provider: Full }).provider;
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

/** The package name implementations are loaded from (this package's own name). */
export const PACKAGE_NAME = "pulumi-scp-virtualserver";

export const implementationPath = (resource: string): string => `${PACKAGE_NAME}/impl/${resource}`;
