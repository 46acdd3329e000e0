/**
 * ServerGroup: a placement policy for servers (affinity, anti-affinity, partition). The API cannot
 * change a group: every change replaces it.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { normalize } from "../provider/diff";
import { decodeStringList, decodeTags, encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { resourceOptions } from "../provider/resource-options";
import { commonInputs, objectName, tagsSchema } from "../provider/schema";
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
    policy: z.enum(SERVER_GROUP_POLICIES, { error: `policy must be one of ${SERVER_GROUP_POLICIES.join(", ")}` }),
    tags: tagsSchema.optional(),
    ...commonInputs,
  })
  .strict();

export type ServerGroupInputs = z.infer<typeof inputSchema>;

export interface ServerGroupOutputs extends ServerGroupInputs {
  /** Ids of the servers in the group. */
  readonly members: string[];
  readonly partitionSize?: number | undefined;
}

// ---- API objects → outputs ----------------------------------------------------------------------------

const apiGroup = z.looseObject({
  id: z.string(),
  name: z.string(),
  policy: z.string(),
  members: z.unknown().optional(),
  partition_size: z.number().nullish(),
  tags: z.unknown().optional(),
});
type ApiGroup = z.infer<typeof apiGroup>;

function toOutputs(api: ApiGroup, inputs: ServerGroupInputs): ServerGroupOutputs {
  return {
    ...inputs,
    name: api.name,
    policy: api.policy as ServerGroupInputs["policy"],
    tags: api.tags === undefined ? inputs.tags : decodeTags(api.tags),
    members: decodeStringList(api.members),
    partitionSize: api.partition_size ?? undefined,
  };
}

function showGroup(ctx: ResourceContext, id: string) {
  return ctx.client
    .find("showServerGroup", { path: { server_group_id: id } })
    .then((b) => (b === undefined ? undefined : apiGroup.parse(b)));
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules = {
  name: { on: "replace" },
  policy: { on: "replace" },
  tags: { on: "replace", normalize: normalize.emptyMap },
  region: { on: "replace", computedWhenUnset: true },
  timeouts: { on: "update" },
} as const;

// ---- The provider -------------------------------------------------------------------------------------

const spec: ResourceSpec<ServerGroupInputs, ServerGroupOutputs> = {
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
    const inputs: ServerGroupInputs = {
      name: live.name,
      policy: live.policy as ServerGroupInputs["policy"],
      ...(olds.tags !== undefined || live.tags !== undefined
        ? { tags: live.tags === undefined ? olds.tags : decodeTags(live.tags) }
        : {}),
      ...(olds.region === undefined ? {} : { region: olds.region }),
      ...(olds.timeouts === undefined ? {} : { timeouts: olds.timeouts }),
    };
    return { outputs: toOutputs(live, inputs), inputs };
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
  /** Tags (key → value). Changing them replaces the group. */
  readonly tags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly region?: pulumi.Input<string>;
  readonly timeouts?: pulumi.Input<{ create?: string; update?: string; delete?: string }>;
}

const serverGroupProvider = thinProvider(implementationPath("server-group"));

export class ServerGroup extends pulumi.dynamic.Resource {
  declare readonly name: pulumi.Output<string>;
  declare readonly policy: pulumi.Output<string>;
  declare readonly tags: pulumi.Output<Record<string, string> | undefined>;
  /** Ids of the servers placed in the group. */
  declare readonly members: pulumi.Output<string[]>;
  /** For the partition policy: how many partitions the region offers. */
  declare readonly partitionSize: pulumi.Output<number | undefined>;

  constructor(name: string, args: ServerGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      serverGroupProvider,
      name,
      { tags: undefined, members: undefined, partitionSize: undefined, ...args },
      resourceOptions(opts),
      "scp",
      "ServerGroup",
    );
  }
}
