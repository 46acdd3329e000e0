/** Volumes: an existing volume by id or by (unique) name (Show Volume / List Volumes). */
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
  validArguments,
  exactlyOneNamed,
} from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetVolumeArgs extends LookupOptions {
  /** The volume's id. Give `id` or `name`. */
  readonly id?: string | undefined;
  /** The volume's name; it must name exactly one volume. Give `id` or `name`. */
  readonly name?: string | undefined;
}

export type GetVolumeOutputArgs = LookupInputs<GetVolumeArgs>;

/** Where a volume is attached. */
export interface GetVolumeServer {
  /** The server's id. */
  readonly id: string;
  /** The device it appears as on the server, e.g. `/dev/vdb`. */
  readonly device?: string | undefined;
  /** When it was attached (ISO 8601). */
  readonly attachedAt?: string | undefined;
}

/** The image a (boot) volume was made from. */
export interface GetVolumeSourceImage {
  /** The image's id. */
  readonly id?: string | undefined;
  /** The image's name. */
  readonly name?: string | undefined;
  /** OS distribution, e.g. `alma`. */
  readonly osDistro?: string | undefined;
}

/** A volume as Show Volume answers it (reference, version 1.1). */
export interface GetVolumeResult {
  /** The volume's id. */
  readonly id: string;
  /** The volume's name. */
  readonly name: string;
  /** Size, in GB. */
  readonly size: number;
  /** The API's state: `creating`, then `available` (free) or `in-use` (attached); `error`, … */
  readonly state: string;
  /** Volume type name, e.g. `SSD`. */
  readonly volumeType?: string | undefined;
  /** The volume type's id. */
  readonly volumeTypeId?: string | undefined;
  /** The snapshot it was made from, if any. */
  readonly snapshotId?: string | undefined;
  /** Whether it can boot a server. */
  readonly bootable?: boolean | undefined;
  /** Whether it is encrypted. */
  readonly encrypted?: boolean | undefined;
  /** Whether it can be attached to several servers at once. */
  readonly multiattach?: boolean | undefined;
  /** The servers it is attached to. */
  readonly servers: readonly GetVolumeServer[];
  /** The image it was made from, for volumes made from an image. */
  readonly sourceImage?: GetVolumeSourceImage | undefined;
  /** The user who owns it. */
  readonly userId?: string | undefined;
  /** When it was created (ISO 8601). */
  readonly createdAt?: string | undefined;
  /** When it last changed (ISO 8601). */
  readonly modifiedAt?: string | undefined;
}

const argsSchema = z
  .object({ id: resourceId("id").optional(), name: lookupName("name").optional(), ...lookupOptionsShape })
  .strict()
  .superRefine(exactlyOne("id", "name"));

const apiVolume = z.looseObject({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  state: z.string(),
  volume_type: optionalText,
  volume_type_id: optionalText,
  snapshot_id: optionalText,
  bootable: z.boolean().nullish(),
  encrypted: z.boolean().nullish(),
  multiattach: z.boolean().nullish(),
  servers: z.array(z.looseObject({ id: z.string(), device: optionalText, attached_at: optionalText })).nullish(),
  volume_image_metadata: z
    .looseObject({ image_id: optionalText, image_name: optionalText, os_distro: optionalText })
    .nullish(),
  user_id: optionalText,
  created_at: optionalText,
  modified_at: optionalText,
});

function toResult(raw: unknown): GetVolumeResult {
  const v = apiVolume.parse(raw);
  const image = v.volume_image_metadata;
  return {
    id: v.id,
    name: v.name,
    size: v.size,
    state: v.state,
    volumeType: v.volume_type,
    volumeTypeId: v.volume_type_id,
    snapshotId: v.snapshot_id,
    bootable: v.bootable ?? undefined,
    encrypted: v.encrypted ?? undefined,
    multiattach: v.multiattach ?? undefined,
    servers: (v.servers ?? []).map((s) => ({ id: s.id, device: s.device, attachedAt: s.attached_at })),
    sourceImage:
      image && (image.image_id || image.image_name)
        ? { id: image.image_id, name: image.image_name, osDistro: image.os_distro }
        : undefined,
    userId: v.user_id,
    createdAt: v.created_at,
    modifiedAt: v.modified_at,
  };
}

/**
 * An existing volume, by `id` or by `name` (exactly one volume must have it).
 *
 *   const data = await scp.getVolume({ name: "web-1-data" });
 */
export async function getVolume(args: GetVolumeArgs): Promise<GetVolumeResult> {
  const a = validArguments("getVolume", argsSchema, args);
  const api = lookupClient(a);
  if (a.id !== undefined) {
    const body = await api.find("showVolume", { path: { volume_id: a.id } });
    if (body === undefined) throw new ScpLookupError("getVolume", "not-found", `no volume has id "${a.id}"`);
    return toResult(body);
  }
  // List Volumes answers the same fields as Show Volume (reference, both at 1.1).
  const found = (await listAll(api, "listVolumes", "volumes", { query: { name: a.name } }))
    .map(toResult)
    .filter((v) => v.name === a.name);
  return exactlyOneNamed("getVolume", "volumes", a.name, found);
}

/** `getVolume` taking Inputs and giving an Output: `scp.getVolumeOutput({ id: data.id }).servers`. */
export function getVolumeOutput(args: GetVolumeOutputArgs): pulumi.Output<GetVolumeResult> {
  return lookupOutput(args, getVolume);
}
