/**
 * The Resource classes: the program side, run in the Pulumi program (the implementation they stand for runs
 * in the provider host; see thin-provider.ts).
 *
 * Each resource module keeps one list of its output-only keys (`OUTPUT_KEYS`); with the schema's input keys
 * it decides what its class registers (`registeredProps`) and declares (`ResourceOutputs`); `resourceClass`
 * makes the class. Its public `Args` are derived from the schema's inputs (`ArgsOf`).
 */
import * as pulumi from "@pulumi/pulumi";
import { URN_INPUT } from "./create-marker";
import { PROVIDER_SETTINGS, Provider } from "./explicit-provider";
import { resourceOptions } from "./resource-options";
import { PROVIDER_KEY, implementationPath, providerSource } from "./thin-provider";

/**
 * How long create, update and delete may wait for steady state, as durations like Terraform's (`"30m"`,
 * `"90s"`, `"1h30m"`). Unset: the resource's defaults. Changed in place (a provider setting).
 */
export interface Timeouts {
  /** How long a create may wait, e.g. `"30m"`. */
  readonly create?: string;
  /** How long an update may wait, e.g. `"30m"`. */
  readonly update?: string;
  /** How long a delete may wait, e.g. `"10m"`. */
  readonly delete?: string;
}

/** The `provider` argument every resource takes; it travels apart from the inputs (see `resourceClass`). */
export interface ProviderArg {
  /**
   * The account or region for this resource, when not the stack's default (`scp:*` config): see `Provider`.
   * Its settings are stored with the resource, encrypted, so refresh and delete use the same account.
   */
  readonly provider?: Provider;
}

/** What a program may give for an input the schema types as `T`: Outputs and promises at every level. */
export type ArgValue<T> = T extends string | number | boolean | null | undefined
  ? T
  : T extends readonly (infer E)[]
    ? pulumi.Input<ArgValue<E>>[]
    : T extends object
      ? ArgObject<T>
      : T;

/** An object input as a program gives it: every property an `Input` (doc comments carried from the schema). */
export type ArgObject<T> = { readonly [K in keyof T]: pulumi.Input<ArgValue<Exclude<T[K], undefined>>> };

/**
 * A resource's public `Args`, derived from its input schema's type so that each input is declared once:
 * `Defaulted` names the inputs the schema requires but the program may leave out (filled in by `check`,
 * like an auto-name), and `provider` travels beside them.
 */
export type ArgsOf<Inputs, Defaulted extends keyof Inputs = never> = ArgObject<Omit<Inputs, Defaulted>> &
  ArgObject<Partial<Pick<Inputs, Defaulted>>> &
  ProviderArg;

/** `true` when A and B have the same keys; otherwise a type that names the keys only one of them has. */
export type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never]
  ? true
  : { readonly onlyInFirst: Exclude<keyof A, keyof B>; readonly onlyInSecond: Exclude<keyof B, keyof A> };

/** `true` when `Keys` lists exactly the outputs that are not inputs. */
export type ListsEveryOutput<Outputs, Inputs, Keys extends readonly (keyof Outputs)[]> = SameKeys<
  Omit<Outputs, keyof Inputs>,
  Record<Keys[number], unknown>
>;

/** The value of an output, `undefined` included when the property is optional. */
type OutputValue<T, K extends keyof T> = object extends Pick<T, K> ? T[K] | undefined : T[K];

/**
 * The properties of a Resource class: every input (documented by `Args`, typed as the outputs hold it),
 * and every output-only key in `OutputKeys` (documented by `Outputs`). The engine gives the instance an output
 * for every key `registeredProps` named.
 */
export type ResourceOutputs<Args, Outputs, OutputKeys extends readonly (keyof Outputs)[]> = {
  readonly [K in keyof Args]-?: pulumi.Output<K extends keyof Outputs ? OutputValue<Outputs, K> : never>;
} & {
  readonly [K in keyof Pick<Outputs, OutputKeys[number]>]-?: pulumi.Output<OutputValue<Outputs, K>>;
};

