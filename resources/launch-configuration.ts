/**
 * LaunchConfiguration: the template auto-scaling groups create servers from. The API has no update:
 * every change replaces it, creating the new one before the old one is deleted, so that a group can be
 * repointed to the new one in between.
 */
import { z } from "zod";
import { type DiffRules, normalize } from "../provider/diff";
import { ScpApiError } from "../provider/errors";
import { encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import {
  type InputProperties,
  commonProperties,
  keypairName,
  objectName,
  rulesOf,
  schemaOf,
  tagsSchema,
} from "../provider/schema";
import { resourceId, text, typeMessage, wholeNumber } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { hashUserData } from "../provider/user-data";

// ---- Input schema -------------------------------------------------------------------------------------

// Reference L1444–L1450: each volume has a size (GB), a type and a boot_index; boot_index 0 is the boot disk.
const volumeSchema = z
  .object({
    /** Size in GB, 1–16384. */
    size: wholeNumber("size", { min: 1, max: 16_384, unit: "GB" }),
    /** Volume type name, e.g. `SSD` (see `getVolumeTypes`); unset: the cloud's choice, never drift. */
    type: text("type").min(1, "type must not be empty").optional(),
    /** 0 for the boot disk (exactly one), 1, 2, … for data disks; default: the volume's position. */
    bootIndex: wholeNumber("bootIndex", { min: 0 }).optional(),
  })
  .strict();

/**
 * Exactly one boot disk, and no boot index twice. A volume without `bootIndex` takes its position, as the
 * create request sends it (`boot_index: bootIndex ?? position`).
 */
const volumesSchema = z
  .array(volumeSchema, { error: typeMessage("volumes", "a list of volumes") })
  .superRefine((volumes, ctx) => {
    if (volumes.length === 0) return;
    const seen = new Map<number, number>();
    volumes.forEach((volume, position) => {
      const index = volume.bootIndex ?? position;
      const first = seen.get(index);
      if (first === undefined) seen.set(index, position);
      else {
        const what = index === 0 ? "a second boot disk (boot index 0)" : `boot index ${index} again`;
        ctx.addIssue({
          code: "custom",
          path: [position, "bootIndex"],
          message: `volumes[${position}] is ${what}; volumes[${first}] already has it${volumes[first]?.bootIndex === undefined ? " (from its position)" : ""}`,
        });
      }
    });
    if (!seen.has(0))
      ctx.addIssue({ code: "custom", message: "volumes need exactly one boot disk (bootIndex 0); none has it" });
  });

/** The LaunchConfiguration's inputs: each one's schema, diff rule and (above it) the doc `LaunchConfigurationArgs` shows. */
const properties = {
  /**
   * Name of the launch configuration. The API has no update: changing it replaces the launch configuration
   * (the new one is created first, the groups using it are repointed, then the old one is deleted).
   * Default: the resource's name plus a random suffix (`web-3f9a2c1`), kept across updates; a replacement
   * gets a new one.
   */
  name: { schema: objectName("launch configuration"), on: "replace" },
  /** Image the servers boot from (an image id). Changing it replaces the launch configuration. */
  imageId: { schema: resourceId("imageId"), on: "replace" },
  /**
   * Server type of the servers, e.g. `s1v1m2` (vCPUs and memory; see `getServerType`). Changing it replaces
   * the launch configuration.
   */
  serverTypeId: { schema: resourceId("serverTypeId"), on: "replace" },
  /**
   * Name of an existing keypair whose public key the servers get. Changing it replaces the launch
   * configuration.
   */
  keypairName: { schema: keypairName("keypairName").optional(), on: "replace" },
  /**
   * Volumes of each server: `size` in GB (1–16384), `type` (e.g. `SSD`; left unset, the cloud chooses and that
   * is not drift) and `bootIndex` (0 = the boot disk, exactly one; default: the volume's position in the list).
   * Changing them replaces the launch configuration.
   */
  volumes: {
    schema: volumesSchema.optional(),
    on: "replace",
    differs: (olds, next) => volumesDiffer(olds.volumes, next),
  },
  /**
   * Cloud-init user data, plain text (at most 64 KiB; sent base64-encoded). Stored as a secret; state compares
   * it by its SHA-256 hash (output `userDataHash`), so a payload changed outside Pulumi is drift. Changing it
   * replaces the launch configuration.
   */
  // State holds the live payload's hash (outputs `userDataHash`), compared with the program's value hashed.
  userData: {
    schema: text("userData").max(65_535, "userData is at most 64 KiB").optional(),
    on: "replace",
    differs: (olds, next) => olds.userDataHash !== hashUserData(typeof next === "string" ? next : undefined),
  },
  /**
   * Tags (key → value), applied by SCP only when the launch configuration is created. The API never returns
   * them and cannot change them: a change is recorded in the stack's state with a warning, never a
   * replacement; not drift-checked.
   */
  tags: {
    schema: tagsSchema.optional(),
    on: "record",
    normalize: normalize.emptyMap,
    writeOnly:
      "Create Launch Configuration takes tags (reference L1442) but no answer returns them (Show L7886–L7910, List L5260–L5291) and no operation changes them",
  },
  ...commonProperties,
  /**
   * Region to create it in, e.g. `kr-west1`; default: the provider's. Changing it replaces the launch
   * configuration; a provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create and delete may take (`"5m"`, `"1h"`); default 5 minutes each. Changed in place; a provider
   * setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type LaunchConfigurationInputs = z.infer<typeof inputSchema>;

export interface LaunchConfigurationOutputs extends LaunchConfigurationInputs {
  /**
   * SHA-256 (hex) of the live user data, undefined without user data: state keeps the hash, never the
   * payload. Refresh reads it (Show Launch Configuration returns the user data), so a payload changed outside
   * Pulumi shows as drift of `userData`.
   */
  readonly userDataHash?: string | undefined;
  /** The API's state, e.g. `ACTIVE`. Refresh reads it (Show Launch Configuration). */
  readonly state: string;
  /** The name of the image `imageId` names. Refresh reads it (Show Launch Configuration). */
  readonly imageName?: string | undefined;
  /** When the launch configuration was created (ISO 8601). Refresh reads it (Show Launch Configuration). */
  readonly createdAt?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = [
  "userDataHash",
  "state",
  "imageName",
  "createdAt",
] as const satisfies readonly (keyof LaunchConfigurationOutputs)[];
const _everyOutputListed: ListsEveryOutput<LaunchConfigurationOutputs, LaunchConfigurationInputs, typeof OUTPUT_KEYS> =
  true;

// ---- API objects → outputs ----------------------------------------------------------------------------

/**
 * A launch configuration as Create / Show / List Launch Configuration (1.1) answer it (reference L1453–L1478,
 * L7886–L7910, L5260–L5291). No answer has `tags`; `user_data` comes back base64-encoded as it was sent.
 * `auto_scaling_group_count` is not read: as an output it would move whenever a group starts or stops using
 * the launch configuration (another resource), and a refused delete names the groups themselves.
 */
const apiLaunchConfiguration = z.looseObject({
  id: z.string(),
  name: z.string(),
  image_id: z.string(),
  image_name: z.string().nullish(),
  server_type_id: z.string(),
  keypair_name: z.string().nullish(),
  user_data: z.string().nullish(),
  volumes: z
    .array(z.looseObject({ size: z.number(), type: z.string().nullish(), boot_index: z.number().nullish() }))
    .nullish(),
  state: z.string().nullish(),
  created_at: z.string().nullish(),
});
type ApiLaunchConfiguration = z.infer<typeof apiLaunchConfiguration>;

type Volume = NonNullable<LaunchConfigurationInputs["volumes"]>[number];

/**
 * What the stack keeps: the outputs (no count of the groups using it: that moves whenever a group starts
 * using it, so every refresh would show it), plus the volumes as the program
 * wrote them, so that `read` gives them back in that shape while they match the live ones (a type the cloud
 * chose is then not shown as a change of `volumes`).
 */
export type LaunchConfigurationState = LaunchConfigurationOutputs & {
  readonly _volumesAsWritten?: Volume[] | undefined;
};

const decodeUserData = (raw: string | null | undefined): string | undefined =>
  raw ? Buffer.from(raw, "base64").toString("utf8") : undefined;

/** The inputs no answer shows (tags, user data, provider settings): state keeps the program's values. */
function writeOnlyInputs(olds: Partial<LaunchConfigurationInputs>): Partial<LaunchConfigurationInputs> {
  return { userData: olds.userData, tags: olds.tags, region: olds.region, timeouts: olds.timeouts };
}

function liveVolumes(api: ApiLaunchConfiguration): Volume[] {
  return (api.volumes ?? []).map((v) => ({
    size: v.size,
    ...(v.type ? { type: v.type } : {}),
    ...(v.boot_index === null || v.boot_index === undefined ? {} : { bootIndex: v.boot_index }),
  }));
}

/**
 * Outputs from an answer. Create, read and update all build them here from the same documented fields,
 * so a refresh right after a create reads exactly what the create stored.
 */
function toOutputs(api: ApiLaunchConfiguration, prior: Partial<LaunchConfigurationState>): LaunchConfigurationState {
  return {
    ...writeOnlyInputs(prior),
    _volumesAsWritten: prior._volumesAsWritten ?? prior.volumes,
    name: api.name,
    imageId: api.image_id,
    serverTypeId: api.server_type_id,
    keypairName: api.keypair_name ?? undefined,
    volumes: liveVolumes(api),
    // The live user data's hash: drift of the payload is found without keeping it in plain state.
    userDataHash: hashUserData(decodeUserData(api.user_data)),
    state: api.state ?? "ACTIVE",
    imageName: api.image_name ?? undefined,
    createdAt: api.created_at ?? undefined,
  };
}

function showLaunchConfiguration(ctx: ResourceContext, id: string) {
  return ctx.client
    .find("showLaunchConfiguration", { path: { launch_configuration_id: id } })
    .then((b) => (b === undefined ? undefined : apiLaunchConfiguration.parse(b)));
}

/** The groups that use a launch configuration (List Auto-Scaling Groups, query `launch_configuration_id`). */
async function groupsUsing(ctx: ResourceContext, id: string): Promise<string[]> {
  const list = await ctx.client.call<{ auto_scaling_groups?: unknown[] }>("listAutoScalingGroups", {
    query: { launch_configuration_id: id },
  });
  return (list.body.auto_scaling_groups ?? [])
    .map((g) => z.looseObject({ id: z.string(), name: z.string(), launch_configuration_id: z.string() }).parse(g))
    .filter((g) => g.launch_configuration_id === id)
    .map((g) => `"${g.name}" (${g.id})`);
}

async function configurationsNamed(ctx: ResourceContext, name: string) {
  const list = await ctx.client.call<{ launch_configurations: unknown[] }>("listLaunchConfigurations", {
    query: { name },
  });
  return list.body.launch_configurations.map((l) => apiLaunchConfiguration.parse(l)).filter((l) => l.name === name);
}

// ---- Diff rules ---------------------------------------------------------------------------------------

/**
 * Volumes as the program lists them against the live ones, position by position: a type the program leaves
 * unset is the cloud's choice (not drift); a boot index left unset is the volume's position.
 */
function volumesDiffer(live: unknown, wanted: unknown): boolean {
  const have = (Array.isArray(live) ? live : []) as Partial<Volume>[];
  const want = (Array.isArray(wanted) ? wanted : []) as Partial<Volume>[];
  if (have.length !== want.length) return true;
  return want.some((w, i) => {
    const h = have[i] ?? {};
    return (
      h.size !== w.size || (w.type !== undefined && h.type !== w.type) || (h.bootIndex ?? i) !== (w.bootIndex ?? i)
    );
  });
}

/** What `read` reports as the user data input when the live payload is not the program's. */
const userDataDrift = (hash: string | undefined) =>
  `(changed outside Pulumi: the live user data ${hash ? `has SHA-256 ${hash}` : "is empty"})`;

// The API has no update: every readable property replaces (create-before-delete, see `spec`).
const diffRules: DiffRules<LaunchConfigurationInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<LaunchConfigurationInputs, LaunchConfigurationState> = {
  kind: "launch configuration",
  autoName: true,
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  // Create the new one first: the groups using the old one are repointed (their `launchConfigurationId`
  // changes in place) before the engine deletes it.
  deleteBeforeReplace: false,
  describe: (inputs, id) => `launch configuration "${inputs.name}"${id ? ` (${id})` : ""}`,

  async create(ctx, inputs, created) {
    // Reference L1436–L1451: exactly the documented request keys.
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
        async () => (await configurationsNamed(ctx, inputs.name)).find((l) => (l.created_at ?? "") >= startedAt),
      ),
    );
    created(answer.id);
    return { id: answer.id, outputs: toOutputs(answer, inputs) };
  },

  findNamed: async (ctx, inputs) => (await configurationsNamed(ctx, inputs.name)).map((l) => l.id),

  async read(ctx, id, olds) {
    const live = await showLaunchConfiguration(ctx, id);
    if (!live) return undefined;
    const outputs = toOutputs(live, olds);
    // Each input rebuilt from live state, so the preview names what drifted. User data: the program's
    // value while the live payload matches it, a marker naming the drift otherwise (never the payload).
    const sameUserData = outputs.userDataHash === hashUserData(olds.userData);
    const inputs: LaunchConfigurationInputs = {
      ...writeOnlyInputs(olds),
      name: outputs.name,
      imageId: outputs.imageId,
      serverTypeId: outputs.serverTypeId,
      keypairName: outputs.keypairName,
      volumes:
        outputs._volumesAsWritten && !volumesDiffer(outputs.volumes, outputs._volumesAsWritten)
          ? outputs._volumesAsWritten
          : outputs.volumes,
      userData: sameUserData ? olds.userData : userDataDrift(outputs.userDataHash),
    };
    return { outputs, inputs };
  },

  // Only `record` and provider-setting changes reach an update (everything else replaces): nothing to send.
  async update(ctx, id, olds, news) {
    const live = await showLaunchConfiguration(ctx, id);
    if (!live) throw new Error(`launch configuration "${olds.name}" (${id}) no longer exists`);
    return toOutputs(live, news);
  },

  async delete(ctx, id, olds) {
    try {
      await ctx.client.call("deleteLaunchConfiguration", { path: { launch_configuration_id: id } });
    } catch (error) {
      if (!(error instanceof ScpApiError) || error.notFound) throw error;
      // The reference documents no "in use" answer (Delete: 204, 400, 401, 403, 404; L3121–L3127): whatever
      // refusal it is, the groups still using the launch configuration are the reason a user can act on.
      const users = await groupsUsing(ctx, id).catch((): string[] => []);
      if (users.length === 0) throw error;
      const many = users.length > 1;
      throw new Error(
        `launch configuration "${olds.name}" (${id}) cannot be deleted while auto-scaling group${many ? "s" : ""} ` +
          `${users.join(", ")} ${many ? "use" : "uses"} it (the API answered HTTP ${error.status}: ${error.detail}). ` +
          `Point ${many ? "those groups" : "that group"} at another launch configuration (launchConfigurationId) or ` +
          `delete ${many ? "them" : "it"} first, then run again. When this happens in a replacement, the launch ` +
          `configuration is being deleted before its successor exists (a resource it depends on is replaced ` +
          `delete-before-replace): give that resource a new name so that its replacement is created first.`,
      );
    }
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of a `LaunchConfiguration` (each documented where it is declared, in `properties`). */
export interface LaunchConfigurationArgs extends ArgsOf<LaunchConfigurationInputs, "name"> {}

/**
 * A launch configuration: the image, server type, keypair, volumes and user data an auto-scaling group
 * creates its servers from. Every change replaces it (created before the old one is deleted).
 *
 * ```ts
 * const lc = new LaunchConfiguration("web", {
 *   name: "web-lc",
 *   imageId: "ubuntu-22.04-image-id",
 *   serverTypeId: "s1v2m4",
 * });
 * export const launchConfigurationId = lc.id;
 * ```
 */
export const LaunchConfiguration = resourceClass<
  LaunchConfigurationArgs,
  LaunchConfigurationOutputs,
  typeof OUTPUT_KEYS
>({
  type: "LaunchConfiguration",
  implementation: "launch-configuration",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
  secretInputs: ["userData"],
});
/** A `LaunchConfiguration`: its inputs and outputs as the engine resolves them (see `LaunchConfigurationArgs`, `LaunchConfigurationOutputs`). */
export type LaunchConfiguration = InstanceType<typeof LaunchConfiguration>;
