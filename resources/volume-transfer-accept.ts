/**
 * VolumeTransferAcceptance: the receiving side of a volume transfer. Creating it accepts the transfer with
 * its auth key (Accept a volume transfer, reference L117–L157), run with the receiving account's
 * credentials (the stack config of the receiving account's stack), and waits until the volume rests in this
 * account. SCP keeps no record of an acceptance: the transfer is used up, and what the acceptance leaves
 * is the volume. So refresh reads that volume, and drops the acceptance when the volume is gone.
 *
 * An accepted transfer cannot be undone: deleting the acceptance only forgets it (with a warning); the
 * volume stays in this account. To give it back, offer it with a `VolumeTransfer` from this account.
 */
import { z } from "zod";
import { type DiffRules } from "../provider/diff";
import { ScpApiError } from "../provider/errors";
import { reportWarning } from "../provider/progress";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, rulesOf, schemaOf } from "../provider/schema";
import { resourceId, text } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { showVolume, waitForVolume } from "../provider/volume-api";

// ---- Input schema -------------------------------------------------------------------------------------

/** The VolumeTransferAcceptance's inputs: each one's schema, diff rule and (above it) the doc `VolumeTransferAcceptanceArgs` shows. */
const properties = {
  /**
   * The id of the pending transfer to accept (the `id` of the sending side's `VolumeTransfer`). Changing it
   * replaces the acceptance: that transfer is accepted too (the first cannot be undone). The acceptance's id,
   * so not drift-checked (an accepted transfer no longer exists).
   */
  // Reference L129: the transfer_id path parameter of Accept a volume transfer.
  // The acceptance's id: accepting another transfer is another acceptance.
  transferId: {
    schema: resourceId("transferId"),
    on: "replace",
    writeOnly: "the acceptance's id; the accepted transfer no longer exists, so nothing reads it back",
  },
  /**
   * The transfer's auth key (the sending side's `authKey` output); a secret input, kept encrypted in state.
   * Used once, by the accept: a later change is applied in place and does nothing. SCP never returns it:
   * not drift-checked.
   */
  // Reference L149: the auth_key of the request body (Create answers it, L462).
  authKey: {
    schema: text("authKey").min(1, "authKey must not be empty"),
    on: "update",
    writeOnly: "used once, by the accept; SCP never returns it, and a used-up transfer takes no other key",
  },
  ...commonProperties,
  /**
   * Region of the transfer, e.g. `kr-west1`, when not the provider's. Changing it replaces the acceptance; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create may wait for the volume to arrive. Default 10 minutes. Changed in place; a provider
   * setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
  /**
   * Not supported: SCP keeps no record of an accepted transfer, so there is nothing to import; take a volume
   * received outside Pulumi under management with `Volume`'s `importId`.
   */
  importId: commonProperties.importId,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties).superRefine((inputs, ctx) => {
  if (inputs.importId === undefined) return;
  ctx.addIssue({
    code: "custom",
    path: ["importId"],
    message:
      "importId cannot be used: SCP keeps no record of an accepted transfer, so there is no acceptance to import; take the received volume under management with Volume's importId instead",
  });
});

export type VolumeTransferAcceptanceInputs = z.infer<typeof inputSchema>;

export interface VolumeTransferAcceptanceOutputs extends VolumeTransferAcceptanceInputs {
  /**
   * The volume received, now in this account. Set by the accept; refresh keeps it, and drops the acceptance
   * from state once that volume is gone.
   */
  readonly volumeId: string;
  /** The transfer's name. Set by the accept; refresh keeps it (the accepted transfer no longer exists). */
  readonly name?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = ["volumeId", "name"] as const satisfies readonly (keyof VolumeTransferAcceptanceOutputs)[];
const _everyOutputListed: ListsEveryOutput<
  VolumeTransferAcceptanceOutputs,
  VolumeTransferAcceptanceInputs,
  typeof OUTPUT_KEYS
> = true;

// ---- Inputs → API requests ----------------------------------------------------------------------------

const acceptRequest = (inputs: VolumeTransferAcceptanceInputs) => ({ auth_key: inputs.authKey });

// ---- API objects → outputs ----------------------------------------------------------------------------

// Show volume transfer detail (L9000–L9005) and the accept answer (L153–L157) share these.
const apiTransfer = z.looseObject({ id: z.string(), name: z.string().nullish(), volume_id: z.string() });
type ApiTransfer = z.infer<typeof apiTransfer>;

function toOutputs(api: ApiTransfer, inputs: VolumeTransferAcceptanceInputs): VolumeTransferAcceptanceOutputs {
  return { ...inputs, volumeId: api.volume_id, name: api.name || undefined };
}

function showTransfer(ctx: ResourceContext, id: string): Promise<ApiTransfer | undefined> {
  return ctx.client
    .find("showVolumeTransferDetail", { path: { transfer_id: id } })
    .then((b) => (b === undefined ? undefined : apiTransfer.parse(b)));
}

const describeAcceptance = (inputs: Partial<VolumeTransferAcceptanceInputs>) =>
  `acceptance of volume transfer ${inputs.transferId ?? "?"}`;

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<VolumeTransferAcceptanceInputs> = rulesOf(properties);

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<VolumeTransferAcceptanceInputs, VolumeTransferAcceptanceOutputs> = {
  kind: "volume transfer acceptance",
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(10), updateMs: minutes(5), deleteMs: minutes(5) },
  diffRules,
  describe: (inputs) => describeAcceptance(inputs),

