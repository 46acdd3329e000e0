/** Block storage volumes and snapshots: create, attach/detach, extend, revert, delete (with cascade). */
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS } from "../collections";
import type { ApiObject, EmulatorWorld, Handler } from "../context";
import { badRequest, conflict, notFound } from "../errors";
import { listResponse } from "../listing";
import { mustGet, optionalBool, optionalString, requireInt, requireString } from "./common";

export const VOLUMES = COLLECTIONS.volumes;
export const SNAPSHOTS = COLLECTIONS.snapshots;
const MAX_SIZE_GB = 16_384;

type Attachment = { id: string; device: string; attached_at: string };
type ServerVolume = { id: string; delete_on_termination: boolean };

export function createVolumeObject(
  world: EmulatorWorld,
  spec: {
    name: string;
    size: number;
    volumeType: string;
    bootable?: boolean;
    imageId?: string | undefined;
    snapshotId?: string | undefined;
    tags?: unknown;
  },
): ApiObject {
  const { store } = world;
  const type = store.list(COLLECTIONS.volumeTypes).find((t) => t.name === spec.volumeType);
  const volume: ApiObject = {
    id: store.newId(),
    name: spec.name,
    size: spec.size,
    volume_type: spec.volumeType,
    volume_type_id: type?.id ?? null,
    bootable: spec.bootable ?? false,
    encrypted: spec.volumeType.includes("Encrypted"),
    multiattach: false,
    servers: [] as Attachment[],
    snapshot_id: spec.snapshotId ?? null,
    state: "creating",
    user_id: world.userId,
    created_at: store.isoNow(),
    modified_at: store.isoNow(),
    _image_id: spec.imageId,
    // Tags are taken at creation only and never answered (no operation of the reference returns them).
    _tags: spec.tags,
  };
  return store.put(VOLUMES, volume);
}

/**
 * The image a volume was made from, as volumes show it. The reference shows the object on every volume;
 * a volume made from no image answers it with empty values of the same types.
 */
function imageMetadata(world: EmulatorWorld, imageId: string | undefined): Record<string, unknown> {
  const image = imageId ? world.store.get(COLLECTIONS.images, imageId) : undefined;
  return {
    checksum: image?.checksum ?? "",
    container_format: image?.container_format ?? "",
    disk_format: image?.disk_format ?? "",
    image_id: imageId ?? "",
    image_name: image?.name ?? "",
    min_disk: image?.min_disk ?? 0,
    min_ram: image?.min_ram ?? 0,
    os_distro: image?.os_distro ?? "",
    scp_image_type: image?.scp_image_type ?? "",
    scp_k8s_version: image?.scp_k8s_version ?? "",
    scp_original_image_type: image?.scp_original_image_type ?? "",
    signature_verified: false,
    size: image?.size ?? 0,
  };
}

/** A volume as Show / List / Create / Update / Extend Volume answer it: exactly the reference's keys. */
export function volumeView(volume: ApiObject, world: EmulatorWorld): Record<string, unknown> {
  return {
    bootable: volume.bootable,
    created_at: volume.created_at,
    encrypted: volume.encrypted,
    id: volume.id,
    modified_at: volume.modified_at,
    multiattach: volume.multiattach,
    name: volume.name,
    servers: (volume.servers as Attachment[]).map((a) => ({ attached_at: a.attached_at, device: a.device, id: a.id })),
    size: volume.size,
    snapshot_id: volume.snapshot_id ?? "",
    state: volume.state,
    user_id: volume.user_id,
    volume_image_metadata: imageMetadata(world, volume._image_id as string | undefined),
    volume_type: volume.volume_type,
    volume_type_id: volume.volume_type_id ?? "",
  };
}

/** A snapshot as the reference shows it. */
export function snapshotView(snapshot: ApiObject): Record<string, unknown> {
  return {
    created_at: snapshot.created_at,
    description: snapshot.description,
    id: snapshot.id,
    metadata: snapshot.metadata,
    name: snapshot.name,
    size: snapshot.size,
    status: snapshot.status,
    updated_at: snapshot.updated_at,
    user_id: snapshot.user_id,
    volume_id: snapshot.volume_id,
  };
}

function transition(
  world: EmulatorWorld,
  object: ApiObject,
  field: "state" | "status",
  during: string,
  ms: number,
  after: () => string,
) {
  object[field] = during;
  world.store.schedule(ms, () => {
    if (object[field] !== during) return;
    object[field] = after();
    // Volumes show modified_at, snapshots updated_at.
    object[field === "state" ? "modified_at" : "updated_at"] = world.store.isoNow();
  });
}

