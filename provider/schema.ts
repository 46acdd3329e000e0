/**
 * zod building blocks shared by resource input schemas, and the one declaration of a resource's inputs
 * (`InputProperties`) from which its schema, its diff rules and its public `Args` are derived.
 */
import { z } from "zod";
import { PROVIDER_SETTING, type PropertyRule } from "./diff";
import { timeoutsSchema } from "./timeouts";
import { describeValue, resourceId, typeMessage } from "./validators";

/**
 * One input of a resource, declared once: how it is validated (`schema`), what a change of it does (the diff
 * rule's `on`, `writeOnly`, `normalize`, `differs`), and, in the doc comment above the entry, what users read
 * on the resource's `Args` (the compiler carries it through `z.infer` and `ArgsOf`).
 */
export interface InputProperty extends PropertyRule {
  readonly schema: z.ZodType;
}

/** A resource's inputs, by name. */
export type InputProperties = Readonly<Record<string, InputProperty>>;

type ShapeOf<P extends InputProperties> = { -readonly [K in keyof P]: P[K]["schema"] };

/** The resource's input schema: a strict object of the properties' schemas (unknown keys are refused). */
export function schemaOf<P extends InputProperties>(properties: P) {
  const shape = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, property.schema]));
  return z.strictObject(shape as ShapeOf<P>);
}

/** The resource's diff rules (`spec.diffRules`): one per property, so none can be missing or misspelled. */
export function rulesOf<P extends InputProperties>(properties: P): { readonly [K in keyof P]: PropertyRule } {
  const rules = Object.entries(properties).map(([key, { schema: _schema, ...rule }]) => [key, rule]);
  return Object.fromEntries(rules) as { readonly [K in keyof P]: PropertyRule };
}

/**
 * Inputs every resource takes. A resource that documents its own default (its timeouts, "the volume")
 * declares `region` or `timeouts` again after the spread, with `schema` and rule taken from here.
 */
export const commonProperties = {
  /**
   * Region of the object, e.g. `kr-west1`, when not the provider's. Changing it replaces the object; a
   * provider setting, not drift-checked.
   */
  region: {
    schema: z
      .string({ error: typeMessage("region", "a string") })
      .min(1, "region must not be empty")
      .optional(),
    on: "replace",
    writeOnly: PROVIDER_SETTING,
  },
  /**
   * How long create, update and delete may wait (see `Timeouts`). Default: the resource's own. Changed in
   * place; a provider setting, not drift-checked.
   */
  timeouts: { schema: timeoutsSchema.optional(), on: "update", writeOnly: PROVIDER_SETTING },
  /**
   * Take this existing object under management instead of creating one: the create reads it and keeps it
   * as it is (SCP-side, nothing changes); where it differs from the program, the next `pulumi preview` shows
   * the change as a plan and `pulumi up` applies it; `pulumi destroy` deletes it like any other. Properties
   * SCP never returns (tags, user data) are taken from the program. Ids of objects inside an auto-scaling
   * group are `<groupId>:<id>`, an attachment's `<serverId>:<volumeId>`, a keypair's its name. Changing it
   * later does nothing in place: the object in state stays; not drift-checked. (The engine's own `import`
   * option cannot reach a dynamic provider: pulumi/pulumi#16175.)
   */
  importId: {
    // An id that goes into the Show request's path: checked like every id at preview.
    schema: resourceId("importId").optional(),
    // Only the create reads it: once the object is in state, the id in state is what counts.
    on: "update",
    writeOnly: "which existing object the create took under management",
    differs: () => false,
  },
} as const satisfies InputProperties;

export const tagsSchema = z
  .record(
    z.string().min(1, "tag keys must not be empty").max(128, "tag keys are at most 128 characters"),
    z
      .string({ error: (issue) => `tag values must be strings; got ${describeValue(issue.input)}` })
      .max(256, "tag values are at most 256 characters"),
    { error: typeMessage("tags", "an object of key → value strings") },
  )
  .refine((tags) => Object.keys(tags).length <= 50, { message: "at most 50 tags" });

/** Name rules common to SCP objects: 1–255 characters, no slashes or control characters. */
export const objectName = (what: string) =>
  z
    .string({ error: typeMessage(`${what} name`, "a string") })
    .min(1, `${what} name must not be empty`)
    .max(255, `${what} name is at most 255 characters`)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .refine((n) => !/[/\\\u0000-\u001f]/.test(n), {
      message: `${what} name must not contain slashes or control characters`,
    })
    .refine((n) => n.trim() === n, { message: `${what} name must not start or end with spaces` });

/**
 * A keypair name: an object name that is also the URL path segment of Show and Delete Keypair
 * (`/v1/keypairs/{keypair_name}`, reference L3046), so it may not be a dot-segment or hold `?` or `#`.
 */
export const keypairName = (name: string) =>
  objectName("keypair")
    .refine((n) => n !== "." && n !== "..", { message: `${name} must not be "." or ".."` })
    .refine((n) => !/[?#%]/.test(n), { message: `${name} must not contain ?, # or %` });
