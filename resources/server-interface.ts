/**
 * ServerInterface: an extra network interface on a server, with its static NAT (a public IP) and its private
 * static NAT. Adding it attaches the port and waits until it is ACTIVE; deleting it removes its NATs first
 * (SCP refuses to delete an interface that still has one, reference L3237–L3253: 409) and waits.
 *
 * NATs are properties of the interface (`publicIpId`, `privateNat`), added and removed in place, not
 * resources of their own, because the reference makes them parts of the interface: the only reads of a NAT
 * are the interface's own `static_nat` / `private_static_nat` objects (Show Server Interface L8048–L8100, List
 * L5585–L5640); an interface holds at most one of each (singular objects, not lists); creating one answers
 * 201 with no body and no id (L1780–L1803, L1855–L1878), so its id is only ever found on the interface; and
 * its paths live under the port (`…/interfaces/{port_id}/static-nats/{nat_id}`, L3304). In a program that
 * reads as `publicIpId: ip.id` on the interface, as `networks[].publicIpId` already does on `VirtualServer`.
 * Unlike other inputs, a NAT property the program set and then removes is not "no opinion": the NAT is
 * deleted, as removing the line reads; one the program never set is left alone.
 *
 * The interfaces `VirtualServer` creates with its `networks` are the server's; this resource manages only
 * the one it added (its id is `<serverId>:<portId>`). The fixed IP changes in place (Update Server Interface
 * L10534–L10571); the server, subnet or port replace the interface.
 */
import { z } from "zod";
import { type DiffRules, inputsFromOutputs } from "../provider/diff";
import { nestedId, parseNestedId } from "../provider/nested-id";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgObject, type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, rulesOf, schemaOf } from "../provider/schema";
import { describeValue, resourceId, typeMessage } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { waitForState, waitUntilGone } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

const privateNatSchema = z
  .object(
    {
      // Reference L1888–L1891: the body of Create Server Interface Private Nat.
      /** The private NAT to map the interface through. Not returned by SCP, so refresh keeps the program's. */
      privateNatId: resourceId("privateNatId"),
      /** The private NAT IP the interface is mapped to. Drift-checked. */
      privateNatIpId: resourceId("privateNatIpId"),
    },
    { error: typeMessage("privateNat", "an object with privateNatId and privateNatIpId") },
  )
  .strict();

