/** zod building blocks shared by resource input schemas. */
import { z } from "zod";
import { timeoutsSchema } from "./timeouts";
import { describeValue, resourceId, typeMessage } from "./validators";

/** Inputs every resource takes. */
export const commonInputs = {
  /** Region override for this resource; otherwise the provider settings decide. */
  region: z
    .string({ error: typeMessage("region", "a string") })
    .min(1, "region must not be empty")
    .optional(),
  timeouts: timeoutsSchema.optional(),
  /** An existing object to take under management instead of creating one (see resource-provider.ts). */
  // An id that goes into the Show request's path: checked like every id at preview.
  importId: resourceId("importId").optional(),
};

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
