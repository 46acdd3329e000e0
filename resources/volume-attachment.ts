/**
 * VolumeAttachment: a volume attached to a server. Creating it attaches and waits until the volume is
 * in use; deleting it detaches and waits until the volume is free. `deleteOnTermination` is updated in
 * place; another volume or server replaces the attachment.
 *
 * The API reaches one attachment by two routes: the volume side (Attach/Detach Volume, reference L239,
 * L3670) and the server side (Create/Show/Update/Delete Server Volume, L1934, L8466, L10613, L3440), both
 * addressed by server_id + volume_id. This resource is the only one that manages it. It writes through the
 * volume side, reads through Show Server Volume, and changes delete_on_termination through Update Server
 * Volume (the only operation that can, L10646). An attachment made or ended through the server side is
 * therefore the same object: create takes it over, read sees it, and a detach by either route drops it.
 */
import { z } from "zod";
import { type DiffRules } from "../provider/diff";
import { ScpApiError } from "../provider/errors";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, rulesOf, schemaOf } from "../provider/schema";
import { flag, resourceId } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { showVolume, waitForVolume } from "../provider/volume-api";

// ---- Input schema -------------------------------------------------------------------------------------

/** The VolumeAttachment's inputs: each one's schema, diff rule and (above it) the doc `VolumeAttachmentArgs` shows. */
const properties = {
  /**
   * The volume to attach. Changing it replaces the attachment (detach, then attach the other). Part of the
   * attachment's id, so not drift-checked: an attachment removed by hand is gone at refresh, and the next
   * `up` attaches the volume again.
   */
  // Reference L250 (volume_id in the path), L271 (server_id in the body).
  // The attachment's identity: detached by hand, the attachment is gone (refresh drops it, up attaches again);
  // a volume moved to another server by hand is not taken back (see create).
  volumeId: {
    schema: resourceId("volumeId"),
    on: "replace",
    writeOnly: "part of the attachment's id (server and volume)",
  },
  /**
   * The server to attach it to. Changing it replaces the attachment (detach, then attach). Part of the
   * attachment's id, so not drift-checked (see `volumeId`).
   */
  serverId: {
    schema: resourceId("serverId"),
    on: "replace",
    writeOnly: "part of the attachment's id (server and volume)",
  },
  /** Delete the volume when the server is deleted. Default false. Changed in place. Drift-checked. */
  deleteOnTermination: { schema: flag("deleteOnTermination").optional(), on: "update" },
  ...commonProperties,
  /**
   * Region of the server and volume, e.g. `kr-west1`, when not the provider's. Changing it replaces the
   * attachment; a provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long attaching, updating and detaching may take. Default 10 minutes (update 5). Changed in place; a
   * provider setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type VolumeAttachmentInputs = z.infer<typeof inputSchema>;

export interface VolumeAttachmentOutputs extends VolumeAttachmentInputs {
  readonly deleteOnTermination: boolean;
  /** Device name on the server, e.g. `/dev/vdb`. Refresh reads it (Show Server Volume). */
  readonly device?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = ["device"] as const satisfies readonly (keyof VolumeAttachmentOutputs)[];
const _everyOutputListed: ListsEveryOutput<VolumeAttachmentOutputs, VolumeAttachmentInputs, typeof OUTPUT_KEYS> = true;

// ---- API objects → outputs ----------------------------------------------------------------------------

const apiServerVolume = z.looseObject({ delete_on_termination: z.boolean().nullish(), device: z.string().nullish() });

/** Attachments are addressed by both ids: `serverId:volumeId`. */
function parseId(id: string): { serverId: string; volumeId: string } {
  const { parentId, childId } = parseNestedId(id, "volume attachment");
  return { serverId: parentId, volumeId: childId };
}

function waitForAttachment(
  ctx: ResourceContext,
  inputs: { serverId: string; volumeId: string },
  attached: boolean,
  timeoutMs: number,
  startFrom?: { readonly state: string },
) {
  return waitForVolume(
    ctx,
    inputs.volumeId,
    `to be ${attached ? "attached to" : "detached from"} server ${inputs.serverId}`,
    timeoutMs,
    {
      ready: (v) =>
        (v.servers ?? []).some((s) => s.id === inputs.serverId) === attached &&
        (attached ? v.state === "in-use" : true),
      ...(startFrom ? { startFrom } : {}),
    },
  );
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<VolumeAttachmentInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<VolumeAttachmentInputs, VolumeAttachmentOutputs> = {
  kind: "volume attachment",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(10), updateMs: minutes(5), deleteMs: minutes(10) },
  diffRules,
  // The same volume cannot be attached twice: detach before attaching elsewhere.
  deleteBeforeReplace: true,
  describe: (inputs) => `attachment of volume ${inputs.volumeId} to server ${inputs.serverId}`,

  async create(ctx, inputs, created) {
    const id = nestedId(inputs.serverId, inputs.volumeId);
    // Attached at once, with no read first. SCP refuses to attach a volume that is not free (an attached
    // volume is "in-use", notes/scp-api.md); only then is it read — to say where it is attached (never taken
    // from another server: that server may be using it), or to take over an attachment to this server (left
    // by an interrupted run, or made by hand). A multiattach volume SCP accepts on a second server is attached
    // there, as SCP allows.
    let answer: { device?: string } | undefined;
    let adopted = false;
    try {
      answer = await ctx.client.change<{ device?: string }>(
        "attachVolumeToVirtualServer",
        {
          path: { volume_id: inputs.volumeId },
          body: { server_id: inputs.serverId, delete_on_termination: inputs.deleteOnTermination ?? false },
        },
        // Attached already (the answer was lost after the attach took effect): that is the attachment.
        async () => ((await showVolume(ctx, inputs.volumeId))?.servers ?? []).some((s) => s.id === inputs.serverId),
      );
    } catch (error) {
      // A refusal (409, or 400 for an object mid-change): where is the volume? Anything else, or a read
      // that fails, leaves the API's own answer to the attach.
      if (!(error instanceof ScpApiError) || ![400, 409].includes(error.status)) throw error;
      const volume = await showVolume(ctx, inputs.volumeId).catch(() => undefined);
      const servers = (volume?.servers ?? []).map((s) => s.id);
      if (!servers.includes(inputs.serverId)) {
        if (servers.length === 0) throw error;
        throw new Error(
          `volume ${inputs.volumeId} is attached to server ${servers.join(", ")}, not to server ${inputs.serverId}: ` +
            "a volume is attached to one server at a time; detach it there first, or point this attachment at that server",
          { cause: error },
        );
      }
      adopted = true;
    }
    created(id);
    const volume = await waitForAttachment(
      ctx,
      inputs,
      true,
      ctx.timeouts.createMs,
      // An attach just accepted puts the volume in `attaching` (assumed: it picks the schedule, not a filter);
      // an adopted one is read at once.
      adopted ? undefined : { state: "attaching" },
    );
    const device = volume.servers?.find((s) => s.id === inputs.serverId)?.device ?? answer?.device;
    return {
      id,
      outputs: { ...inputs, deleteOnTermination: inputs.deleteOnTermination ?? false, device: device ?? undefined },
    };
  },

  findNamed: async (ctx, inputs) =>
    ((await showVolume(ctx, inputs.volumeId))?.servers ?? []).some((s) => s.id === inputs.serverId)
      ? [nestedId(inputs.serverId, inputs.volumeId)]
      : [],

  async read(ctx, id, olds) {
    const { serverId, volumeId } = parseId(id);
    const live = await ctx.client.find("showServerVolume", { path: { server_id: serverId, volume_id: volumeId } });
    if (live === undefined) return undefined;
    const attachment = apiServerVolume.parse(live);
    const inputs: VolumeAttachmentInputs = {
      volumeId,
      serverId,
      deleteOnTermination: attachment.delete_on_termination ?? false,
      ...(olds.region === undefined ? {} : { region: olds.region }),
      ...(olds.timeouts === undefined ? {} : { timeouts: olds.timeouts }),
    };
    return {
      outputs: {
        ...inputs,
        deleteOnTermination: inputs.deleteOnTermination ?? false,
        device: attachment.device ?? olds.device,
      },
      inputs,
    };
  },

  async update(ctx, id, olds, news, changed) {
    const { serverId, volumeId } = parseId(id);
    if (changed.has("deleteOnTermination")) {
      await ctx.client.call("updateServerVolume", {
        path: { server_id: serverId, volume_id: volumeId },
        body: { volume_id: volumeId, delete_on_termination: news.deleteOnTermination ?? false },
      });
    }
    return { ...olds, ...news, deleteOnTermination: news.deleteOnTermination ?? olds.deleteOnTermination };
  },

  async delete(ctx, id) {
    const { serverId, volumeId } = parseId(id);
    await ctx.client.change(
      "detachVolumeFromVirtualServer",
      { path: { volume_id: volumeId, server_id: serverId } },
      async () => {
        const volume = await showVolume(ctx, volumeId);
        return (
          volume === undefined || volume.state === "detaching" || !(volume.servers ?? []).some((s) => s.id === serverId)
        );
      },
    );
    await waitForAttachment(ctx, { serverId, volumeId }, false, ctx.timeouts.deleteMs, { state: "detaching" }).catch(
      (error: unknown) => {
        // The volume itself may be gone by now (deleted with the server): the attachment is gone too.
        if (error instanceof Error && /disappeared/.test(error.message)) return;
        throw error;
      },
    );
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of a `VolumeAttachment` (each documented where it is declared, in `properties`). */
export interface VolumeAttachmentArgs extends ArgsOf<VolumeAttachmentInputs> {}

/**
 * Attaches a volume to a server (and detaches it on delete); the id is `<serverId>:<volumeId>`.
 *
 * ```ts
 * const attachment = new VolumeAttachment("data", {
 *   serverId: server.id,
 *   volumeId: data.id,
 * });
 * export const device = attachment.device;
 * ```
 */
export const VolumeAttachment = resourceClass<VolumeAttachmentArgs, VolumeAttachmentOutputs, typeof OUTPUT_KEYS>({
  type: "VolumeAttachment",
  implementation: "volume-attachment",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** A `VolumeAttachment`: its inputs and outputs as the engine resolves them (see `VolumeAttachmentArgs`, `VolumeAttachmentOutputs`). */
export type VolumeAttachment = InstanceType<typeof VolumeAttachment>;
