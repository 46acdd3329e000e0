/** A server's IP addresses: every subnet's (List Server Ips) or one subnet's (Show Server Ip). */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ScpApiError } from "../provider/errors";
import { resourceId } from "../provider/validators";
import { lookupClient, lookupOptionsShape, lookupOutput, optionalText, validArguments } from "./common";
import type { GetServerAddress, GetServerIpAddress } from "./servers";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetServerIpsArgs extends LookupOptions {
  /** The server's id. */
  readonly serverId: string;
}

export type GetServerIpsOutputArgs = LookupInputs<GetServerIpsArgs>;

/** A server's addresses, as List Server Ips answers them (reference, version 1.1). */
export interface GetServerIpsResult {
  /** The server's id, as given. */
  readonly serverId: string;
  /** Addresses per subnet (the same shape as `getServer`'s `addresses`). */
  readonly addresses: readonly GetServerAddress[];
}

export interface GetServerIpArgs extends LookupOptions {
  /** The server's id. */
  readonly serverId: string;
  /** The subnet whose addresses to answer (Show Server Ip is addressed by subnet, the API's `subnet_id`). */
  readonly subnetId: string;
}

export type GetServerIpOutputArgs = LookupInputs<GetServerIpArgs>;

/** A server's addresses in one subnet, as Show Server Ip answers them (reference, version 1.1). */
export interface GetServerIpResult {
  /** The server's id, as given. */
  readonly serverId: string;
  /** The subnet's id, as given. */
  readonly subnetId: string;
  /** The subnet's name. */
  readonly subnetName?: string | undefined;
  /** The server's addresses in that subnet. */
  readonly ipAddresses: readonly GetServerIpAddress[];
}

const serverId = resourceId("serverId");
const listArgs = z.object({ serverId, ...lookupOptionsShape }).strict();
const oneArgs = z.object({ serverId, subnetId: resourceId("subnetId"), ...lookupOptionsShape }).strict();

/** One subnet's addresses: the element of List Server Ips' `addresses`, and Show Server Ip's whole answer. */
const apiAddress = z.looseObject({
  subnet_name: optionalText,
  ip_addresses: z.array(z.looseObject({ ip_address: z.string(), version: z.number().nullish() })).nullish(),
});
const apiAddresses = z.looseObject({ addresses: z.array(z.unknown()).nullish() });

function toAddress(raw: unknown): GetServerAddress {
  const a = apiAddress.parse(raw);
  return {
    subnetName: a.subnet_name,
    ipAddresses: (a.ip_addresses ?? []).map((ip) => ({ ipAddress: ip.ip_address, version: ip.version ?? undefined })),
  };
}

/**
 * Every address of a server, per subnet.
 *
 *   const { addresses } = await scp.getServerIps({ serverId: web.id });
 */
export async function getServerIps(args: GetServerIpsArgs): Promise<GetServerIpsResult> {
  const lookup = "getServerIps";
  const a = validArguments(lookup, listArgs, args);
  let body: unknown;
  try {
    // List Server Ips is not paginated (the reference shows no query parameters).
    body = (await lookupClient(a).call("listServerIps", { path: { server_id: a.serverId } })).body;
  } catch (error) {
    if (error instanceof ScpApiError && error.notFound)
      throw new ScpLookupError(lookup, "not-found", `no server has id "${a.serverId}"`);
    throw error;
  }
  return { serverId: a.serverId, addresses: (apiAddresses.parse(body).addresses ?? []).map(toAddress) };
}

/** `getServerIps` taking Inputs and giving an Output: `scp.getServerIpsOutput({ serverId: web.id }).addresses`. */
export function getServerIpsOutput(args: GetServerIpsOutputArgs): pulumi.Output<GetServerIpsResult> {
  return lookupOutput(args, getServerIps);
}

/**
 * A server's addresses in one subnet.
 *
 *   const ip = await scp.getServerIp({ serverId: web.id, subnetId: "subnet-1" });
 *   const first = ip.ipAddresses[0]?.ipAddress;
 */
export async function getServerIp(args: GetServerIpArgs): Promise<GetServerIpResult> {
  const lookup = "getServerIp";
  const a = validArguments(lookup, oneArgs, args);
  const body = await lookupClient(a).find("showServerIp", {
    path: { server_id: a.serverId, subnet_id: a.subnetId },
  });
  // One 404 for both: the API does not say whether the server or its address in the subnet is missing.
  if (body === undefined)
    throw new ScpLookupError(
      lookup,
      "not-found",
      `server "${a.serverId}" has no address in subnet "${a.subnetId}" (or no server has that id)`,
    );
  return { serverId: a.serverId, subnetId: a.subnetId, ...toAddress(body) };
}

/** `getServerIp` taking Inputs and giving an Output: `scp.getServerIpOutput({ serverId, subnetId }).ipAddresses`. */
export function getServerIpOutput(args: GetServerIpOutputArgs): pulumi.Output<GetServerIpResult> {
  return lookupOutput(args, getServerIp);
}
