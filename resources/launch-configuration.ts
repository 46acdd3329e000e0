/**
 * LaunchConfiguration: the template auto-scaling groups create servers from. The API has no update:
 * every change replaces it, creating the new one before the old one is deleted, so that a group can be
 * repointed to the new one in between.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { normalize } from "../provider/diff";
import { decodeTags, encodeTags } from "../provider/python-literal";
import { type ResourceContext, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs, objectName, tagsSchema } from "../provider/schema";
import { implementationPath, thinProvider } from "../provider/thin-provider";
import { minutes } from "../provider/timeouts";
import { hashUserData } from "./virtual-server";

// ---- Input schema -------------------------------------------------------------------------------------

const volumeSchema = z
  .object({
    size: z.number().int("size must be a whole number of GB").min(1).max(16_384),
    type: z.string().min(1).optional(),
    bootIndex: z.number().int().min(0).optional(),
  })
  .strict();

const inputSchema = z
  .object({
    name: objectName("launch configuration"),
    imageId: z.string({ error: "imageId is required" }).min(1),
    serverTypeId: z.string({ error: "serverTypeId is required" }).min(1),
    keypairName: z.string().min(1).optional(),
    volumes: z.array(volumeSchema).optional(),
    userData: z.string().max(65_535, "userData is at most 64 KiB").optional(),
    tags: tagsSchema.optional(),
    ...commonInputs,
  })
  .strict();

export type LaunchConfigurationInputs = z.infer<typeof inputSchema>;

export interface LaunchConfigurationOutputs extends LaunchConfigurationInputs {
  readonly userDataHash?: string | undefined;
  readonly state: string;
  readonly imageName?: string | undefined;
  /** How many auto-scaling groups use it. */
  readonly autoScalingGroupCount: number;
  readonly createdAt?: string | undefined;
}

// ---- API objects → outputs ----------------------------------------------------------------------------

const apiLaunchConfiguration = z.looseObject({
  id: z.string(),
  name: z.string(),
  image_id: z.string(),
  image_name: z.string().nullish(),
  server_type_id: z.string(),
  keypair_name: z.string().nullish(),
  volumes: z
    .array(z.looseObject({ size: z.number(), type: z.string().nullish(), boot_index: z.number().nullish() }))
    .nullish(),
  state: z.string().nullish(),
  auto_scaling_group_count: z.number().nullish(),
  tags: z.unknown().optional(),
  created_at: z.string().nullish(),
});
type ApiLaunchConfiguration = z.infer<typeof apiLaunchConfiguration>;

function toOutputs(api: ApiLaunchConfiguration, inputs: LaunchConfigurationInputs): LaunchConfigurationOutputs {
  return {
    ...inputs,
    name: api.name,
    imageId: api.image_id,
    serverTypeId: api.server_type_id,
    keypairName: api.keypair_name ?? undefined,
    volumes: (api.volumes ?? []).map((v) => ({
      size: v.size,
      ...(v.type ? { type: v.type } : {}),
      ...(v.boot_index === null || v.boot_index === undefined ? {} : { bootIndex: v.boot_index }),
    })),
    tags: api.tags === undefined ? inputs.tags : decodeTags(api.tags),
    userDataHash: hashUserData(inputs.userData),
    state: api.state ?? "ACTIVE",
    imageName: api.image_name ?? undefined,
    autoScalingGroupCount: api.auto_scaling_group_count ?? 0,
    createdAt: api.created_at ?? undefined,
  };
}

