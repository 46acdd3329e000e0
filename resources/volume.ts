/**
 * Volume: block storage. Renamed and grown in place; a smaller size is refused at preview; a different
 * type or source snapshot replaces it. Deletion can take its snapshots along (`deleteSnapshots`), and
 * refuses to pull a volume from under a server the stack does not manage unless `detachOnDelete` is set.
 * `revertToSnapshotId` reverts the volume's content to one of its snapshots when it changes.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { normalize } from "../provider/diff";
import type { CheckFailure } from "../provider/check";
import { decodeTags, encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs, objectName, tagsSchema } from "../provider/schema";
import { implementationPath, thinProvider } from "../provider/thin-provider";
import { minutes } from "../provider/timeouts";
import { waitForState, waitUntilGone } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

const MAX_SIZE_GB = 16_384;

const inputSchema = z
  .object({
    name: objectName("volume"),
    size: z
      .number({ error: "size is required (GB)" })
      .int("size must be a whole number of GB")
      .min(1, "size must be at least 1 GB")
      .max(MAX_SIZE_GB, `size must be at most ${MAX_SIZE_GB} GB`),
    volumeType: z.string().min(1).optional(),
    snapshotId: z.string().min(1).optional(),
    tags: tagsSchema.optional(),
    deleteSnapshots: z.boolean().optional(),
    detachOnDelete: z.boolean().optional(),
    revertToSnapshotId: z.string().min(1).optional(),
    ...commonInputs,
  })
  .strict();

export type VolumeInputs = z.infer<typeof inputSchema>;

export interface VolumeAttachmentInfo {
  readonly serverId: string;
  readonly device?: string | undefined;
}

export interface VolumeOutputs extends VolumeInputs {
  readonly volumeType: string;
  readonly volumeTypeId?: string | undefined;
  readonly state: string;
  readonly bootable: boolean;
  readonly encrypted: boolean;
  readonly attachments: VolumeAttachmentInfo[];
  readonly createdAt?: string | undefined;
}

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

const apiVolume = z.looseObject({
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
  tags: z.unknown().optional(),
  created_at: z.string().nullish(),
  error_reason: z.string().nullish(),
});
type ApiVolume = z.infer<typeof apiVolume>;

function toOutputs(api: ApiVolume, inputs: VolumeInputs): VolumeOutputs {
  return {
    ...inputs,
    name: api.name,
    size: api.size,
    volumeType: api.volume_type ?? inputs.volumeType ?? "",
    volumeTypeId: api.volume_type_id ?? undefined,
    snapshotId: api.snapshot_id ?? inputs.snapshotId,
    tags: api.tags === undefined ? inputs.tags : decodeTags(api.tags),
    state: api.state,
    bootable: api.bootable ?? false,
    encrypted: api.encrypted ?? false,
    attachments: (api.servers ?? []).map((s) => ({ serverId: s.id, device: s.device ?? undefined })),
    createdAt: api.created_at ?? undefined,
  };
}

const RESTING = ["available", "in-use"];

async function showVolume(ctx: ResourceContext, id: string): Promise<ApiVolume | undefined> {
  const body = await ctx.client.find("showVolume", { path: { volume_id: id } });
  return body === undefined ? undefined : apiVolume.parse(body);
}

function waitForVolume(
  ctx: ResourceContext,
  id: string,
  what: string,
  timeoutMs: number,
  ready?: (v: ApiVolume) => boolean,
) {
  return waitForState({
    description: `volume ${id} ${what}`,
    read: () => showVolume(ctx, id),
    stateOf: (v) => v.state,
    reasonOf: (v) => v.error_reason ?? undefined,
    target: RESTING,
    ...(ready ? { ready } : {}),
    timeoutMs,
  });
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules = {
  name: { on: "update" },
  size: { on: "update" },
  volumeType: { on: "replace", computedWhenUnset: true },
  snapshotId: { on: "replace", computedWhenUnset: true },
  tags: { on: "replace", normalize: normalize.emptyMap },
  revertToSnapshotId: { on: "update" },
  region: { on: "replace", computedWhenUnset: true },
  deleteSnapshots: { on: "update" },
  detachOnDelete: { on: "update" },
  timeouts: { on: "update" },
} as const;

// ---- The provider -------------------------------------------------------------------------------------

const spec: ResourceSpec<VolumeInputs, VolumeOutputs> = {
  kind: "volume",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(10), updateMs: minutes(10), deleteMs: minutes(10) },
  diffRules,
  describe: (inputs, id) => `volume "${inputs.name}"${id ? ` (${id})` : ""}`,

  checkTransition(olds, news): CheckFailure[] {
    if (olds.size !== undefined && news.size < olds.size) {
      return [
        {
          property: "size",
          reason: `a volume can only grow (from ${olds.size} GB to ${news.size} GB requested); create a new volume to shrink`,
        },
      ];
    }
    return [];
  },

  async create(ctx, inputs, created) {
    const startedAt = new Date().toISOString();
    const answer = apiVolume.parse(
      await ctx.client.create(
        "createVolume",
        { body: createRequest(inputs), resource: `volume "${inputs.name}"` },
        async () => {
          const list = await ctx.client.call<{ volumes: unknown[] }>("listVolumes", { query: { name: inputs.name } });
          return list.body.volumes
            .map((v) => apiVolume.parse(v))
            .find((v) => v.name === inputs.name && (v.created_at ?? "") >= startedAt);
        },
      ),
    );
    created(answer.id);
    const ready = await waitForVolume(ctx, answer.id, "to become available", ctx.timeouts.createMs);
    return { id: answer.id, outputs: toOutputs(ready, inputs) };
  },

  async read(ctx, id, olds) {
    const live = await showVolume(ctx, id);
    if (!live) return undefined;
    const inputs: VolumeInputs = {
      ...(olds as VolumeInputs),
      name: live.name,
      size: live.size,
      ...(live.volume_type ? { volumeType: live.volume_type } : {}),
      ...(live.snapshot_id ? { snapshotId: live.snapshot_id } : {}),
      ...(olds.tags !== undefined || live.tags !== undefined
        ? { tags: live.tags === undefined ? olds.tags : decodeTags(live.tags) }
        : {}),
    };
    for (const key of ["state", "bootable", "encrypted", "attachments", "createdAt", "volumeTypeId"] as const)
      delete (inputs as Record<string, unknown>)[key];
    return { outputs: toOutputs(live, inputs), inputs };
  },

  async update(ctx, id, olds, news) {
    const resource = `volume "${news.name}" (${id})`;
    if (news.name !== olds.name) {
      await ctx.client.call("updateVolume", { path: { volume_id: id }, body: { name: news.name }, resource });
    }
    if (news.size > olds.size) {
      await ctx.client.call("extendVolume", { path: { volume_id: id }, body: { size: news.size }, resource });
      await waitForVolume(ctx, id, `to grow to ${news.size} GB`, ctx.timeouts.updateMs, (v) => v.size >= news.size);
    }
    if (news.revertToSnapshotId && news.revertToSnapshotId !== olds.revertToSnapshotId) {
      await ctx.client.call("revertVolumeToSnapshot", {
        path: { volume_id: id },
        body: { snapshot_id: news.revertToSnapshotId },
        resource,
      });
      await waitForVolume(ctx, id, `to revert to snapshot ${news.revertToSnapshotId}`, ctx.timeouts.updateMs);
    }
    const live = await showVolume(ctx, id);
    return live ? toOutputs(live, news) : { ...olds, ...news };
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
        await ctx.client.call("detachVolumeFromVirtualServer", { path: { volume_id: id, server_id: server } });
      }
      await waitForVolume(ctx, id, "to be detached", ctx.timeouts.deleteMs, (v) => (v.servers ?? []).length === 0);
    }
    await ctx.client.call("deleteVolume", {
      path: { volume_id: id },
      ...(olds.deleteSnapshots ? { query: { cascade: true } } : {}),
      resource: `volume "${live.name}" (${id})`,
    });
    await waitUntilGone({
      description: `volume ${id} to be deleted`,
      read: () => showVolume(ctx, id),
      stateOf: (v) => v.state,
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

export interface VolumeArgs {
  /** Volume name. Changed in place. */
  readonly name: pulumi.Input<string>;
  /** Size in GB (1–16384). Grows in place (the volume is extended); a smaller size is refused at preview. */
  readonly size: pulumi.Input<number>;
  /** Volume type name, e.g. `SSD` or `HDD` (see `getVolumeTypes`). Default: the region's default type. Changing it replaces the volume. */
  readonly volumeType?: pulumi.Input<string>;
  /** Create the volume from this snapshot. Changing it replaces the volume. */
  readonly snapshotId?: pulumi.Input<string>;
  /** Tags (key → value). The API cannot change them later: a change replaces the volume. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Delete the volume's snapshots with it (the API's `cascade`). Default false: deletion fails while snapshots exist. */
  readonly deleteSnapshots?: pulumi.Input<boolean>;
  /** Detach the volume from servers this stack does not manage before deleting it. Default false: such a deletion fails. */
  readonly detachOnDelete?: pulumi.Input<boolean>;
  /**
   * Revert the volume's content to this snapshot (of this volume) when the value changes. The volume must
   * be detached. Setting it at creation does nothing; changing it later reverts once.
   */
  readonly revertToSnapshotId?: pulumi.Input<string>;
  /** Region override for this resource. Changing it replaces the volume. */
  readonly region?: pulumi.Input<string>;
  /** How long create/update/delete may wait, e.g. `{ create: "10m" }`. Default 10 minutes each. */
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const volumeProvider = thinProvider(implementationPath("volume"));

export class Volume extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly size: pulumi.Output<number>;
  declare readonly volumeType: pulumi.Output<string>;
  declare readonly volumeTypeId: pulumi.Output<string | undefined>;
  declare readonly snapshotId: pulumi.Output<string | undefined>;
  declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
  /** `available` or `in-use` once steady. */
  declare readonly state: pulumi.Output<string>;
  declare readonly bootable: pulumi.Output<boolean>;
  declare readonly encrypted: pulumi.Output<boolean>;
  /** Servers the volume is attached to, with the device name. */
  declare readonly attachments: pulumi.Output<VolumeAttachmentInfo[]>;
  declare readonly createdAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: VolumeArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      volumeTypeId: undefined,
      state: undefined,
      bootable: undefined,
      encrypted: undefined,
      attachments: undefined,
      createdAt: undefined,
    };
    super(
      volumeProvider,
      name,
      { volumeType: undefined, snapshotId: undefined, tags: undefined, ...outputs, ...args },
      resourceOptions(opts),
      "scp",
      "Volume",
    );
  }
}
