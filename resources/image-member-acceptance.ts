/**
 * ImageMemberAcceptance: the receiving side of an image shared with this account. Creating it sets the
 * member's status to `accepted` or `rejected` (Update Image member, reference L10443; body `status`,
 * L10476–L10479), run with the receiving account's credentials (the stack config of that account's stack).
 * It is not a property of `ImageMember`: the owner of the image creates the member, the receiving account
 * decides, each in its own stack (see image-member.ts).
 *
 * Refresh reads the member's live status (Show Image member, L7731): a decision changed outside the stack
 * is drift and `up` sets it back. Destroying the acceptance withdraws the decision: the status goes back to
 * `pending`, which the reference's own request example sets (L10478), as it was before the acceptance.
 * When the owner stops sharing (deletes the member), the acceptance is gone too.
 */
import { z } from "zod";
import { type DiffRules, inputsFromOutputs } from "../provider/diff";
import { nestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, rulesOf, schemaOf } from "../provider/schema";
import { oneOf, resourceId } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { ImageMemberDecision, enumValues } from "./enums";
import { parseMemberId, showImageMember } from "./image-member";

// ---- Input schema -------------------------------------------------------------------------------------

/** The decisions a member can make; `pending` is the undecided status a new member starts in (L1266). */
const DECISIONS = enumValues(ImageMemberDecision);

const IDENTITY = "part of the acceptance's id (image and account): the member is addressed by both";

/** The acceptance's inputs: each one's schema, diff rule and (above it) the doc `ImageMemberAcceptanceArgs` shows. */
const properties = {
  /**
   * The image shared with this account. Changing it replaces the acceptance. Part of the acceptance's id,
   * so not drift-checked.
   */
  // Reference L10455–L10456: both path parameters of Update Image member; together this resource's id.
  imageId: { schema: resourceId("imageId", { parentOfNested: true }), on: "replace", writeOnly: IDENTITY },
  /**
   * This account's id: the member the image's owner added. Changing it replaces the acceptance. Part of the
   * acceptance's id, so not drift-checked.
   */
  memberId: { schema: resourceId("memberId", { parentOfNested: true }), on: "replace", writeOnly: IDENTITY },
  /**
   * `accepted` (the image can be used in this account) or `rejected` (see `ImageMemberDecision`).
   * Drift-checked: a decision withdrawn outside the stack shows as drift (the output reads `pending`).
   * Changed in place.
   * Destroying the acceptance sets it back to `pending`.
   */
  status: { schema: oneOf("status", DECISIONS), on: "update" },
  ...commonProperties,
  /**
   * Region of the image, e.g. `kr-west1`, when not the provider's. Changing it replaces the acceptance; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create/update/delete may wait. Default 5 minutes each. Changed in place; a provider setting,
   * not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type ImageMemberAcceptanceInputs = z.infer<typeof inputSchema>;
/** The member's status as refresh reads it: `pending` once the decision was withdrawn outside the stack. */
type LiveStatus = ImageMemberDecision | "pending";

export interface ImageMemberAcceptanceOutputs extends Omit<ImageMemberAcceptanceInputs, "status"> {
  readonly status: LiveStatus;
}

/** The outputs that are not inputs: none (the decision is the input). */
const OUTPUT_KEYS = [] as const satisfies readonly (keyof ImageMemberAcceptanceOutputs)[];
const _everyOutputListed: ListsEveryOutput<
  ImageMemberAcceptanceOutputs,
  ImageMemberAcceptanceInputs,
  typeof OUTPUT_KEYS
> = true;

const describeAcceptance = (inputs: Partial<Pick<ImageMemberAcceptanceInputs, "imageId" | "memberId">>) =>
  `acceptance of image ${inputs.imageId ?? "?"} by account ${inputs.memberId ?? "?"}`;

/** Sets the member's status, settled by reading it when the answer is lost (a PUT of the same value). */
async function setStatus(ctx: ResourceContext, imageId: string, memberId: string, status: string, resource: string) {
  await ctx.client.change(
    "updateImageMember",
    { path: { image_id: imageId, member_id: memberId }, body: { status }, resource },
    async () => (await showImageMember(ctx, imageId, memberId))?.status === status,
  );
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<ImageMemberAcceptanceInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<ImageMemberAcceptanceInputs, ImageMemberAcceptanceOutputs> = {
  kind: "image member acceptance",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  describe: (inputs) => describeAcceptance(inputs),

  async create(ctx, inputs, created) {
    const resource = describeAcceptance(inputs);
    const { imageId, memberId } = inputs;
    if (!(await showImageMember(ctx, imageId, memberId))) {
      throw new Error(
        `${resource}: image ${imageId} is not shared with account ${memberId}: its owner adds the account first ` +
          "(an ImageMember in the owner's stack); memberId is this account's id",
      );
    }
    await setStatus(ctx, imageId, memberId, inputs.status, resource);
    const id = nestedId(imageId, memberId);
    created(id);
    return { id, outputs: inputs };
  },

  findNamed: async (ctx, inputs) =>
    (await showImageMember(ctx, inputs.imageId, inputs.memberId)) ? [nestedId(inputs.imageId, inputs.memberId)] : [],

  async read(ctx, id, olds) {
    const { imageId, memberId } = parseMemberId(id, "image member acceptance");
    const live = await showImageMember(ctx, imageId, memberId);
    if (!live) return undefined;
    // `pending` (the decision withdrawn outside the stack) shows as drift of status.
    const outputs: ImageMemberAcceptanceOutputs = { ...olds, imageId, memberId, status: live.status as LiveStatus };
    // A `pending` status read back is drift of the input, which the next `up` sets back.
    return { outputs, inputs: inputsFromOutputs(diffRules, outputs as ImageMemberAcceptanceInputs) };
  },

  async update(ctx, id, olds, news, changed) {
    if (changed.has("status")) {
      await setStatus(ctx, news.imageId, news.memberId, news.status, describeAcceptance(news));
    }
    return { ...olds, ...news };
  },

  async delete(ctx, id) {
    const { imageId, memberId } = parseMemberId(id, "image member acceptance");
    await setStatus(ctx, imageId, memberId, "pending", describeAcceptance({ imageId, memberId }));
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of an `ImageMemberAcceptance` (each documented where it is declared, in `properties`). */
export interface ImageMemberAcceptanceArgs extends ArgsOf<ImageMemberAcceptanceInputs> {}

/**
 * Accepts (or rejects) an image another account shared with this one, in the receiving account's stack
 * (its `scp:*` settings are that account's). Its id is `<imageId>:<memberId>`. Destroying it sets the
 * member back to `pending`.
 *
 * ```ts
 * const owner = new pulumi.StackReference("org/images/prod");
 * const golden = new ImageMemberAcceptance("golden", {
 *   imageId: owner.requireOutput("goldenImageId"),
 *   memberId: "1b7c0e2f3a4d4e5f8a9b0c1d2e3f4a5b", // this account's id
 *   status: "accepted",
 * });
 * ```
 */
export const ImageMemberAcceptance = resourceClass<
  ImageMemberAcceptanceArgs,
  ImageMemberAcceptanceOutputs,
  typeof OUTPUT_KEYS
>({
  type: "ImageMemberAcceptance",
  implementation: "image-member-acceptance",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** An `ImageMemberAcceptance`: its inputs and outputs as the engine resolves them (see `ImageMemberAcceptanceArgs`). */
export type ImageMemberAcceptance = InstanceType<typeof ImageMemberAcceptance>;
