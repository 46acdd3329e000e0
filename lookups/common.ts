/**
 * What every lookup's implementation shares: the client (same settings as the resources), pagination,
 * argument validation (a bad argument fails naming the property before any request), the `getXOutput` form
 * and reading answers. Nothing here is public: the public types are in types.ts, which keeps zod and the
 * HTTP client out of the package's declaration files.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { checkInputs } from "../provider/check";
import { clientFor } from "../provider/clients";
import type { ScpClient } from "../provider/http";
import { listAll } from "../provider/list-all";
import { describeValue, text } from "../provider/validators";
import type { GetServerTypeResult } from "./server-types";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export { listAll };

/**
 * The one object a lookup by name found: not-found when none has the name, ambiguous when several do
 * (`what` names the kind in the plural: "servers", "pending volume transfers").
 */
export function exactlyOneNamed<T>(lookup: string, what: string, name: string | undefined, found: readonly T[]): T {
  const [only] = found;
  if (only !== undefined && found.length === 1) return only;
  throw found.length === 0
    ? new ScpLookupError(lookup, "not-found", `no ${what.replace(/s$/, "")} is named "${name}"`)
    : new ScpLookupError(lookup, "ambiguous", `${found.length} ${what} are named "${name}"; look it up by id`);
}

/** Argument schema entries every lookup accepts. */
export const lookupOptionsShape = {
  region: text("region").min(1, "region must not be empty").optional(),
};

/** The schema of a lookup that takes nothing but the lookup options. */
export const optionsOnly = z.object(lookupOptionsShape).strict();

/** A name to look for: a non-empty string. */
export const lookupName = (name: string) => text(name).min(1, `${name} must not be empty`);

/** Validates a lookup's arguments; throws an `invalid-arguments` ScpLookupError naming each bad property. */
export function validArguments<S extends z.ZodType>(lookup: string, schema: S, args: unknown): z.output<S> {
  const given: unknown = args ?? {};
  if (typeof given !== "object" || Array.isArray(given)) {
    throw new ScpLookupError(lookup, "invalid-arguments", `arguments must be an object; got ${describeValue(given)}`);
  }
  const failures = checkInputs(schema, given as Record<string, unknown>);
  if (failures.length > 0) {
    const reasons = failures.map((f) => (f.reason.startsWith(f.property) ? f.reason : `${f.property}: ${f.reason}`));
    throw new ScpLookupError(lookup, "invalid-arguments", reasons.join("; "), failures);
  }
  return schema.parse(given);
}

/** Exactly one of two arguments (`id` or `name`): the problem is reported on the first. */
export function exactlyOne<T extends Record<string, unknown>>(first: keyof T & string, second: keyof T & string) {
  return (value: T, ctx: z.RefinementCtx): void => {
    const given = [first, second].filter((k) => value[k] !== undefined);
    if (given.length === 1) return;
    ctx.addIssue({
      code: "custom",
      path: [first],
      message:
        given.length === 0 ? `give ${first} or ${second}` : `give ${first} or ${second}, not both (${first} is enough)`,
    });
  };
}

/**
 * The `getXOutput` form of a lookup, as pulumi-aws writes it (`pulumi.output(args).apply(a => getAmi(a))`):
 * runs once every argument is known; a failure fails the program's update with the lookup's error.
 */
export function lookupOutput<A, R>(
  args: LookupInputs<A> | undefined,
  lookup: (resolved: A) => Promise<R>,
): pulumi.Output<R> {
  // Unwrap<LookupInputs<A>> is A with every Input resolved; TypeScript cannot see that through the mapping.
  return pulumi.output(args ?? {}).apply((resolved) => lookup(resolved as unknown as A));
}

/** Stack config of the running Pulumi program, when there is one (outside a program there is none). */
function programConfig(): Record<string, string> | undefined {
  const config = pulumi.runtime.allConfig();
  return Object.keys(config).length > 0 ? config : undefined;
}

/** The client for a lookup: the same settings as the resources, with the lookup's region. */
export function lookupClient(options: LookupOptions): ScpClient {
  const stackConfig = programConfig();
  return clientFor({ region: options.region }, stackConfig ? { stackConfig } : {});
}

// ---- Reading answers ------------------------------------------------------------------------------------

/** An optional string of an answer; the API writes "none" as null or as an empty string. */
export const optionalText = z
  .string()
  .nullish()
  .transform((v) => (v === "" || v === null ? undefined : v));

/** A number the API may answer as a number, a numeric string, or "" for "none stated" (→ undefined). */
export const looseNumber = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v, ctx) => {
    if (v === undefined || v === null || v === "") return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) {
      ctx.addIssue({ code: "custom", message: `expected a number; got ${describeValue(v)}` });
      return z.NEVER;
    }
    return n;
  });

/** A server type in List/Show Server Type and nested in Show Virtual Server (which has no description). */
export const apiServerType = z.looseObject({
  id: z.string(),
  name: optionalText,
  description: optionalText,
  vcpus: z.number(),
  ram: z.number(),
  disk: z.number().nullish(),
});

export function toServerType(raw: unknown): GetServerTypeResult {
  const t = apiServerType.parse(raw);
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    vcpus: t.vcpus,
    ramGb: t.ram,
    diskGb: t.disk ?? undefined,
  };
}