/**
 * The props a class registers: every input and output key registered (as `undefined`, so the
 * engine gives the class an output for it even when the program leaves it unset), then the program's args.
 */
export function registeredProps(
  inputSchema: { readonly shape: object },
  outputKeys: readonly string[],
  args: object,
): Record<string, unknown> {
  const keys = [...Object.keys(inputSchema.shape), ...outputKeys];
  return { ...Object.fromEntries(keys.map((key) => [key, undefined])), ...args };
}

/** A Resource class of this package, as `resourceClass` makes it. */
export interface ResourceClass<Args, Outputs, OutputKeys extends readonly (keyof Outputs)[]> {
  new (
    name: string,
    args: Args,
    opts?: pulumi.CustomResourceOptions,
  ): pulumi.CustomResource & ResourceOutputs<Args, Outputs, OutputKeys>;
  /**
   * A read-only reference to an existing object, as pulumi-aws's `get`: its outputs are read from SCP at
   * every `up` and refresh, and Pulumi never changes or deletes it. To manage an existing object, give its
   * id as `importId` instead.
   */
  get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    opts?: pulumi.CustomResourceOptions,
  ): pulumi.CustomResource & ResourceOutputs<Args, Outputs, OutputKeys>;
}

export interface ResourceClassOptions<Args> {
  /** The type name in the stack: `scp:<type>`, e.g. `VirtualServer`. */
  readonly type: string;
  /** The resources/ file name, which names the implementation module (`implementationPath`). */
  readonly implementation: string;
  readonly inputSchema: { readonly shape: object };
  readonly outputKeys: readonly string[];
  /** Inputs needed to create the object that must not sit in state in clear text (user data). */
  readonly secretInputs?: readonly (keyof Args & string)[];
  /** Outputs that are secrets (a generated private key). */
  readonly secretOutputs?: readonly string[];
}

/**
 * The program-side class of a resource: registers every input and output, with the provider's source, as a
 * dynamic resource (what `dynamic.Resource` registers, with the source written by `providerSource` instead of
 * serialized from a closure; see thin-provider.ts).
 */
export function resourceClass<Args extends object, Outputs, OutputKeys extends readonly (keyof Outputs)[]>(
  options: ResourceClassOptions<Args>,
): ResourceClass<Args, Outputs, OutputKeys> {
  // Stored in state; in the provider host it loads the implementation from the installed package.
  const source = providerSource(implementationPath(options.implementation));
  // The package `pulumi-nodejs` sends the resource to the dynamic provider host.
  const type = `pulumi-nodejs:dynamic/scp:${options.type}`;
  const secrets = [...(options.secretInputs ?? []), ...(options.secretOutputs ?? [])];
  return class extends pulumi.CustomResource {
    static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: pulumi.CustomResourceOptions) {
      return new this(name, {} as Args, { ...opts, id });
    }

    constructor(name: string, args: Args, opts?: pulumi.CustomResourceOptions) {
      const props = registeredProps(options.inputSchema, options.outputKeys, args);
      for (const key of options.secretInputs ?? []) {
        if (args[key] !== undefined) props[key] = pulumi.secret(args[key]);
      }
      // The URN the engine will give this resource, so that a create can recognise what a killed run made.
      props[URN_INPUT] = pulumi.createUrn(name, type, opts?.parent);
      const { provider } = args as ProviderArg;
      delete props.provider;
      if (provider !== undefined) {
        if (!(provider instanceof Provider)) {
          throw new Error(
            `${options.type} "${name}": provider must be an scp.Provider (new scp.Provider("name", { … })); ` +
              "Pulumi provider resources cannot serve this package's dynamic-provider resources",
          );
        }
        props[PROVIDER_SETTINGS] = provider.settings;
      }
      props[PROVIDER_KEY] = source;
      super(type, name, props, resourceOptions(opts, [...secrets, PROVIDER_SETTINGS]));
    }
  } as unknown as ResourceClass<Args, Outputs, OutputKeys>;
}
