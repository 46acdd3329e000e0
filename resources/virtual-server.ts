/**
 * VirtualServer: a virtual machine. Created and waited for until ACTIVE (then stopped when
 * `powerState: "SHUTOFF"`, then locked when `locked: true`).
 *
 * In place: name, server type (resize, waiting until the new type and the previous power state), power
 * state (start/stop), lock/unlock, security groups (attach/detach; these operations exist only as API
 * version 1.0, and the API's answer is reported as is when refused).
 * Replace: image, keypair, networks, boot volume, user data, metadata, tags, server group, partition,
 * product category/offering. Deletion never unlocks a locked server on its own: set `locked: false` first.
 * User data is kept in state only as a SHA-256 hash (the payload itself is stored as a secret input).
 */
import { z } from "zod";
import { MARKER_METADATA_KEY, markerIn } from "../provider/create-marker";
import { type DiffRules, type PropertyRule, inputsFromOutputs, normalize } from "../provider/diff";
import { ScpApiError } from "../provider/errors";
import { encodeStringList, encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { serverDemand, withQuotaCheck } from "../provider/quota-check";
import { type ArgObject, type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import {
  type InputProperties,
  commonProperties,
  keypairName,
  objectName,
  rulesOf,
  schemaOf,
  tagsSchema,
} from "../provider/schema";
import {
  describeValue,
  flag,
  idSet,
  oneOf,
  resourceId,
  text,
  typeMessage,
  uniqueList,
  wholeNumber,
} from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { hashUserData } from "../provider/user-data";
import { growVolume, showVolume, volumeListing } from "../provider/volume-api";
import { listForWaits, listWholeKind } from "../provider/list-all";
import { type SharedListing, findShared, readShared } from "../provider/shared-poller";
import { waitForState, waitUntilGone } from "../provider/waiter";
import { PowerState, ProductCategory, ProductOffering, SecurityGroupUpdate, enumValues } from "./enums";

// ---- Input schema -------------------------------------------------------------------------------------

const networkSchema = z
  .object({
    // Reference L2136–L2139: the keys of each network of Create Virtual Server.
    /** Subnet to attach the server's interface to. */
    subnetId: resourceId("subnetId"),
    /** A fixed private IPv4 address in the subnet. */
    fixedIp: z
      .ipv4({
        error: (issue) =>
          issue.input === undefined
            ? "fixedIp is required"
            : `fixedIp must be an IPv4 address; got ${describeValue(issue.input)}`,
      })
      .optional(),
    /** An existing port to use. */
    portId: resourceId("portId").optional(),
    /** A public IP to associate (static NAT). */
    publicIpId: resourceId("publicIpId").optional(),
  })
  .strict();

const bootVolumeSchema = z
  .object({
    /** Size in GB, 1–16384; grows in place, never shrinks. */
    size: wholeNumber("size", { min: 1, max: 16_384, unit: "GB" }),
    /** Volume type name, e.g. `SSD` (see `getVolumeTypes`); a change replaces the server. */
    type: text("type").min(1, "type must not be empty").optional(),
    /** Whether deleting the server deletes the volume (default true); changed in place. */
    deleteOnTermination: flag("deleteOnTermination").optional(),
  })
  .strict();

const POWER_STATES = enumValues(PowerState);
/** The inputs whose change runs an action in place. */
type ActionTrigger = "rebootTrigger" | "rebuildTrigger" | "dumpTrigger";

/**
 * How a `securityGroupIds` change is applied: by replacing the server (default: the only way the current
 * API offers), or in place through Attach/Detach Virtual Server Security Group, which exist only as API
 * version 1.0, past its support date (2025-12-31), so SCP may refuse them.
 */
const SECURITY_GROUP_UPDATES = enumValues(SecurityGroupUpdate);

/**
 * An action trigger: a new value runs the action once, in place (set at creation, it does nothing; removed,
 * nothing happens). Not a property of the server, so never drift.
 */
const actionRule = (key: ActionTrigger, what: string): PropertyRule => ({
  on: "update",
  writeOnly: `an action: changing the value ${what}`,
  differs: (olds, next) => next !== undefined && next !== olds[key],
});

/** The server's inputs: each one's schema, diff rule and (above it) the doc `VirtualServerArgs` shows. */
const properties = {
  /**
   * Server name. Changed in place. Default: the resource's name plus a random suffix (`web-3f9a2c1`), kept
   * across updates; a replacement gets a new one.
   */
  name: { schema: objectName("server"), on: "update" },
  /** Image to boot (see `getImage`). Changing it replaces the server. */
  imageId: { schema: resourceId("imageId"), on: "replace" },
  /** Server type, e.g. `s1v2m4` (see `getServerType`). Changed in place (resize), keeping the power state. */
  serverTypeId: { schema: resourceId("serverTypeId"), on: "update" },
  /** Keypair name for SSH. Changing it replaces the server. */
  keypairName: { schema: keypairName("keypairName").optional(), on: "replace" },
  /** Networks, the first being the primary. Changing them replaces the server. */
  networks: {
    schema: uniqueList(
      z
        .array(networkSchema, { error: typeMessage("networks", "a list of networks") })
        .min(1, "at least one network is required"),
      "networks",
      // A port can be attached once; the same network given twice is a copy-paste slip.
      (n) => {
        const network = n as { portId?: string };
        return network.portId === undefined ? JSON.stringify(n) : `port ${JSON.stringify(network.portId)}`;
      },
    ),
    on: "replace",
  },
  /**
   * Boot volume: size in GB (grows in place with Extend Volume; cannot shrink), type (a change replaces the
   * server), and whether it is deleted with the server (default true; changed in place). Drift-checked.
   */
  // The size grows in place; the type cannot change (see replacesBeyondRules).
  bootVolume: { schema: bootVolumeSchema.optional(), on: "update" },
  /**
   * Security group ids (no repeats). Drift-checked (List Virtual Server Security Group). A change replaces the
   * server unless `securityGroupUpdate: "attach-detach"`, which changes them in place.
   */
  securityGroupIds: { schema: idSet("securityGroupIds").optional(), on: "update", normalize: normalize.unorderedList },
  /**
   * How a `securityGroupIds` change is applied: `"replace"` (default) creates a new server — the current API has
   * no other way; `"attach-detach"` changes it in place through Attach/Detach Virtual Server Security Group,
   * which exist only as API version 1.0 (supported until 2025-12-31): the preview warns, and if SCP refuses them
   * the error names the operation, the version and this setting. See `SecurityGroupUpdate`. A setting of the
   * provider: a change of it is applied in place and changes nothing in the cloud; not drift-checked.
   */
  securityGroupUpdate: {
    schema: z
      .enum(SECURITY_GROUP_UPDATES, { error: 'securityGroupUpdate must be "replace" or "attach-detach"' })
      .optional(),
    on: "update",
    writeOnly: "how the provider applies a change; not a property of the server",
  },
  /** Server group (placement). Changing it replaces the server. */
  serverGroupId: { schema: resourceId("serverGroupId").optional(), on: "replace" },
  /** Partition number, for a partition server group. Changing it replaces the server. */
  partitionNumber: { schema: wholeNumber("partitionNumber", { min: 0 }).optional(), on: "replace" },
  /**
   * Cloud-init user data (plain text, at most 64 KiB; sent base64-encoded). Kept only as a hash in outputs
   * (`userDataHash`); stored as a secret input. Changing it replaces the server. SCP never returns it: not
   * drift-checked.
   */
  userData: {
    schema: text("userData").max(65_535, "userData is at most 64 KiB").optional(),
    on: "replace",
    writeOnly: "SCP never returns a server's user data; state keeps its SHA-256 (userDataHash)",
    differs: (olds, next) => (olds.userDataHash ?? undefined) !== hashUserData(next as string),
  },
  /** Metadata (key → value). Changing it replaces the server. Drift-checked. */
  metadata: {
    schema: z
      .record(z.string(), z.string())
      .refine((m) => !(MARKER_METADATA_KEY in m), {
        error: `metadata key "${MARKER_METADATA_KEY}" is reserved: the provider keeps its creation marker there`,
      })
      .optional(),
    on: "replace",
    normalize: normalize.emptyMap,
  },
  /**
   * Tags (key → value), applied when the server is created. SCP returns no tags and cannot change them later:
   * a change is recorded in state with a warning in the preview, never a replacement; not drift-checked.
   */
  tags: {
    schema: tagsSchema.optional(),
    on: "record",
    writeOnly: "no Virtual Server operation returns tags or changes them after creation",
    normalize: normalize.emptyMap,
  },
  /** Lock the server against changes and deletion. Changed in place. Default false. */
  locked: { schema: flag("locked").optional(), on: "update" },
  /**
   * `ACTIVE` (running, default) or `SHUTOFF` (stopped); see `PowerState`. Changed in place with start/stop.
   * Drift-checked.
   */
  powerState: { schema: oneOf("powerState", POWER_STATES).optional(), on: "update" },
  // Reference L6200–L6201 (List Virtual Servers query): the documented categories and offerings.
  /** Product category (`compute` default, or `container`; see `ProductCategory`). Changing it replaces the server. */
  productCategory: { schema: oneOf("productCategory", enumValues(ProductCategory)).optional(), on: "replace" },
  /**
   * Product offering (`virtual_server` default, `gpu_server`, `k8s_vm`, `k8s_gpu_vm`; see `ProductOffering`).
   * Changing it replaces the server.
   */
  productOffering: { schema: oneOf("productOffering", enumValues(ProductOffering)).optional(), on: "replace" },
  // Actions, run in place when the value changes (reference L6773 Reboot, L6848 Rebuild, L2311 Dump).
  /**
   * Any value; changing it reboots the server in place (soft reboot) and waits until it is ACTIVE again, e.g.
   * `rebootTrigger: configHash`. Set at creation it does nothing; removing it does nothing. An action, not a
   * property: not drift-checked.
   */
  rebootTrigger: { schema: text("rebootTrigger").optional(), ...actionRule("rebootTrigger", "reboots the server") },
  /**
   * Any value; changing it rebuilds the server in place from its image (its disk is rewritten, its id, name
   * and addresses stay) and waits until it is ACTIVE again. A rebuild includes the reboot. An action, not a
   * property: not drift-checked.
   */
  rebuildTrigger: {
    schema: text("rebuildTrigger").optional(),
    ...actionRule("rebuildTrigger", "rebuilds the server from its image"),
  },
  /**
   * Any value; changing it creates a dump of the server in place (an image, visible in List Pending Images
   * while it builds). An action, not a property: not drift-checked.
   */
  dumpTrigger: {
    schema: text("dumpTrigger").optional(),
    ...actionRule("dumpTrigger", "creates a dump of the server (an image in List Pending Images)"),
  },
  ...commonProperties,
  /**
   * Region of the server, e.g. `kr-west1`, when not the provider's. Changing it replaces the server; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create/update/delete may wait. Default 30 minutes each. Changed in place; a provider setting,
   * not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type VirtualServerInputs = z.infer<typeof inputSchema>;

/** The server's addresses in one subnet, as Show Virtual Server gives them. */
export interface ServerAddress {
  /** The subnet's name. */
  readonly subnetName?: string | undefined;
  /** The server's IP addresses in that subnet, e.g. `["192.168.0.12"]`. */
  readonly ipAddresses: string[];
}

/** The server type's size, as Show Virtual Server gives it. */
export interface ServerTypeSize {
  /** Virtual CPUs. */
  readonly vcpus?: number | undefined;
  /** Memory, in GB. */
  readonly ram?: number | undefined;
  /** Disk, in GB. */
  readonly disk?: number | undefined;
}

export interface VirtualServerOutputs extends VirtualServerInputs {
  /**
   * The API's state: ACTIVE, SHUTOFF, BUILD, RESIZE, ERROR, … A server in ERROR is replaced by the next `up`.
   * Refresh reads it (Show Virtual Server).
   */
  readonly state: string;
  readonly powerState: PowerState;
  readonly locked: boolean;
  /**
   * SHA-256 (hex) of the program's user data, undefined without user data: state keeps the hash, never the
   * payload. SCP never returns a server's user data, so refresh keeps it: not drift-checked.
   */
  readonly userDataHash?: string | undefined;
  /**
   * Addresses per subnet of the server's own `networks` (fixed IPs, and public IPs of their static NATs).
   * Refresh reads them (Show Virtual Server). An interface added as a `ServerInterface` is that resource's
   * (`fixedIp`, `publicIpAddress`), so adding one never changes these; `getServerIps` lists every interface.
   */
  readonly addresses: ServerAddress[];
  /**
   * Id of the boot volume. (Data volumes are not listed: attachments made later would move such a list on
   * every refresh; each `VolumeAttachment` names its volume.) Refresh reads it (Show Virtual Server).
   */
  readonly bootVolumeId?: string | undefined;
  /** The VPC of the server's subnets. Refresh reads it (Show Virtual Server). */
  readonly vpcId?: string | undefined;
  /** vCPUs, RAM (GB) and disk (GB) of the server type. Refresh reads it (Show Virtual Server). */
  readonly serverType?: ServerTypeSize | undefined;
  /** The auto-scaling group the server belongs to, if any. Refresh reads it (Show Virtual Server). */
  readonly autoScalingGroupId?: string | undefined;
  /** When the server was created (ISO 8601). Refresh reads it (Show Virtual Server). */
  readonly createdAt?: string | undefined;
  /**
   * The port of each of `networks`, in order: the server's own interfaces. Interfaces added later (a
   * `ServerInterface`) are not among them, so they are never drift of `networks`. Refresh reads them (List
   * Server Interfaces).
   */
  readonly networkPortIds?: string[] | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = [
  "state",
  "userDataHash",
  "addresses",
  "bootVolumeId",
  "vpcId",
  "serverType",
  "autoScalingGroupId",
  "createdAt",
  "networkPortIds",
] as const satisfies readonly (keyof VirtualServerOutputs)[];
const _everyOutputListed: ListsEveryOutput<VirtualServerOutputs, VirtualServerInputs, typeof OUTPUT_KEYS> = true;

// ---- Inputs → API requests ----------------------------------------------------------------------------

/** The Create Virtual Server body; `marker` goes into the metadata, where the next run can find it. */
function createRequest(inputs: VirtualServerInputs, marker: string | undefined) {
  return {
    name: inputs.name,
    image_id: inputs.imageId,
    server_type_id: inputs.serverTypeId,
    keypair_name: inputs.keypairName,
    networks: inputs.networks.map((n) => ({
      subnet_id: n.subnetId,
      fixed_ip: n.fixedIp,
      port_id: n.portId,
      public_ip_id: n.publicIpId,
    })),
    volumes: inputs.bootVolume
      ? [
          {
            boot_index: 0,
            size: inputs.bootVolume.size,
            type: inputs.bootVolume.type,
            delete_on_termination: inputs.bootVolume.deleteOnTermination ?? true,
          },
        ]
      : [],
    security_groups: encodeStringList(inputs.securityGroupIds ?? []),
    server_group_id: inputs.serverGroupId,
    partition_number: inputs.partitionNumber,
    user_data: inputs.userData === undefined ? undefined : Buffer.from(inputs.userData).toString("base64"),
    metadata:
      inputs.metadata || marker
        ? JSON.stringify({ ...inputs.metadata, ...(marker ? { [MARKER_METADATA_KEY]: marker } : {}) })
        : "",
    tags: encodeTags(inputs.tags),
    product_category: inputs.productCategory,
    product_offering: inputs.productOffering,
    max_count: 1,
    lock: false,
  };
}

// ---- API objects → outputs ----------------------------------------------------------------------------

/** Show Virtual Server, as the reference documents it (no failure reason, no tags, no user data). */
const apiServer = z.looseObject({
  id: z.string(),
  name: z.string(),
  state: z.string(),
  image_id: z.string().nullish(),
  keypair_name: z.string().nullish(),
  locked: z.boolean().nullish(),
  metadata: z.unknown().optional(),
  server_group_id: z.string().nullish(),
  partition_number: z.number().nullish(),
  product_category: z.string().nullish(),
  product_offering: z.string().nullish(),
  vpc_id: z.string().nullish(),
  auto_scaling_group_id: z.string().nullish(),
  created_at: z.string().nullish(),
  server_type: z
    .looseObject({
      id: z.string(),
      vcpus: z.number().optional(),
      ram: z.number().optional(),
      disk: z.number().optional(),
    })
    .nullish(),
  addresses: z
    .array(
      z.looseObject({
        subnet_name: z.string().nullish(),
        ip_addresses: z.array(z.looseObject({ ip_address: z.string() })).nullish(),
      }),
    )
    .nullish(),
  volumes: z.array(z.looseObject({ id: z.string(), delete_on_termination: z.boolean().nullish() })).nullish(),
});
type ApiServer = z.infer<typeof apiServer>;

const apiSecurityGroups = z.object({ security_groups: z.array(z.looseObject({ id: z.string() })) });

/** List Server Interfaces: the only answer that names each network's subnet, port, fixed IP and public IP. */
const apiInterfaces = z.object({
  interfaces: z.array(
    z.looseObject({
      subnet_id: z.string().nullish(),
      port_id: z.string().nullish(),
      fixed_ips: z.array(z.looseObject({ ip_address: z.string() })).nullish(),
      static_nat: z
        .looseObject({ publicip_id: z.string().nullish(), external_ip_address: z.string().nullish() })
        .nullish(),
    }),
  ),
});
type ApiInterface = z.infer<typeof apiInterfaces>["interfaces"][number];

/** What one full read of a server gathers. */
interface LiveServer {
  readonly server: ApiServer;
  readonly securityGroupIds?: string[] | undefined;
  readonly interfaces?: ApiInterface[] | undefined;
  readonly bootVolume?: { size: number; type?: string | undefined; deleteOnTermination?: boolean | undefined };
}

const powerStateOf = (state: string): PowerState => (state === "SHUTOFF" ? "SHUTOFF" : "ACTIVE");

/** Server metadata comes back as the string it was sent as (JSON of a string map); anything else is unreadable. */
function decodeMetadata(raw: unknown): Record<string, string> | undefined {
  if (raw === "" || raw === null || raw === undefined) return {};
  if (typeof raw === "object" && !Array.isArray(raw)) return raw as Record<string, string>;
  if (typeof raw !== "string") return undefined;
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, string>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The server's own interfaces, one per network: those whose ports state recorded, in that order; before any
 * were recorded (the create's first read, an import), the first ones, one per declared network.
 */
function ownInterfaces(
  interfaces: readonly ApiInterface[],
  declared: VirtualServerInputs["networks"] | undefined,
  portIds: readonly string[] | undefined,
): ApiInterface[] {
  if (portIds && portIds.length > 0) return portIds.flatMap((p) => interfaces.filter((i) => i.port_id === p));
  return declared ? interfaces.slice(0, declared.length) : [...interfaces];
}

/**
 * The addresses of the server's own networks. An interface added later (a `ServerInterface`) may show in
 * Show Virtual Server's addresses too; it is that resource's, and counting it here would make the server's
 * outputs change on the first refresh after every interface added or removed. Unknown interfaces: all.
 */
function ownAddresses(
  addresses: ApiServer["addresses"],
  own: readonly ApiInterface[] | undefined,
): VirtualServerOutputs["addresses"] {
  const ips = own
    ? new Set(
        own.flatMap((i) => [
          ...(i.fixed_ips ?? []).map((f) => f.ip_address),
          ...(i.static_nat?.external_ip_address ? [i.static_nat.external_ip_address] : []),
        ]),
      )
    : undefined;
  return (addresses ?? [])
    .map((a) => ({
      subnetName: a.subnet_name ?? undefined,
      ipAddresses: (a.ip_addresses ?? []).map((ip) => ip.ip_address).filter((ip) => ips?.has(ip) ?? true),
    }))
    .filter((a) => a.ipAddresses.length > 0 || ips === undefined);
}

/** The program's networks as the interfaces say they are, keeping only the fields the program set. */
function networksFromInterfaces(
  interfaces: readonly ApiInterface[],
  declared: VirtualServerInputs["networks"] | undefined,
): VirtualServerInputs["networks"] {
  return interfaces.map((i, index) => {
    // An interface without a NAT answers it with empty strings (the reference shows no null).
    const live = {
      subnetId: i.subnet_id ?? "",
      fixedIp: i.fixed_ips?.[0]?.ip_address,
      portId: i.port_id || undefined,
      publicIpId: i.static_nat?.publicip_id || undefined,
    };
    const set = declared?.[index] ?? { subnetId: "" };
    return {
      subnetId: live.subnetId,
      ...("fixedIp" in set && set.fixedIp !== undefined ? { fixedIp: live.fixedIp } : {}),
      ...("portId" in set && set.portId !== undefined ? { portId: live.portId } : {}),
      ...("publicIpId" in set && set.publicIpId !== undefined ? { publicIpId: live.publicIpId } : {}),
    };
  });
}

/**
 * Outputs from a full read. Every input the API returns takes its live value; write-only inputs (user data,
 * tags) keep the program's. An empty string in an id field means "none", as null does.
 */
function toOutputs(live: LiveServer, inputs: VirtualServerInputs): VirtualServerOutputs {
  const api = live.server;
  // Without the creation marker, which is the provider's, not the program's.
  const { [MARKER_METADATA_KEY]: _marker, ...metadata } = decodeMetadata(api.metadata) ?? {};
  const declaredBoot = inputs.bootVolume;
  const recorded = (inputs as Partial<VirtualServerOutputs>).networkPortIds;
  const own = live.interfaces ? ownInterfaces(live.interfaces, inputs.networks, recorded) : undefined;
  return {
    ...inputs,
    name: api.name,
    imageId: api.image_id ?? inputs.imageId,
    serverTypeId: api.server_type?.id ?? inputs.serverTypeId,
    keypairName: api.keypair_name || undefined,
    serverGroupId: api.server_group_id || undefined,
    partitionNumber: api.partition_number ?? undefined,
    productCategory: (api.product_category ?? inputs.productCategory) as VirtualServerInputs["productCategory"],
    productOffering: (api.product_offering ?? inputs.productOffering) as VirtualServerInputs["productOffering"],
    networks: own ? networksFromInterfaces(own, inputs.networks) : inputs.networks,
    networkPortIds: own ? own.map((i) => i.port_id ?? "") : recorded,
    securityGroupIds: live.securityGroupIds ?? inputs.securityGroupIds,
    metadata: decodeMetadata(api.metadata) === undefined ? inputs.metadata : metadata,
    bootVolume:
      declaredBoot && live.bootVolume
        ? {
            size: live.bootVolume.size,
            ...(declaredBoot.type !== undefined ? { type: live.bootVolume.type ?? declaredBoot.type } : {}),
            ...(declaredBoot.deleteOnTermination !== undefined
              ? { deleteOnTermination: live.bootVolume.deleteOnTermination ?? declaredBoot.deleteOnTermination }
              : {}),
          }
        : declaredBoot,
    locked: api.locked ?? false,
    state: api.state,
    powerState: powerStateOf(api.state),
    userDataHash: hashUserData(inputs.userData),
    addresses: ownAddresses(api.addresses, own),
    bootVolumeId: api.volumes?.[0]?.id,
    vpcId: api.vpc_id || undefined,
    serverType: api.server_type
      ? { vcpus: api.server_type.vcpus, ram: api.server_type.ram, disk: api.server_type.disk }
      : undefined,
    autoScalingGroupId: api.auto_scaling_group_id || undefined,
    createdAt: api.created_at ?? undefined,
  };
}

function showServer(ctx: ResourceContext, id: string) {
  return ctx.client
    .find("showVirtualServer", { path: { server_id: id } })
    .then((b) => (b === undefined ? undefined : apiServer.parse(b)));
}

/** The servers of this name (List Virtual Servers filters by name; the match is checked here, exactly). */
async function serversNamed(ctx: ResourceContext, name: string): Promise<ApiServer[]> {
  const list = await ctx.client.call<{ servers: unknown[] }>("listVirtualServers", { query: { name } });
  return list.body.servers.map((s) => apiServer.parse(s)).filter((s) => s.name === name);
}

/** One listing of servers for every wait of the process (List Virtual Servers answers whole servers, as Show does). */
function serverListing(ctx: ResourceContext, id: string): SharedListing<ApiServer> {
  return {
    scope: ctx.client,
    kind: "servers",
    id,
    complete: true,
    list: (wanted) => listForWaits(ctx.client, "listVirtualServers", "servers", apiServer, wanted),
  };
}

/** Security group ids through their own listing (Show Virtual Server gives only names). */
async function securityGroupIdsOf(ctx: ResourceContext, id: string): Promise<string[] | undefined> {
  const body = await ctx.client.find("listVirtualServerSecurityGroup", { path: { server_id: id } });
  return body === undefined ? undefined : apiSecurityGroups.parse(body).security_groups.map((g) => g.id);
}

async function interfacesOf(ctx: ResourceContext, id: string): Promise<ApiInterface[] | undefined> {
  const body = await ctx.client.find("listServerInterfaces", { path: { server_id: id } });
  return body === undefined ? undefined : apiInterfaces.parse(body).interfaces;
}

async function bootVolumeOf(ctx: ResourceContext, server: ApiServer): Promise<LiveServer["bootVolume"]> {
  const first = server.volumes?.[0];
  if (!first) return undefined;
  // The volume, for the boot volume's size and type (Show Virtual Server gives only its id): from a volume
  // listing made for other waits when one is due, else Show Volume.
  const volume = await readShared(volumeListing(ctx, first.id), () => showVolume(ctx, first.id));
  if (volume === undefined) return undefined;
  // Show Virtual Server does not mark the boot volume; the first one is it only if Show Volume says bootable.
  if (volume.bootable === false) return undefined;
  return {
    size: volume.size,
    type: volume.volume_type ?? undefined,
    deleteOnTermination: first.delete_on_termination ?? undefined,
  };
}

/** Show Virtual Server plus the listings that hold what it does not: one full read of the server. */
async function readLiveServer(ctx: ResourceContext, id: string, server?: ApiServer): Promise<LiveServer | undefined> {
  const shown = server ?? (await showServer(ctx, id));
  if (!shown) return undefined;
  const [securityGroupIds, interfaces, bootVolume] = await Promise.all([
    securityGroupIdsOf(ctx, id),
    interfacesOf(ctx, id),
    bootVolumeOf(ctx, shown),
  ]);
  return { server: shown, securityGroupIds, interfaces, bootVolume };
}

/**
 * SCP reports no reason for a server in ERROR; the end of its console log is the nearest thing to one
 * (Show Virtual Server Console Log).
 */
async function consoleTail(ctx: ResourceContext, id: string): Promise<string | undefined> {
  const body = await ctx.client
    .find<{ output?: unknown }>("showVirtualServerConsoleLog", { path: { server_id: id } })
    .catch(() => undefined);
  const output = typeof body?.output === "string" ? body.output.trim() : "";
  if (!output) return undefined;
  return `SCP gives no reason; the console log ends with: ${output.split("\n").slice(-5).join(" | ").slice(-500)}`;
}

async function waitForServer(
  ctx: ResourceContext,
  id: string,
  what: string,
  target: string[],
  timeoutMs: number,
  options: { readonly ready?: (s: ApiServer) => boolean; readonly startFrom?: { readonly state: string } } = {},
): Promise<ApiServer> {
  let failedReason: string | undefined;
  return waitForState({
    description: `server ${id} ${what}`,
    read: async () => {
      const server = await showServer(ctx, id);
      if (server?.state === "ERROR" && failedReason === undefined) failedReason = (await consoleTail(ctx, id)) ?? "";
      return server;
    },
    stateOf: (s) => s.state,
    shared: serverListing(ctx, id),
    reasonOf: () => failedReason || undefined,
    target,
    ...options,
    timeoutMs,
  });
}

async function setPowerState(ctx: ResourceContext, id: string, wanted: PowerState, timeoutMs: number): Promise<void> {
  // A lost answer after the call took effect: the server is on its way (or there) already.
  const underway = wanted === "SHUTOFF" ? ["POWERING_OFF", "SHUTOFF"] : ["POWERING_ON", "ACTIVE"];
  await ctx.client.change(
    wanted === "SHUTOFF" ? "stopVirtualServer" : "startVirtualServer",
    { path: { server_id: id } },
    async () => underway.includes((await showServer(ctx, id))?.state ?? ""),
  );
  await waitForServer(ctx, id, `to become ${wanted}`, [wanted], timeoutMs);
}

/**
 * The actions whose trigger changed, in place: a rebuild (from the server's image; the reference's 1.1
 * request has no body, L6848) or else a reboot (`reboot_type` SOFT, the only value the reference shows,
 * L6806), each waited for until ACTIVE again; then a dump, which is not waited for (it is an image in List
 * Pending Images). A lost answer is settled by the state the action moves the server into.
 */
async function runActions(
  ctx: ResourceContext,
  id: string,
  resource: string,
  changed: ReadonlySet<string>,
  timeoutMs: number,
): Promise<void> {
  const action = changed.has("rebuildTrigger") ? "rebuild" : changed.has("rebootTrigger") ? "reboot" : undefined;
  if (action !== undefined) {
    const underway = action === "rebuild" ? "REBUILD" : "REBOOT";
    await ctx.client.change(
      action === "rebuild" ? "rebuildVirtualServer" : "rebootVirtualServer",
      { path: { server_id: id }, ...(action === "reboot" ? { body: { reboot_type: "SOFT" } } : {}), resource },
      async () => (await showServer(ctx, id))?.state === underway,
    );
    await waitForServer(ctx, id, `to ${action} (back to ACTIVE)`, ["ACTIVE"], timeoutMs);
  }
  // A dump is an image; nothing on the server says one was made, so a lost answer is sent again (a second dump).
  if (changed.has("dumpTrigger"))
    await ctx.client.call("createVirtualServerDump", { path: { server_id: id }, resource });
}

/** Locks or unlocks the server; a lost answer after the call took effect is the change done. */
async function setLocked(ctx: ResourceContext, id: string, locked: boolean, resource?: string): Promise<void> {
  // Locked (or unlocked) already: a killed run did it before recording it.
  if ((await showServer(ctx, id))?.locked === locked) return;
  await ctx.client.change(
    locked ? "lockVirtualServer" : "unlockVirtualServer",
    { path: { server_id: id }, ...(resource ? { resource } : {}) },
    async () => (await showServer(ctx, id))?.locked === locked,
  );
}

/** The way out when SCP refuses the 1.0-only security group operations. */
function securityGroupRefusal(error: unknown, resource: string): unknown {
  if (!(error instanceof ScpApiError) || (error.status !== 406 && error.status !== 400)) return error;
  return new Error(
    `${resource}: ${error.operation} (API version ${SECURITY_GROUP_API_VERSION}) was refused: ${error.status} ${error.detail}. ` +
      `Attach/Detach Virtual Server Security Group exist only as version ${SECURITY_GROUP_API_VERSION}, supported until 2025-12-31. ` +
      `Set securityGroupUpdate: "replace" to apply the change by replacing the server, or set scp:apiVersions ` +
      `(e.g. {"${error.operation}":"1.1"}) if SCP serves a newer version.`,
  );
}

const SECURITY_GROUP_API_VERSION = "1.0";

async function changeSecurityGroups(
  ctx: ResourceContext,
  id: string,
  resource: string,
  current: readonly string[],
  wanted: readonly string[],
): Promise<void> {
  try {
    for (const group of wanted.filter((g) => !current.includes(g))) {
      await ctx.client.call("attachVirtualServerSecurityGroup", {
        path: { server_id: id },
        body: { security_group_id: group },
        resource,
      });
    }
    for (const group of current.filter((g) => !wanted.includes(g))) {
      await ctx.client.call("detachVirtualServerSecurityGroup", {
        path: { server_id: id, security_group_id: group },
        resource,
      });
    }
  } catch (error) {
    throw securityGroupRefusal(error, resource);
  }
}

/** Grows the boot volume in place (Extend Volume) and keeps its delete-on-termination flag in step. */
async function updateBootVolume(
  ctx: ResourceContext,
  id: string,
  resource: string,
  olds: VirtualServerOutputs,
  wanted: NonNullable<VirtualServerInputs["bootVolume"]>,
): Promise<void> {
  const volumeId = olds.bootVolumeId;
  if (!volumeId) throw new Error(`${resource}: the boot volume's id is not known; run pulumi refresh first`);
  const current = olds.bootVolume;
  if (current && wanted.size < current.size) {
    throw new Error(
      `${resource}: bootVolume.size: the boot volume is ${current.size} GB and volumes cannot shrink; set bootVolume.size to ${current.size} or more`,
    );
  }
  if (!current || wanted.size > current.size) {
    await growVolume(
      ctx,
      volumeId,
      wanted.size,
      `(boot volume of ${resource}) to grow to ${wanted.size} GB`,
      ctx.timeouts.updateMs,
      resource,
    );
  }
  if (
    wanted.deleteOnTermination !== undefined &&
    wanted.deleteOnTermination !== (current?.deleteOnTermination ?? true)
  ) {
    await ctx.client.call("updateServerVolume", {
      path: { server_id: id, volume_id: volumeId },
      body: { delete_on_termination: wanted.deleteOnTermination, volume_id: volumeId },
      resource,
    });
  }
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<VirtualServerInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

/** States of a server on its way out: never taken over by a resumed create. */
const GONE_STATES = ["DELETING", "DELETED", "SOFT_DELETED"];

/**
 * The rest of a create once the server exists: its build, the power state and lock asked for, one read.
 * `startFrom`: what the create's acceptance tells (waiter.ts).
 */
async function finishCreate(
  ctx: ResourceContext,
  id: string,
  inputs: VirtualServerInputs,
  startFrom?: { readonly state: string },
) {
  const built = await waitForServer(ctx, id, "to become ACTIVE", ["ACTIVE"], ctx.timeouts.createMs, {
    ...(startFrom ? { startFrom } : {}),
  });
  if (inputs.powerState === "SHUTOFF") await setPowerState(ctx, id, "SHUTOFF", ctx.timeouts.createMs);
  if (inputs.locked) await setLocked(ctx, id, true);
  // The server as the wait last read it, unless stopping or locking it changed it since.
  const changedSinceBuild = inputs.powerState === "SHUTOFF" || inputs.locked === true;
  const live = await readLiveServer(ctx, id, changedSinceBuild ? undefined : built);
  if (!live) throw new Error(`server "${inputs.name}" (${id}) disappeared after its build`);
  return toOutputs(live, inputs);
}

export const spec: ResourceSpec<VirtualServerInputs, VirtualServerOutputs> = {
  kind: "server",
  autoName: true,
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(30), updateMs: minutes(30), deleteMs: minutes(30) },
  diffRules,
  describe: (inputs, id) => `server "${inputs.name}"${id ? ` (${id})` : ""}`,
  replacesBeyondRules: (olds, news) => {
    const wanted = news as Partial<VirtualServerInputs>;
    const groupsChanged =
      wanted.securityGroupIds !== undefined &&
      JSON.stringify(normalize.unorderedList(wanted.securityGroupIds)) !==
        JSON.stringify(normalize.unorderedList(olds.securityGroupIds));
    const typeChanged =
      wanted.bootVolume?.type !== undefined &&
      wanted.bootVolume.type !== (olds.bootVolume?.type ?? wanted.bootVolume.type);
    return [
      // The only current-version way to change a server's security groups is a new server.
      ...(groupsChanged && (wanted.securityGroupUpdate ?? "replace") === "replace" ? ["securityGroupIds"] : []),
      ...(typeChanged ? ["bootVolume"] : []),
      // A server left in ERROR (a failed build kept in state) is replaced by the next up.
      ...(olds.state === "ERROR" ? ["state"] : []),
    ];
  },
  warnings(olds, news) {
    const wanted = news as Partial<VirtualServerInputs>;
    if (wanted.securityGroupUpdate !== "attach-detach" || wanted.securityGroupIds === undefined) return [];
    const before = JSON.stringify(normalize.unorderedList(olds.securityGroupIds));
    if (before === JSON.stringify(normalize.unorderedList(wanted.securityGroupIds))) return [];
    return [
      `securityGroupIds will be changed in place with Attach/Detach Virtual Server Security Group, which exist only as API version ${SECURITY_GROUP_API_VERSION} (supported until 2025-12-31); if SCP refuses them, set securityGroupUpdate: "replace"`,
    ];
  },

  async create(ctx, inputs, created, marker) {
    const startedAt = new Date().toISOString();
    const answer = await ctx.client.create<{ servers: { id: string }[] }>(
      "createVirtualServer",
      { body: createRequest(inputs, marker), resource: `server "${inputs.name}"` },
      async () => {
        // An answer lost after the server was accepted: the server of this name created since then is ours.
        const found = (await serversNamed(ctx, inputs.name)).find((s) => (s.created_at ?? "") >= startedAt);
        return found ? { servers: [{ id: found.id }] } : undefined;
      },
    );
    const id = answer.servers[0]?.id;
    if (!id) throw new Error(`createVirtualServer answered without a server id for server "${inputs.name}"`);
    created(id);
    // A server just accepted is building (BUILD → ACTIVE): the wait assumes BUILD instead of reading at once.
    return { id, outputs: await finishCreate(ctx, id, inputs, { state: "BUILD" }) };
  },

  async findCreated(ctx, inputs, marker) {
    // Every create asks; the creates of one `up` share one listing where the account's servers fit a page.
    const named = await findShared(
      {
        scope: ctx.client,
        kind: "servers",
        key: inputs.name,
        listWhole: async () =>
          (await listWholeKind(ctx.client, "listVirtualServers", "servers"))?.map((s) => apiServer.parse(s)),
        matches: (s, name) => s.name === name,
      },
      () => serversNamed(ctx, inputs.name),
    );
    return named.filter((s) => !GONE_STATES.includes(s.state) && markerIn(s.metadata) === marker).map((s) => s.id);
  },

  resumeCreate: (ctx, id, inputs) => finishCreate(ctx, id, inputs),

  async read(ctx, id, olds) {
    const previous = olds as VirtualServerOutputs;
    const live = await readLiveServer(ctx, id);
    if (!live) return undefined;
    const outputs = toOutputs(live, previous);
    return {
      outputs: { ...outputs, userDataHash: previous.userDataHash },
      inputs: inputsFromOutputs(diffRules, outputs),
    };
  },

  async update(ctx, id, olds, news, changed) {
    const resource = `server "${news.name}" (${id})`;
    const wantLocked = news.locked ?? olds.locked;
    if (olds.locked && !wantLocked) await setLocked(ctx, id, false, resource);
    if (changed.has("name"))
      await ctx.client.call("updateVirtualServer", { path: { server_id: id }, body: { name: news.name }, resource });
    if (changed.has("serverTypeId")) {
      const live = await showServer(ctx, id);
      const previous = live ? powerStateOf(live.state) : olds.powerState;
      // A type already applied (a killed run's, before it recorded it) is not asked for again.
      if (live?.server_type?.id !== news.serverTypeId && live?.state !== "RESIZE")
        await ctx.client.change(
          "updateVirtualServerType",
          { path: { server_id: id }, body: { server_type: news.serverTypeId }, resource },
          async () => {
            const server = await showServer(ctx, id);
            return server?.state === "RESIZE" || server?.server_type?.id === news.serverTypeId;
          },
        );
      await waitForServer(ctx, id, `to take type ${news.serverTypeId}`, [previous], ctx.timeouts.updateMs, {
        ready: (s) => s.server_type?.id === news.serverTypeId,
      });
    }
    if (changed.has("bootVolume") && news.bootVolume) await updateBootVolume(ctx, id, resource, olds, news.bootVolume);
    if (changed.has("securityGroupIds") && news.securityGroupIds) {
      await changeSecurityGroups(ctx, id, resource, olds.securityGroupIds ?? [], news.securityGroupIds);
    }
    await runActions(ctx, id, resource, changed, ctx.timeouts.updateMs);
    if (changed.has("powerState") && news.powerState) {
      const live = await showServer(ctx, id);
      if (live && powerStateOf(live.state) !== news.powerState)
        await setPowerState(ctx, id, news.powerState, ctx.timeouts.updateMs);
    }
    if (!olds.locked && wantLocked) await setLocked(ctx, id, true, resource);
    const final = await readLiveServer(ctx, id);
    if (!final) throw new Error(`${resource} disappeared during the update`);
    return { ...toOutputs(final, { ...olds, ...news }), userDataHash: olds.userDataHash };
  },

  async delete(ctx, id) {
    const live = await showServer(ctx, id);
    if (!live) return;
    if (live.locked) {
      throw new Error(
        `server "${live.name}" (${id}) is locked: set locked: false and run pulumi up before deleting it (the provider does not unlock servers on its own)`,
      );
    }
    await ctx.client.change(
      "deleteVirtualServer",
      { path: { server_id: id }, resource: `server "${live.name}" (${id})` },
      async () => {
        const now = await showServer(ctx, id);
        return now === undefined || now.state === "DELETING";
      },
    );
    await waitUntilGone({
      description: `server ${id} to be deleted`,
      read: () => showServer(ctx, id),
      shared: serverListing(ctx, id),
      stateOf: (s) => s.state,
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = withQuotaCheck(defineResourceProvider(spec), serverDemand);

// ---- The Resource class -------------------------------------------------------------------------------

/** A network as the schema holds it (the build spells it out, so the `.d.ts` never names zod). */
type NetworkInputs = z.infer<typeof networkSchema>;

/** One of a `VirtualServer`'s `networks` (each member documented in its schema). */
export interface NetworkArgs extends ArgObject<NetworkInputs> {}

/** The arguments of a `VirtualServer` (each documented where it is declared, in `properties`). */
export interface VirtualServerArgs extends ArgsOf<VirtualServerInputs, "name"> {}

/**
 * A virtual machine of the SCP Virtual Server API, created and waited for until it runs (`powerState`),
 * then resized, started/stopped, locked and given other security groups in place.
 *
 * ```ts
 * const web = new VirtualServer("web", {
 *   name: "web-1",
 *   imageId: "ubuntu-22.04-image-id",
 *   serverTypeId: "s1v2m4",
 *   networks: [{ subnetId: "subnet-id" }],
 *   bootVolume: { size: 50 },
 * });
 * export const address = web.addresses;
 * ```
 */
export const VirtualServer = resourceClass<VirtualServerArgs, VirtualServerOutputs, typeof OUTPUT_KEYS>({
  type: "VirtualServer",
  implementation: "virtual-server",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
  secretInputs: ["userData"],
});
/** A `VirtualServer`: its inputs and outputs as the engine resolves them (see `VirtualServerArgs`, `VirtualServerOutputs`). */
export type VirtualServer = InstanceType<typeof VirtualServer>;
