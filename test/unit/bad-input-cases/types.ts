/**
 * The bad-input corpus: inputs a user could write that `check` must refuse at preview, each naming the
 * property, a pattern for the reason, and the line of the API reference
 * (/work/shared/api/virtualserver-api-reference.txt) the rule rests on. Plus the reference's own request
 * examples, mapped to the program's camelCase inputs, which must pass.
 */
export type ResourceName =
  | "Keypair"
  | "VirtualServer"
  | "Volume"
  | "VolumeAttachment"
  | "Snapshot"
  | "ServerGroup"
  | "LaunchConfiguration"
  | "AutoScalingGroup"
  | "AutoScalingPolicy"
  | "AutoScalingSchedule"
  | "AutoScalingNotification"
  | "Image"
  | "ImageMember"
  | "ImageMemberAcceptance"
  | "VolumeTransfer"
  | "VolumeTransferAcceptance";

export type Inputs = Record<string, unknown>;

export interface BadInputCase {
  readonly resource: ResourceName;
  readonly inputs: Inputs;
  /** The property the failure must name (`networks[0].fixedIp`). */
  readonly property: string;
  readonly reason: RegExp;
  /** `reference L8543` or `reference L959–L960`. */
  readonly ref: string;
  /** Prior state, for rules that compare it with the new inputs. */
  readonly olds?: Inputs;
}

export interface ValidExample {
  readonly resource: ResourceName;
  readonly title: string;
  readonly inputs: Inputs;
  readonly ref: string;
}

/** The inputs with some properties changed; `undefined` removes one. */
export function withChanges(base: Inputs, changes: Inputs): Inputs {
  const result: Inputs = { ...base };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete result[key];
    else result[key] = value;
  }
  return result;
}

/** Values that would break out of a URL path segment or change the request, for every id-valued input. */
export const PATH_BREAKERS: readonly { readonly value: string; readonly reason: RegExp }[] = [
  { value: "a/b", reason: /must not contain \/, \\, \? or #; got "a\/b"/ },
  { value: "id?x=1", reason: /must not contain \/, \\, \? or #/ },
  { value: "id#frag", reason: /must not contain \/, \\, \? or #/ },
  { value: "..", reason: /must not contain "\.\."/ },
  { value: "id with space", reason: /must not contain spaces/ },
];

/** One case per path-breaking value for an id-valued property at the top level. */
export function pathBreakerCases(resource: ResourceName, base: Inputs, property: string, ref: string): BadInputCase[] {
  return PATH_BREAKERS.map(({ value, reason }) => ({
    resource,
    inputs: withChanges(base, { [property]: value }),
    property,
    reason,
    ref,
  }));
}

/**
 * Misspellings of known properties a user (or someone copying the API's JSON) writes: all lower case, the
 * API's snake_case, the first letter upper case. Each must be reported on the misspelling with the
 * property it meant.
 */
export function misspellingCases(
  resource: ResourceName,
  base: Inputs,
  spellings: readonly (readonly [typed: string, meant: string, ref: string])[],
): BadInputCase[] {
  return spellings.map(([typed, meant, ref]) => {
    return {
      resource,
      inputs: withChanges(base, { [meant]: undefined, [typed]: base[meant] ?? "x" }),
      property: typed,
      reason: new RegExp(`unknown property; did you mean "${meant}"\\?`),
      ref,
    };
  });
}

/** A required property left out: "is required", on that property. */
export function missingCases(
  resource: ResourceName,
  base: Inputs,
  properties: readonly (readonly [property: string, ref: string])[],
): BadInputCase[] {
  return properties.map(([property, ref]) => ({
    resource,
    inputs: withChanges(base, { [property]: undefined }),
    property,
    reason: /is required/,
    ref,
  }));
}

/** A value of the wrong type: reported as a wrong type, naming what was given, never as "is required". */
export function wrongTypeCases(
  resource: ResourceName,
  base: Inputs,
  values: readonly (readonly [property: string, value: unknown, reason: RegExp, ref: string])[],
): BadInputCase[] {
  return values.map(([property, value, reason, ref]) => ({
    resource,
    inputs: withChanges(base, { [property]: value }),
    property,
    reason,
    ref,
  }));
}
