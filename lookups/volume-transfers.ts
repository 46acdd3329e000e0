/**
 * Volume transfers: one by id or by (unique) name (Show volume transfer detail / List volume transfers),
 * every pending one (List). No answer holds the auth key: only Create a volume transfer answers it
 * (reference L459–L466), so it is the `VolumeTransfer` resource's secret output and nothing else.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { resourceId } from "../provider/validators";
import {
  exactlyOne,
  lookupClient,
  lookupName,
  lookupOptionsShape,
  lookupOutput,
  optionalText,
  validArguments,
  exactlyOneNamed,
} from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetVolumeTransferArgs extends LookupOptions {
  /** The transfer's id. Give `id` or `name`. */
  readonly id?: string | undefined;
  /** The transfer's name; it must name exactly one pending transfer. Give `id` or `name`. */
  readonly name?: string | undefined;
}

export type GetVolumeTransferOutputArgs = LookupInputs<GetVolumeTransferArgs>;

export interface GetVolumeTransfersArgs extends LookupOptions {
  /** Only the transfers of this volume. */
  readonly volumeId?: string | undefined;
}

export type GetVolumeTransfersOutputArgs = LookupInputs<GetVolumeTransfersArgs>;

/** A pending transfer as List volume transfers answers it (reference L6415–L6419, version 1.1). */
export interface GetVolumeTransfersTransfer {
  /** The transfer's id (what `VolumeTransferAcceptance`'s `transferId` takes). */
  readonly id: string;
  /** The transfer's name (SCP names it after the volume when none was given). */
  readonly name?: string | undefined;
  /** The volume offered. */
  readonly volumeId: string;
}

/** A pending transfer as Show volume transfer detail answers it (reference L9000–L9005, version 1.1). */
export interface GetVolumeTransferResult extends GetVolumeTransfersTransfer {
  /** When it was created (ISO 8601), when SCP says. */
  readonly createdAt?: string | undefined;
}

/** The pending transfers the account can see. */
export interface GetVolumeTransfersResult {
  /** The pending transfers (of `volumeId`, when given), in the API's order; empty when none. */
  readonly transfers: readonly GetVolumeTransfersTransfer[];
}

const oneArgs = z
  .object({ id: resourceId("id").optional(), name: lookupName("name").optional(), ...lookupOptionsShape })
  .strict()
  .superRefine(exactlyOne("id", "name"));

const listArgs = z.object({ volumeId: resourceId("volumeId").optional(), ...lookupOptionsShape }).strict();

const apiTransfer = z.looseObject({
  id: z.string(),
  name: optionalText,
  volume_id: z.string(),
  created_at: optionalText,
});

function toSummary(raw: unknown): GetVolumeTransfersTransfer {
  const t = apiTransfer.parse(raw);
  return { id: t.id, name: t.name, volumeId: t.volume_id };
}

/** Every transfer List volume transfers answers (it takes no query parameters, reference L6395–L6400). */
async function listTransfers(options: LookupOptions): Promise<GetVolumeTransfersTransfer[]> {
  const body = (await lookupClient(options).call<{ transfers?: unknown }>("listVolumeTransfers")).body;
  return Array.isArray(body.transfers) ? (body.transfers as unknown[]).map(toSummary) : [];
}

/**
 * One pending volume transfer, by `id` or by `name` (exactly one transfer must have it). An accepted or
 * cancelled transfer no longer exists: not found.
 *
 *   const offer = await scp.getVolumeTransfer({ name: "handover-data" });
 */
export async function getVolumeTransfer(args: GetVolumeTransferArgs): Promise<GetVolumeTransferResult> {
  const a = validArguments("getVolumeTransfer", oneArgs, args);
  if (a.id !== undefined) {
    const body = await lookupClient(a).find("showVolumeTransferDetail", { path: { transfer_id: a.id } });
    if (body === undefined) {
      throw new ScpLookupError("getVolumeTransfer", "not-found", `no pending volume transfer has id "${a.id}"`);
    }
    const t = apiTransfer.parse(body);
    return { ...toSummary(t), createdAt: t.created_at };
  }
  const found = (await listTransfers(a)).filter((t) => t.name === a.name);
  return exactlyOneNamed("getVolumeTransfer", "pending volume transfers", a.name, found);
}

/** `getVolumeTransfer` taking Inputs and giving an Output: `scp.getVolumeTransferOutput({ id }).volumeId`. */
export function getVolumeTransferOutput(args: GetVolumeTransferOutputArgs): pulumi.Output<GetVolumeTransferResult> {
  return lookupOutput(args, getVolumeTransfer);
}

/** Every pending volume transfer (of one volume, with `volumeId`). */
export async function getVolumeTransfers(args: GetVolumeTransfersArgs = {}): Promise<GetVolumeTransfersResult> {
  const a = validArguments("getVolumeTransfers", listArgs, args);
  const transfers = await listTransfers(a);
  return { transfers: a.volumeId === undefined ? transfers : transfers.filter((t) => t.volumeId === a.volumeId) };
}

/** `getVolumeTransfers` taking Inputs and giving an Output. */
export function getVolumeTransfersOutput(
  args: GetVolumeTransfersOutputArgs = {},
): pulumi.Output<GetVolumeTransfersResult> {
  return lookupOutput(args, getVolumeTransfers);
}
