/**
 * Volume transfers: a volume offered to another account with an auth key, accepted with that key.
 *
 * Life cycle, from the reference: Create (L425–L466) answers the transfer with its `auth_key` — the only
 * answer that carries it (Show L8999–L9005 and List L6411–L6421 do not). The transfer is pending while it
 * exists: the reference has no status field for it. Accept (L117–L157) takes the key and answers the
 * transfer's id, name and volume id; the volume then belongs to the accepting side and the transfer is
 * used up (Show, Accept and Delete of it answer 404). Delete (L2589–L2615) cancels a pending transfer;
 * the volume stays where it was. Refusals answer 400, the only refusal these operations document (a wrong
 * auth key included).
 *
 * One pending transfer per volume, and only a volume at rest and free (`available`) can be offered or
 * received: a volume moving to another account cannot stay attached to a server of this one.
 *
 * Accounts: the emulator holds one account (`world.accountId`/`world.userId`) and its handlers are not told
 * which of its credentials signed a request, so the accepting side is that account too. The volume's
 * `user_id` (Show Volume L9170) is set to the accepting user, and the move is recorded in its internal
 * `_transfers` history, which the control API shows.
 */
import { randomBytes } from "node:crypto";
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS } from "../collections";
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { badRequest } from "../errors";
import { listResponse } from "../listing";
import { mustGet, optionalString, requireString } from "./common";

const TRANSFERS = COLLECTIONS.volumeTransfers;

/** One move of a volume between users, kept on the volume (never answered). */
interface TransferRecord {
  readonly transfer_id: string;
  readonly from_user_id: unknown;
  readonly to_user_id: string;
  readonly accepted_at: string;
}

/** Transfers of volumes deleted since: they went with their volume (volumes.ts does not know of transfers). */
function dropOrphans(world: EmulatorWorld): void {
  for (const t of world.store.list(TRANSFERS)) {
    if (!world.store.get(COLLECTIONS.volumes, String(t.volume_id))) world.store.remove(TRANSFERS, t.id);
  }
}

const transfer = (req: HandlerRequest, world: EmulatorWorld): ApiObject => {
  dropOrphans(world);
  return mustGet(world, TRANSFERS, req.params.transfer_id ?? "", "Volume transfer");
};

/** Only a free volume at rest moves (see the header). */
function requireMovable(volume: ApiObject): void {
  if (volume.state !== "available") {
    throw badRequest(
      `volume_id: volume ${volume.id} is ${String(volume.state)}; only an available (detached) volume can be transferred`,
    );
  }
}

const detailView = (t: ApiObject) => ({ created_at: t._created_at, id: t.id, name: t.name, volume_id: t.volume_id });
const listedView = (t: ApiObject) => ({ id: t.id, name: t.name, volume_id: t.volume_id });

/** The user the volume goes to: the accepting request's (one account in the emulator; see the header). */
const receivingUser = (world: EmulatorWorld): string => world.userId;

export const transferHandlers = {
  createVolumeTransfer: (req, world) => {
    dropOrphans(world);
    const volume = mustGet(world, COLLECTIONS.volumes, requireString(req.body, "volume_id"), "Volume");
    requireMovable(volume);
    const pending = world.store.list(TRANSFERS).find((t) => t.volume_id === volume.id);
    if (pending) throw badRequest(`volume_id: volume ${volume.id} already has a pending transfer (${pending.id})`);
    const t = world.store.put(TRANSFERS, {
      id: world.store.newId(),
      // The reference's example names the transfer as the volume is named (volume01, L456 and L9159).
      name: optionalString(req.body, "name") ?? String(volume.name),
      volume_id: volume.id,
      _auth_key: randomBytes(8).toString("hex"),
      _created_at: world.store.isoNow(),
    });
    return { status: 202, body: { auth_key: t._auth_key, ...detailView(t) } };
  },
  listVolumeTransfers: (req, world) => {
    dropOrphans(world);
    return {
      status: 200,
      body: listResponse(req.op, req.query, world.store.list(TRANSFERS), "transfers", {
        sortFallback: "id:asc",
        view: listedView,
      }),
    };
  },
  showVolumeTransferDetail: (req, world) => ({ status: 200, body: detailView(transfer(req, world)) }),
  acceptVolumeTransfer: (req, world) => {
    const t = transfer(req, world);
    if (requireString(req.body, "auth_key") !== t._auth_key) {
      throw badRequest(`auth_key: invalid auth key for volume transfer ${t.id}`);
    }
    const volume = mustGet(world, COLLECTIONS.volumes, String(t.volume_id), "Volume");
    requireMovable(volume);
    const to = receivingUser(world);
    const record: TransferRecord = {
      transfer_id: t.id,
      from_user_id: volume.user_id,
      to_user_id: to,
      accepted_at: world.store.isoNow(),
    };
    volume.user_id = to;
    volume.modified_at = record.accepted_at;
    volume._transfers = [...((volume._transfers as TransferRecord[] | undefined) ?? []), record];
    world.store.remove(TRANSFERS, t.id);
    return { status: 202, body: listedView(t) };
  },
  deleteVolumeTransfer: (req, world) => {
    world.store.remove(TRANSFERS, transfer(req, world).id);
    return { status: 202 };
  },
} satisfies Partial<Record<OperationId, Handler>>;
