/**
 * Server network interfaces and their static NATs. NAT creation answers with no body, as the reference
 * shows; the NAT then appears on the interface (`static_nat`, `private_static_nat`).
 */
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS, interfacesOf } from "../collections";
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { ApiFault, conflict, notFound } from "../errors";
import { mustGet, optionalString, requireString } from "./common";

type Nat = { id: string; external_ip_address: string; state: string; publicip_id?: string; private_nat_ip_id?: string };

function iface(req: HandlerRequest, world: EmulatorWorld): ApiObject {
  mustGet(world, COLLECTIONS.servers, req.params.server_id ?? "", "Server");
  const found = world.store.get(interfacesOf(req.params.server_id ?? ""), req.params.port_id ?? "");
  if (!found) throw notFound("Server interface", req.params.port_id ?? "");
  return found;
}

/**
 * An interface as the reference shows it. Both NATs are objects in every example; an interface without
 * one answers it with empty values of the same types (the reference shows no null).
 */
function view(i: ApiObject): Record<string, unknown> {
  const nat = i.static_nat as Nat | null | undefined;
  const privateNat = i.private_static_nat as Nat | null | undefined;
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

function natHandlers(kind: "static_nat" | "private_static_nat"): { create: Handler; remove: Handler } {
  const field = kind;
  return {
    create: (req, world) => {
      const i = iface(req, world);
      if (i[field]) throw conflict(`Interface ${i.port_id} already has a ${kind.replace(/_/g, " ")}`);
      const nat: Nat = {
        id: world.store.newHexId(),
        external_ip_address: `182.197.61.${(world.store.next("natIp") % 200) + 10}`,
        state: "ACTIVE",
        ...(kind === "private_static_nat"
          ? { private_nat_ip_id: optionalString(req.body, "private_nat_ip_id") ?? "" }
          : { publicip_id: optionalString(req.body, "publicip_id") ?? "" }),
      };
      i[field] = nat;
      return { status: 201 };
    },
    remove: (req, world) => {
      const i = iface(req, world);
      const nat = i[field] as Nat | null | undefined;
      if (!nat || nat.id !== req.params.nat_id) throw notFound("NAT", req.params.nat_id ?? "");
      i[field] = null;
      return { status: 202 };
    },
  };
}

const staticNat = natHandlers("static_nat");
const privateNat = natHandlers("private_static_nat");

export const interfaceHandlers = {
  createServerInterface: (req, world) => {
    mustGet(world, COLLECTIONS.servers, req.params.server_id ?? "", "Server");
    const subnetId = requireString(req.body, "subnet_id");
    const portId = world.store.newId();
    const created = world.store.put(interfacesOf(req.params.server_id ?? ""), {
      id: portId,
      port_id: portId,
      subnet_id: subnetId,
      fixed_ips: Array.isArray(req.body.fixed_ips) ? req.body.fixed_ips : [{ ip_address: "192.168.100.10" }],
      mac_addr: "fa:16:3e:c0:71:2b",
      port_state: "ACTIVE",
      static_nat: null,
      private_static_nat: null,
    });
    return { status: 200, body: view(created) };
  },
  listServerInterfaces: (req, world) => {
    mustGet(world, COLLECTIONS.servers, req.params.server_id ?? "", "Server");
    return { status: 200, body: { interfaces: world.store.list(interfacesOf(req.params.server_id ?? "")).map(view) } };
  },
  // The reference shows this answer wrapped in a list envelope; reproduced as documented.
  showServerInterface: (req, world) => ({ status: 200, body: { interfaces: [view(iface(req, world))] } }),
  updateServerInterface: (req, world) => {
    const i = iface(req, world);
    const ip = optionalString(req.body, "fixed_ip_address");
    if (ip) i.fixed_ips = [{ ip_address: ip }];
    return { status: 202 };
  },
  deleteServerInterface: (req, world) => {
    const i = iface(req, world);
    if (i.static_nat || i.private_static_nat)
      throw new ApiFault(409, `Interface ${i.port_id} still has a NAT; delete it first`);
    world.store.remove(interfacesOf(req.params.server_id ?? ""), i.id);
    return { status: 200 };
  },
  createServerInterfaceNat: staticNat.create,
  deleteServerInterfaceNat: staticNat.remove,
  createServerInterfacePrivateNat: privateNat.create,
  deleteServerInterfacePrivateNat: privateNat.remove,
} satisfies Partial<Record<OperationId, Handler>>;
