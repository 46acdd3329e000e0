/** Virtual servers: build, power and type changes, lock, security groups, deletion with its volumes. */
import { createHash } from "node:crypto";
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS, interfacesOf } from "../collections";
import type { ApiObject, EmulatorWorld, Handler } from "../context";
import { ApiFault, badRequest, conflict } from "../errors";
import { listResponse } from "../listing";
import { mustGet, optionalBool, optionalInt, optionalString, pythonList, enumOrDefault, requireString } from "./common";
import { attachVolume, createVolumeObject, detachAll } from "./volumes";

export const SERVERS = COLLECTIONS.servers;
const STEADY = ["ACTIVE", "SHUTOFF", "ERROR"];

/** A server's address in one subnet; the subnet id is kept for Show Server Ip but not answered. */
export interface ServerAddress {
  readonly subnet_id: string;
  readonly subnet_name: string;
  readonly ip_addresses: { readonly ip_address: string; readonly version: number }[];
}

/** A server type as a server shows it (Show Server Type adds a description). */
export function nestedServerType(type: ApiObject | undefined, id: string): Record<string, unknown> {
  return {
    disk: type?.disk ?? 0,
    ephemeral: type?.ephemeral ?? 0,
    extra_specs: type?.extra_specs ?? "",
    id,
    name: type?.name ?? id,
    ram: type?.ram ?? 0,
    swap: type?.swap ?? 0,
    vcpus: type?.vcpus ?? 0,
  };
}

export const addressView = (a: ServerAddress) => ({
  ip_addresses: a.ip_addresses.map((ip) => ({ ip_address: ip.ip_address, version: ip.version })),
  subnet_name: a.subnet_name,
});

/**
 * A server's addresses follow its interfaces, as a port-based cloud's do: one entry per interface, in the
 * order they were added, with its fixed IPs and, while its static NAT is ACTIVE, the public IP. An interface
 * added after the build (Create Server Interface) shows here too, and one removed goes.
 */
export function addressesOf(world: EmulatorWorld, server: ApiObject): ServerAddress[] {
  return world.store.list(interfacesOf(String(server.id))).map((i) => {
    const nat = i.static_nat as { external_ip_address?: string; state?: string } | null | undefined;
    return {
      subnet_id: String(i.subnet_id),
      subnet_name: subnetName(String(i.subnet_id)),
      ip_addresses: [
        ...(i.fixed_ips as { ip_address: string }[]).map((f) => ({ ip_address: f.ip_address, version: 4 })),
        ...(nat?.state === "ACTIVE" && nat.external_ip_address
          ? [{ ip_address: nat.external_ip_address, version: 4 }]
          : []),
      ],
    };
  });
}

const subnetName = (subnetId: string) => `subnet-${subnetId.slice(0, 8)}`;

/** The type of a boot volume the request does not type (List Default Configs answers it). */
export const DEFAULT_BOOT_VOLUME_TYPE = "SSD";

/** A server created without volumes boots from a disk of its type's size (100 GB for a type without one). */
export function defaultBootSize(world: EmulatorWorld, serverTypeId: unknown): number {
  const disk = Number(world.store.get(COLLECTIONS.serverTypes, String(serverTypeId))?.disk ?? 0);
  return disk > 0 ? disk : 100;
}

/**
 * A server as Show / List / Update Virtual Server answer it: exactly the reference's keys. Values SCP
 * leaves unset (no group, no keypair) are answered in the reference's types, as it prints them: "" for
 * strings, 0 for numbers.
 */
