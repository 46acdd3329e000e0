/**
 * ImageMember: an account an image is shared with (Create Image member, reference L1223; body `member_id`,
 * L1257–L1259). The image must be shared first: `visibility: "shared"` on its `Image`, which calls Create
 * Sharing Image (L2027). That operation takes no account (its request has no body), so it makes the image
 * shareable; members say with whom. A new member is `pending` (L1266) until the receiving account accepts
 * or rejects the image.
 *
 * Accepting or rejecting is `ImageMemberAcceptance`, a resource of its own rather than a property here:
 * the member's status is the receiving account's decision, made with that account's credentials in that
 * account's stack (Update Image member, L10443, is addressed by the member's own account id), while the
 * member is created and deleted by the image's owner. Two owners of one property would fight over it, so
 * the status is no output of this resource either: a refresh after the other account decided changes
 * nothing here.
 */
import { z } from "zod";
import { type DiffRules, inputsFromOutputs } from "../provider/diff";
import { ScpApiError } from "../provider/errors";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, rulesOf, schemaOf } from "../provider/schema";
import { resourceId } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { waitUntilGone } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

const IDENTITY = "part of the member's id (image and account): SCP addresses the member by both, so neither can drift";

/** The member's inputs: each one's schema, diff rule and (above it) the doc `ImageMemberArgs` shows. */
const properties = {
  /**
   * The image to share; its `visibility` must be `shared`. Changing it replaces the member. Part of the
   * member's id, so not drift-checked.
   */
  imageId: {
    // Reference L1235: the image_id path parameter; it is half of this resource's id, so no ":".
    schema: resourceId("imageId", { parentOfNested: true }),
    on: "replace",
    writeOnly: IDENTITY,
  },
  /**
   * The account id to share the image with. Changing it replaces the member. Part of the member's id, so not
   * drift-checked.
   */
  memberId: {
    // Reference L1258: the member_id of the body, an account id (L7707: the path parameter of Show).
    schema: resourceId("memberId", { parentOfNested: true }),
    on: "replace",
    writeOnly: IDENTITY,
  },
  ...commonProperties,
  /**
   * Region of the image, e.g. `kr-west1`, when not the provider's. Changing it replaces the member; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create and delete may wait. Default 5 minutes each. Changed in place; a provider setting, not
   * drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type ImageMemberInputs = z.infer<typeof inputSchema>;

export interface ImageMemberOutputs extends ImageMemberInputs {
  /** When the image was shared with the account (ISO 8601). Refresh reads it (Show Image member). */
  readonly createdAt?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = ["createdAt"] as const satisfies readonly (keyof ImageMemberOutputs)[];
const _everyOutputListed: ListsEveryOutput<ImageMemberOutputs, ImageMemberInputs, typeof OUTPUT_KEYS> = true;

// ---- API objects → outputs ----------------------------------------------------------------------------

// Show Image member (L7727–L7733); Create and List Image members answer the same object.
const apiImageMember = z.looseObject({
  image_id: z.string(),
  member_id: z.string(),
  status: z.string(),
  created_at: z.string().nullish(),
});
export type ApiImageMember = z.infer<typeof apiImageMember>;

function toOutputs(api: ApiImageMember, inputs: ImageMemberInputs): ImageMemberOutputs {
  return { ...inputs, imageId: api.image_id, memberId: api.member_id, createdAt: api.created_at ?? undefined };
}

/** Show Image member; undefined when the member (or its image) does not exist. */
export function showImageMember(
  ctx: ResourceContext,
  imageId: string,
  memberId: string,
): Promise<ApiImageMember | undefined> {
  return ctx.client
    .find("showImageMember", { path: { image_id: imageId, member_id: memberId } })
    .then((b) => (b === undefined ? undefined : apiImageMember.parse(b)));
}

/** A member's id, `imageId:memberId`: the API addresses it by both. */
export function parseMemberId(id: string, what: string): { imageId: string; memberId: string } {
  const { parentId, childId } = parseNestedId(id, what);
  return { imageId: parentId, memberId: childId };
}

const describeMember = (inputs: Partial<ImageMemberInputs>) =>
  `member ${inputs.memberId ?? "?"} of image ${inputs.imageId ?? "?"}`;

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<ImageMemberInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<ImageMemberInputs, ImageMemberOutputs> = {
  kind: "image member",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  describe: (inputs) => describeMember(inputs),

  async create(ctx, inputs, created) {
    const resource = describeMember(inputs);
    const { imageId, memberId } = inputs;
    const image = await ctx.client.find<{ name?: string; visibility?: string }>("showImage", {
      path: { image_id: imageId },
    });
    if (image === undefined) throw new Error(`${resource}: image ${imageId} does not exist`);
    if (image.visibility !== "shared") {
      throw new Error(
        `${resource}: image "${image.name ?? imageId}" is ${image.visibility ?? "not shared"}, not shared: set ` +
          'visibility: "shared" on its Image (SCP adds members only to shared images)',
      );
    }
    const answer = await ctx.client
      .create("createImageMember", { path: { image_id: imageId }, body: { member_id: memberId }, resource }, () =>
        showImageMember(ctx, imageId, memberId),
      )
      .catch(async (error: unknown) => {
        if (error instanceof ScpApiError && error.status === 409 && (await showImageMember(ctx, imageId, memberId))) {
          throw new Error(
            `${error.message}\nThe image is shared with account ${memberId} already, outside this stack: to manage ` +
              `that member, set importId: "${nestedId(imageId, memberId)}"`,
          );
        }
        throw error;
      });
    const id = nestedId(imageId, memberId);
    created(id);
    return { id, outputs: toOutputs(apiImageMember.parse(answer), inputs) };
  },

  findNamed: async (ctx, inputs) =>
    (await showImageMember(ctx, inputs.imageId, inputs.memberId)) ? [nestedId(inputs.imageId, inputs.memberId)] : [],

  async read(ctx, id, olds) {
    const { imageId, memberId } = parseMemberId(id, "image member");
    const live = await showImageMember(ctx, imageId, memberId);
    if (!live) return undefined;
    const outputs = toOutputs(live, olds as ImageMemberInputs);
    return { outputs, inputs: inputsFromOutputs(diffRules, outputs) };
  },

  async delete(ctx, id) {
    const { imageId, memberId } = parseMemberId(id, "image member");
    await ctx.client.call("deleteImageMember", {
      path: { image_id: imageId, member_id: memberId },
      resource: describeMember({ imageId, memberId }),
    });
    await waitUntilGone({
      description: `image member ${id} to be removed`,
      read: () => showImageMember(ctx, imageId, memberId),
      stateOf: (m) => m.status,
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of an `ImageMember` (each documented where it is declared, in `properties`). */
export interface ImageMemberArgs extends ArgsOf<ImageMemberInputs> {}

/**
 * Shares an image with another account: the account sees it as `pending` until it accepts it (with an
 * `ImageMemberAcceptance` in its own stack). Its id is `<imageId>:<memberId>`. Destroying it stops the
 * sharing.
 *
 * ```ts
 * const golden = new Image("golden", { name: "web-golden", url: goldenUrl, visibility: "shared" });
 * const withStaging = new ImageMember("staging", {
 *   imageId: golden.id,
 *   memberId: "1b7c0e2f3a4d4e5f8a9b0c1d2e3f4a5b", // the staging account's id
 * });
 * ```
 */
export const ImageMember = resourceClass<ImageMemberArgs, ImageMemberOutputs, typeof OUTPUT_KEYS>({
  type: "ImageMember",
  implementation: "image-member",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** An `ImageMember`: its inputs and outputs as the engine resolves them (see `ImageMemberArgs`, `ImageMemberOutputs`). */
export type ImageMember = InstanceType<typeof ImageMember>;