/** The interface's inputs: each one's schema, diff rule and (above it) the doc `ServerInterfaceArgs` shows. */
const properties = {
  // Reference L1657 (server_id in the path), L1684–L1691 (the body: fixed_ips, port_id, subnet_id).
  /**
   * The server to add the interface to. Changing it replaces the interface. Part of the interface's id
   * (server and port), so not drift-checked.
   */
  serverId: {
    schema: resourceId("serverId", { parentOfNested: true }),
    // Part of the id: an interface cannot move to another server.
    on: "replace",
    writeOnly: "part of the interface's id (server and port)",
  },
  /** The subnet of the interface. Changing it replaces the interface. Drift-checked. */
  subnetId: { schema: resourceId("subnetId"), on: "replace" },
  /**
   * An existing port to attach instead of a new one (default: SCP creates one; the output `portId` names
   * it). Changing it replaces the interface. Part of the interface's id, so not drift-checked.
   */
  portId: {
    schema: resourceId("portId").optional(),
    // Part of the id, like the server: a port never changes under an interface (another port is another interface).
    on: "replace",
    writeOnly: "part of the interface's id (server and port)",
  },
  /** A fixed private IPv4 address in the subnet; default: one SCP picks. Changed in place. Drift-checked. */
  fixedIp: {
    schema: z
      .ipv4({
        error: (issue) =>
          issue.input === undefined
            ? "fixedIp is required"
            : `fixedIp must be an IPv4 address; got ${describeValue(issue.input)}`,
      })
      .optional(),
    on: "update",
  },
  /**
   * A public IP to map to the interface (its static NAT). Added, changed and removed in place: removing the
   * property removes the NAT. Drift-checked.
   */
  // Reference L1814: publicip_id, the body of Create Server Interface Nat.
  publicIpId: { schema: resourceId("publicIpId").optional(), on: "update" },
  /** A private static NAT for the interface. Added, changed and removed in place, like `publicIpId`. */
  privateNat: { schema: privateNatSchema.optional(), on: "update" },
  ...commonProperties,
  /**
   * Region of the server, e.g. `kr-west1`, when not the provider's. Changing it replaces the interface; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long attaching, NAT changes and removal may take. Default 10 minutes each. Changed in place; a
   * provider setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type ServerInterfaceInputs = z.infer<typeof inputSchema>;

export interface ServerInterfaceOutputs extends ServerInterfaceInputs {
  /** The port's id (also the second half of the resource id). */
  readonly portId: string;
  /** The interface's fixed private IP. */
  readonly fixedIp: string;
  /** The port's MAC address. Refresh reads it (Show Server Interface). */
  readonly macAddress?: string | undefined;
  /** The port's state: ACTIVE once attached. Refresh reads it (Show Server Interface). */
  readonly state: string;
  /** The static NAT's id, when the interface has one. Refresh reads it (Show Server Interface). */
  readonly staticNatId?: string | undefined;
  /** The public address of the static NAT. Refresh reads it (Show Server Interface). */
  readonly publicIpAddress?: string | undefined;
  /** The private static NAT's id, when the interface has one. Refresh reads it (Show Server Interface). */
  readonly privateStaticNatId?: string | undefined;
  /** The address the private static NAT maps the interface to. Refresh reads it (Show Server Interface). */
  readonly privateNatIpAddress?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = [
  "macAddress",
  "state",
  "staticNatId",
  "publicIpAddress",
  "privateStaticNatId",
  "privateNatIpAddress",
] as const satisfies readonly (keyof ServerInterfaceOutputs)[];
const _everyOutputListed: ListsEveryOutput<ServerInterfaceOutputs, ServerInterfaceInputs, typeof OUTPUT_KEYS> = true;

// ---- Inputs → API requests ----------------------------------------------------------------------------

function createRequest(inputs: ServerInterfaceInputs) {
  return {
    subnet_id: inputs.subnetId,
    port_id: inputs.portId,
    fixed_ips: inputs.fixedIp === undefined ? undefined : [{ ip_address: inputs.fixedIp }],
  };
}

// ---- API objects → outputs ----------------------------------------------------------------------------

// An interface without a NAT answers it with empty strings (the reference shows no null); null is accepted too.
const apiNat = z
  .looseObject({
    id: z.string().nullish(),
    external_ip_address: z.string().nullish(),
    state: z.string().nullish(),
    publicip_id: z.string().nullish(),
    private_nat_ip_id: z.string().nullish(),
  })
  .nullish();

const apiInterface = z.looseObject({
  port_id: z.string(),
  subnet_id: z.string().nullish(),
  port_state: z.string().nullish(),
  mac_addr: z.string().nullish(),
  fixed_ips: z.array(z.looseObject({ ip_address: z.string() })).nullish(),
  static_nat: apiNat,
  private_static_nat: apiNat,
});
type ApiInterface = z.infer<typeof apiInterface>;
type ApiNat = z.infer<typeof apiNat>;

/** Show Server Interface answers in List's envelope (reference L8084–L8107): the one element is the interface. */
const apiShown = z.object({ interfaces: z.array(apiInterface) });
const apiList = z.object({ interfaces: z.array(apiInterface) });

/** A NAT that exists: an empty id means none. */
const present = (nat: ApiNat): nat is NonNullable<ApiNat> & { id: string } => !!nat?.id;

function toOutputs(
  api: ApiInterface,
  serverId: string,
  inputs: Partial<ServerInterfaceInputs>,
): ServerInterfaceOutputs {
  const nat = present(api.static_nat) ? api.static_nat : undefined;
  const privateNat = present(api.private_static_nat) ? api.private_static_nat : undefined;
  const { publicIpId: _p, privateNat: _n, fixedIp: _f, portId: _port, ...rest } = inputs;
  return {
    ...rest,
    serverId,
    subnetId: api.subnet_id ?? inputs.subnetId ?? "",
    portId: api.port_id,
    fixedIp: api.fixed_ips?.[0]?.ip_address ?? inputs.fixedIp ?? "",
    // The NATs this resource manages (set by the program): see the file header.
    ...(inputs.publicIpId !== undefined && nat?.publicip_id ? { publicIpId: nat.publicip_id } : {}),
    ...(inputs.privateNat !== undefined && privateNat?.private_nat_ip_id
      ? {
          privateNat: {
            // Not in any answer (reference L1699–L1704 shows only private_nat_ip_id): kept as the program set it.
            privateNatId: inputs.privateNat.privateNatId,
            privateNatIpId: privateNat.private_nat_ip_id,
          },
        }
      : {}),
    macAddress: api.mac_addr ?? undefined,
    state: api.port_state ?? "",
    staticNatId: nat?.id,
    publicIpAddress: nat?.external_ip_address ?? undefined,
    privateStaticNatId: privateNat?.id,
    privateNatIpAddress: privateNat?.external_ip_address ?? undefined,
  };
}

/** Interfaces are addressed by both ids: `serverId:portId`. */
function parseId(id: string): { serverId: string; portId: string } {
  const { parentId, childId } = parseNestedId(id, "server interface");
  return { serverId: parentId, portId: childId };
}

async function showInterface(ctx: ResourceContext, serverId: string, portId: string) {
  const body = await ctx.client.find("showServerInterface", { path: { server_id: serverId, port_id: portId } });
  return body === undefined ? undefined : apiShown.parse(body).interfaces.find((i) => i.port_id === portId);
}

async function listInterfaces(ctx: ResourceContext, serverId: string): Promise<ApiInterface[]> {
  const body = await ctx.client.call("listServerInterfaces", { path: { server_id: serverId } });
  return apiList.parse(body.body).interfaces;
}

/**
 * Waits until the port is ACTIVE and `ready` holds (a fixed IP applied, a NAT ACTIVE or gone): one wait for
 * every change of an interface, whose state is the port's while it builds and then the NATs'.
 */
function waitForInterface(
  ctx: ResourceContext,
  ids: { serverId: string; portId: string },
  what: string,
  timeoutMs: number,
  ready: (i: ApiInterface) => boolean = () => true,
) {
  return waitForState({
    description: `interface ${ids.portId} of server ${ids.serverId} ${what}`,
    read: () => showInterface(ctx, ids.serverId, ids.portId),
    stateOf: (i) => {
      const nats = [i.static_nat, i.private_static_nat].filter(present).map((n) => n.state ?? "");
      return nats.find((s) => s !== "ACTIVE") ?? i.port_state ?? "";
    },
    // A NAT on its way is CREATING or DELETING; `ready` says when the change asked for is in effect.
    target: ["ACTIVE", "CREATING", "DELETING"],
    ready: (i) => i.port_state === "ACTIVE" && ready(i) && natsSteady(i),
    timeoutMs,
  });
}

/** No NAT still being created or deleted. */
const natsSteady = (i: ApiInterface) =>
  [i.static_nat, i.private_static_nat].filter(present).every((n) => n.state === "ACTIVE");

// ---- NATs ---------------------------------------------------------------------------------------------

type NatKind = "static" | "private";

const NAT_OPS = {
  static: { field: "static_nat", create: "createServerInterfaceNat", remove: "deleteServerInterfaceNat" },
  private: {
    field: "private_static_nat",
    create: "createServerInterfacePrivateNat",
    remove: "deleteServerInterfacePrivateNat",
  },
} as const;

/** The NAT the program asks for, as the key the interface answers it with (publicip_id, private_nat_ip_id). */
function wanted(kind: NatKind, inputs: ServerInterfaceInputs): string | undefined {
  return kind === "static" ? inputs.publicIpId : inputs.privateNat?.privateNatIpId;
}

function liveKey(kind: NatKind, i: ApiInterface): string | undefined {
  const nat = i[NAT_OPS[kind].field];
  if (!present(nat)) return undefined;
  return (kind === "static" ? nat.publicip_id : nat.private_nat_ip_id) || undefined;
}

/**
 * Makes one NAT of the interface what the program says: `remove` deletes a NAT the program no longer sets;
 * a different one is deleted, then the program's created. Waits until the interface is steady.
 */
async function reconcileNat(
  ctx: ResourceContext,
  ids: { serverId: string; portId: string },
  kind: NatKind,
  inputs: ServerInterfaceInputs,
  remove: boolean,
  timeoutMs: number,
): Promise<void> {
  const ops = NAT_OPS[kind];
  const path = { server_id: ids.serverId, port_id: ids.portId };
  const target = wanted(kind, inputs);
  let live = await waitForInterface(ctx, ids, "to be steady", timeoutMs);
  const nat = live[ops.field];
  if (present(nat) && (target !== undefined ? liveKey(kind, live) !== target : remove)) {
    const natId = nat.id;
    await ctx.client.change(ops.remove, { path: { ...path, nat_id: natId } }, async () => {
      const now = await showInterface(ctx, ids.serverId, ids.portId);
      const current = now?.[ops.field];
      return !present(current) || current.id !== natId || current.state === "DELETING";
    });
    live = await waitForInterface(ctx, ids, `to lose its ${kind} NAT ${natId}`, timeoutMs, (i) => {
      const current = i[ops.field];
      return !present(current) || current.id !== natId;
    });
  }
  if (target === undefined || liveKey(kind, live) === target) return;
  const body =
    kind === "static"
      ? { publicip_id: target }
      : { private_nat_id: inputs.privateNat?.privateNatId, private_nat_ip_id: target };
  await ctx.client.change(
    ops.create,
    { path, body },
    async () => liveKey(kind, (await showInterface(ctx, ids.serverId, ids.portId)) ?? live) === target,
  );
  await waitForInterface(ctx, ids, `to get its ${kind} NAT`, timeoutMs, (i) => liveKey(kind, i) === target);
}

async function reconcileNats(
  ctx: ResourceContext,
  ids: { serverId: string; portId: string },
  inputs: ServerInterfaceInputs,
  remove: { static: boolean; private: boolean },
  timeoutMs: number,
): Promise<void> {
  // One after the other: both change the same port.
  await reconcileNat(ctx, ids, "static", inputs, remove.static, timeoutMs);
  await reconcileNat(ctx, ids, "private", inputs, remove.private, timeoutMs);
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<ServerInterfaceInputs> = rulesOf(properties);

/** NAT properties the state holds (the program set them) and the new inputs leave out: the NAT is removed. */
function natsRemoved(olds: Partial<ServerInterfaceOutputs>, news: Record<string, unknown>) {
  return {
    static: olds.publicIpId !== undefined && news.publicIpId === undefined,
    private: olds.privateNat !== undefined && news.privateNat === undefined,
  };
}

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<ServerInterfaceInputs, ServerInterfaceOutputs> = {
  kind: "server interface",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(10), updateMs: minutes(10), deleteMs: minutes(10) },
  diffRules,
  // A given port or fixed IP can be on one interface at a time: remove the old one first then.
  deleteBeforeReplace: (_olds, news) => news.portId !== undefined || news.fixedIp !== undefined,
  describe: (inputs, id) => `interface ${id ? `${id} ` : ""}of server ${inputs.serverId} in subnet ${inputs.subnetId}`,

  updatesBeyondRules: (olds, news) => {
    const removed = natsRemoved(olds, news);
    return [...(removed.static ? ["publicIpId"] : []), ...(removed.private ? ["privateNat"] : [])];
  },

  async create(ctx, inputs, created) {
    const before = await listInterfaces(ctx, inputs.serverId);
    const matches = (i: ApiInterface) =>
      i.subnet_id === inputs.subnetId &&
      (inputs.portId === undefined || i.port_id === inputs.portId) &&
      (inputs.fixedIp === undefined || i.fixed_ips?.[0]?.ip_address === inputs.fixedIp);
    // The given port already on this server (an interrupted run): take it over instead of adding it again.
    const existing = inputs.portId === undefined ? undefined : before.find(matches);
    const known = new Set(before.map((i) => i.port_id));
    const answer =
      existing ??
      apiInterface.parse(
        await ctx.client.create(
          "createServerInterface",
          {
            path: { server_id: inputs.serverId },
            body: createRequest(inputs),
            resource: `interface of server ${inputs.serverId} in subnet ${inputs.subnetId}`,
          },
          // No name to find it by: the interface that appeared on the server since, in this subnet.
          async () => (await listInterfaces(ctx, inputs.serverId)).find((i) => !known.has(i.port_id) && matches(i)),
        ),
      );
    const ids = { serverId: inputs.serverId, portId: answer.port_id };
    const id = nestedId(ids.serverId, ids.portId);
    created(id);
    await waitForInterface(ctx, ids, "to become ACTIVE", ctx.timeouts.createMs);
    await reconcileNats(ctx, ids, inputs, { static: false, private: false }, ctx.timeouts.createMs);
    const live = await waitForInterface(ctx, ids, "to become ACTIVE", ctx.timeouts.createMs);
    return { id, outputs: toOutputs(live, ids.serverId, inputs) };
  },

  findNamed: async (ctx, inputs) =>
    (await listInterfaces(ctx, inputs.serverId))
      .filter(
        (i) =>
          i.subnet_id === inputs.subnetId &&
          (inputs.portId === undefined || i.port_id === inputs.portId) &&
          (inputs.fixedIp === undefined || i.fixed_ips?.[0]?.ip_address === inputs.fixedIp),
      )
      .map((i) => nestedId(inputs.serverId, i.port_id)),

  async read(ctx, id, olds) {
    const { serverId, portId } = parseId(id);
    const live = await showInterface(ctx, serverId, portId);
    if (!live) return undefined;
    const outputs = toOutputs(live, serverId, olds as ServerInterfaceInputs);
    return { outputs, inputs: inputsFromOutputs(diffRules, outputs) };
  },

  async update(ctx, id, olds, news, changed) {
    const ids = parseId(id);
    if (changed.has("fixedIp") && news.fixedIp !== undefined) {
      const fixedIp = news.fixedIp;
      const hasIp = (i: ApiInterface | undefined) => i?.fixed_ips?.[0]?.ip_address === fixedIp;
      await ctx.client.change(
        "updateServerInterface",
        {
          path: { server_id: ids.serverId, port_id: ids.portId },
          body: { fixed_ip_address: fixedIp, subnet_id: olds.subnetId },
        },
        async () => {
          const now = await showInterface(ctx, ids.serverId, ids.portId);
          return hasIp(now) || now?.port_state === "BUILD";
        },
      );
      await waitForInterface(ctx, ids, `to take fixed IP ${fixedIp}`, ctx.timeouts.updateMs, hasIp);
    }
    await reconcileNats(ctx, ids, news, natsRemoved(olds, news), ctx.timeouts.updateMs);
    const live = await waitForInterface(ctx, ids, "to become ACTIVE", ctx.timeouts.updateMs);
    return toOutputs(live, ids.serverId, news);
  },

  async delete(ctx, id) {
    const ids = parseId(id);
    const live = await showInterface(ctx, ids.serverId, ids.portId);
    if (!live) return;
    // SCP refuses to delete an interface that still has a NAT (409): remove them first.
    await reconcileNats(
      ctx,
      ids,
      { serverId: ids.serverId, subnetId: live.subnet_id ?? "" },
      { static: true, private: true },
      ctx.timeouts.deleteMs,
    );
    await ctx.client.change(
      "deleteServerInterface",
      { path: { server_id: ids.serverId, port_id: ids.portId } },
      async () => (await showInterface(ctx, ids.serverId, ids.portId)) === undefined,
    );
    await waitUntilGone({
      description: `interface ${ids.portId} of server ${ids.serverId} to be removed`,
      read: () => showInterface(ctx, ids.serverId, ids.portId),
      stateOf: (i) => i.port_state ?? "",
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** A private NAT as the schema holds it (the build spells it out, so the `.d.ts` never names zod). */
type PrivateNatInputs = z.infer<typeof privateNatSchema>;

/** A private static NAT of a `ServerInterface` (each member documented in its schema). */
export interface PrivateNatArgs extends ArgObject<PrivateNatInputs> {}

/** The arguments of a `ServerInterface` (each documented where it is declared, in `properties`). */
export interface ServerInterfaceArgs extends ArgsOf<ServerInterfaceInputs> {}

/**
 * A second (third, …) network interface on a server, optionally with a public IP; the id is
 * `<serverId>:<portId>`. The server's own interfaces (its `networks`) are not this resource's.
 *
 * ```ts
 * const backend = new ServerInterface("web-backend", {
 *   serverId: server.id,
 *   subnetId: backendSubnetId,
 *   publicIpId: publicIp.id,
 * });
 * export const backendIp = backend.fixedIp;
 * ```
 */
export const ServerInterface = resourceClass<ServerInterfaceArgs, ServerInterfaceOutputs, typeof OUTPUT_KEYS>({
  type: "ServerInterface",
  implementation: "server-interface",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** A `ServerInterface`: its inputs and outputs as the engine resolves them (see `ServerInterfaceArgs`, `ServerInterfaceOutputs`). */
export type ServerInterface = InstanceType<typeof ServerInterface>;