export function serverView(server: ApiObject, world: EmulatorWorld): Record<string, unknown> {
  const sgIds = (server._security_group_ids as string[] | undefined) ?? [];
  const typeId = String(server._server_type_id);
  return {
    account_id: server.account_id,
    addresses: addressesOf(world, server).map(addressView),
    auto_scaling_group_id: server.auto_scaling_group_id ?? "",
    created_at: server.created_at,
    created_by: server.created_by,
    disk_config: server.disk_config,
    id: server.id,
    image_id: server.image_id,
    is_marketplace: server.is_marketplace,
    keypair_name: server.keypair_name ?? "",
    launch_configuration_id: server.launch_configuration_id ?? "",
    locked: server.locked,
    metadata: server.metadata ?? "",
    modified_at: server.modified_at,
    name: server.name,
    partition_number: server.partition_number ?? 0,
    planned_compute_os_type: server.planned_compute_os_type,
    product_category: server.product_category,
    product_offering: server.product_offering,
    security_groups: sgIds.map((id) => ({ name: `sg-${id.slice(0, 8)}` })),
    server_group_id: server.server_group_id ?? "",
    server_type: nestedServerType(world.store.get(COLLECTIONS.serverTypes, typeId), typeId),
    state: server.state,
    volumes: (server.volumes as { id: string; delete_on_termination: boolean }[]).map((v) => ({
      delete_on_termination: v.delete_on_termination,
      id: v.id,
    })),
    vpc_id: server.vpc_id,
  };
}

function assertSteady(server: ApiObject, action: string): void {
  if (!STEADY.includes(String(server.state))) {
    throw conflict(`Cannot ${action} server ${server.id} while it is ${server.state}`);
  }
}

function assertUnlocked(server: ApiObject, action: string): void {
  if (server.locked) throw conflict(`Server ${server.id} is locked; unlock it to ${action}`);
}

