/**
 * Show Volume as the reference documents it, and the wait for a volume to rest: shared by `Volume`,
 * `VolumeAttachment` (a volume's `servers` say where it is attached) and `VirtualServer` (its boot volume).
 */
import { z } from "zod";
import { listAll } from "./list-all";
import type { ResourceContext } from "./resource-provider";
import type { SharedListing } from "./shared-poller";
import { waitForState } from "./waiter";

export const apiVolume = z.looseObject({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  state: z.string(),
  volume_type: z.string().nullish(),
  volume_type_id: z.string().nullish(),
  snapshot_id: z.string().nullish(),
  bootable: z.boolean().nullish(),
  encrypted: z.boolean().nullish(),
  servers: z.array(z.looseObject({ id: z.string(), device: z.string().nullish() })).nullish(),
  created_at: z.string().nullish(),
});
export type ApiVolume = z.infer<typeof apiVolume>;

/** A volume at rest: free or attached. Every other state is a change in progress. */
const RESTING = ["available", "in-use"];

export async function showVolume(ctx: ResourceContext, id: string): Promise<ApiVolume | undefined> {
  const body = await ctx.client.find("showVolume", { path: { volume_id: id } });
  return body === undefined ? undefined : apiVolume.parse(body);
}

/** The volumes in a state, one listing for every wait of the process (List Volumes filters by state). */
export function volumeListing(ctx: ResourceContext, id: string): SharedListing<ApiVolume> {
  return {
    scope: ctx.client,
    kind: "volumes",
    id,
    list: async (state) =>
      new Map(
        (await listAll(ctx.client, "listVolumes", "volumes", { query: { state } }))
          .map((v) => apiVolume.parse(v))
          .map((v) => [v.id, v]),
      ),
  };
}

/** Waits until the volume rests (and `ready` holds, when given); `what` completes "volume <id> …". */
export function waitForVolume(
  ctx: ResourceContext,
  id: string,
  what: string,
  timeoutMs: number,
  ready?: (v: ApiVolume) => boolean,
): Promise<ApiVolume> {
  return waitForState({
    description: `volume ${id} ${what}`,
    read: () => showVolume(ctx, id),
    shared: volumeListing(ctx, id),
    stateOf: (v) => v.state,
    target: RESTING,
    ...(ready ? { ready } : {}),
    timeoutMs,
  });
}

/**
 * Grows the volume to `size` GB and waits until it has. A growth already done or under way — by a lost
 * answer's retry, or by a run killed before it recorded the update — is not asked for again (SCP refuses to
 * "grow" a volume to its own size).
 */
export async function growVolume(
  ctx: ResourceContext,
  id: string,
  size: number,
  what: string,
  timeoutMs: number,
  resource: string,
): Promise<ApiVolume> {
  const grown = (v: ApiVolume | undefined) => v !== undefined && (v.size >= size || v.state === "extending");
  if (!grown(await showVolume(ctx, id))) {
    await ctx.client.change("extendVolume", { path: { volume_id: id }, body: { size }, resource }, async () =>
      grown(await showVolume(ctx, id)),
    );
  }
  return waitForVolume(ctx, id, what, timeoutMs, (v) => v.size >= size);
}
