/**
 * Show Volume as the reference documents it, and the wait for a volume to rest: shared by `Volume`,
 * `VolumeAttachment` (a volume's `servers` say where it is attached) and `VirtualServer` (its boot volume).
 */
import { z } from "zod";
import { listForWaits } from "./list-all";
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

/** One listing of volumes for every wait of the process (List Volumes answers whole volumes, as Show does). */
export function volumeListing(ctx: ResourceContext, id: string): SharedListing<ApiVolume> {
  return {
    scope: ctx.client,
    kind: "volumes",
    id,
    complete: true,
    list: (wanted) => listForWaits(ctx.client, "listVolumes", "volumes", apiVolume, wanted),
  };
}

/**
 * Waits until the volume rests (and `ready` holds, when given); `what` completes "volume <id> …". `startFrom`:
 * what the call that started the change tells (waiter.ts), instead of a read at once.
 */
export function waitForVolume(
  ctx: ResourceContext,
  id: string,
  what: string,
  timeoutMs: number,
  options: {
    readonly ready?: (v: ApiVolume) => boolean;
    readonly startFrom?: { readonly object: ApiVolume } | { readonly state: string };
  } = {},
): Promise<ApiVolume> {
  return waitForState({
    description: `volume ${id} ${what}`,
    read: () => showVolume(ctx, id),
    shared: volumeListing(ctx, id),
    stateOf: (v) => v.state,
    target: RESTING,
    ...options,
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
  return waitForVolume(ctx, id, what, timeoutMs, { ready: (v) => v.size >= size });
}