const restingState = (v: ApiObject) => ((v.servers as Attachment[]).length > 0 ? "in-use" : "available");

/** Records an attachment on both sides (volume.servers and server.volumes). */
export function attachVolume(
  world: EmulatorWorld,
  volume: ApiObject,
  server: ApiObject,
  deleteOnTermination: boolean,
): Attachment {
  const serverVolumes = server.volumes as ServerVolume[];
  const attachment = {
    id: server.id,
    device: `/dev/vd${String.fromCharCode(97 + serverVolumes.length)}`,
    attached_at: world.store.isoNow(),
  };
  (volume.servers as Attachment[]).push(attachment);
  serverVolumes.push({ id: volume.id, delete_on_termination: deleteOnTermination });
  return attachment;
}

function detach(volume: ApiObject, server: ApiObject | undefined): void {
  volume.servers = (volume.servers as Attachment[]).filter((a) => a.id !== server?.id);
  if (server) server.volumes = (server.volumes as ServerVolume[]).filter((v) => v.id !== volume.id);
}

/** When a server goes: delete-on-termination volumes go with it, the others become available. */
export function detachAll(world: EmulatorWorld, server: ApiObject): void {
  for (const sv of server.volumes as ServerVolume[]) {
    const volume = world.store.get(VOLUMES, sv.id);
    if (!volume) continue;
    detach(volume, server);
    if (sv.delete_on_termination) world.store.remove(VOLUMES, volume.id);
    else volume.state = restingState(volume);
  }
  server.volumes = [];
}

function assertResting(volume: ApiObject, action: string): void {
  if (!["available", "in-use"].includes(String(volume.state))) {
    throw conflict(`Cannot ${action} volume ${volume.id} while it is ${volume.state}`);
  }
}

/** One attachment as the server-side volume operations show it. */
function serverVolumeView(world: EmulatorWorld, server: ApiObject, sv: ServerVolume): Record<string, unknown> {
  const device = (world.store.get(VOLUMES, sv.id)?.servers as Attachment[] | undefined)?.find(
    (a) => a.id === server.id,
  )?.device;
  return {
    delete_on_termination: sv.delete_on_termination,
    device: device ?? "",
    id: sv.id,
    server_id: server.id,
    volume_id: sv.id,
  };
}

const volume = (world: EmulatorWorld, id: string | undefined) => mustGet(world, VOLUMES, id ?? "", "Volume");

function attachHandler(world: EmulatorWorld, v: ApiObject, serverId: string, deleteOnTermination: boolean) {
  const server = mustGet(world, COLLECTIONS.servers, serverId, "Server");
  if (!["ACTIVE", "SHUTOFF"].includes(String(server.state)))
    throw conflict(`Server ${server.id} is ${server.state}; attach when ACTIVE or SHUTOFF`);
  if (v.state !== "available") throw conflict(`Volume ${v.id} is ${v.state}, not available`);
  const attachment = attachVolume(world, v, server, deleteOnTermination);
  const outcome = world.takeOutcome("attach");
  transition(world, v, "state", "attaching", world.store.durations.volumeAttachMs, () => {
    if (outcome?.reason) v._error_reason = outcome.reason;
    return outcome?.state ?? "in-use";
  });
  return {
    delete_on_termination: deleteOnTermination,
    device: attachment.device,
    server_id: server.id,
    volume_id: v.id,
  };
}

function detachHandler(world: EmulatorWorld, v: ApiObject, serverId: string) {
  const server = world.store.get(COLLECTIONS.servers, serverId);
  if (!(v.servers as Attachment[]).some((a) => a.id === serverId))
    throw notFound(`Attachment of volume ${v.id} to server`, serverId);
  if (v.bootable && server && (server.volumes as ServerVolume[])[0]?.id === v.id) {
    throw conflict(`Volume ${v.id} is the boot volume of server ${serverId} and cannot be detached`);
  }
  if (v.state !== "in-use") throw conflict(`Volume ${v.id} is ${v.state}, not in-use`);
  transition(world, v, "state", "detaching", world.store.durations.volumeAttachMs, () => {
    detach(v, world.store.get(COLLECTIONS.servers, serverId));
    return restingState(v);
  });
}

