/**
 * Snapshot: a point-in-time copy of a volume. Name and description change in place; another volume
 * replaces it. To put a volume back to a snapshot, set `revertToSnapshotId` on the Volume.
 */
import { z } from "zod";
import { markerIn, markerMetadata } from "../provider/create-marker";
import { type DiffRules, inputsFromOutputs } from "../provider/diff";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, objectName, rulesOf, schemaOf } from "../provider/schema";
import { flag, resourceId, text } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { listForWaits, listWholeKind } from "../provider/list-all";
import { type SharedListing, findShared } from "../provider/shared-poller";
import { waitForState, waitUntilGone } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

/** The Snapshot's inputs: each one's schema, diff rule and (above it) the doc `SnapshotArgs` shows. */
const properties = {
  /** The volume to snapshot. Changing it replaces the snapshot. Drift-checked. */
  // Reference L359: the volume_id of Create a snapshot.
  volumeId: { schema: resourceId("volumeId"), on: "replace" },
  /**
   * Snapshot name. Changed in place. Default: the resource's name plus a random suffix (`web-3f9a2c1`), kept
   * across updates; a replacement gets a new one.
   */
  name: { schema: objectName("snapshot"), on: "update" },
  /** Free text, at most 255 characters. Changed in place. Unset is the same as empty. */
  description: {
    schema: text("description").max(255, "description is at most 255 characters").optional(),
    on: "update",
    normalize: (v: unknown) => v ?? "",
  },
  /**
   * Snapshot a volume that is in use (attached). Default true. An option of the create call: a later change
   * is applied in place and changes nothing in the cloud; not drift-checked.
   */
  force: {
    schema: flag("force").optional(),
    on: "update",
    writeOnly: "an option of the create call (snapshot an attached volume), not a property",
  },
  ...commonProperties,
  /**
   * Region of the volume, e.g. `kr-west1`, when not the provider's. Changing it replaces the snapshot; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create, update and delete may wait. Default 20 minutes to create, 5 to update, 10 to delete.
   * Changed in place; a provider setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type SnapshotInputs = z.infer<typeof inputSchema>;

export interface SnapshotOutputs extends SnapshotInputs {
  /** Size in GB (that of the volume when taken). Refresh reads it (Show Snapshot). */
  readonly size: number;
  /** The API's status: `available` once taken, `creating`, `deleting`, `error`. Refresh reads it (Show Snapshot). */
  readonly status: string;
  /** When the snapshot was taken (ISO 8601). Refresh reads it (Show Snapshot). */
  readonly createdAt?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = ["size", "status", "createdAt"] as const satisfies readonly (keyof SnapshotOutputs)[];
const _everyOutputListed: ListsEveryOutput<SnapshotOutputs, SnapshotInputs, typeof OUTPUT_KEYS> = true;

// ---- API objects → outputs ----------------------------------------------------------------------------

const apiSnapshot = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  volume_id: z.string(),
  size: z.number().nullish(),
  status: z.string(),
  metadata: z.unknown().optional(),
  created_at: z.string().nullish(),
});
type ApiSnapshot = z.infer<typeof apiSnapshot>;

function toOutputs(api: ApiSnapshot, inputs: SnapshotInputs): SnapshotOutputs {
  return {
    ...inputs,
    volumeId: api.volume_id,
    name: api.name ?? inputs.name,
    description: api.description ?? undefined,
    size: api.size ?? 0,
    status: api.status,
    createdAt: api.created_at ?? undefined,
  };
}

/**
 * The account's snapshots, one listing for every snapshot wait of the process, whatever their volumes. List
 * Snapshots can neither sort nor filter by state, so the listing is its first page only: one request per
 * tick however many snapshots the account holds; a wait whose snapshot is beyond it reads its own show
 * (shared-poller.ts). Its entries are whole snapshots, as Show answers them.
 */
function snapshotListing(ctx: ResourceContext, id: string): SharedListing<ApiSnapshot> {
  return {
    scope: ctx.client,
    kind: "snapshots",
    id,
    complete: true,
    list: (wanted) => listForWaits(ctx.client, "listSnapshots", "snapshots", apiSnapshot, wanted),
  };
}

/** A volume's snapshots of this name (List Snapshots filters by both; the name is checked here, exactly). */
async function snapshotsNamed(ctx: ResourceContext, volumeId: string, name: string): Promise<ApiSnapshot[]> {
  const list = await ctx.client.call<{ snapshots: unknown[] }>("listSnapshots", {
    query: { volume_id: volumeId, name },
  });
  return list.body.snapshots.map((s) => apiSnapshot.parse(s)).filter((s) => s.name === name);
}

function showSnapshot(ctx: ResourceContext, id: string) {
  return ctx.client
    .find("showSnapshot", { path: { snapshot_id: id } })
    .then((b) => (b === undefined ? undefined : apiSnapshot.parse(b)));
}

