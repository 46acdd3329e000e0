/** Images (with their life cycle and members), server types and volume types: the catalogue. */
import type { OperationId } from "../../provider/operations";
import { type PythonValue, formatPythonLiteral } from "../../provider/python-literal";
import { COLLECTIONS, membersOf } from "../collections";
import type { ApiObject, EmulatorWorld, Handler, HandlerRequest } from "../context";
import { badRequest, conflict, notFound } from "../errors";
import { filterObjects, listResponse } from "../listing";
import { GROUP_DEFAULTS } from "./auto-scaling";
import { DEFAULT_BOOT_VOLUME_TYPE } from "./servers";
import { mustGet, optionalBool, optionalInt, optionalString, requireEnum, requireString } from "./common";

const IMAGES = COLLECTIONS.images;
const IMAGE_SIZE = 2429747200;

/** An image as every image answer of the reference shows it. */
export function imageView(image: ApiObject): Record<string, unknown> {
  return {
    checksum: image.checksum ?? "",
    container_format: image.container_format,
    created_at: image.created_at,
    disk_format: image.disk_format,
    file: `/v2/images/${image.id}/file`,
    id: image.id,
    min_disk: image.min_disk,
    min_ram: image.min_ram,
    name: image.name,
    os_distro: image.os_distro ?? "",
    os_hash_algo: image.checksum ? "sha512" : "",
    os_hash_value: image.os_hash_value ?? "",
    os_hidden: image.os_hidden,
    owner: image.owner ?? "",
    owner_account_name: image.owner_account_name ?? "",
    owner_user_name: image.owner_user_name ?? "",
    protected: image.protected,
    root_device_name: image.root_device_name ?? "/dev/vda",
    scp_image_type: image.scp_image_type,
    scp_k8s_version: image.scp_k8s_version ?? "",
    scp_original_image_type: image.scp_original_image_type,
    scp_os_build_version: image.scp_os_build_version ?? "",
    scp_os_version: image.scp_os_version ?? "",
    size: image.size,
    status: image.status,
    updated_at: image.updated_at,
    url: image.url ?? "",
    virtual_size: image.virtual_size ?? 0,
    visibility: image.visibility,
    // A Python-literal string of block device mappings, as the reference shows it; "[]" for none.
    volumes: image.volumes ?? "[]",
  };
}

/** Visibilities the reference lists for images (List Images' `visibility` filter). */
const VISIBILITIES = ["public", "community", "shared", "private"];
/** Statuses an image member can be set to (Update Image member; a new member is pending). */
const MEMBER_STATUSES = ["pending", "accepted", "rejected"];
/** Server states a custom image can be taken in: the server's disk is at rest. */
const IMAGEABLE_SERVER_STATES = ["ACTIVE", "SHUTOFF"];
const OS_HASH_VALUE =
  "c6a32fc3b7c909b8900b46f5e6066c028a1d799c0a263cf064a600c430a714627c21f98ac248e2f2bf29870a1a2773c7908244745016878e1a5f31dc2c405b99";

/** Image statuses while the image's data is being written: List Pending Images shows these. */
const PENDING_STATUSES = ["queued", "saving", "importing"];

/**
 * Writes an image's data: `pending` (saving: a server's disk; importing: a file from a URL) until
 * imageCreateMs has passed, then active, or a forced outcome's state. `_building` makes a second
 * import refuse while one is under way.
 */
function writeImageData(world: EmulatorWorld, image: ApiObject, pending: "saving" | "importing"): void {
  const { store } = world;
  image.status = pending;
  image._building = true;
  image.updated_at = store.isoNow();
  const outcome = world.takeOutcome("image");
  store.schedule(store.durations.imageCreateMs, () => {
    image._building = false;
    // A state forced out of band meanwhile (control /state) stands.
    if (image.status !== pending) return;
    image.status = outcome?.state ?? "active";
    if (outcome?.reason) image._error_reason = outcome.reason;
    image.size = IMAGE_SIZE;
    image.virtual_size = IMAGE_SIZE * 4;
    image.checksum = "7538e0fcb56e0e272cfd89eb384d6613";
    image.os_hash_value = OS_HASH_VALUE;
    image.updated_at = store.isoNow();
  });
}

/**
 * A new image record, `queued` (no data yet). With `pending`, its data is written at once (Create Image
 * with a url imports it; a server's custom image saves its disk); without, it stays queued until Import Image.
 */
