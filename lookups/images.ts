/** Images: one image by id, or the one matching a name, an OS distribution and an image type (List/Show Image). */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ScpClient } from "../provider/http";
import { flag, resourceId } from "../provider/validators";
import {
  listAll,
  lookupClient,
  lookupName,
  lookupOptionsShape,
  lookupOutput,
  optionalText,
  validArguments,
} from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetImageArgs extends LookupOptions {
  /** The image's id. Cannot be combined with the filters below. */
  readonly id?: string | undefined;
  /** The image's exact name, e.g. `Ubuntu 24.04`. */
  readonly name?: string | undefined;
  /** OS distribution, e.g. `ubuntu`, `rocky`, `alma` (the API's `os_distro`). */
  readonly osDistro?: string | undefined;
  /** Image type, e.g. `standard` or `custom` (the API's `scp_image_type`). */
  readonly imageType?: string | undefined;
  /** When several active images match, take the newest (by creation time) instead of failing. */
  readonly mostRecent?: boolean | undefined;
}

export type GetImageOutputArgs = LookupInputs<GetImageArgs>;

/** An image as Show Image / List Images answer it (reference, version 1.1). */
export interface GetImageResult {
  /** The image's id (what `VirtualServer`'s `imageId` takes). */
  readonly id: string;
  /** The image's name, e.g. `Ubuntu 24.04`. */
  readonly name: string;
  /** Life cycle: `queued` while it builds, then `active` (others as the API reports them). */
  readonly status: string;
  /** OS distribution, e.g. `ubuntu`. */
  readonly osDistro?: string | undefined;
  /** OS version, e.g. `24.04` (the API's `scp_os_version`). */
  readonly osVersion?: string | undefined;
  /** OS build, e.g. `20250101` (the API's `scp_os_build_version`). */
  readonly osBuildVersion?: string | undefined;
  /** Image type, e.g. `standard` or `custom` (the API's `scp_image_type`). */
  readonly imageType?: string | undefined;
  /** The type of the image this one was made from, e.g. `standard` (the API's `scp_original_image_type`). */
  readonly originalImageType?: string | undefined;
  /** Who may use it, e.g. `private`, `shared` or `public`. */
  readonly visibility?: string | undefined;
  /** Smallest boot volume it fits on, in GB. */
  readonly minDiskGb?: number | undefined;
  /** Size of the image file, in bytes. */
  readonly sizeBytes?: number | undefined;
  /** Disk format, e.g. `qcow2`. */
  readonly diskFormat?: string | undefined;
  /** Whether the image is protected from deletion. */
  readonly protected?: boolean | undefined;
  /** Account id of the image's owner. */
  readonly ownerAccountId?: string | undefined;
  /** When it was created (ISO 8601). */
  readonly createdAt?: string | undefined;
  /** When it last changed (ISO 8601). */
  readonly updatedAt?: string | undefined;
}

const argsSchema = z
  .object({
    id: resourceId("id").optional(),
    name: lookupName("name").optional(),
    osDistro: lookupName("osDistro").optional(),
    imageType: lookupName("imageType").optional(),
    mostRecent: flag("mostRecent").optional(),
    ...lookupOptionsShape,
  })
  .strict()
  .superRefine((a, ctx) => {
    const filters = (["name", "osDistro", "imageType", "mostRecent"] as const).filter((k) => a[k] !== undefined);
    if (a.id !== undefined && filters.length > 0)
      ctx.addIssue({
        code: "custom",
        path: [filters[0] ?? "name"],
        message: `${filters[0]} cannot be combined with id`,
      });
    if (a.id === undefined && filters.filter((k) => k !== "mostRecent").length === 0)
      ctx.addIssue({ code: "custom", path: ["id"], message: "give id, or at least one of name, osDistro, imageType" });
  });

/** List Images / Show Image, the fields the reference shows that this lookup answers. */
const apiImage = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  os_distro: optionalText,
  scp_os_version: optionalText,
  scp_os_build_version: optionalText,
  scp_image_type: optionalText,
  scp_original_image_type: optionalText,
  visibility: optionalText,
  min_disk: z.number().nullish(),
  size: z.number().nullish(),
  disk_format: optionalText,
  protected: z.boolean().nullish(),
  owner: optionalText,
  created_at: optionalText,
  updated_at: optionalText,
});

function toResult(raw: unknown): GetImageResult {
  const i = apiImage.parse(raw);
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    osDistro: i.os_distro,
    osVersion: i.scp_os_version,
    osBuildVersion: i.scp_os_build_version,
    imageType: i.scp_image_type,
    originalImageType: i.scp_original_image_type,
    visibility: i.visibility,
    minDiskGb: i.min_disk ?? undefined,
    sizeBytes: i.size ?? undefined,
    diskFormat: i.disk_format,
    protected: i.protected ?? undefined,
    ownerAccountId: i.owner,
    createdAt: i.created_at,
    updatedAt: i.updated_at,
  };
}

async function findImage(api: ScpClient, a: z.output<typeof argsSchema>): Promise<GetImageResult> {
  if (a.id !== undefined) {
    const body = await api.find("showImage", { path: { image_id: a.id } });
    if (body === undefined) throw new ScpLookupError("getImage", "not-found", `no image has id "${a.id}"`);
    return toResult(body);
  }
  const all = (
    await listAll(api, "listImages", "images", {
      query: { name: a.name, os_distro: a.osDistro, scp_image_type: a.imageType, status: "active" },
    })
  ).map(toResult);
  // The filters are applied again here: an endpoint that ignores a query parameter must not widen the match.
  const matches = all
    .filter(
      (i) =>
        i.status === "active" &&
        (a.name === undefined || i.name === a.name) &&
        (a.osDistro === undefined || i.osDistro === a.osDistro) &&
        (a.imageType === undefined || i.imageType === a.imageType),
    )
    .sort((x, y) => (y.createdAt ?? "").localeCompare(x.createdAt ?? ""));
  const criteria = JSON.stringify({ name: a.name, osDistro: a.osDistro, imageType: a.imageType });
  const newest = matches[0];
  if (!newest) throw new ScpLookupError("getImage", "not-found", `no active image matches ${criteria}`);
  if (matches.length > 1 && !a.mostRecent) {
    throw new ScpLookupError(
      "getImage",
      "ambiguous",
      `${matches.length} images match ${criteria}: narrow the criteria or set mostRecent: true (${matches.map((m) => m.name).join(", ")})`,
    );
  }
  return newest;
}

/**
 * One image: by `id`, or the active image matching `name`, `osDistro` and `imageType` (`mostRecent` picks the
 * newest of several; without it, several matches fail).
 *
 *   const image = await scp.getImage({ osDistro: "ubuntu", mostRecent: true });
 */
export async function getImage(args: GetImageArgs): Promise<GetImageResult> {
  const a = validArguments("getImage", argsSchema, args);
  return findImage(lookupClient(a), a);
}

/** `getImage` taking Inputs and giving an Output: `scp.getImageOutput({ osDistro: "ubuntu", mostRecent: true }).id`. */
export function getImageOutput(args: GetImageOutputArgs): pulumi.Output<GetImageResult> {
  return lookupOutput(args, getImage);
}
