/**
 * Server network interfaces and their static NATs. NAT creation answers with no body, as the reference
 * shows; the NAT then appears on the interface (`static_nat`, `private_static_nat`).
 */
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { ApiFault, conflict, notFound } from "../errors";
import { mustGet, optionalString, requireString } from "./common";

const interfacesOf = (serverId: string) => `servers/${serverId}/interfaces`;

function iface(req: HandlerRequest, world: EmulatorWorld): ApiObject {
  mustGet(world, "servers", req.params.server_id ?? "", "Server");
  const found = world.store.get(interfacesOf(req.params.server_id ?? ""), req.params.port_id ?? "");
  if (!found) throw notFound("Server interface", req.params.port_id ?? "");
  return found;
}

const view = (i: ApiObject) => Object.fromEntries(Object.entries(i).filter(([k]) => k !== "id"));

function natHandlers(field: "static_nat" | "private_static_nat"): { create: Handler; remove: Handler } {
  return {
    create: (req, world) => {
      const i = iface(req, world);
      if (i[field]) throw conflict(`Interface ${i.port_id} already has a ${field.replace(/_/g, " ")}`);
      i[field] = {
        id: world.store.newHexId(),
        external_ip_address: `182.197.61.${Math.floor(Math.random() * 200) + 10}`,
        state: "ACTIVE",
        ...(field === "private_static_nat"
          ? { private_nat_ip_id: optionalString(req.body, "private_nat_ip_id") ?? null }
          : {}),
      };
      return { status: 201 };
    },
    remove: (req, world) => {
      const i = iface(req, world);
      const nat = i[field] as { id: string } | null | undefined;
      if (!nat || nat.id !== req.params.nat_id) throw notFound("NAT", req.params.nat_id ?? "");
      i[field] = null;
      return { status: 202 };
    },
  };
}

const staticNat = natHandlers("static_nat");
const privateNat = natHandlers("private_static_nat");

export const interfaceHandlers: Record<string, Handler> = {
  createServerInterface: (req, world) => {
    mustGet(world, "servers", req.params.server_id ?? "", "Server");
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
    mustGet(world, "servers", req.params.server_id ?? "", "Server");
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
};