  async create(ctx, inputs, created) {
    const what = describeAcceptance(inputs);
    // Read first: the volume id is known even if the accept's answer is lost, and a transfer that is not
    // there is reported as such rather than as a refused accept.
    const pending = await showTransfer(ctx, inputs.transferId);
    if (!pending) {
      throw new Error(
        `${what}: volume transfer ${inputs.transferId} does not exist: it was accepted already, cancelled, or never ` +
          "created (or it belongs to another region); give the id of a pending transfer",
      );
    }
    const answer = await ctx.client
      .change(
        "acceptVolumeTransfer",
        { path: { transfer_id: inputs.transferId }, body: acceptRequest(inputs), resource: what },
        // An accept whose answer was lost took effect when the transfer is used up.
        async () => (await showTransfer(ctx, inputs.transferId)) === undefined,
      )
      .catch((error: unknown) => {
        if (error instanceof ScpApiError && error.status === 400) {
          throw new Error(
            `${error.message}\nSCP refused the accept: authKey must be the authKey output of the VolumeTransfer that ` +
              `created transfer ${inputs.transferId}, and its volume must be available (not attached)`,
          );
        }
        throw error;
      });
    const accepted = answer === undefined ? pending : apiTransfer.parse(answer);
    created(inputs.transferId);
    // The volume arrives in this account and rests there.
    await waitForVolume(ctx, accepted.volume_id, "to arrive in this account", ctx.timeouts.createMs);
    return { id: inputs.transferId, outputs: toOutputs(accepted, inputs) };
  },

  async read(ctx, _id, olds) {
    // What an acceptance leaves is the received volume: gone (deleted, or moved on), the acceptance is too.
    if (olds.volumeId === undefined) return undefined;
    const volume = await showVolume(ctx, olds.volumeId);
    if (!volume) return undefined;
    const outputs = olds as VolumeTransferAcceptanceOutputs;
    const inputs: VolumeTransferAcceptanceInputs = {
      transferId: outputs.transferId,
      authKey: outputs.authKey,
      ...(outputs.region === undefined ? {} : { region: outputs.region }),
      ...(outputs.timeouts === undefined ? {} : { timeouts: outputs.timeouts }),
    };
    return { outputs, inputs };
  },

  delete(_ctx, id, olds) {
    reportWarning(
      `${describeAcceptance(olds)}: an accepted transfer cannot be undone; the acceptance is forgotten and volume ` +
        `${olds.volumeId} stays in this account (to give it back, offer it with a VolumeTransfer from this account) (${id})`,
    );
    return Promise.resolve();
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of a `VolumeTransferAcceptance` (each documented where it is declared, in `properties`). */
export interface VolumeTransferAcceptanceArgs extends ArgsOf<VolumeTransferAcceptanceInputs> {}

/**
 * Accepts a volume transfer in the receiving account: the stack's `scp:*` settings are the receiving
 * account's. The volume received is the output `volumeId`. Destroying the acceptance cannot undo it: it
 * is only forgotten, and the volume stays in this account.
 *
 * ```ts
 * const sender = new pulumi.StackReference("org/storage/sender");
 * const received = new VolumeTransferAcceptance("handover", {
 *   transferId: sender.requireOutput("transferId"),
 *   authKey: sender.requireOutput("authKey"), // secret
 * });
 * export const volumeId = received.volumeId;
 * ```
 */
export const VolumeTransferAcceptance = resourceClass<
  VolumeTransferAcceptanceArgs,
  VolumeTransferAcceptanceOutputs,
  typeof OUTPUT_KEYS
>({
  type: "VolumeTransferAcceptance",
  implementation: "volume-transfer-accept",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
  secretInputs: ["authKey"],
});
/** A `VolumeTransferAcceptance`: its inputs and outputs as the engine resolves them (see `VolumeTransferAcceptanceArgs`). */
export type VolumeTransferAcceptance = InstanceType<typeof VolumeTransferAcceptance>;
