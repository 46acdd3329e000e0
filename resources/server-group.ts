/**
 * ServerGroup: a placement policy for servers (affinity, anti-affinity, partition). The API cannot
 * change a group: every change replaces it.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type DiffRules, commonRules, normalize } from "../provider/diff";
import { encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs, objectName, tagsSchema } from "../provider/schema";
import { oneOf } from "../provider/validators";
import { implementationPath, thinProvider } from "../provider/thin-provider";
import { minutes } from "../provider/timeouts";

// ---- Input schema -------------------------------------------------------------------------------------

export const SERVER_GROUP_POLICIES = [
  "affinity",
  "anti-affinity",
  "soft-affinity",
  "soft-anti-affinity",
  "partition",
] as const;

const inputSchema = z
  .object({
    name: objectName("server group"),
    policy: oneOf("policy", SERVER_GROUP_POLICIES),
    tags: tagsSchema.optional(),
    ...commonInputs,
  })
  .strict();

export type ServerGroupInputs = z.infer<typeof inputSchema>;

/**
 * The group's members are not an output: servers join after the group is created, so a member list would
 * move on every refresh (each server's `serverGroupId` says where it is).
 */
export interface ServerGroupOutputs extends ServerGroupInputs {
  readonly partitionSize?: number | undefined;
}

// ---- API objects → outputs ----------------------------------------------------------------------------

const apiGroup = z.looseObject({
  id: z.string(),
  name: z.string(),
  policy: z.string(),
  partition_size: z.number().nullish(),
});
type ApiGroup = z.infer<typeof apiGroup>;

function toOutputs(api: ApiGroup, inputs: ServerGroupInputs): ServerGroupOutputs {
  return {
    ...inputs,
    name: api.name,
    policy: api.policy as ServerGroupInputs["policy"],
    partitionSize: api.partition_size ?? undefined,
  };
}

function showGroup(ctx: ResourceContext, id: string) {
  return ctx.client
    .find("showServerGroup", { path: { server_group_id: id } })
    .then((b) => (b === undefined ? undefined : apiGroup.parse(b)));
}

// ---- Diff rules ---------------------------------------------------------------------------------------

// The API has no update for server groups: a new name or policy is a new group.
const diffRules: DiffRules<ServerGroupInputs> = {
  name: { on: "replace" },
  policy: { on: "replace" },
  tags: {
    on: "record",
    writeOnly: "no server group operation returns tags or changes them after creation",
    normalize: normalize.emptyMap,
  },
  ...commonRules,
};

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<ServerGroupInputs, ServerGroupOutputs> = {
  kind: "server group",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  // Group names are unique: a replacement under the same name removes the old group first.
  deleteBeforeReplace: (olds, news) => olds.name === news.name,
  describe: (inputs, id) => `server group "${inputs.name}"${id ? ` (${id})` : ""}`,

  async create(ctx, inputs, created) {
    const body = { name: inputs.name, policy: inputs.policy, tags: encodeTags(inputs.tags) };
    const answer = apiGroup.parse(
      await ctx.client.create("createServerGroup", { body, resource: `server group "${inputs.name}"` }, async () => {
        const list = await ctx.client.call<{ server_groups: unknown[] }>("listServerGroups");
        return list.body.server_groups
          .map((g) => apiGroup.parse(g))
          .find((g) => g.name === inputs.name && g.policy === inputs.policy);
      }),
    );
    created(answer.id);
    return { id: answer.id, outputs: toOutputs(answer, inputs) };
  },

  async read(ctx, id, olds) {
    const live = await showGroup(ctx, id);
    if (!live) return undefined;
    const outputs = toOutputs(live, olds as ServerGroupInputs);
    const inputs = Object.fromEntries(
      Object.keys(diffRules).map((k) => [k, outputs[k as keyof ServerGroupInputs]]),
    ) as unknown as ServerGroupInputs;
    return { outputs, inputs };
  },

  async delete(ctx, id) {
    await ctx.client.call("deleteServerGroup", { path: { server_group_id: id } });
  },
};

export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

export interface ServerGroupArgs {
  /** Group name, unique in the account. Changing it replaces the group. */
  readonly name: pulumi.Input<string>;
  /** Placement policy. Changing it replaces the group. */
  readonly policy: pulumi.Input<(typeof SERVER_GROUP_POLICIES)[number]>;
  /**
   * Tags (key → value), applied when the group is created. SCP returns no tags and cannot change them: a
   * change is recorded in state with a warning in the preview, never a replacement; not drift-checked.
   */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly region?: pulumi.Input<string>;
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const serverGroupProvider = thinProvider(implementationPath("server-group"));

export class ServerGroup extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly policy: pulumi.Output<(typeof SERVER_GROUP_POLICIES)[number]>;
  declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
  /** For the partition policy: how many partitions the region offers. */
  declare readonly partitionSize: pulumi.Output<number | undefined>;

  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serverGroupProvider,
      name,
      { tags: undefined, partitionSize: undefined, ...args },
      resourceOptions(opts),
      "scp",
      "ServerGroup",
    );
  }
}
