/** Volume types: every one, the region's default, one by id or name (List/Show Volume Type, Show Default). */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { resourceId } from "../provider/validators";
import {
  exactlyOne,
  listAll,
  lookupClient,
  lookupName,
  lookupOptionsShape,
  lookupOutput,
  optionalText,
  optionsOnly,
  validArguments,
  exactlyOneNamed,
} from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

/** A volume type as List/Show Volume Type answer it (reference, version 1.1). */
export interface GetVolumeTypeResult {
  /** The volume type's id. */
  readonly id: string;
  /** Its name, e.g. `SSD` or `HDD` (what `Volume.volumeType` takes). */
  readonly name: string;
  /** Free text the API gives. */
  readonly description?: string | undefined;
  /**
   * Whether a volume of this type can be attached to several servers at once (the `multiattach` extra spec,
   * `"<is> True"` / `"<is> False"`); undefined when the type does not say.
   */
  readonly multiattach?: boolean | undefined;
  /** Every extra spec as the API answers it, e.g. `{ multiattach: "<is> False" }`. */
  readonly extraSpecs: Readonly<Record<string, string>>;
}

export interface GetVolumeTypeArgs extends LookupOptions {
  /** The volume type's id. Give `id` or `name`. */
  readonly id?: string | undefined;
  /** The volume type's name, e.g. `SSD`. Give `id` or `name`. */
  readonly name?: string | undefined;
}

export type GetVolumeTypeOutputArgs = LookupInputs<GetVolumeTypeArgs>;

/** Every volume type of the region. */
export interface GetVolumeTypesResult {
  /** The region's volume types, in the API's order. */
  readonly volumeTypes: readonly GetVolumeTypeResult[];
}

const apiVolumeType = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: optionalText,
  extra_specs: z.record(z.string(), z.unknown()).nullish(),
});

function toResult(raw: unknown): GetVolumeTypeResult {
  const t = apiVolumeType.parse(raw);
  const extraSpecs = Object.fromEntries(Object.entries(t.extra_specs ?? {}).map(([k, v]) => [k, String(v)]));
  const multiattach = extraSpecs.multiattach;
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    // The OpenStack extra-spec form: "<is> True".
    multiattach: multiattach === undefined ? undefined : /^\s*(<is>\s*)?true\s*$/i.test(multiattach),
    extraSpecs,
  };
}

const oneTypeSchema = z
  .object({ id: resourceId("id").optional(), name: lookupName("name").optional(), ...lookupOptionsShape })
  .strict()
  .superRefine(exactlyOne("id", "name"));

/** Every volume type the region offers. */
export async function getVolumeTypes(args: LookupOptions = {}): Promise<GetVolumeTypesResult> {
  const a = validArguments("getVolumeTypes", optionsOnly, args);
  return { volumeTypes: (await listAll(lookupClient(a), "listVolumeTypes", "volume_types")).map(toResult) };
}

/** `getVolumeTypes` taking Inputs and giving an Output. */
export function getVolumeTypesOutput(args: LookupInputs<LookupOptions> = {}): pulumi.Output<GetVolumeTypesResult> {
  return lookupOutput(args, getVolumeTypes);
}

/** The region's default volume type (what a `Volume` without `volumeType` gets). */
export async function getDefaultVolumeType(args: LookupOptions = {}): Promise<GetVolumeTypeResult> {
  const a = validArguments("getDefaultVolumeType", optionsOnly, args);
  const body = await lookupClient(a).find("showDefaultVolumeType");
  if (body === undefined) throw new ScpLookupError("getDefaultVolumeType", "not-found", "the region has no default");
  return toResult(body);
}

/** `getDefaultVolumeType` taking Inputs and giving an Output. */
export function getDefaultVolumeTypeOutput(args: LookupInputs<LookupOptions> = {}): pulumi.Output<GetVolumeTypeResult> {
  return lookupOutput(args, getDefaultVolumeType);
}

/** One volume type, by `id` (Show Volume Type) or by `name`. */
export async function getVolumeType(args: GetVolumeTypeArgs): Promise<GetVolumeTypeResult> {
  const a = validArguments("getVolumeType", oneTypeSchema, args);
  const api = lookupClient(a);
  if (a.id !== undefined) {
    const body = await api.find("showVolumeType", { path: { volume_type_id: a.id } });
    if (body === undefined) throw new ScpLookupError("getVolumeType", "not-found", `no volume type has id "${a.id}"`);
    return toResult(body);
  }
  const found = (await listAll(api, "listVolumeTypes", "volume_types")).map(toResult).filter((t) => t.name === a.name);
  return exactlyOneNamed("getVolumeType", "volume types", a.name, found);
}

/** `getVolumeType` taking Inputs and giving an Output. */
export function getVolumeTypeOutput(args: GetVolumeTypeOutputArgs): pulumi.Output<GetVolumeTypeResult> {
  return lookupOutput(args, getVolumeType);
}