function nextIp(world: EmulatorWorld): string {
  const n = world.store.next("privateIp") + 10;
  return `192.168.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
}

const nextPublicIp = (world: EmulatorWorld) => `203.0.113.${(world.store.next("publicIp") % 250) + 2}`;

/** Creates one server object and schedules its build; used by Create Virtual Server and by ASGs. */
export function buildServer(
  world: EmulatorWorld,
  spec: {
    name: string;
    imageId: string;
    serverTypeId: string;
    keypairName?: string | undefined;
    networks: { subnet_id: string; fixed_ip?: string; public_ip_id?: string; port_id?: string }[];
    securityGroupIds: string[];
    serverGroupId?: string | undefined;
    partitionNumber?: number | undefined;
    volumes: { size: number; type?: string; boot_index?: number; delete_on_termination?: boolean }[];
    userData?: string | undefined;
    metadata?: unknown;
    tags?: unknown;
    locked?: boolean | undefined;
    autoScalingGroupId?: string | undefined;
    launchConfigurationId?: string | undefined;
    productCategory?: string | undefined;
    productOffering?: string | undefined;
  },
): ApiObject {
  const { store } = world;
  const now = store.isoNow();
  const vpcId = createHash("md5")
    .update(spec.networks[0]?.subnet_id ?? "default")
    .digest("hex");
  const server: ApiObject = {
    id: store.newId(),
    account_id: world.accountId,
    auto_scaling_group_id: spec.autoScalingGroupId ?? null,
    created_at: now,
    created_by: world.userId,
    disk_config: "MANUAL",
    image_id: spec.imageId,
    is_marketplace: false,
    keypair_name: spec.keypairName ?? null,
    launch_configuration_id: spec.launchConfigurationId ?? null,
    locked: spec.locked ?? false,
    metadata: spec.metadata ?? "",
    modified_at: now,
    name: spec.name,
    partition_number: spec.partitionNumber ?? null,
    planned_compute_os_type: "linux",
    product_category: spec.productCategory ?? "compute",
    product_offering: spec.productOffering ?? "virtual_server",
    server_group_id: spec.serverGroupId ?? null,
    state: "BUILD",
    volumes: [],
    vpc_id: vpcId,
    _server_type_id: spec.serverTypeId,
    _security_group_ids: spec.securityGroupIds,
    _networks: spec.networks,
    _user_data: spec.userData,
    // Tags are taken at creation only and never answered (no operation of the reference returns them).
    _tags: spec.tags,
  };
  store.put(SERVERS, server);
  // One interface per network, as List Server Interfaces shows them: the only answer naming each network's
  // subnet, port, fixed IP and public IP; the server's addresses follow them (addressesOf).
  for (const n of spec.networks) {
    const portId = n.port_id ?? store.newId();
    store.put(interfacesOf(String(server.id)), {
      id: portId,
      port_id: portId,
      subnet_id: n.subnet_id,
      fixed_ips: [{ ip_address: n.fixed_ip ?? nextIp(world) }],
      mac_addr: `fa:16:3e:${String(store.next("mac") % 256).padStart(2, "0")}:71:2b`,
      port_state: "ACTIVE",
      static_nat: n.public_ip_id
        ? {
            id: store.newHexId(),
            external_ip_address: nextPublicIp(world),
            publicip_id: n.public_ip_id,
            state: "ACTIVE",
          }
        : null,
      private_static_nat: null,
    });
  }
  const volumes =
    spec.volumes.length > 0
      ? spec.volumes
      : [
          {
            size: defaultBootSize(world, spec.serverTypeId),
            type: DEFAULT_BOOT_VOLUME_TYPE,
            boot_index: 0,
            delete_on_termination: true,
          },
        ];
  for (const [index, v] of volumes.entries()) {
    const volume = createVolumeObject(world, {
      name: `${spec.name}-vol${index}`,
      size: v.size,
      volumeType: v.type ?? DEFAULT_BOOT_VOLUME_TYPE,
      bootable: (v.boot_index ?? index) === 0,
      imageId: (v.boot_index ?? index) === 0 ? spec.imageId : undefined,
    });
    volume.state = "available";
    attachVolume(world, volume, server, v.delete_on_termination ?? (v.boot_index ?? index) === 0);
    volume.state = "in-use";
  }
  const outcome = world.takeOutcome("server");
  store.schedule(store.durations.serverBuildMs, () => {
    if (store.get(SERVERS, server.id) !== server || server.state !== "BUILD") return;
    server.state = outcome?.state ?? "ACTIVE";
    if (outcome?.reason) server._error_reason = outcome.reason;
    server.modified_at = store.isoNow();
  });
  return server;
}

/** Starts deleting a server: volumes with delete-on-termination go with it, others are detached. */
export function destroyServer(world: EmulatorWorld, server: ApiObject): void {
  const { store } = world;
  server.state = "DELETING";
  store.schedule(store.durations.serverDeleteMs, () => {
    detachAll(world, server);
    for (const i of store.list(interfacesOf(String(server.id)))) store.remove(interfacesOf(String(server.id)), i.id);
    store.remove(SERVERS, server.id);
  });
}

function transition(
  world: EmulatorWorld,
  server: ApiObject,
  during: string,
  after: string,
  ms: number,
  apply?: () => void,
) {
  server.state = during;
  server.modified_at = world.store.isoNow();
  world.store.schedule(ms, () => {
    if (world.store.get(SERVERS, server.id) !== server || server.state !== during) return;
    apply?.();
    server.state = after;
    server.modified_at = world.store.isoNow();
  });
}

const server = (req: Parameters<Handler>[0], world: EmulatorWorld) =>
  mustGet(world, SERVERS, req.params.server_id ?? "", "Server");

export const serverHandlers = {
  createVirtualServer: (req, world) => {
    const { body, store } = { body: req.body, store: world.store };
    const name = requireString(body, "name");
    const imageId = requireString(body, "image_id");
    const serverTypeId = requireString(body, "server_type_id");
    mustGet(world, COLLECTIONS.images, imageId, "Image");
    mustGet(world, COLLECTIONS.serverTypes, serverTypeId, "Server type");
    const keypairName = optionalString(body, "keypair_name") || undefined;
    if (keypairName) mustGet(world, COLLECTIONS.keypairs, keypairName, "Keypair");
    const serverGroupId = optionalString(body, "server_group_id") || undefined;
    if (serverGroupId) mustGet(world, COLLECTIONS.serverGroups, serverGroupId, "Server group");
    if (!Array.isArray(body.networks) || body.networks.length === 0)
      throw badRequest("networks: at least one network is required");
    const networks = body.networks.map((n, i) => {
      if (typeof n !== "object" || n === null || typeof (n as Record<string, unknown>).subnet_id !== "string") {
        throw badRequest(`networks[${i}].subnet_id: field required`);
      }
      return n as { subnet_id: string; fixed_ip?: string; public_ip_id?: string };
    });
    const volumes = (Array.isArray(body.volumes) ? body.volumes : []) as { size: number; type?: string }[];
    for (const [i, v] of volumes.entries()) {
      if (typeof v.size !== "number" || v.size < 1) throw badRequest(`volumes[${i}].size: must be a positive integer`);
      if (v.type && !store.list(COLLECTIONS.volumeTypes).some((t) => t.name === v.type))
        throw badRequest(`volumes[${i}].type: unknown volume type ${v.type}`);
    }
    const productCategory = enumOrDefault(body, "product_category", ["compute", "container"], "compute");
    const productOffering = enumOrDefault(
      body,
      "product_offering",
      ["virtual_server", "gpu_server", "k8s_vm", "k8s_gpu_vm"],
      "virtual_server",
    );
    const count = optionalInt(body, "max_count", 1, 100) ?? 1;
    const created = [];
    for (let i = 0; i < count; i++) {
      created.push(
        buildServer(world, {
          name: count > 1 ? `${name}-${i + 1}` : name,
          imageId,
          serverTypeId,
          keypairName,
          networks,
          securityGroupIds: pythonList(body.security_groups, "security_groups"),
          serverGroupId,
          partitionNumber: optionalInt(body, "partition_number", 0, 100),
          volumes,
          userData: optionalString(body, "user_data"),
          metadata: body.metadata,
          tags: body.tags,
          locked: optionalBool(body, "lock"),
          productCategory,
          productOffering,
        }),
      );
    }
    return { status: 202, body: { servers: created.map((s) => ({ id: s.id })) } };
  },
  showVirtualServer: (req, world) => ({ status: 200, body: serverView(server(req, world), world) }),
  listVirtualServers: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(SERVERS), "servers", { view: (s) => serverView(s, world) }),
  }),
  updateVirtualServer: (req, world) => {
    const s = server(req, world);
    const name = optionalString(req.body, "name");
    if (name !== undefined) {
      if (name === "") throw badRequest("name: must not be empty");
      s.name = name;
    }
    s.modified_at = world.store.isoNow();
    return { status: 200, body: serverView(s, world) };
  },
  deleteVirtualServer: (req, world) => {
    const s = server(req, world);
    assertUnlocked(s, "delete it");
    if (s.state === "DELETING") throw conflict(`Server ${s.id} is already being deleted`);
    destroyServer(world, s);
    return { status: 202 };
  },
  startVirtualServer: (req, world) => {
    const s = server(req, world);
    assertUnlocked(s, "start it");
    if (s.state !== "SHUTOFF") throw conflict(`Server ${s.id} is ${s.state}, not SHUTOFF`);
    transition(world, s, "POWERING_ON", "ACTIVE", world.store.durations.serverActionMs);
    return { status: 202 };
  },
  stopVirtualServer: (req, world) => {
    const s = server(req, world);
    assertUnlocked(s, "stop it");
    if (s.state !== "ACTIVE") throw conflict(`Server ${s.id} is ${s.state}, not ACTIVE`);
    transition(world, s, "POWERING_OFF", "SHUTOFF", world.store.durations.serverActionMs);
    return { status: 202 };
  },
  rebootVirtualServer: (req, world) => {
    const s = server(req, world);
    assertUnlocked(s, "reboot it");
    if (s.state !== "ACTIVE") throw conflict(`Server ${s.id} is ${s.state}, not ACTIVE`);
    transition(world, s, "REBOOT", "ACTIVE", world.store.durations.serverActionMs);
    return { status: 202 };
  },
  rebuildVirtualServer: (req, world) => {
    const s = server(req, world);
    assertUnlocked(s, "rebuild it");
    assertSteady(s, "rebuild");
    const imageId = optionalString(req.body, "image_id") ?? String(s.image_id);
    mustGet(world, COLLECTIONS.images, imageId, "Image");
    transition(world, s, "REBUILD", "ACTIVE", world.store.durations.serverBuildMs, () => (s.image_id = imageId));
    return { status: 202 };
  },
  updateVirtualServerType: (req, world) => {
    const s = server(req, world);
    assertUnlocked(s, "change its type");
    assertSteady(s, "change the type of");
    const type = requireString(req.body, "server_type");
    mustGet(world, COLLECTIONS.serverTypes, type, "Server type");
    if (type === s._server_type_id) throw badRequest(`Server ${s.id} already has type ${type}`);
    const previous = String(s.state);
    transition(world, s, "RESIZE", previous, world.store.durations.serverResizeMs, () => (s._server_type_id = type));
    return { status: 202 };
  },
  lockVirtualServer: (req, world) => {
    const s = server(req, world);
    s.locked = true;
    return { status: 202 };
  },
  unlockVirtualServer: (req, world) => {
    const s = server(req, world);
    s.locked = false;
    return { status: 202 };
  },
  listVirtualServerSecurityGroup: (req, world) => {
    const s = server(req, world);
    const ids = (s._security_group_ids as string[] | undefined) ?? [];
    return {
      status: 200,
      body: {
        security_groups: ids.map((id) => ({
          id,
          name: `sg-${id.slice(0, 8)}`,
          account_id: world.accountId,
          description: "",
          // The emulator keeps no rules; each group shows the usual allow-all egress rule.
          rules: [
            {
              from_port: 0,
              id: `${id.slice(0, 8)}-egress`,
              ip_protocol: "tcp",
              ip_range: { cidr: "0.0.0.0/0" },
              to_port: 65535,
            },
          ],
        })),
      },
    };
  },
  attachVirtualServerSecurityGroup: (req, world) => {
    const s = server(req, world);
    const id = requireString(req.body, "security_group_id");
    const ids = (s._security_group_ids as string[] | undefined) ?? [];
    if (ids.includes(id)) throw conflict(`Security group ${id} is already attached to server ${s.id}`);
    s._security_group_ids = [...ids, id];
    return { status: 202 };
  },
  detachVirtualServerSecurityGroup: (req, world) => {
    const s = server(req, world);
    const id = req.params.security_group_id ?? "";
    const ids = (s._security_group_ids as string[] | undefined) ?? [];
    if (!ids.includes(id)) throw new ApiFault(404, `Security group ${id} is not attached to server ${s.id}`);
    s._security_group_ids = ids.filter((x) => x !== id);
    return { status: 202 };
  },
  showVirtualServerPassword: (req, world) => {
    server(req, world);
    return { status: 200, body: { password: "ZW11bGF0b3ItZW5jcnlwdGVkLXBhc3N3b3Jk" } };
  },
  showVirtualServerConsoleLog: (req, world) => {
    const s = server(req, world);
    // The console is where a real server's failure shows (SCP reports no reason field): a forced failure
    // reason is printed there.
    const reason = typeof s._error_reason === "string" && s.state === "ERROR" ? `: ${s._error_reason}` : "";
    return { status: 200, body: { output: `[    0.000000] emulator: ${s.name} is ${s.state}${reason}\n` } };
  },
  listServerIps: (req, world) => ({
    status: 200,
    body: { addresses: addressesOf(world, server(req, world)).map(addressView) },
  }),
  showServerIp: (req, world) => {
    const addresses = addressesOf(world, server(req, world));
    const address = addresses.find((a) => a.subnet_id === req.params.subnet_id);
    if (!address) throw new ApiFault(404, `Server has no address in subnet ${req.params.subnet_id}`);
    return { status: 200, body: addressView(address) };
  },
} satisfies Partial<Record<OperationId, Handler>>;