function showLaunchConfiguration(ctx: ResourceContext, id: string) {
  return ctx.client
    .find("showLaunchConfiguration", { path: { launch_configuration_id: id } })
    .then((b) => (b === undefined ? undefined : apiLaunchConfiguration.parse(b)));
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const normalizeVolumes = (v: unknown) =>
  Array.isArray(v)
    ? v.map((x: Record<string, unknown>, i) => ({ size: x.size, type: x.type ?? null, bootIndex: x.bootIndex ?? i }))
    : [];

const diffRules = {
  name: { on: "replace" },
  imageId: { on: "replace" },
  serverTypeId: { on: "replace" },
  keypairName: { on: "replace" },
  volumes: { on: "replace", computedWhenUnset: true, normalize: normalizeVolumes },
  tags: { on: "replace", normalize: normalize.emptyMap },
  region: { on: "replace", computedWhenUnset: true },
  timeouts: { on: "update" },
} as const;

// ---- The provider -------------------------------------------------------------------------------------

export const provider = defineResourceProvider<LaunchConfigurationInputs, LaunchConfigurationOutputs>({
  kind: "launch configuration",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  deleteBeforeReplace: false,
  // User data is compared by hash: state never needs the payload to detect a change.
  replacesBeyondRules: (olds, news) =>
    (olds.userDataHash ?? undefined) !== hashUserData(news.userData as string | undefined) ? ["userData"] : [],
  describe: (inputs, id) => `launch configuration "${inputs.name}"${id ? ` (${id})` : ""}`,

  async create(ctx, inputs, created) {
    const body = {
      name: inputs.name,
      image_id: inputs.imageId,
      server_type_id: inputs.serverTypeId,
      keypair_name: inputs.keypairName,
      volumes: (inputs.volumes ?? []).map((v, i) => ({ size: v.size, type: v.type, boot_index: v.bootIndex ?? i })),
      user_data: inputs.userData === undefined ? undefined : Buffer.from(inputs.userData).toString("base64"),
      tags: encodeTags(inputs.tags),
    };
    const startedAt = new Date().toISOString();
    const answer = apiLaunchConfiguration.parse(
      await ctx.client.create(
        "createLaunchConfiguration",
        { body, resource: `launch configuration "${inputs.name}"` },
        async () => {
          const list = await ctx.client.call<{ launch_configurations: unknown[] }>("listLaunchConfigurations", {
            query: { name: inputs.name },
          });
          return list.body.launch_configurations
            .map((l) => apiLaunchConfiguration.parse(l))
            .find((l) => l.name === inputs.name && (l.created_at ?? "") >= startedAt);
        },
      ),
    );
    created(answer.id);
    return { id: answer.id, outputs: toOutputs(answer, inputs) };
  },

  async read(ctx, id, olds) {
    const live = await showLaunchConfiguration(ctx, id);
    if (!live) return undefined;
    const outputs = { ...toOutputs(live, olds as LaunchConfigurationInputs), userDataHash: olds.userDataHash };
    const { userDataHash: _h, state: _s, imageName: _i, autoScalingGroupCount: _c, createdAt: _t, ...inputs } = outputs;
    return { outputs, inputs: inputs as LaunchConfigurationInputs };
  },

  async delete(ctx, id) {
    await ctx.client.call("deleteLaunchConfiguration", { path: { launch_configuration_id: id } });
  },
});

// ---- The Resource class -------------------------------------------------------------------------------

export interface LaunchConfigurationArgs {
  /** Name. Every change of this resource replaces it (the API has no update). */
  readonly name: pulumi.Input<string>;
  readonly imageId: pulumi.Input<string>;
  readonly serverTypeId: pulumi.Input<string>;
  readonly keypairName?: pulumi.Input<string>;
  /** Volumes of each server: size in GB, type, boot index (0 = boot volume; default: position in the list). */
  readonly volumes?: pulumi.Input<
    pulumi.Input<{ size: pulumi.Input<number>; type?: pulumi.Input<string>; bootIndex?: pulumi.Input<number> }>[]
  >;
  /** Cloud-init user data (plain text). Kept as a hash in outputs; stored as a secret input. */
  readonly userData?: pulumi.Input<string>;
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly region?: pulumi.Input<string>;
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const launchConfigurationProvider = thinProvider(implementationPath("launch-configuration"));

export class LaunchConfiguration extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly imageId: pulumi.Output<string>;
  declare readonly serverTypeId: pulumi.Output<string>;
  declare readonly keypairName: pulumi.Output<string | undefined>;
  declare readonly volumes: pulumi.Output<{ size: number; type?: string; bootIndex?: number }[]>;
  declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
  declare readonly userDataHash: pulumi.Output<string | undefined>;
  declare readonly state: pulumi.Output<string>;
  declare readonly imageName: pulumi.Output<string | undefined>;
  declare readonly autoScalingGroupCount: pulumi.Output<number>;
  declare readonly createdAt: pulumi.Output<string | undefined>;

  constructor(name: string, args: LaunchConfigurationArgs, opts?: pulumi.CustomResourceOptions) {
    const outputs = {
      userDataHash: undefined,
      state: undefined,
      imageName: undefined,
      autoScalingGroupCount: undefined,
      createdAt: undefined,
    };
    const props = { keypairName: undefined, volumes: undefined, tags: undefined, ...outputs, ...args };
    if (args.userData !== undefined) props.userData = pulumi.secret(args.userData);
    super(launchConfigurationProvider, name, props, resourceOptions(opts, ["userData"]), "scp", "LaunchConfiguration");
  }
}
