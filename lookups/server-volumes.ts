/**
 * The volumes attached to a server, as the server side sees them (List Server Volumes): the same attachments
 * as a volume's `servers`, whichever route (Attach Volume or Create Server Volume) made them.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ScpApiError } from "../provider/errors";
import { resourceId } from "../provider/validators";
import { lookupClient, lookupOptionsShape, lookupOutput, optionalText, validArguments } from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetServerVolumesArgs extends LookupOptions {
  /** The server's id. */
  readonly serverId: string;
}

export type GetServerVolumesOutputArgs = LookupInputs<GetServerVolumesArgs>;

/** One attachment, as List Server Volumes answers it (reference, version 1.1). */
export interface GetServerVolumesAttachment {
  /** The attachment's id (the API's `id`; Show/Update/Delete Server Volume address it by `volumeId`). */
  readonly id: string;
  /** The attached volume's id. */
  readonly volumeId: string;
  /** The server's id. */
  readonly serverId: string;
  /** The device it appears as on the server, e.g. `/dev/vdb`. */
  readonly device?: string | undefined;
  /** Whether deleting the server deletes the volume. */
  readonly deleteOnTermination: boolean;
}

/** A server's attachments. */
export interface GetServerVolumesResult {
  /** The server's id, as given. */
  readonly serverId: string;
  /** Its attachments, in the API's order (the boot volume first). */
  readonly volumes: readonly GetServerVolumesAttachment[];
}

const argsSchema = z.object({ serverId: resourceId("serverId"), ...lookupOptionsShape }).strict();

const apiServerVolume = z.looseObject({
  id: z.string(),
  volume_id: z.string(),
  server_id: z.string(),
  device: optionalText,
  delete_on_termination: z.boolean().nullish(),
});
const apiServerVolumes = z.looseObject({ volumes: z.array(apiServerVolume).nullish() });

/**
 * The volumes attached to a server.
 *
 *   const { volumes } = await scp.getServerVolumes({ serverId: web.id });
 *   const devices = volumes.map((v) => v.device);
 */
export async function getServerVolumes(args: GetServerVolumesArgs): Promise<GetServerVolumesResult> {
  const lookup = "getServerVolumes";
  const a = validArguments(lookup, argsSchema, args);
  let body: unknown;
  try {
    // List Server Volumes is not paginated (the reference shows no query parameters).
    body = (await lookupClient(a).call("listServerVolumes", { path: { server_id: a.serverId } })).body;
  } catch (error) {
    if (error instanceof ScpApiError && error.notFound)
      throw new ScpLookupError(lookup, "not-found", `no server has id "${a.serverId}"`);
    throw error;
  }
  return {
    serverId: a.serverId,
    volumes: (apiServerVolumes.parse(body).volumes ?? []).map((v) => ({
      id: v.id,
      volumeId: v.volume_id,
      serverId: v.server_id,
      device: v.device,
      deleteOnTermination: v.delete_on_termination ?? false,
    })),
  };
}

/** `getServerVolumes` taking Inputs and giving an Output: `scp.getServerVolumesOutput({ serverId }).volumes`. */
export function getServerVolumesOutput(args: GetServerVolumesOutputArgs): pulumi.Output<GetServerVolumesResult> {
  return lookupOutput(args, getServerVolumes);
}
