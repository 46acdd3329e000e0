/** Volume transfers: a volume offered to another account with an auth key, accepted with that key. */
import { randomBytes } from "node:crypto";
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS } from "../collections";
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { badRequest } from "../errors";
import { listResponse } from "../listing";
import { mustGet, optionalString, requireString } from "./common";

const TRANSFERS = COLLECTIONS.volumeTransfers;

const transfer = (req: HandlerRequest, world: EmulatorWorld) =>
  mustGet(world, TRANSFERS, req.params.transfer_id ?? "", "Volume transfer");

// The reference shows created_at as "" in every transfer answer; the time is kept internally.
const detailView = (t: ApiObject) => ({ created_at: "", id: t.id, name: t.name, volume_id: t.volume_id });
const listedView = (t: ApiObject) => ({ id: t.id, name: t.name, volume_id: t.volume_id });

export const transferHandlers = {
  createVolumeTransfer: (req, world) => {
    const volume = mustGet(world, COLLECTIONS.volumes, requireString(req.body, "volume_id"), "Volume");
    const t = world.store.put(TRANSFERS, {
      id: world.store.newId(),
      name: optionalString(req.body, "name") ?? String(volume.name),
      volume_id: volume.id,
      // Only the create answer carries the key (the reference's show and list answers do not).
      _auth_key: randomBytes(8).toString("hex"),
      _created_at: world.store.isoNow(),
    });
    return { status: 202, body: { auth_key: t._auth_key, ...detailView(t) } };
  },
  listVolumeTransfers: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(TRANSFERS), "transfers", {
      sortFallback: "id:asc",
      view: listedView,
    }),
  }),
  showVolumeTransferDetail: (req, world) => ({ status: 200, body: detailView(transfer(req, world)) }),
  acceptVolumeTransfer: (req, world) => {
    const t = transfer(req, world);
    if (requireString(req.body, "auth_key") !== t._auth_key) throw badRequest("auth_key: does not match the transfer");
    world.store.remove(TRANSFERS, t.id);
    return { status: 202, body: listedView(t) };
  },
  deleteVolumeTransfer: (req, world) => {
    world.store.remove(TRANSFERS, transfer(req, world).id);
    return { status: 202 };
  },
} satisfies Partial<Record<OperationId, Handler>>;
