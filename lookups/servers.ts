/** Servers: an existing server by id or by (unique) name (Show / List Virtual Servers). */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { parsePythonLiteral } from "../provider/python-literal";
import { resourceId } from "../provider/validators";
import {
  exactlyOne,
  listAll,
  lookupClient,
  lookupName,
  lookupOptionsShape,
  lookupOutput,
  optionalText,
  apiServerType,
  toServerType,
  validArguments,
  exactlyOneNamed,
} from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";
import type { GetServerTypeResult } from "./server-types";

export interface GetServerArgs extends LookupOptions {
  /** The server's id. Give `id` or `name`. */
  readonly id?: string | undefined;
  /** The server's name; it must name exactly one server. Give `id` or `name`. */
  readonly name?: string | undefined;
}

export type GetServerOutputArgs = LookupInputs<GetServerArgs>;

export interface GetServerIpAddress {
  /** The address, e.g. `192.169.3.2`. */
  readonly ipAddress: string;
  /** IP version: 4 or 6. */
  readonly version?: number | undefined;
}

export interface GetServerAddress {
  /** The subnet's name. */
  readonly subnetName?: string | undefined;
  /** The server's addresses in that subnet. */
  readonly ipAddresses: readonly GetServerIpAddress[];
}

export interface GetServerVolume {
  /** The volume's id. */
  readonly id: string;
  /** Whether deleting the server deletes the volume. */
  readonly deleteOnTermination?: boolean | undefined;
}

/** A server as Show Virtual Server answers it (reference, version 1.1). */
export interface GetServerResult {
  /** The server's id. */
  readonly id: string;
  /** The server's name. */
  readonly name: string;
  /** The API's state: `BUILD` while it is built, then `ACTIVE`, `SHUTOFF`, `ERROR`, … */
  readonly state: string;
  /** The image it was built from. */
  readonly imageId?: string | undefined;
  /** The keypair's name. */
  readonly keypairName?: string | undefined;
  /** The server type's id, e.g. `s1v2m4`. */
  readonly serverTypeId?: string | undefined;
  /** The server type's size (Show Virtual Server nests it without a description). */
  readonly serverType?: GetServerTypeResult | undefined;
  /** Addresses per subnet. */
  readonly addresses: readonly GetServerAddress[];
  /** Names of its security groups (Show Virtual Server names them; it gives no ids). */
  readonly securityGroupNames: readonly string[];
  /** Its volumes, boot volume first. */
  readonly volumes: readonly GetServerVolume[];
  /** Whether it is locked against changes. */
  readonly locked: boolean;
  /** Its metadata, key → value; undefined when the API's answer cannot be read as such. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /** The server group it is placed by, if any. */
  readonly serverGroupId?: string | undefined;
  /** Partition number in a `partition` server group. */
  readonly partitionNumber?: number | undefined;
  /** The VPC of its subnets. */
  readonly vpcId?: string | undefined;
  /** The auto-scaling group it belongs to, if any. */
  readonly autoScalingGroupId?: string | undefined;
  /** The launch configuration it was built from, if any. */
  readonly launchConfigurationId?: string | undefined;
  /** Product category, e.g. `compute`. */
  readonly productCategory?: string | undefined;
  /** Product offering, e.g. `virtual_server`. */
  readonly productOffering?: string | undefined;
  /** Disk configuration, e.g. `MANUAL` or `AUTO`. */
  readonly diskConfig?: string | undefined;
  /** Whether it was made from a Marketplace image. */
  readonly isMarketplace?: boolean | undefined;
  /** The OS family it was planned for, e.g. `linux` or `windows`. */
  readonly plannedComputeOsType?: string | undefined;
  /** The account it belongs to. */
  readonly accountId?: string | undefined;
  /** When it was created (ISO 8601). */
  readonly createdAt?: string | undefined;
  /** The user who created it. */
  readonly createdBy?: string | undefined;
  /** When it last changed (ISO 8601). */
  readonly modifiedAt?: string | undefined;
}

const argsSchema = z
  .object({ id: resourceId("id").optional(), name: lookupName("name").optional(), ...lookupOptionsShape })
  .strict()
  .superRefine(exactlyOne("id", "name"));

