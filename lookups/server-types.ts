/** Server types: one by id, or the smallest that fits (List/Show Server Type). */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ScpClient } from "../provider/http";
import { resourceId, wholeNumber } from "../provider/validators";
import { listAll, lookupClient, lookupOptionsShape, lookupOutput, validArguments, toServerType } from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetServerTypeArgs extends LookupOptions {
  /** The server type's id, e.g. `s1v2m4`. Cannot be combined with `minVcpus` / `minRamGb`. */
  readonly id?: string | undefined;
  /** At least this many vCPUs (whole number ≥ 0). */
  readonly minVcpus?: number | undefined;
  /** At least this much RAM, in GB (whole number ≥ 0). */
  readonly minRamGb?: number | undefined;
}

export type GetServerTypeOutputArgs = LookupInputs<GetServerTypeArgs>;

/** A server type as Show Server Type answers it (reference, version 1.1). */
export interface GetServerTypeResult {
  /** Its id, e.g. `s1v2m4` (also what `VirtualServer.serverTypeId` takes). */
  readonly id: string;
  /** Its name (the same as the id in the reference's examples). */
  readonly name?: string | undefined;
  /** The API's description of the type (free text). */
  readonly description?: string | undefined;
  /** Number of vCPUs. */
  readonly vcpus: number;
  /** RAM, in GB. */
  readonly ramGb: number;
  /** Root disk size, in GB. */
  readonly diskGb?: number | undefined;
}

const argsSchema = z
  .object({
    id: resourceId("id").optional(),
    minVcpus: wholeNumber("minVcpus", { min: 0 }).optional(),
    minRamGb: wholeNumber("minRamGb", { min: 0, unit: "GB" }).optional(),
    ...lookupOptionsShape,
  })
  .strict()
  .superRefine((a, ctx) => {
    for (const key of ["minVcpus", "minRamGb"] as const) {
      if (a.id !== undefined && a[key] !== undefined)
        ctx.addIssue({ code: "custom", path: [key], message: `${key} cannot be combined with id` });
    }
  });

async function findServerType(api: ScpClient, a: z.output<typeof argsSchema>): Promise<GetServerTypeResult> {
  if (a.id !== undefined) {
    const body = await api.find("showServerType", { path: { server_type_id: a.id } });
    if (body === undefined) throw new ScpLookupError("getServerType", "not-found", `no server type has id "${a.id}"`);
    return toServerType(body);
  }
  const minVcpus = a.minVcpus ?? 0;
  const minRam = a.minRamGb ?? 0;
  const smallest = (await listAll(api, "listServerTypes", "server_types"))
    .map(toServerType)
    .filter((t) => t.vcpus >= minVcpus && t.ramGb >= minRam)
    .sort((x, y) => x.vcpus - y.vcpus || x.ramGb - y.ramGb)[0];
  if (!smallest)
    throw new ScpLookupError(
      "getServerType",
      "not-found",
      `no server type has at least ${minVcpus} vCPUs and ${minRam} GB RAM`,
    );
  return smallest;
}

/**
 * A server type by `id`, or the smallest one (fewest vCPUs, then least RAM) with at least `minVcpus` vCPUs
 * and `minRamGb` GB of RAM.
 *
 *   const type = await scp.getServerType({ minVcpus: 2, minRamGb: 4 });
 */
export async function getServerType(args: GetServerTypeArgs = {}): Promise<GetServerTypeResult> {
  const a = validArguments("getServerType", argsSchema, args);
  return findServerType(lookupClient(a), a);
}

/** `getServerType` taking Inputs and giving an Output. */
export function getServerTypeOutput(args: GetServerTypeOutputArgs = {}): pulumi.Output<GetServerTypeResult> {
  return lookupOutput(args, getServerType);
}
