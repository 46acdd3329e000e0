/**
 * VolumeTransfer: offers a volume to another account. SCP answers the transfer with an auth key, once
 * (Create a volume transfer, reference L459–L466; Show L8999–L9005 and List L6411–L6421 do not return
 * it): it is kept as the secret output `authKey`, and the receiving side accepts the transfer with its id
 * and that key (`VolumeTransferAcceptance`). The transfer is pending while it exists; once accepted it is
 * used up and SCP no longer shows it. Deleting a pending transfer cancels it (Delete a volume transfer,
 * L2589–L2615); deleting one already accepted finds nothing and is done — the volume stays with the
 * receiving account.
 */
import { z } from "zod";
import { type DiffRules, inputsFromOutputs } from "../provider/diff";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, objectName, rulesOf, schemaOf } from "../provider/schema";
import { resourceId } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { showVolume } from "../provider/volume-api";
import { waitForState, waitUntilGone } from "../provider/waiter";

// ---- Input schema -------------------------------------------------------------------------------------

/** The VolumeTransfer's inputs: each one's schema, diff rule and (above it) the doc `VolumeTransferArgs` shows. */
const properties = {
  /**
   * The volume to offer. It must be available (not attached) and have no other pending transfer. Changing it
   * replaces the transfer (the old one is cancelled first), with a new `authKey`.
   */
  // Reference L457: the volume_id of Create a volume transfer.
  volumeId: { schema: resourceId("volumeId"), on: "replace" },
  /**
   * The transfer's name. Default: SCP names it after the volume. Changing it replaces the transfer, with a
   * new `authKey`.
   */
  // Reference L456; SCP names the transfer after the volume when no name is given.
  name: { schema: objectName("transfer").optional(), on: "replace" },
  ...commonProperties,
  /**
   * Region of the volume, e.g. `kr-west1`, when not the provider's. Changing it replaces the transfer; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create and delete may wait (the transfer to be pending, then gone). Default 5 minutes each.
   * Changed in place; a provider setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties);

export type VolumeTransferInputs = z.infer<typeof inputSchema>;

export interface VolumeTransferOutputs extends VolumeTransferInputs {
  /** The transfer's name as SCP holds it (the volume's name when none was given). */
  readonly name?: string | undefined;
  /**
   * The key the receiving side accepts the transfer with; secret. Only Create answers it: undefined for a
   * transfer taken under management with `importId`. Refresh keeps it (no read returns it).
   */
  readonly authKey?: string | undefined;
  /** When the transfer was created (ISO 8601). Refresh reads it (Show Volume Transfer). */
  readonly createdAt?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = ["authKey", "createdAt"] as const satisfies readonly (keyof VolumeTransferOutputs)[];
const _everyOutputListed: ListsEveryOutput<VolumeTransferOutputs, VolumeTransferInputs, typeof OUTPUT_KEYS> = true;

// ---- Inputs → API requests ----------------------------------------------------------------------------

function createRequest(inputs: VolumeTransferInputs) {
  return { name: inputs.name, volume_id: inputs.volumeId };
}

// ---- API objects → outputs ----------------------------------------------------------------------------

// Show (L9000–L9005) answers these; List (L6415–L6419) the same without created_at.
const apiTransfer = z.looseObject({
  id: z.string(),
  name: z.string().nullish(),
  volume_id: z.string(),
  created_at: z.string().nullish(),
});
type ApiTransfer = z.infer<typeof apiTransfer>;

// Create (L461–L466) also answers the key.
const apiCreatedTransfer = apiTransfer.extend({ auth_key: z.string() });

function toOutputs(api: ApiTransfer, inputs: VolumeTransferInputs, authKey: string | undefined): VolumeTransferOutputs {
  return {
    ...inputs,
    volumeId: api.volume_id,
    name: api.name || undefined,
    authKey,
    createdAt: api.created_at || undefined,
  };
}

function showTransfer(ctx: ResourceContext, id: string): Promise<ApiTransfer | undefined> {
  return ctx.client
    .find("showVolumeTransferDetail", { path: { transfer_id: id } })
    .then((b) => (b === undefined ? undefined : apiTransfer.parse(b)));
}

/** The pending transfers of a volume (with the given name, when one is given). */
async function transfersOf(ctx: ResourceContext, volumeId: string, name?: string): Promise<ApiTransfer[]> {
  // List volume transfers takes no query parameters (reference L6395–L6400): filtered here.
  const list = await ctx.client.call<{ transfers: unknown[] }>("listVolumeTransfers");
  return list.body.transfers
    .map((t) => apiTransfer.parse(t))
    .filter((t) => t.volume_id === volumeId && (name === undefined || t.name === name));
}

function cancel(ctx: ResourceContext, id: string) {
  return ctx.client.call("deleteVolumeTransfer", { path: { transfer_id: id }, resource: `volume transfer ${id}` });
}

const describeTransfer = (inputs: Partial<VolumeTransferInputs>, id?: string) =>
  `transfer of volume ${inputs.volumeId ?? "?"}${inputs.name ? ` "${inputs.name}"` : ""}${id ? ` (${id})` : ""}`;

// ---- Diff rules ---------------------------------------------------------------------------------------
// No operation changes a transfer (the reference has create, show, list, accept and delete): every
// change is a new transfer, with a new auth key.

const diffRules: DiffRules<VolumeTransferInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<VolumeTransferInputs, VolumeTransferOutputs> = {
  kind: "volume transfer",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(5), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  // A volume has one pending transfer at a time: the old one goes before the new one is made.
  deleteBeforeReplace: (olds, news) => olds.volumeId === news.volumeId,
  describe: (inputs, id) => describeTransfer(inputs, id),

  async create(ctx, inputs, created) {
    const body = await ctx.client.create(
      "createVolumeTransfer",
      { body: createRequest(inputs), resource: describeTransfer(inputs) },
      async () => {
        // A create whose answer was lost made a transfer whose key nobody holds: cancel it, so the
        // create is sent again and answers a key (nothing can accept a transfer without its key). Unnamed,
        // it has the volume's name.
        const name = inputs.name ?? (await showVolume(ctx, inputs.volumeId))?.name;
        if (name === undefined) return undefined;
        for (const t of await transfersOf(ctx, inputs.volumeId, name)) await cancel(ctx, t.id);
        return undefined;
      },
    );
    const answer = apiCreatedTransfer.parse(body);
    created(answer.id);
    // Pending once Show answers it; that answer is what state keeps (the create answer's key aside).
    const shown = await waitForState({
      description: `${describeTransfer(inputs, answer.id)} to be pending`,
      read: () => showTransfer(ctx, answer.id),
      stateOf: () => "pending",
      target: ["pending"],
      timeoutMs: ctx.timeouts.createMs,
    });
    return { id: answer.id, outputs: toOutputs(shown, inputs, answer.auth_key) };
  },

  // No marker survives in a transfer: its volume and name identify it. One found this way has no key.
  findNamed: async (ctx, inputs) => (await transfersOf(ctx, inputs.volumeId, inputs.name)).map((t) => t.id),

  async read(ctx, id, olds) {
    // A transfer that was accepted or cancelled is gone (404): dropped from state.
    const live = await showTransfer(ctx, id);
    if (!live) return undefined;
    const outputs = toOutputs(live, olds as VolumeTransferInputs, olds.authKey);
    return { outputs, inputs: inputsFromOutputs(diffRules, outputs) };
  },

  async delete(ctx, id) {
    // Cancels a pending transfer; an accepted one answers 404, which counts as done.
    await cancel(ctx, id);
    await waitUntilGone({
      description: `volume transfer ${id} to be cancelled`,
      read: () => showTransfer(ctx, id),
      stateOf: () => "pending",
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of a `VolumeTransfer` (each documented where it is declared, in `properties`). */
export interface VolumeTransferArgs extends ArgsOf<VolumeTransferInputs> {}

/**
 * Offers a volume to another account: the transfer's `id` and its secret `authKey` are what the receiving
 * account's stack gives a `VolumeTransferAcceptance`. Destroying a pending transfer cancels it; once
 * accepted, the volume belongs to the receiving account (remove it and the transfer from this program: their
 * deletes find nothing and are done).
 *
 * ```ts
 * const data = new Volume("data", { name: "handover-data", size: 100 });
 * const offer = new VolumeTransfer("handover", { volumeId: data.id });
 * export const transferId = offer.id;
 * export const authKey = offer.authKey; // secret
 * ```
 */
export const VolumeTransfer = resourceClass<VolumeTransferArgs, VolumeTransferOutputs, typeof OUTPUT_KEYS>({
  type: "VolumeTransfer",
  implementation: "volume-transfer",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
  secretOutputs: ["authKey"],
});
/** A `VolumeTransfer`: its inputs and outputs as the engine resolves them (see `VolumeTransferArgs`, `VolumeTransferOutputs`). */
export type VolumeTransfer = InstanceType<typeof VolumeTransfer>;