function newImage(
  world: EmulatorWorld,
  fields: Record<string, unknown>,
  pending: "saving" | "importing" | undefined,
): ApiObject {
  const { store } = world;
  const image: ApiObject = {
    checksum: "",
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
  store.put(IMAGES, image);
  if (pending) writeImageData(world, image, pending);
  return image;
}

function optionalVisibility(body: Record<string, unknown>): string | undefined {
  const visibility = optionalString(body, "visibility");
  if (visibility !== undefined && !VISIBILITIES.includes(visibility))
    throw badRequest(`visibility: must be one of ${VISIBILITIES.join(", ")}`);
  return visibility;
}

const image = (req: HandlerRequest, world: EmulatorWorld) => mustGet(world, IMAGES, req.params.image_id ?? "", "Image");

/** An image member (an account the image is shared with) as the reference shows it. */
const memberView = (m: ApiObject) => ({
  created_at: m.created_at,
  image_id: m.image_id,
  member_id: m.member_id,
  status: m.status,
  updated_at: m.updated_at,
});

function member(req: HandlerRequest, world: EmulatorWorld): ApiObject {
  const i = image(req, world);
  const found = world.store.get(membersOf(i.id), req.params.member_id ?? "");
  if (!found) throw notFound("Image member", req.params.member_id ?? "");
  return found;
}

/** A server type; nested in servers without its description (see servers.ts). */
const serverTypeView = (t: ApiObject) => ({
  description: t.description,
  disk: t.disk,
  ephemeral: t.ephemeral,
  extra_specs: t.extra_specs,
  id: t.id,
  name: t.name,
  ram: t.ram,
  swap: t.swap,
  vcpus: t.vcpus,
});

/** A volume type; which one is the default is kept internally (the reference does not answer it). */
const volumeTypeView = (t: ApiObject) => ({
  description: t.description,
  extra_specs: t.extra_specs,
  id: t.id,
  name: t.name,
});

/**
 * The region's default configs by category: the defaults the emulator's own handlers apply when a request
 * leaves a field out (an auto-scaling group's drain settings, a server's boot volume type, a volume's type; a
 * server's boot disk size is its type's, so no config).
 */
function defaultConfigs(world: EmulatorWorld): Record<string, Record<string, PythonValue>> {
  const volumeType = world.store.list(COLLECTIONS.volumeTypes).find((t) => t._is_default)?.name;
  return {
    AUTO_SCALING_GROUP: { ...GROUP_DEFAULTS },
    VIRTUAL_SERVER: { boot_volume_type: DEFAULT_BOOT_VOLUME_TYPE },
    VOLUME: { volume_type: typeof volumeType === "string" ? volumeType : "SSD" },
  };
}

/**
 * List Default Configs: `configs` is a string holding a Python dict (the reference's example:
 * `"('key': 'value'}"`), `count` how many it holds; `name` and `category` filter.
 */
const listDefaultConfigs: Handler = (req, world) => {
  const category = req.query.get("category") || undefined;
  const name = req.query.get("name") || undefined;
  const configs: Record<string, PythonValue> = {};
  for (const [group, values] of Object.entries(defaultConfigs(world))) {
    if (category !== undefined && category !== group) continue;
    for (const [key, value] of Object.entries(values)) if (name === undefined || name === key) configs[key] = value;
  }
  return { status: 200, body: { configs: formatPythonLiteral(configs), count: Object.keys(configs).length } };
};

export const catalogHandlers = {
  listDefaultConfigs,
  // The url of the body is the file the image's data is imported from, at once (reference L1100–L1112);
  // without one the image stays queued, waiting for Import Image.
  createImage: (req, world) => {
    const url = optionalString(req.body, "url");
    const created = newImage(
      world,
      {
        name: requireString(req.body, "name"),
        container_format: optionalString(req.body, "container_format") ?? "bare",
        disk_format: optionalString(req.body, "disk_format") ?? "qcow2",
        min_disk: optionalInt(req.body, "min_disk") ?? 0,
        min_ram: optionalInt(req.body, "min_ram") ?? 0,
        os_distro: optionalString(req.body, "os_distro"),
        protected: optionalBool(req.body, "protected") ?? false,
        url,
        visibility: optionalVisibility(req.body) ?? "private",
        _tags: req.body.tags,
      },
      url ? "importing" : undefined,
    );
    return { status: 200, body: imageView(created) };
  },
  // The server's disk is saved into the image (refused while the disk changes); the image inherits the
  // OS and minimum disk of the server's own image.
  createVirtualServerCustomImage: (req, world) => {
    const server = mustGet(world, COLLECTIONS.servers, req.params.server_id ?? "", "Server");
    if (!IMAGEABLE_SERVER_STATES.includes(String(server.state)))
      throw conflict(
        `Server ${server.id} is ${String(server.state)}: an image can be taken when it is ACTIVE or SHUTOFF`,
      );
    const source = world.store.get(IMAGES, String(server.image_id ?? ""));
    const created = newImage(
      world,
      {
        name: optionalString(req.body, "image_name") ?? `${String(server.name)}-image`,
        os_distro: source?.os_distro,
        scp_os_version: source?.scp_os_version,
        scp_original_image_type: source?.scp_image_type ?? "standard",
        min_disk: source?.min_disk ?? 0,
        _source_server_id: server.id,
      },
      "saving",
    );
    return { status: 202, body: { image_id: created.id } };
  },
  // Answers without a body, as the reference shows (its image appears in List Pending Images).
  createVirtualServerDump: (req, world) => {
    const server = mustGet(world, COLLECTIONS.servers, req.params.server_id ?? "", "Server");
    newImage(world, { name: `${server.name}-dump`, _source_server_id: server.id }, "saving");
    return { status: 202 };
  },
  // Imports a file into an existing image (reference L3939, L3972–L3975): a queued image gets its data, an active
  // one new data; refused while the image's data is still being written.
  importImage: (req, world) => {
    const i = image(req, world);
    const url = requireString(req.body, "url");
    if (i._building) throw conflict(`Image ${i.id} is ${String(i.status)}: wait until its data is written`);
    i.url = url;
    writeImageData(world, i, "importing");
    return { status: 202 };
  },
  createSharingImage: (req, world) => {
    const i = image(req, world);
    i.visibility = "shared";
    i.updated_at = world.store.isoNow();
    return { status: 202 };
  },
  showImage: (req, world) => ({ status: 200, body: imageView(image(req, world)) }),
  updateImage: (req, world) => {
    const i = image(req, world);
    const minDisk = optionalInt(req.body, "min_disk");
    const minRam = optionalInt(req.body, "min_ram");
    const isProtected = optionalBool(req.body, "protected");
    const visibility = optionalVisibility(req.body);
    if (minDisk !== undefined) i.min_disk = minDisk;
    if (minRam !== undefined) i.min_ram = minRam;
    if (isProtected !== undefined) i.protected = isProtected;
    if (visibility !== undefined) i.visibility = visibility;
    i.updated_at = world.store.isoNow();
    return { status: 200, body: imageView(i) };
  },
  // An image's members go with it.
  deleteImage: (req, world) => {
    const i = image(req, world);
    if (i.protected) throw conflict(`Image ${i.id} is protected`);
    for (const m of world.store.list(membersOf(i.id))) world.store.remove(membersOf(i.id), m.id);
    world.store.remove(IMAGES, i.id);
    return { status: req.op.successStatus };
  },
  listImages: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(IMAGES), "images", { view: imageView }),
  }),
  listPendingImages: (req, world) => ({
    status: 200,
    body: {
      images: filterObjects(
        req.op,
        req.query,
        world.store.list(IMAGES).filter((i) => PENDING_STATUSES.includes(String(i.status))),
      ).map(imageView),
    },
  }),

  // Members can be added once the image is shared (Create Sharing Image, or Update Image to visibility shared).
  createImageMember: (req, world) => {
    const i = image(req, world);
    const memberId = requireString(req.body, "member_id");
    if (i.visibility !== "shared")
      throw conflict(`Image ${i.id} is ${String(i.visibility)}, not shared: share it (Create Sharing Image) first`);
    if (world.store.get(membersOf(i.id), memberId)) throw conflict(`Image ${i.id} is already shared with ${memberId}`);
    const now = world.store.isoNow();
    const m = world.store.put(membersOf(i.id), {
      id: memberId,
      member_id: memberId,
      image_id: i.id,
      status: "pending",
      created_at: now,
      updated_at: now,
    });
    return { status: 200, body: memberView(m) };
  },
  listImageMembers: (req, world) => ({
    status: 200,
    body: { members: world.store.list(membersOf(image(req, world).id)).map(memberView) },
  }),
  showImageMember: (req, world) => ({ status: 200, body: memberView(member(req, world)) }),
  updateImageMember: (req, world) => {
    const m = member(req, world);
    m.status = requireEnum(req.body, "status", MEMBER_STATUSES);
    m.updated_at = world.store.isoNow();
    return { status: 200, body: memberView(m) };
  },
  deleteImageMember: (req, world) => {
    const m = member(req, world);
    world.store.remove(membersOf(String(m.image_id)), m.id);
    return { status: 204 };
  },

  listServerTypes: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(COLLECTIONS.serverTypes), "server_types", {
      sortFallback: "vcpus:asc,ram:asc",
      view: serverTypeView,
    }),
  }),
  showServerType: (req, world) => ({
    status: 200,
    body: serverTypeView(mustGet(world, COLLECTIONS.serverTypes, req.params.server_type_id ?? "", "Server type")),
  }),
  listVolumeTypes: (req, world) => ({
    status: 200,
    body: listResponse(req.op, req.query, world.store.list(COLLECTIONS.volumeTypes), "volume_types", {
      sortFallback: "name:asc",
      view: volumeTypeView,
    }),
  }),
  showVolumeType: (req, world) => ({
    status: 200,
    body: volumeTypeView(mustGet(world, COLLECTIONS.volumeTypes, req.params.volume_type_id ?? "", "Volume type")),
  }),
  showDefaultVolumeType: (_req, world) => {
    const type = world.store.list(COLLECTIONS.volumeTypes).find((t) => t._is_default);
    if (!type) throw notFound("Default volume type", "");
    return { status: 200, body: volumeTypeView(type) };
  },
} satisfies Partial<Record<OperationId, Handler>>;
