/** The accounts an image is shared with (List Image members). */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ScpApiError } from "../provider/errors";
import { resourceId } from "../provider/validators";
import { lookupClient, lookupOptionsShape, lookupOutput, optionalText, validArguments } from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetImageMembersArgs extends LookupOptions {
  /** The image's id. */
  readonly imageId: string;
}

export type GetImageMembersOutputArgs = LookupInputs<GetImageMembersArgs>;

/** An account an image is shared with, as List Image members answers it (reference, version 1.1). */
export interface GetImageMember {
  /** The member: the account (project) the image is shared with (the API's `member_id`). */
  readonly memberId: string;
  /** The image shared. */
  readonly imageId: string;
  /** The member's answer: `pending` until it accepts (`accepted`) or rejects (`rejected`) the image. */
  readonly status: string;
  /** When the image was shared with it (ISO 8601). */
  readonly createdAt?: string | undefined;
  /** When its status last changed (ISO 8601). */
  readonly updatedAt?: string | undefined;
}

/** The image's members. */
export interface GetImageMembersResult {
  /** The image's id, as given. */
  readonly imageId: string;
  /** The accounts the image is shared with, in the API's order; empty when none. */
  readonly members: readonly GetImageMember[];
}

const argsSchema = z.object({ imageId: resourceId("imageId"), ...lookupOptionsShape }).strict();

const apiMember = z.looseObject({
  member_id: z.string(),
  image_id: z.string(),
  status: z.string(),
  created_at: optionalText,
  updated_at: optionalText,
});
const apiMembers = z.looseObject({ members: z.array(apiMember).nullish() });

/**
 * The accounts an image is shared with, and whether each has accepted it.
 *
 *   const { members } = await scp.getImageMembers({ imageId: golden.id });
 */
export async function getImageMembers(args: GetImageMembersArgs): Promise<GetImageMembersResult> {
  const lookup = "getImageMembers";
  const a = validArguments(lookup, argsSchema, args);
  let body: unknown;
  try {
    // List Image members is not paginated (the reference shows no query parameters).
    body = (await lookupClient(a).call("listImageMembers", { path: { image_id: a.imageId } })).body;
  } catch (error) {
    if (error instanceof ScpApiError && error.notFound)
      throw new ScpLookupError(lookup, "not-found", `no image has id "${a.imageId}"`);
    throw error;
  }
  return {
    imageId: a.imageId,
    members: (apiMembers.parse(body).members ?? []).map((m) => ({
      memberId: m.member_id,
      imageId: m.image_id,
      status: m.status,
      createdAt: m.created_at,
      updatedAt: m.updated_at,
    })),
  };
}

/** `getImageMembers` taking Inputs and giving an Output: `scp.getImageMembersOutput({ imageId }).members`. */
export function getImageMembersOutput(args: GetImageMembersOutputArgs): pulumi.Output<GetImageMembersResult> {
  return lookupOutput(args, getImageMembers);
}
