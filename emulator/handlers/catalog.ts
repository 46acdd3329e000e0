/** Images, server types and volume types: the catalogue, with image life cycles. */
import type { ApiObject, Handler } from "../context";
import { conflict } from "../errors";
import { listResponse } from "../listing";
import { mustGet, optionalString, requireString } from "./common";

function newImage(world: Parameters<Handler>[1], fields: Record<string, unknown>): ApiObject {
  const { store } = world;
  const image: ApiObject = {
    checksum: null,
    container_format: "bare",
    disk_format: "qcow2",
    min_disk: 0,
    min_ram: 0,
    os_hidden: false,
    protected: false,
    scp_image_type: "custom",
    scp_original_image_type: "standard",
    size: 0,
    visibility: "private",
    owner: world.accountId,
    ...fields,
    id: store.newId(),
    status: "queued",
    created_at: store.isoNow(),
    updated_at: store.isoNow(),
  };
  store.put("images", image);
  const outcome = world.takeOutcome("image");
  store.schedule(store.durations.imageCreateMs, () => {
    if (image.status !== "queued") return;
    image.status = outcome?.state ?? "active";
    if (outcome?.reason) image.error_reason = outcome.reason;
    image.size = 2429747200;
  });
  return image;
}

export const catalogHandlers: Record<string, Handler> = {
  createImage: (req, world) => ({
    status: 200,
    body: newImage(world, { ...req.body, name: requireString(req.body, "name") }),
  }),
  createVirtualServerCustomImage: (req, world) => {
    const server = mustGet(world, "servers", req.params.server_id ?? "", "Server");
    const image = newImage(world, {
      name: optionalString(req.body, "name") ?? `${server.name}-image`,
      source_server_id: server.id,
    });
    return { status: 202, body: { image_id: image.id } };
  },
  deleteImage: (req, world) => {
    const image = mustGet(world, "images", req.params.image_id ?? "", "Image");
    if (image.protected) throw conflict(`Image ${image.id} is protected`);
    world.store.remove("images", image.id);
    return { status: req.op.successStatus };
  },
  listImages: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list("images"), "images"),
  }),
  listPendingImages: (req, world) => ({
    status: 200,
    body: { images: world.store.list("images").filter((i) => i.status === "queued" || i.status === "saving") },
  }),
  listServerTypes: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list("server-types"), "server_types", {
      sortFallback: "vcpus:asc,ram:asc",
    }),
  }),
  listVolumeTypes: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list("volume-types"), "volume_types", {
      sortFallback: "name:asc",
    }),
  }),
  showDefaultVolumeType: (_req, world) => {
    const type = world.store.list("volume-types").find((t) => t.is_default);
    return { status: 200, body: type };
  },
};
