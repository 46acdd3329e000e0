/** Quotas: the account's server and volume quota sets (Show Server Quota Set, Show Volume Quota Set). */
import type * as pulumi from "@pulumi/pulumi";
import { lookupClient, lookupOutput, optionsOnly, validArguments } from "./common";
import { readServerQuotaSet, readVolumeQuotaSet } from "./quota-api";
import { type LookupInputs, type LookupOptions } from "./types";

/** One quota: what is in use, held and allowed. */
export interface GetQuotaSetUsage {
  /** How much is in use. */
  readonly inUse: number;
  /** How much is held by operations in progress. */
  readonly reserved: number;
  /**
   * The most allowed; undefined when the API states no number (the reference's volume quota example answers
   * `""`).
   */
  readonly limit?: number | undefined;
}

/** The account's server quotas, as Show Server Quota Set answers them (reference, version 1.1). */
export interface GetServerQuotaSetResult {
  /** The quota set's id (the project's). */
  readonly id?: string | undefined;
  /** Servers. */
  readonly instances: GetQuotaSetUsage;
  /** vCPUs, over every server. */
  readonly cores: GetQuotaSetUsage;
  /** RAM, over every server, in the API's own unit (the reference does not state it). */
  readonly ram: GetQuotaSetUsage;
  /** Keypairs. */
  readonly keypairs: GetQuotaSetUsage;
  /** Metadata entries of a server. */
  readonly metadataItems: GetQuotaSetUsage;
  /** Server groups. */
  readonly serverGroups: GetQuotaSetUsage;
  /** Servers in one server group. */
  readonly serverGroupMembers: GetQuotaSetUsage;
}

/** The account's volume quotas, as Show Volume Quota Set answers them (reference, version 1.1). */
export interface GetVolumeQuotaSetResult {
  /** The quota set's id (the project's). */
  readonly id?: string | undefined;
  /** Volumes. */
  readonly volumes: GetQuotaSetUsage;
  /** Snapshots. */
  readonly snapshots: GetQuotaSetUsage;
  /** Size of one volume, in GB (the limit is the largest volume allowed). */
  readonly perVolumeSize: GetQuotaSetUsage;
  /** The API's `usages` quota (the reference names it without describing it; commonly total capacity in GB). */
  readonly usages: GetQuotaSetUsage;
}

/**
 * The account's server quotas: servers, vCPUs, RAM, keypairs, server groups, with use and limit.
 *
 *   const { cores } = await scp.getServerQuotaSet();
 *   const vcpusLeft = cores.limit === undefined ? Infinity : cores.limit - cores.inUse - cores.reserved;
 */
export async function getServerQuotaSet(args: LookupOptions = {}): Promise<GetServerQuotaSetResult> {
  return readServerQuotaSet(lookupClient(validArguments("getServerQuotaSet", optionsOnly, args)));
}

/** `getServerQuotaSet` taking Inputs and giving an Output. */
export function getServerQuotaSetOutput(
  args: LookupInputs<LookupOptions> = {},
): pulumi.Output<GetServerQuotaSetResult> {
  return lookupOutput(args, getServerQuotaSet);
}

/** The account's volume quotas: volumes, snapshots, size per volume and `usages`, with use and limit. */
export async function getVolumeQuotaSet(args: LookupOptions = {}): Promise<GetVolumeQuotaSetResult> {
  return readVolumeQuotaSet(lookupClient(validArguments("getVolumeQuotaSet", optionsOnly, args)));
}

/** `getVolumeQuotaSet` taking Inputs and giving an Output. */
export function getVolumeQuotaSetOutput(
  args: LookupInputs<LookupOptions> = {},
): pulumi.Output<GetVolumeQuotaSetResult> {
  return lookupOutput(args, getVolumeQuotaSet);
}
