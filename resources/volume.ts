/**
 * Volume: block storage. Renamed and grown in place; a smaller size is refused at preview; a different
 * type or source snapshot replaces it. Deletion can take its snapshots along (`deleteSnapshots`), and
 * refuses to pull a volume from under a server the stack does not manage unless `detachOnDelete` is set.
 * `revertToSnapshotId` reverts the volume's content to one of its snapshots when it changes.
 */
import { z } from "zod";
import { type DiffRules, inputsFromOutputs, normalize } from "../provider/diff";
import { encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { volumeDemand, withQuotaCheck } from "../provider/quota-check";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, objectName, rulesOf, schemaOf, tagsSchema } from "../provider/schema";
import { flag, resourceId, text, wholeNumber } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import {
  type ApiVolume,
  apiVolume,
  growVolume,
  showVolume,
  volumeListing,
  waitForVolume,
} from "../provider/volume-api";
import { waitUntilGone } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

const DELETE_OPTION = "how the provider deletes the volume";
const MAX_SIZE_GB = 16_384;

/** The volume's inputs: each one's schema, diff rule and (above it) the doc `VolumeArgs` shows. */
const properties = {
  /**
   * Volume name. Changed in place. Default: the resource's name plus a random suffix (`web-3f9a2c1`), kept
   * across updates; a replacement gets a new one.
   */
  name: { schema: objectName("volume"), on: "update" },
  /**
   * Size in GB (1–16384). Drift-checked. Grows in place (Extend Volume). Volumes cannot shrink: a smaller size
   * than the live one (in the program, or because the volume was grown by hand) shows as a change with a
   * warning naming the size to set, and `pulumi up` fails on it.
   */
  // Reference L2409 (create), L3766 (extend): a whole number of GB. A smaller size: see `warnings`.
  size: { schema: wholeNumber("size", { min: 1, max: MAX_SIZE_GB, unit: "GB" }), on: "update" },
  /**
   * Volume type name, e.g. `SSD` or `HDD` (see `getVolumeTypes`). Default: the region's default type.
   * Changing it replaces the volume.
   */
  volumeType: { schema: text("volumeType").min(1, "volumeType must not be empty").optional(), on: "replace" },
  /** Create the volume from this snapshot. Changing it replaces the volume. */
  snapshotId: { schema: resourceId("snapshotId").optional(), on: "replace" },
  /**
   * Tags (key → value), applied when the volume is created. SCP returns no tags and cannot change them: a
   * change is recorded in state with a warning in the preview, never a replacement; not drift-checked.
   */
  tags: {
    schema: tagsSchema.optional(),
    on: "record",
    writeOnly: "no volume operation returns tags or changes them after creation",
    normalize: normalize.emptyMap,
  },
  /**
   * Delete the volume's snapshots with it (the API's `cascade`). Default false: deletion fails while
   * snapshots exist. Only the delete reads it: a change is applied in place and changes nothing in the
   * cloud; not drift-checked.
   */
  deleteSnapshots: { schema: flag("deleteSnapshots").optional(), on: "update", writeOnly: DELETE_OPTION },
  /**
   * Detach the volume from servers this stack does not manage before deleting it. Default false: such a
   * deletion fails. Only the delete reads it: a change is applied in place and changes nothing in the cloud;
   * not drift-checked.
   */
  detachOnDelete: { schema: flag("detachOnDelete").optional(), on: "update", writeOnly: DELETE_OPTION },
  /**
   * Revert the volume's content to this snapshot (of this volume) when the value changes. The volume must
   * be detached. Setting it at creation does nothing; changing it later reverts once, in place. An action,
   * not a property: not drift-checked.
   */
  revertToSnapshotId: {
    // Reference L6946: the snapshot id of Revert Volume to snapshot.
    schema: resourceId("revertToSnapshotId").optional(),
    on: "update",
    writeOnly: "an action (revert once when the value changes), not a property",
  },
  ...commonProperties,
  /**
   * Region of the volume, e.g. `kr-west1`, when not the provider's. Changing it replaces the volume; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create/update/delete may wait, e.g. `{ create: "10m" }`. Default 10 minutes each. Changed in
   * place; a provider setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type VolumeInputs = z.infer<typeof inputSchema>;

/**
 * Outputs hold nothing that another resource moves: a volume's state and its servers change when a
 * `VolumeAttachment` attaches it, so they are not outputs here (the attachment has them; `getVolume` reads
 * them live). A refresh right after a clean `up` then changes nothing.
 */
export interface VolumeOutputs extends VolumeInputs {
  readonly volumeType: string;
  /** The id of the volume's type. Refresh reads it (Show Volume). */
  readonly volumeTypeId?: string | undefined;
  /** Whether the volume can boot a server. Refresh reads it (Show Volume). */
  readonly bootable: boolean;
  /** Whether the volume is encrypted (set by its type). Refresh reads it (Show Volume). */
  readonly encrypted: boolean;
  /** When the volume was created (ISO 8601). Refresh reads it (Show Volume). */
  readonly createdAt?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = [
  "volumeTypeId",
  "bootable",
  "encrypted",
  "createdAt",
] as const satisfies readonly (keyof VolumeOutputs)[];
const _everyOutputListed: ListsEveryOutput<VolumeOutputs, VolumeInputs, typeof OUTPUT_KEYS> = true;

// ---- Inputs → API requests ----------------------------------------------------------------------------

function createRequest(inputs: VolumeInputs) {
  return {
    name: inputs.name,
    size: inputs.size,
    volume_type: inputs.volumeType,
    snapshot_id: inputs.snapshotId,
    tags: encodeTags(inputs.tags),
  };
}

// ---- API objects → outputs ----------------------------------------------------------------------------

function toOutputs(api: ApiVolume, inputs: VolumeInputs): VolumeOutputs {
  return {
    ...inputs,
    name: api.name,
    size: api.size,
    volumeType: api.volume_type ?? inputs.volumeType ?? "",
    volumeTypeId: api.volume_type_id || undefined,
    // An empty id means none, as null does (the reference types these ids as strings, never null).
    snapshotId: api.snapshot_id || undefined,
    bootable: api.bootable ?? false,
    encrypted: api.encrypted ?? false,
    createdAt: api.created_at ?? undefined,
  };
}

async function volumesNamed(ctx: ResourceContext, name: string) {
  const list = await ctx.client.call<{ volumes: unknown[] }>("listVolumes", { query: { name } });
  return list.body.volumes.map((v) => apiVolume.parse(v)).filter((v) => v.name === name);
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<VolumeInputs> = rulesOf(properties);

const cannotShrink = (current: number, wanted: number) =>
  `size: the volume is ${current} GB and volumes cannot shrink (${wanted} GB requested): set size to ${current} or more, or create a new volume`;

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<VolumeInputs, VolumeOutputs> = {
  kind: "volume",
  autoName: true,
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(10), updateMs: minutes(10), deleteMs: minutes(10) },
  diffRules,
  describe: (inputs, id) => `volume "${inputs.name}"${id ? ` (${id})` : ""}`,
  // Reported as a change (drift, when the volume was grown by hand), never as a preview error: a CI drift
  // check then says "drift", and the warning says what to change.
  warnings: (olds, news) =>
    typeof news.size === "number" && olds.size !== undefined && news.size < olds.size
      ? [`${cannotShrink(olds.size, news.size)}; pulumi up will fail until then`]
      : [],

  async create(ctx, inputs, created) {
    const startedAt = new Date().toISOString();
    const answer = apiVolume.parse(
      await ctx.client.create(
        "createVolume",
        { body: createRequest(inputs), resource: `volume "${inputs.name}"` },
        async () => (await volumesNamed(ctx, inputs.name)).find((v) => (v.created_at ?? "") >= startedAt),
      ),
    );
    created(answer.id);
    // The 202 answers the volume as Show does (reference L2393): the wait starts from it.
    const ready = await waitForVolume(ctx, answer.id, "to become available", ctx.timeouts.createMs, {
      startFrom: { object: answer },
    });
    return { id: answer.id, outputs: toOutputs(ready, inputs) };
  },

  findNamed: async (ctx, inputs) =>
    (await volumesNamed(ctx, inputs.name)).filter((v) => v.state !== "deleting").map((v) => v.id),

  async read(ctx, id, olds) {
    const live = await showVolume(ctx, id);
    if (!live) return undefined;
    const outputs = toOutputs(live, olds as VolumeInputs);
    const inputs = inputsFromOutputs(diffRules, outputs);
    return { outputs, inputs };
  },

  async update(ctx, id, olds, news, changed) {
    const resource = `volume "${news.name}" (${id})`;
    if (changed.has("size") && news.size < olds.size)
      throw new Error(`${resource}: ${cannotShrink(olds.size, news.size)}`);
    if (changed.has("name")) {
      await ctx.client.call("updateVolume", { path: { volume_id: id }, body: { name: news.name }, resource });
    }
    if (changed.has("size"))
      await growVolume(ctx, id, news.size, `to grow to ${news.size} GB`, ctx.timeouts.updateMs, resource);
    if (news.revertToSnapshotId && news.revertToSnapshotId !== olds.revertToSnapshotId) {
      await ctx.client.change(
        "revertVolumeToSnapshot",
        { path: { volume_id: id }, body: { snapshot_id: news.revertToSnapshotId }, resource },
        // A revert shows only while it runs; afterwards nothing tells a done revert from one never sent.
        async () => (await showVolume(ctx, id))?.state === "reverting",
      );
      await waitForVolume(ctx, id, `to revert to snapshot ${news.revertToSnapshotId}`, ctx.timeouts.updateMs);
    }
    const live = await showVolume(ctx, id);
    return live ? toOutputs(live, { ...olds, ...news }) : { ...olds, ...news };
  },

  async delete(ctx, id, olds) {
    const live = await showVolume(ctx, id);
    if (!live) return;
    const servers = (live.servers ?? []).map((s) => s.id);
    if (servers.length > 0) {
      if (!olds.detachOnDelete) {
        throw new Error(
          `volume "${live.name}" (${id}) is attached to server ${servers.join(", ")}, which this stack does not manage as an attachment; ` +
            "detach it first, or set detachOnDelete: true to have the provider detach it",
        );
      }
      for (const server of servers) {
        await ctx.client.change(
          "detachVolumeFromVirtualServer",
          { path: { volume_id: id, server_id: server } },
          async () => {
            const now = await showVolume(ctx, id);
            return now === undefined || now.state === "detaching" || !(now.servers ?? []).some((s) => s.id === server);
          },
        );
      }
      await waitForVolume(ctx, id, "to be detached", ctx.timeouts.deleteMs, {
        ready: (v) => (v.servers ?? []).length === 0,
      });
    }
    await ctx.client.change(
      "deleteVolume",
      {
        path: { volume_id: id },
        ...(olds.deleteSnapshots ? { query: { cascade: true } } : {}),
        resource: `volume "${live.name}" (${id})`,
      },
      async () => {
        const now = await showVolume(ctx, id);
        return now === undefined || now.state === "deleting";
      },
    );
    await waitUntilGone({
      description: `volume ${id} to be deleted`,
      read: () => showVolume(ctx, id),
      shared: volumeListing(ctx, id),
      stateOf: (v) => v.state,
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = withQuotaCheck(defineResourceProvider(spec), volumeDemand);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of a `Volume` (each documented where it is declared, in `properties`). */
export interface VolumeArgs extends ArgsOf<VolumeInputs, "name"> {}

/**
 * A block storage volume: created empty or from a snapshot, renamed and grown in place, reverted to a
 * snapshot on request. Attach it to a server with `VolumeAttachment`.
 *
 * ```ts
 * const data = new Volume("data", {
 *   name: "data-1",
 *   size: 100,
 * });
 * export const volumeId = data.id;
 * ```
 */
export const Volume = resourceClass<VolumeArgs, VolumeOutputs, typeof OUTPUT_KEYS>({
  type: "Volume",
  implementation: "volume",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** A `Volume`: its inputs and outputs as the engine resolves them (see `VolumeArgs`, `VolumeOutputs`). */
export type Volume = InstanceType<typeof Volume>;