export const volumeHandlers = {
  createVolume: (req, world) => {
    const name = requireString(req.body, "name");
    const size = requireInt(req.body, "size", 1, MAX_SIZE_GB);
    const typeName =
      optionalString(req.body, "volume_type") ??
      String(world.store.list(COLLECTIONS.volumeTypes).find((t) => t._is_default)?.name);
    if (!world.store.list(COLLECTIONS.volumeTypes).some((t) => t.name === typeName))
      throw badRequest(`volume_type: unknown volume type ${typeName}`);
    const snapshotId = optionalString(req.body, "snapshot_id");
    if (snapshotId) {
      const snapshot = mustGet(world, SNAPSHOTS, snapshotId, "Snapshot");
      if (snapshot.status !== "available")
        throw conflict(`Snapshot ${snapshotId} is ${snapshot.status}, not available`);
      if (size < Number(snapshot.size))
        throw badRequest(`size: must be at least the snapshot's size (${snapshot.size} GB)`);
    }
    const v = createVolumeObject(world, { name, size, volumeType: typeName, snapshotId, tags: req.body.tags });
    const outcome = world.takeOutcome("volume");
    transition(world, v, "state", "creating", world.store.durations.volumeCreateMs, () => {
      if (outcome?.reason) v._error_reason = outcome.reason;
      return outcome?.state ?? "available";
    });
    return { status: 202, body: volumeView(v, world) };
  },
  showVolume: (req, world) => ({ status: 200, body: volumeView(volume(world, req.params.volume_id), world) }),
  listVolumes: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(VOLUMES), "volumes", {
      withCount: req.query.get("with_count") !== "false",
      view: (v) => volumeView(v, world),
    }),
  }),
  updateVolume: (req, world) => {
    const v = volume(world, req.params.volume_id);
    const name = optionalString(req.body, "name");
    if (name !== undefined) v.name = name;
    // A volume's description is taken but not shown by the reference's volume answers.
    if (req.body.description !== undefined) v._description = req.body.description;
    v.modified_at = world.store.isoNow();
    return { status: 200, body: volumeView(v, world) };
  },
  extendVolume: (req, world) => {
    const v = volume(world, req.params.volume_id);
    const size = requireInt(req.body, "size", 1, MAX_SIZE_GB);
    assertResting(v, "extend");
    if (size <= Number(v.size))
      throw badRequest(`size: a volume can only grow (current ${v.size} GB, requested ${size} GB)`);
    const resting = String(v.state);
    transition(world, v, "state", "extending", world.store.durations.volumeExtendMs, () => {
      v.size = size;
      return resting;
    });
    return { status: 202, body: volumeView(v, world) };
  },
  deleteVolume: (req, world) => {
    const v = volume(world, req.params.volume_id);
    const attached = (v.servers as Attachment[]).map((a) => a.id);
    if (attached.length > 0)
      throw conflict(`Volume ${v.id} is attached to server ${attached.join(", ")}; detach it first`);
    assertResting(v, "delete");
    const cascade = req.query.get("cascade") === "true";
    const snapshots = world.store.list(SNAPSHOTS).filter((s) => s.volume_id === v.id);
    if (snapshots.length > 0 && !cascade) {
      throw conflict(`Volume ${v.id} has ${snapshots.length} snapshot(s); delete them first or pass cascade=true`);
    }
    for (const s of snapshots) s.status = "deleting";
    transition(world, v, "state", "deleting", world.store.durations.volumeDeleteMs, () => {
      for (const s of snapshots) world.store.remove(SNAPSHOTS, s.id);
      world.store.remove(VOLUMES, v.id);
      return "deleted";
    });
    return { status: 202 };
  },
  attachVolumeToVirtualServer: (req, world) => {
    const v = volume(world, req.params.volume_id);
    const body = attachHandler(
      world,
      v,
      requireString(req.body, "server_id"),
      optionalBool(req.body, "delete_on_termination") ?? false,
    );
    return { status: 202, body };
  },
  detachVolumeFromVirtualServer: (req, world) => {
    detachHandler(world, volume(world, req.params.volume_id), req.params.server_id ?? "");
    return { status: 202 };
  },
  revertVolumeToSnapshot: (req, world) => {
    const v = volume(world, req.params.volume_id);
    const snapshot = mustGet(world, SNAPSHOTS, requireString(req.body, "snapshot_id"), "Snapshot");
    if (snapshot.volume_id !== v.id) throw badRequest(`Snapshot ${snapshot.id} does not belong to volume ${v.id}`);
    if (v.state !== "available") throw conflict(`Volume ${v.id} is ${v.state}; detach it before reverting`);
    transition(world, v, "state", "reverting", world.store.durations.volumeExtendMs, () => "available");
    return { status: 202 };
  },
  // The server-side view of attachments.
  listServerVolumes: (req, world) => {
    const server = mustGet(world, COLLECTIONS.servers, req.params.server_id ?? "", "Server");
    return {
      status: 200,
      body: { volumes: (server.volumes as ServerVolume[]).map((sv) => serverVolumeView(world, server, sv)) },
    };
  },
  showServerVolume: (req, world) => {
    const server = mustGet(world, COLLECTIONS.servers, req.params.server_id ?? "", "Server");
    const sv = (server.volumes as ServerVolume[]).find((x) => x.id === req.params.volume_id);
    if (!sv) throw notFound("Server volume", req.params.volume_id ?? "");
    return { status: 200, body: serverVolumeView(world, server, sv) };
  },
  createServerVolume: (req, world) => {
    const v = volume(world, requireString(req.body, "volume_id"));
    const body = attachHandler(
      world,
      v,
      req.params.server_id ?? "",
      optionalBool(req.body, "delete_on_termination") ?? false,
    );
    return { status: 200, body: { ...body, id: v.id } };
  },
  updateServerVolume: (req, world) => {
    const server = mustGet(world, COLLECTIONS.servers, req.params.server_id ?? "", "Server");
    const sv = (server.volumes as ServerVolume[]).find((x) => x.id === req.params.volume_id);
    if (!sv) throw notFound("Server volume", req.params.volume_id ?? "");
    const dot = optionalBool(req.body, "delete_on_termination");
    if (dot !== undefined) sv.delete_on_termination = dot;
    return { status: 200 };
  },
  deleteServerVolume: (req, world) => {
    detachHandler(world, volume(world, req.params.volume_id), req.params.server_id ?? "");
    return { status: 202 };
  },

  // Snapshots.
  createSnapshot: (req, world) => {
    const v = volume(world, requireString(req.body, "volume_id"));
    assertResting(v, "snapshot");
    if (v.state === "in-use" && optionalBool(req.body, "force") !== true) {
      throw badRequest(`Volume ${v.id} is in use; pass force: true to snapshot it`);
    }
    const { store } = world;
    const snapshot: ApiObject = {
      id: store.newId(),
      name: optionalString(req.body, "name") ?? `snapshot-${v.name}`,
      description: optionalString(req.body, "description") ?? "",
      metadata: req.body.metadata ?? "",
      size: v.size,
      status: "creating",
      volume_id: v.id,
      user_id: world.userId,
      created_at: store.isoNow(),
      updated_at: store.isoNow(),
    };
    store.put(SNAPSHOTS, snapshot);
    const outcome = world.takeOutcome("snapshot");
    transition(world, snapshot, "status", "creating", store.durations.snapshotCreateMs, () => {
      if (outcome?.reason) snapshot._error_reason = outcome.reason;
      return outcome?.state ?? "available";
    });
    return { status: 202, body: snapshotView(snapshot) };
  },
  showSnapshot: (req, world) => ({
    status: 200,
    body: snapshotView(mustGet(world, SNAPSHOTS, req.params.snapshot_id ?? "", "Snapshot")),
  }),
  listSnapshots: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(SNAPSHOTS), "snapshots", {
      withCount: req.query.get("with_count") !== "false",
      view: snapshotView,
    }),
  }),
  updateSnapshot: (req, world) => {
    const snapshot = mustGet(world, SNAPSHOTS, req.params.snapshot_id ?? "", "Snapshot");
    const name = optionalString(req.body, "name");
    const description = optionalString(req.body, "description");
    if (name !== undefined) snapshot.name = name;
    if (description !== undefined) snapshot.description = description;
    snapshot.updated_at = world.store.isoNow();
    return { status: 200, body: snapshotView(snapshot) };
  },
  deleteSnapshot: (req, world) => {
    const snapshot = mustGet(world, SNAPSHOTS, req.params.snapshot_id ?? "", "Snapshot");
    if (snapshot.status === "creating" || snapshot.status === "deleting")
      throw conflict(`Snapshot ${snapshot.id} is ${snapshot.status}`);
    transition(world, snapshot, "status", "deleting", world.store.durations.snapshotDeleteMs, () => {
      world.store.remove(SNAPSHOTS, snapshot.id);
      return "deleted";
    });
    return { status: 202 };
  },
} satisfies Partial<Record<OperationId, Handler>>;
