/**
 * Server network interfaces and their static NATs (reference: Create L1645, List L5585, Show L8048, Update
 * L10534, Delete L3237; NATs L1780, L1855, L3304, L3371).
 *
 * Life cycle: an added interface attaches (port_state BUILD, then ACTIVE) to a server that is ACTIVE or
 * SHUTOFF; Update Server Interface answers 202 and moves the fixed IP while the port is BUILD again. A NAT
 * is created (201, state CREATING, then ACTIVE) and deleted (202, DELETING, then gone); an interface holds
 * at most one of each kind, as its answers show them (singular `static_nat`, `private_static_nat`). An
 * interface with a live NAT, or the server's primary interface (its first network), cannot be deleted (409).
 * NAT creation answers with no body, as the reference shows; the NAT then appears on the interface.
 */
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS, interfacesOf } from "../collections";
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { badRequest, conflict, notFound } from "../errors";
import { mustGet, optionalString, requireString } from "./common";

type Nat = { id: string; external_ip_address: string; state: string; publicip_id?: string; private_nat_ip_id?: string };
type NatField = "static_nat" | "private_static_nat";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

const serverOf = (req: HandlerRequest, world: EmulatorWorld) =>
  mustGet(world, COLLECTIONS.servers, req.params.server_id ?? "", "Server");

function iface(req: HandlerRequest, world: EmulatorWorld): ApiObject {
  serverOf(req, world);
  const found = world.store.get(interfacesOf(req.params.server_id ?? ""), req.params.port_id ?? "");
  if (!found) throw notFound("Server interface", req.params.port_id ?? "");
  return found;
}

/** Every interface of every server: ports, fixed IPs and public IPs are unique across them. */
function allInterfaces(world: EmulatorWorld): ApiObject[] {
  return world.store.list(COLLECTIONS.servers).flatMap((s) => world.store.list(interfacesOf(s.id)));
}

const natOf = (i: ApiObject, field: NatField) => i[field] as Nat | null | undefined;

function assertServerSteady(server: ApiObject, action: string): void {
  if (!["ACTIVE", "SHUTOFF"].includes(String(server.state)))
    throw conflict(`Server ${server.id} is ${server.state}; ${action} when it is ACTIVE or SHUTOFF`);
}

function nextFixedIp(world: EmulatorWorld): string {
  const n = world.store.next("privateIp") + 10;
  return `192.168.${Math.floor(n / 250) % 250}.${(n % 250) + 2}`;
}

/** A fixed IP given in a request: an IPv4 address no other interface of its subnet holds. */
function checkFixedIp(world: EmulatorWorld, subnetId: string, ip: string, self?: string): void {
  if (!IPV4.test(ip)) throw badRequest(`fixed IP ${JSON.stringify(ip)} is not an IPv4 address`);
  const holder = allInterfaces(world).find(
    (i) =>
      i.id !== self &&
      i.subnet_id === subnetId &&
      (i.fixed_ips as { ip_address: string }[]).some((f) => f.ip_address === ip),
  );
  if (holder) throw conflict(`IP address ${ip} is already in use in subnet ${subnetId} (port ${holder.port_id})`);
}

/**
 * An interface as the reference shows it. Both NATs are objects in every example; an interface without
 * one answers it with empty values of the same types (the reference shows no null).
 */
function view(i: ApiObject): Record<string, unknown> {
  const nat = natOf(i, "static_nat");
  const privateNat = natOf(i, "private_static_nat");
  return {
    fixed_ips: (i.fixed_ips as { ip_address: string }[]).map((f) => ({ ip_address: f.ip_address })),
    mac_addr: i.mac_addr,
    port_id: i.port_id,
    port_state: i.port_state,
    private_static_nat: {
      external_ip_address: privateNat?.external_ip_address ?? "",
      id: privateNat?.id ?? "",
      private_nat_ip_id: privateNat?.private_nat_ip_id ?? "",
      state: privateNat?.state ?? "",
    },
    static_nat: {
      external_ip_address: nat?.external_ip_address ?? "",
      id: nat?.id ?? "",
      publicip_id: nat?.publicip_id ?? "",
      state: nat?.state ?? "",
    },
    subnet_id: i.subnet_id,
  };
}

let portChanges = 0;

/** Moves a port through BUILD to ACTIVE (attach, fixed IP change), applying `apply` at the end. */
function rebuildPort(world: EmulatorWorld, i: ApiObject, apply?: () => void): void {
  const { store } = world;
  i.port_state = "BUILD";
  // Only the latest change ends the BUILD (an update sent while the attach is still under way, say).
  const change = ++portChanges;
  i._port_change = change;
  // Attaching a port takes about as long as attaching a volume; the emulator has no duration of its own for it.
  store.schedule(store.durations.volumeAttachMs, () => {
    apply?.();
    if (i._port_change === change) i.port_state = "ACTIVE";
  });
}

