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
  const load = (): pulumi.dynamic.ResourceProvider =>
    (require(implementation) as { provider: pulumi.dynamic.ResourceProvider }).provider;
  return {
    configure: (req) => load().configure?.(req) ?? Promise.resolve(),
    check: (olds, news) => load().check?.(olds, news) ?? Promise.resolve({ inputs: news }),
    diff: (id, olds, news) => load().diff?.(id, olds, news) ?? Promise.resolve({}),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read?.(id, props) ?? Promise.resolve({ id, props }),
    update: (id, olds, news) => load().update?.(id, olds, news) ?? Promise.resolve({}),
    delete: (id, props) => load().delete?.(id, props) ?? Promise.resolve(),
  };
}

/** The package name implementations are loaded from (this package's own name). */
export const PACKAGE_NAME = "pulumi-scp-virtualserver";

export const implementationPath = (resource: string): string => `${PACKAGE_NAME}/impl/${resource}`;
