/**
 * The lookups' public types. Nothing here refers to zod or the HTTP client, so a program's `tsc` (without
 * `skipLibCheck`) never has to read their declarations.
 */
import type * as pulumi from "@pulumi/pulumi";

/** One bad argument of a lookup: the property and why. */
export interface LookupArgumentFailure {
  /** The argument's name, e.g. `name` (a path for nested ones, e.g. `userIds[0]`). */
  readonly property: string;
  /** Why it is refused, e.g. `name is required`. */
  readonly reason: string;
}

/** Settings every lookup takes besides its own arguments. */
export interface LookupOptions {
  /** Region to look in, e.g. `kr-west1`; otherwise the settings decide (`scp:region`, environment, `~/.scpconf`). */
  readonly region?: string | undefined;
}

/** The `getXOutput` form of a lookup's arguments: each one may be an Input (an Output, a promise or a value). */
export type LookupInputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Why a lookup failed; `unreadable`: the API answered something the reference does not show. */
export type LookupFailure = "invalid-arguments" | "not-found" | "ambiguous" | "unreadable";

/** A lookup that could not answer: bad arguments (before any request), nothing or several found, or an unreadable answer. */
export class ScpLookupError extends Error {
  constructor(
    /** The lookup's name, e.g. `getKeypair`. */
    readonly lookup: string,
    /** Why it failed: bad arguments, nothing or several found, or an answer it could not read. */
    readonly failure: LookupFailure,
    message: string,
    /** For `invalid-arguments`: each bad property and why. */
    readonly failures: readonly LookupArgumentFailure[] = [],
  ) {
    super(`${lookup}: ${message}`);
    this.name = "ScpLookupError";
  }
}
