/**
 * ServerGroup: a placement policy for servers (affinity, anti-affinity, partition). The API cannot
 * change a group: every change replaces it.
 */
import { z } from "zod";
import { type DiffRules, inputsFromOutputs, normalize } from "../provider/diff";
import { encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, objectName, rulesOf, schemaOf, tagsSchema } from "../provider/schema";
import { oneOf } from "../provider/validators";
import { ServerGroupPolicy, enumValues } from "./enums";
import { minutes } from "../provider/timeouts";

// ---- Input schema -------------------------------------------------------------------------------------

/** The group's inputs: each one's schema, diff rule and (above it) the doc `ServerGroupArgs` shows. */
const properties = {
  // The API has no update for server groups: a new name or policy is a new group.
  /**
   * Group name, unique in the account. Changing it replaces the group (under the same name, the old group is
   * deleted first). Default: the resource's name plus a random suffix (`web-3f9a2c1`), kept across updates;
   * a replacement gets a new one.
   */
  name: { schema: objectName("server group"), on: "replace" },
  /**
   * Placement policy: `affinity`, `anti-affinity`, `soft-affinity`, `soft-anti-affinity` or `partition` (see
   * `ServerGroupPolicy`). Changing it replaces the group.
   */
  policy: { schema: oneOf("policy", enumValues(ServerGroupPolicy)), on: "replace" },
  /**
   * Tags (key → value), applied when the group is created. SCP returns no tags and cannot change them: a
   * change is recorded in state with a warning in the preview, never a replacement; not drift-checked.
   */
  tags: {
    schema: tagsSchema.optional(),
    on: "record",
    writeOnly: "no server group operation returns tags or changes them after creation",
    normalize: normalize.emptyMap,
  },
  ...commonProperties,
  /**
   * Region of the group, e.g. `kr-west1`, when not the provider's. Changing it replaces the group; a provider
   * setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create and delete may wait. Default 5 minutes each. Changed in place; a provider setting, not
   * drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type ServerGroupInputs = z.infer<typeof inputSchema>;

/**
 * The group's members are not an output: servers join after the group is created, so a member list would
 * move on every refresh (each server's `serverGroupId` says where it is).
 */
export interface ServerGroupOutputs extends ServerGroupInputs {
  /** For the `partition` policy: how many partitions the group has. Refresh reads it (Show Server Group). */
  readonly partitionSize?: number | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = ["partitionSize"] as const satisfies readonly (keyof ServerGroupOutputs)[];
const _everyOutputListed: ListsEveryOutput<ServerGroupOutputs, ServerGroupInputs, typeof OUTPUT_KEYS> = true;

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

async function groupsNamed(ctx: ResourceContext, name: string) {
  const list = await ctx.client.call<{ server_groups: unknown[] }>("listServerGroups");
  return list.body.server_groups.map((g) => apiGroup.parse(g)).filter((g) => g.name === name);
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<ServerGroupInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<ServerGroupInputs, ServerGroupOutputs> = {
  kind: "server group",
  autoName: true,
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  // Group names are unique: a replacement under the same name removes the old group first.
  deleteBeforeReplace: (olds, news) => olds.name === news.name,
  describe: (inputs, id) => `server group "${inputs.name}"${id ? ` (${id})` : ""}`,

  async create(ctx, inputs, created) {
    const body = { name: inputs.name, policy: inputs.policy, tags: encodeTags(inputs.tags) };
    const answer = apiGroup.parse(
      await ctx.client.create("createServerGroup", { body, resource: `server group "${inputs.name}"` }, async () =>
        (await groupsNamed(ctx, inputs.name)).find((g) => g.policy === inputs.policy),
      ),
    );
    created(answer.id);
    return { id: answer.id, outputs: toOutputs(answer, inputs) };
  },

  findNamed: async (ctx, inputs) => (await groupsNamed(ctx, inputs.name)).map((g) => g.id),

  async read(ctx, id, olds) {
    const live = await showGroup(ctx, id);
    if (!live) return undefined;
    const outputs = toOutputs(live, olds as ServerGroupInputs);
    const inputs = inputsFromOutputs(diffRules, outputs);
    return { outputs, inputs };
  },

  async delete(ctx, id) {
    await ctx.client.call("deleteServerGroup", { path: { server_group_id: id } });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of a `ServerGroup` (each documented where it is declared, in `properties`). */
export interface ServerGroupArgs extends ArgsOf<ServerGroupInputs, "name"> {}

/**
 * A server group: a placement policy (affinity, anti-affinity, partition, …) for the servers that name it.
 *
 * ```ts
 * const spread = new ServerGroup("spread", {
 *   name: "web-spread",
 *   policy: "anti-affinity",
 * });
 * // new VirtualServer("web", { ..., serverGroupId: spread.id });
 * ```
 */
export const ServerGroup = resourceClass<ServerGroupArgs, ServerGroupOutputs, typeof OUTPUT_KEYS>({
  type: "ServerGroup",
  implementation: "server-group",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** A `ServerGroup`: its inputs and outputs as the engine resolves them (see `ServerGroupArgs`, `ServerGroupOutputs`). */
export type ServerGroup = InstanceType<typeof ServerGroup>;