function natHandlers(field: NatField): { create: Handler; remove: Handler } {
  const what = field === "static_nat" ? "static NAT" : "private static NAT";
  return {
    create: (req, world) => {
      const i = iface(req, world);
      if (natOf(i, field)) throw badRequest(`Interface ${String(i.port_id)} already has a ${what}`);
      // The public IP (or private NAT IP) a NAT maps to is held by one NAT at a time.
      const [key, ipId] =
        field === "static_nat"
          ? (["publicip_id", requireString(req.body, "publicip_id")] as const)
          : (["private_nat_ip_id", requireString(req.body, "private_nat_ip_id")] as const);
      if (field === "private_static_nat") requireString(req.body, "private_nat_id");
      const holder = allInterfaces(world).find((other) => natOf(other, field)?.[key] === ipId);
      if (holder) throw badRequest(`${key} ${ipId} is already used by port ${String(holder.port_id)}`);
      const nat: Nat = {
        id: world.store.newHexId(),
        external_ip_address: `182.197.61.${(world.store.next("natIp") % 200) + 10}`,
        state: "CREATING",
        [key]: ipId,
      };
      i[field] = nat;
      world.store.schedule(world.store.durations.volumeAttachMs, () => {
        if (natOf(i, field) === nat && nat.state === "CREATING") nat.state = "ACTIVE";
      });
      return { status: 201 };
    },
    remove: (req, world) => {
      const i = iface(req, world);
      const nat = natOf(i, field);
      if (!nat || nat.id !== req.params.nat_id) throw notFound("NAT", req.params.nat_id ?? "");
      if (nat.state !== "DELETING") {
        nat.state = "DELETING";
        world.store.schedule(world.store.durations.volumeAttachMs, () => {
          if (natOf(i, field) === nat) i[field] = null;
        });
      }
      return { status: 202 };
    },
  };
}

const staticNat = natHandlers("static_nat");
const privateNat = natHandlers("private_static_nat");

export const interfaceHandlers = {
  createServerInterface: (req, world) => {
    const server = serverOf(req, world);
    assertServerSteady(server, "add an interface");
    const subnetId = requireString(req.body, "subnet_id");
    const givenPort = optionalString(req.body, "port_id");
    if (givenPort && allInterfaces(world).some((i) => i.port_id === givenPort))
      throw conflict(`Port ${givenPort} is already attached to a server`);
    const given = Array.isArray(req.body.fixed_ips) ? (req.body.fixed_ips as unknown[]) : [];
    const ips = given.map((f) =>
      typeof f === "object" && f !== null && typeof (f as Record<string, unknown>).ip_address === "string"
        ? String((f as Record<string, unknown>).ip_address)
        : "",
    );
    for (const ip of ips) checkFixedIp(world, subnetId, ip);
    const portId = givenPort || world.store.newId();
    const created = world.store.put(interfacesOf(server.id), {
      id: portId,
      port_id: portId,
      subnet_id: subnetId,
      fixed_ips: (ips.length > 0 ? ips : [nextFixedIp(world)]).map((ip) => ({ ip_address: ip })),
      mac_addr: `fa:16:3e:${String(world.store.next("mac") % 256).padStart(2, "0")}:71:2b`,
      port_state: "BUILD",
      static_nat: null,
      private_static_nat: null,
    });
    rebuildPort(world, created);
    return { status: 200, body: view(created) };
  },
  listServerInterfaces: (req, world) => ({
    status: 200,
    body: { interfaces: world.store.list(interfacesOf(serverOf(req, world).id)).map(view) },
  }),
  // The reference shows this answer wrapped in a list envelope; reproduced as documented.
  showServerInterface: (req, world) => ({ status: 200, body: { interfaces: [view(iface(req, world))] } }),
  updateServerInterface: (req, world) => {
    const i = iface(req, world);
    // The reference's example sends subnet_id "": an empty value leaves the subnet as it is.
    const subnetId = optionalString(req.body, "subnet_id") || String(i.subnet_id);
    const ip = optionalString(req.body, "fixed_ip_address");
    if (ip) checkFixedIp(world, subnetId, ip, i.id);
    rebuildPort(world, i, () => {
      i.subnet_id = subnetId;
      if (ip) i.fixed_ips = [{ ip_address: ip }];
    });
    return { status: 202 };
  },
  deleteServerInterface: (req, world) => {
    const i = iface(req, world);
    const server = serverOf(req, world);
    if (world.store.list(interfacesOf(server.id))[0]?.id === i.id)
      throw conflict(`Port ${String(i.port_id)} is the primary interface of server ${server.id}; it cannot be removed`);
    // A NAT on its way out (DELETING) goes with the interface; a live one must be deleted first.
    const live = (["static_nat", "private_static_nat"] as const).filter((f) => {
      const nat = natOf(i, f);
      return nat && nat.state !== "DELETING";
    });
    if (live.length > 0)
      throw conflict(
        `Interface ${String(i.port_id)} still has a ${live.join(" and ").replace(/_/g, " ")}; delete it first`,
      );
    world.store.remove(interfacesOf(server.id), i.id);
    return { status: 200 };
  },
  createServerInterfaceNat: staticNat.create,
  deleteServerInterfaceNat: staticNat.remove,
  createServerInterfacePrivateNat: privateNat.create,
  deleteServerInterfacePrivateNat: privateNat.remove,
} satisfies Partial<Record<OperationId, Handler>>;