const apiServer = z.looseObject({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  image_id: optionalText,
  keypair_name: optionalText,
  server_type: apiServerType.partial({ vcpus: true, ram: true }).nullish(),
  addresses: z
    .array(
      z.looseObject({
        subnet_name: optionalText,
        ip_addresses: z.array(z.looseObject({ ip_address: z.string(), version: z.number().nullish() })).nullish(),
      }),
    )
    .nullish(),
  security_groups: z.array(z.looseObject({ name: z.string() })).nullish(),
  volumes: z.array(z.looseObject({ id: z.string(), delete_on_termination: z.boolean().nullish() })).nullish(),
  locked: z.boolean().nullish(),
  metadata: z.unknown().optional(),
  server_group_id: optionalText,
  partition_number: z.number().nullish(),
  vpc_id: optionalText,
  auto_scaling_group_id: optionalText,
  launch_configuration_id: optionalText,
  product_category: optionalText,
  product_offering: optionalText,
  disk_config: optionalText,
  is_marketplace: z.boolean().nullish(),
  planned_compute_os_type: optionalText,
  account_id: optionalText,
  created_at: optionalText,
  created_by: optionalText,
  modified_at: optionalText,
});

const isStringMap = (v: unknown): v is Record<string, string> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string");

/** Metadata is answered as a string (the reference shows `""`): JSON or a Python literal of a string map. */
function decodeMetadata(raw: unknown): Record<string, string> | undefined {
  if (raw === "" || raw === null || raw === undefined) return {};
  if (isStringMap(raw)) return raw;
  if (typeof raw !== "string") return undefined;
  for (const parse of [JSON.parse, parsePythonLiteral] as const) {
    try {
      const parsed: unknown = parse(raw);
      if (isStringMap(parsed)) return parsed;
    } catch {
      // Not this notation; try the next.
    }
  }
  return undefined;
}

function toResult(raw: unknown): GetServerResult {
  const s = apiServer.parse(raw);
  const type = s.server_type;
  return {
    id: s.id,
    name: s.name,
    state: s.state,
    imageId: s.image_id,
    keypairName: s.keypair_name,
    serverTypeId: type?.id,
    serverType: type && type.vcpus !== undefined && type.ram !== undefined ? toServerType(type) : undefined,
    addresses: (s.addresses ?? []).map((a) => ({
      subnetName: a.subnet_name,
      ipAddresses: (a.ip_addresses ?? []).map((ip) => ({ ipAddress: ip.ip_address, version: ip.version ?? undefined })),
    })),
    securityGroupNames: (s.security_groups ?? []).map((g) => g.name),
    volumes: (s.volumes ?? []).map((v) => ({ id: v.id, deleteOnTermination: v.delete_on_termination ?? undefined })),
    locked: s.locked ?? false,
    metadata: decodeMetadata(s.metadata),
    serverGroupId: s.server_group_id,
    partitionNumber: s.partition_number ?? undefined,
    vpcId: s.vpc_id,
    autoScalingGroupId: s.auto_scaling_group_id,
    launchConfigurationId: s.launch_configuration_id,
    productCategory: s.product_category,
    productOffering: s.product_offering,
    diskConfig: s.disk_config,
    isMarketplace: s.is_marketplace ?? undefined,
    plannedComputeOsType: s.planned_compute_os_type,
    accountId: s.account_id,
    createdAt: s.created_at,
    createdBy: s.created_by,
    modifiedAt: s.modified_at,
  };
}

/**
 * An existing server, by `id` or by `name` (exactly one server must have it).
 *
 *   const web = await scp.getServer({ name: "web-1" });
 */
export async function getServer(args: GetServerArgs): Promise<GetServerResult> {
  const a = validArguments("getServer", argsSchema, args);
  const api = lookupClient(a);
  if (a.id !== undefined) {
    const body = await api.find("showVirtualServer", { path: { server_id: a.id } });
    if (body === undefined) throw new ScpLookupError("getServer", "not-found", `no server has id "${a.id}"`);
    return toResult(body);
  }
  // List Virtual Servers answers the same fields as Show Virtual Server (reference, both at 1.1).
  const found = (await listAll(api, "listVirtualServers", "servers", { query: { name: a.name } }))
    .map(toResult)
    .filter((s) => s.name === a.name);
  return exactlyOneNamed("getServer", "servers", a.name, found);
}

/** `getServer` taking Inputs and giving an Output: `scp.getServerOutput({ id: server.id }).addresses`. */
export function getServerOutput(args: GetServerOutputArgs): pulumi.Output<GetServerResult> {
  return lookupOutput(args, getServer);
}