/** Waits until the snapshot is taken; `startFrom`: what the create answered (waiter.ts). */
async function waitUntilAvailable(
  ctx: ResourceContext,
  id: string,
  inputs: SnapshotInputs,
  startFrom?: { readonly object: ApiSnapshot },
) {
  const ready = await waitForState({
    description: `snapshot "${inputs.name}" (${id}) to become available`,
    read: () => showSnapshot(ctx, id),
    shared: snapshotListing(ctx, id),
    stateOf: (s) => s.status,
    target: ["available"],
    timeoutMs: ctx.timeouts.createMs,
    ...(startFrom ? { startFrom } : {}),
  });
  return toOutputs(ready, inputs);
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<SnapshotInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<SnapshotInputs, SnapshotOutputs> = {
  kind: "snapshot",
  autoName: true,
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(20), updateMs: minutes(5), deleteMs: minutes(10) },
  diffRules,
  describe: (inputs, id) => `snapshot "${inputs.name}"${id ? ` (${id})` : ""}`,

  async create(ctx, inputs, created, marker) {
    const startedAt = new Date().toISOString();
    const body = {
      volume_id: inputs.volumeId,
      name: inputs.name,
      description: inputs.description,
      force: inputs.force ?? true,
      // Where the next run finds this snapshot if this one is killed before it records it.
      ...(marker ? { metadata: markerMetadata(marker) } : {}),
    };
    const answer = apiSnapshot.parse(
      await ctx.client.create("createSnapshot", { body, resource: `snapshot "${inputs.name}"` }, async () => {
        return (await snapshotsNamed(ctx, inputs.volumeId, inputs.name)).find((s) => (s.created_at ?? "") >= startedAt);
      }),
    );
    created(answer.id);
    // The 202 answers the snapshot as Show does (reference L340): the wait starts from it.
    return { id: answer.id, outputs: await waitUntilAvailable(ctx, answer.id, inputs, { object: answer }) };
  },

  async findCreated(ctx, inputs, marker) {
    // Every create asks; creates close together share one listing where the account's snapshots fit a page.
    const named = await findShared(
      {
        scope: ctx.client,
        kind: "snapshots",
        key: `${inputs.volumeId} ${inputs.name}`,
        listWhole: async () =>
          (await listWholeKind(ctx.client, "listSnapshots", "snapshots"))?.map((s) => apiSnapshot.parse(s)),
        matches: (s, key) => `${s.volume_id} ${s.name}` === key,
      },
      () => snapshotsNamed(ctx, inputs.volumeId, inputs.name),
    );
    return named
      .filter((s) => s.name === inputs.name && s.status !== "deleting" && markerIn(s.metadata) === marker)
      .map((s) => s.id);
  },

  resumeCreate: (ctx, id, inputs) => waitUntilAvailable(ctx, id, inputs),

  async read(ctx, id, olds) {
    const live = await showSnapshot(ctx, id);
    if (!live) return undefined;
    const outputs = toOutputs(live, olds as SnapshotInputs);
    const inputs = inputsFromOutputs(diffRules, outputs);
    return { outputs, inputs };
  },

  async update(ctx, id, olds, news, changed) {
    if (changed.has("name") || changed.has("description")) {
      await ctx.client.call("updateSnapshot", {
        path: { snapshot_id: id },
        body: { name: news.name, description: news.description ?? olds.description ?? "" },
        resource: `snapshot "${news.name}" (${id})`,
      });
    }
    const live = await showSnapshot(ctx, id);
    return live ? toOutputs(live, { ...olds, ...news }) : { ...olds, ...news };
  },

  async delete(ctx, id) {
    await ctx.client.change("deleteSnapshot", { path: { snapshot_id: id } }, async () => {
      const live = await showSnapshot(ctx, id);
      return live === undefined || live.status === "deleting";
    });
    await waitUntilGone({
      description: `snapshot ${id} to be deleted`,
      read: () => showSnapshot(ctx, id),
      shared: snapshotListing(ctx, id),
      stateOf: (s) => s.status,
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of a `Snapshot` (each documented where it is declared, in `properties`). */
export interface SnapshotArgs extends ArgsOf<SnapshotInputs, "name"> {}

/**
 * A snapshot of a volume, taken once and waited for until available; a volume can be created from it
 * or reverted to it.
 *
 * ```ts
 * const backup = new Snapshot("nightly", {
 *   volumeId: data.id,
 *   name: "data-1-nightly",
 * });
 * export const snapshotSize = backup.size;
 * ```
 */
export const Snapshot = resourceClass<SnapshotArgs, SnapshotOutputs, typeof OUTPUT_KEYS>({
  type: "Snapshot",
  implementation: "snapshot",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** A `Snapshot`: its inputs and outputs as the engine resolves them (see `SnapshotArgs`, `SnapshotOutputs`). */
export type Snapshot = InstanceType<typeof Snapshot>;
