/**
 * VolumeAttachment: a volume attached to a server. Creating it attaches and waits until the volume is
 * in use; deleting it detaches and waits until the volume is free. `deleteOnTermination` is updated in
 * place; another volume or server replaces the attachment.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type DiffRules, commonRules } from "../provider/diff";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs } from "../provider/schema";
import { flag, resourceId } from "../provider/validators";
import { implementationPath, thinProvider } from "../provider/thin-provider";
import { minutes } from "../provider/timeouts";
import { waitForState } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

const inputSchema = z
  .object({
    // Reference L250 (volume_id in the path), L271 (server_id in the body).
    volumeId: resourceId("volumeId"),
    serverId: resourceId("serverId"),
    deleteOnTermination: flag("deleteOnTermination").optional(),
    ...commonInputs,
  })
  .strict();

export type VolumeAttachmentInputs = z.infer<typeof inputSchema>;

export interface VolumeAttachmentOutputs extends VolumeAttachmentInputs {
  readonly deleteOnTermination: boolean;
  readonly device?: string | undefined;
}

// ---- API objects → outputs ----------------------------------------------------------------------------

const apiVolume = z.looseObject({
  id: z.string(),
  state: z.string(),
  servers: z.array(z.looseObject({ id: z.string(), device: z.string().nullish() })).nullish(),
});
const apiServerVolume = z.looseObject({ delete_on_termination: z.boolean().nullish(), device: z.string().nullish() });

/** Attachments are addressed by both ids: `serverId:volumeId`. */
function parseId(id: string): { serverId: string; volumeId: string } {
  const { parentId, childId } = parseNestedId(id, "volume attachment");
  return { serverId: parentId, volumeId: childId };
}

function showVolume(ctx: ResourceContext, volumeId: string) {
  return ctx.client
    .find("showVolume", { path: { volume_id: volumeId } })
    .then((b) => (b === undefined ? undefined : apiVolume.parse(b)));
}

function waitForAttachment(
  ctx: ResourceContext,
  inputs: { serverId: string; volumeId: string },
  attached: boolean,
  timeoutMs: number,
) {
  return waitForState({
    description: `volume ${inputs.volumeId} to be ${attached ? "attached to" : "detached from"} server ${inputs.serverId}`,
    read: () => showVolume(ctx, inputs.volumeId),
    stateOf: (v) => v.state,
    target: ["in-use", "available"],
    ready: (v) =>
      (v.servers ?? []).some((s) => s.id === inputs.serverId) === attached && (attached ? v.state === "in-use" : true),
    timeoutMs,
  });
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<VolumeAttachmentInputs> = {
  // The attachment's identity: moved by hand, the attachment is gone (refresh drops it, up attaches again).
  volumeId: { on: "replace" },
  serverId: { on: "replace" },
  deleteOnTermination: { on: "update" },
  ...commonRules,
};

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
    const answer = await ctx.client.call<{ device?: string }>("attachVolumeToVirtualServer", {
      path: { volume_id: inputs.volumeId },
      body: { server_id: inputs.serverId, delete_on_termination: inputs.deleteOnTermination ?? false },
    });
    const id = nestedId(inputs.serverId, inputs.volumeId);
    created(id);
    const volume = await waitForAttachment(ctx, inputs, true, ctx.timeouts.createMs);
    const device = volume.servers?.find((s) => s.id === inputs.serverId)?.device ?? answer.body?.device;
    return {
      id,
      outputs: { ...inputs, deleteOnTermination: inputs.deleteOnTermination ?? false, device: device ?? undefined },
    };
  },

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
    await ctx.client.call("detachVolumeFromVirtualServer", { path: { volume_id: volumeId, server_id: serverId } });
    await waitForAttachment(ctx, { serverId, volumeId }, false, ctx.timeouts.deleteMs).catch((error: unknown) => {
      // The volume itself may be gone by now (deleted with the server): the attachment is gone too.
      if (error instanceof Error && /disappeared/.test(error.message)) return;
      throw error;
    });
  },
};

export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

export interface VolumeAttachmentArgs {
  /** The volume to attach. Changing it replaces the attachment (detach, then attach the other). */
  readonly volumeId: pulumi.Input<string>;
  /** The server to attach it to. Changing it replaces the attachment. */
  readonly serverId: pulumi.Input<string>;
  /** Delete the volume when the server is deleted. Default false. Changed in place. */
  readonly deleteOnTermination?: pulumi.Input<boolean>;
  readonly region?: pulumi.Input<string>;
  /** How long attaching/detaching may take. Default 10 minutes. */
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const attachmentProvider = thinProvider(implementationPath("volume-attachment"));

export class VolumeAttachment extends pulumi.dynamic.Resource {
  declare readonly volumeId: pulumi.Output<string>;
  declare readonly serverId: pulumi.Output<string>;
  declare readonly deleteOnTermination: pulumi.Output<boolean>;
  /** Device name on the server, e.g. `/dev/vdb`. */
  declare readonly device: pulumi.Output<string | undefined>;

  constructor(name: string, args: VolumeAttachmentArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      attachmentProvider,
      name,
      { deleteOnTermination: undefined, device: undefined, ...args },
      resourceOptions(opts),
      "scp",
      "VolumeAttachment",
    );
  }
}
