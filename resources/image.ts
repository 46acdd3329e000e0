/**
 * Image: a custom image, made one of two ways, waited for until `active`:
 *
 * - from a file at a URL: Create Image, whose body carries the file's `url` (reference L1100–L1112, `url` L1110). The
 *   create imports that file itself; Import Image (L3939, body L3972–L3975) imports a file into an image that already
 *   exists, so it is what a later change of `url` calls: the new file goes into the same image, in place;
 * - from a server's disk (`serverId`): Create Virtual Server Custom Image, whose body is the name only
 *   (L2260–L2263); it answers the new image's id (L2265–L2268).
 *
 * While its data is written the image is pending: Show Image's `status` (the one state the reference
 * documents, L7623) is not yet `active`, and List pending Images (L5359) lists it. Update Image changes
 * only `min_disk`, `min_ram`, `protected` and `visibility` (its body, L10331–L10336): those change in place;
 * the name, formats and OS replace the image. `visibility: "shared"` is reached through Create Sharing Image
 * (L2027), the operation SCP has for it; other visibilities through Update Image. Share a shared image with
 * an account with `ImageMember`.
 */
import { z } from "zod";
import { type DiffRules, diffByRules, inputsFromOutputs, normalize } from "../provider/diff";
import { encodeTags } from "../provider/python-literal";
import { type ResourceContext, type ResourceSpec, defineResourceProvider } from "../provider/resource-provider";
import { type ArgsOf, type ListsEveryOutput, resourceClass } from "../provider/resource-class";
import { type InputProperties, commonProperties, objectName, rulesOf, schemaOf, tagsSchema } from "../provider/schema";
import { flag, oneOf, resourceId, text, wholeNumber } from "../provider/validators";
import { minutes } from "../provider/timeouts";
import { waitForState, waitUntilGone } from "../provider/waiter";
import { ImageVisibility, enumValues } from "./enums";

// ---- Input schema -------------------------------------------------------------------------------------

/** The visibilities the reference lists for images (List Images' `visibility`, L5007). */
const VISIBILITIES = enumValues(ImageVisibility);

/**
 * The status of an image whose data could not be written (the OpenStack image service's name for it):
 * it never becomes active, only a new image does.
 */
const FAILED = "killed";

/** Properties only Create Image takes: the server-image create takes a name alone (L2262). */
const URL_ONLY = ["containerFormat", "diskFormat", "osDistro", "tags"] as const;

const imageUrl = (name: string) =>
  text(name).superRefine((value, ctx) => {
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== "https:" && protocol !== "http:")
      ctx.addIssue({
        code: "custom",
        message: `${name} must be the http(s) URL of the image file (e.g. an Object Storage URL); got ${JSON.stringify(value)}`,
      });
  });

const nonEmpty = (name: string) => text(name).min(1, `${name} must not be empty`);

/** The image's inputs: each one's schema, diff rule and (above it) the doc `ImageArgs` shows. */
const properties = {
  /**
   * Image name. SCP cannot rename an image: changing it replaces the image. Default: the resource's name plus
   * a random suffix (`golden-3f9a2c1`), kept across updates; a replacement gets a new one.
   */
  // Update Image takes no name (L10331–L10336).
  name: { schema: objectName("image"), on: "replace" },
  /**
   * The image file to import, an http(s) URL (e.g. an Object Storage URL of a `.qcow2`). Give either `url`
   * or `serverId`. Drift-checked. Changing it imports the new file into the same image in place (Import
   * Image): the id stays, so servers made from the image are not replaced.
   */
  url: {
    // Reference L1110 (Create Image's url), L3974 (Import Image's).
    schema: imageUrl("url").optional(),
    // Import Image puts the new file into the same image.
    on: "update",
  },
  /**
   * The server whose disk becomes the image (Create Virtual Server Custom Image); it must be ACTIVE or
   * SHUTOFF. Give either `serverId` or `url`. SCP does not say later which server an image came from: not
   * drift-checked. Changing it replaces the image.
   */
  serverId: {
    // Reference L2239: the server_id path parameter of Create Virtual Server Custom Image.
    schema: resourceId("serverId").optional(),
    on: "replace",
    writeOnly: "Show Image does not say which server an image was made from",
  },
  /**
   * Container format of the file, e.g. `bare` (the default). Only with `url`. Changing it replaces the
   * image.
   */
  containerFormat: { schema: nonEmpty("containerFormat").optional(), on: "replace" },
  /** Disk format of the file, e.g. `qcow2` (the default). Only with `url`. Changing it replaces the image. */
  diskFormat: { schema: nonEmpty("diskFormat").optional(), on: "replace" },
  /**
   * OS distribution, e.g. `alma`, `ubuntu` (the API's `os_distro`). Only with `url`; an image of a server
   * takes its server's. Changing it replaces the image.
   */
  osDistro: { schema: nonEmpty("osDistro").optional(), on: "replace" },
  /**
   * Smallest boot volume, in GB, a server made from the image needs (0–16384; 0: no minimum). Changed in
   * place.
   */
  // Reference L1104–L1105, L10332–L10333: whole numbers; 0 means no minimum.
  minDisk: { schema: wholeNumber("minDisk", { min: 0, max: 16_384, unit: "GB" }).optional(), on: "update" },
  /**
   * Smallest memory a server made from the image needs, as the API's `min_ram` (0: no minimum). Changed in
   * place.
   */
  minRam: { schema: wholeNumber("minRam", { min: 0 }).optional(), on: "update" },
  /**
   * Protect the image from deletion (default false). A protected image cannot be destroyed or replaced: set
   * it to false first. Changed in place.
   */
  protected: { schema: flag("protected").optional(), on: "update" },
  /**
   * Who may use the image: `private` (the default), `shared` (accounts added with `ImageMember`), `community`
   * or `public` (SCP decides whether an account may publish); see `ImageVisibility`. Changed in place;
   * `shared` through Create Sharing Image.
   */
  visibility: { schema: oneOf("visibility", VISIBILITIES).optional(), on: "update" },
  /**
   * Tags (key → value), applied when the image is created from a `url`. SCP returns no image tags and cannot
   * change them: a change is recorded in state with a warning in the preview, never a replacement; not
   * drift-checked.
   */
  tags: {
    schema: tagsSchema.optional(),
    on: "record",
    writeOnly: "no image operation returns tags or changes them after creation",
    normalize: normalize.emptyMap,
  },
  ...commonProperties,
  /**
   * Region of the image, e.g. `kr-west1`, when not the provider's. Changing it replaces the image; a
   * provider setting, not drift-checked.
   */
  region: commonProperties.region,
  /**
   * How long create/update/delete may wait, e.g. `{ create: "1h" }`. Default 30 minutes to create or import,
   * 10 to delete. Changed in place; a provider setting, not drift-checked.
   */
  timeouts: commonProperties.timeouts,
} as const satisfies InputProperties;

const inputSchema = schemaOf(properties).superRefine((inputs, ctx) => {
  if (inputs.url === undefined && inputs.serverId === undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["url"],
      message: "url (the image file to import) or serverId (the server to image) is required",
    });
  }
  if (inputs.url !== undefined && inputs.serverId !== undefined) {
    ctx.addIssue({
      code: "custom",
      path: ["serverId"],
      message: "serverId cannot be combined with url: an image is made either from a file or from a server",
    });
  }
  if (inputs.serverId === undefined) return;
  for (const key of URL_ONLY) {
    if (inputs[key] === undefined) continue;
    ctx.addIssue({
      code: "custom",
      path: [key],
      message: `${key} cannot be set for an image of a server: SCP takes it from the server (its custom image create takes a name only)`,
    });
  }
});

export type ImageInputs = z.infer<typeof inputSchema>;

export interface ImageOutputs extends ImageInputs {
  /**
   * `active` once the data is written (other states while pending, as the API reports them; `killed` when
   * the data could not be written). Refresh reads it (Show Image).
   */
  readonly status: string;
  /** Size of the image's data in bytes. Refresh reads it (Show Image). */
  readonly size: number;
  /** Checksum of the image's data. Refresh reads it (Show Image). */
  readonly checksum?: string | undefined;
  /** Account id of the image's owner (this account). Refresh reads it (Show Image). */
  readonly owner?: string | undefined;
  /**
   * SCP's image type (`custom` for the images this resource makes; the API's `scp_image_type`). Refresh reads
   * it (Show Image).
   */
  readonly imageType?: string | undefined;
  /** When the image was created (ISO 8601). Refresh reads it (Show Image). */
  readonly createdAt?: string | undefined;
}

/** The outputs that are not inputs (the class registers and declares these besides its inputs). */
const OUTPUT_KEYS = [
  "status",
  "size",
  "checksum",
  "owner",
  "imageType",
  "createdAt",
] as const satisfies readonly (keyof ImageOutputs)[];
const _everyOutputListed: ListsEveryOutput<ImageOutputs, ImageInputs, typeof OUTPUT_KEYS> = true;

// ---- Inputs → API requests ----------------------------------------------------------------------------

function createImageRequest(inputs: ImageInputs) {
  return {
    name: inputs.name,
    url: inputs.url,
    container_format: inputs.containerFormat,
    disk_format: inputs.diskFormat,
    os_distro: inputs.osDistro,
    min_disk: inputs.minDisk,
    min_ram: inputs.minRam,
    protected: inputs.protected,
    visibility: inputs.visibility,
    tags: encodeTags(inputs.tags),
  };
}

// ---- API objects → outputs ----------------------------------------------------------------------------

// Show Image (L7598–L7629); List Images and List pending Images answer the same objects.
const apiImage = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  url: z.string().nullish(),
  container_format: z.string().nullish(),
  disk_format: z.string().nullish(),
  os_distro: z.string().nullish(),
  min_disk: z.number().nullish(),
  min_ram: z.number().nullish(),
  protected: z.boolean().nullish(),
  visibility: z.string().nullish(),
  size: z.number().nullish(),
  checksum: z.string().nullish(),
  owner: z.string().nullish(),
  scp_image_type: z.string().nullish(),
  created_at: z.string().nullish(),
});
type ApiImage = z.infer<typeof apiImage>;

function toOutputs(api: ApiImage, inputs: ImageInputs): ImageOutputs {
  return {
    ...inputs,
    name: api.name,
    // The API writes "none" as an empty string as well as null.
    url: api.url || undefined,
    containerFormat: api.container_format || undefined,
    diskFormat: api.disk_format || undefined,
    osDistro: api.os_distro || undefined,
    minDisk: api.min_disk ?? undefined,
    minRam: api.min_ram ?? undefined,
    protected: api.protected ?? undefined,
    visibility: (api.visibility || undefined) as ImageVisibility | undefined,
    status: api.status,
    size: api.size ?? 0,
    checksum: api.checksum || undefined,
    owner: api.owner || undefined,
    imageType: api.scp_image_type || undefined,
    createdAt: api.created_at ?? undefined,
  };
}

const describeImage = (inputs: { name?: string | undefined }, id?: string) =>
  `image "${inputs.name ?? "?"}"${id ? ` (${id})` : ""}`;

function showImage(ctx: ResourceContext, id: string): Promise<ApiImage | undefined> {
  return ctx.client
    .find("showImage", { path: { image_id: id } })
    .then((b) => (b === undefined ? undefined : apiImage.parse(b)));
}

async function imagesNamed(ctx: ResourceContext, name: string): Promise<ApiImage[]> {
  const list = await ctx.client.call<{ images: unknown[] }>("listImages", { query: { name } });
  return list.body.images.map((i) => apiImage.parse(i)).filter((i) => i.name === name);
}

/**
 * The image a create whose answer was lost made: named so and created since the create started. Moments
 * after the create its data is still being written, so List pending Images (L5359) has it; List Images
 * has it either way.
 */
async function imageCreatedSince(ctx: ResourceContext, name: string, startedAt: string): Promise<ApiImage | undefined> {
  const recent = (i: ApiImage) => i.name === name && (i.created_at ?? "") >= startedAt;
  const pending = await ctx.client.call<{ images: unknown[] }>("listPendingImages", {
    query: { scp_image_type: "custom" },
  });
  return pending.body.images.map((i) => apiImage.parse(i)).find(recent) ?? (await imagesNamed(ctx, name)).find(recent);
}

/** Waits until the image's data is written (and `ready` holds, when given). */
function waitUntilActive(
  ctx: ResourceContext,
  id: string,
  inputs: ImageInputs,
  what: string,
  timeoutMs: number,
  ready?: (i: ApiImage) => boolean,
): Promise<ApiImage> {
  return waitForState({
    description: `${describeImage(inputs, id)} ${what}`,
    read: () => showImage(ctx, id),
    stateOf: (i) => i.status,
    target: ["active"],
    // Error states fail the wait anyway.
    failure: [FAILED],
    ...(ready ? { ready } : {}),
    timeoutMs,
  });
}

/**
 * Applies what Update Image and Create Sharing Image change, where the live image differs from the inputs.
 * Update Image gets its whole body (L10331–L10336), unchanged values as they are live, so that a PUT that
 * replaces the settings resets none of them.
 */
async function applySettings(ctx: ResourceContext, id: string, inputs: ImageInputs, live: ApiImage): Promise<void> {
  const resource = describeImage(inputs, id);
  const share = inputs.visibility === "shared" && live.visibility !== "shared";
  const visibility = inputs.visibility === undefined || share ? live.visibility : inputs.visibility;
  const body = {
    min_disk: inputs.minDisk ?? live.min_disk ?? 0,
    min_ram: inputs.minRam ?? live.min_ram ?? 0,
    protected: inputs.protected ?? live.protected ?? false,
    visibility: visibility ?? "private",
  };
  const unchanged =
    body.min_disk === live.min_disk &&
    body.min_ram === live.min_ram &&
    body.protected === live.protected &&
    body.visibility === live.visibility;
  if (!unchanged) await ctx.client.call("updateImage", { path: { image_id: id }, body, resource });
  if (!share) return;
  const shared = async () => (await showImage(ctx, id))?.visibility === "shared";
  await ctx.client.change("createSharingImage", { path: { image_id: id }, resource }, shared);
  // It answers 202 (L2043): the visibility changes when SCP has shared the image.
  await waitForState({
    description: `${resource} to be shared`,
    read: () => showImage(ctx, id),
    stateOf: (i) => i.visibility ?? "",
    target: ["shared"],
    timeoutMs: ctx.timeouts.updateMs,
  });
}

// ---- Diff rules ---------------------------------------------------------------------------------------

const diffRules: DiffRules<ImageInputs> = rulesOf(properties);

/** The property that made the image: what a replacement of a failed image names. */
const sourceProperty = (news: Record<string, unknown>): string => (news.serverId !== undefined ? "serverId" : "url");

/** An image of a server given a url instead: made another way, so another image. */
const madeAnotherWay = (olds: Partial<ImageOutputs>, news: Record<string, unknown>): boolean =>
  olds.serverId !== undefined && news.serverId === undefined && news.url !== undefined;

const protectedWarning = (olds: Partial<ImageOutputs>, news: Record<string, unknown>): string[] => {
  const replaced =
    diffByRules(diffRules, olds as Record<string, unknown>, news).replaces.length > 0 ||
    madeAnotherWay(olds, news) ||
    olds.status === FAILED;
  return replaced && olds.protected === true
    ? [
        "protected: the image is protected, so deleting it after its replacement is created will fail; " +
          "set protected: false and run pulumi up first, then make the change that replaces it",
      ]
    : [];
};

// ---- The provider -------------------------------------------------------------------------------------

export const spec: ResourceSpec<ImageInputs, ImageOutputs> = {
  kind: "image",
  autoName: true,
  schema: inputSchema,
  defaultTimeouts: { createMs: minutes(30), updateMs: minutes(30), deleteMs: minutes(10) },
  diffRules,
  describe: describeImage,
  replacesBeyondRules: (olds, news) =>
    madeAnotherWay(olds, news) ? ["url"] : olds.status === FAILED ? [sourceProperty(news)] : [],
  warnings: (olds, news) => [
    ...(olds.status === FAILED
      ? [`status: the image's data could not be written (${FAILED}); it is replaced by a new image`]
      : []),
    ...protectedWarning(olds, news),
  ],

  async create(ctx, inputs, created) {
    const startedAt = new Date().toISOString();
    const resource = describeImage(inputs);
    const findLost = () => imageCreatedSince(ctx, inputs.name, startedAt);
    let id: string;
    if (inputs.serverId !== undefined) {
      const answer = await ctx.client.create<{ image_id: string }>(
        "createVirtualServerCustomImage",
        { path: { server_id: inputs.serverId }, body: { image_name: inputs.name }, resource },
        async () => {
          const found = await findLost();
          return found ? { image_id: found.id } : undefined;
        },
      );
      id = answer.image_id;
    } else {
      const answer = await ctx.client.create("createImage", { body: createImageRequest(inputs), resource }, findLost);
      id = apiImage.parse(answer).id;
    }
    created(id);
    const ready = await waitUntilActive(ctx, id, inputs, "to become active", ctx.timeouts.createMs);
    // An image of a server takes its settings now: its create takes a name only.
    await applySettings(ctx, id, inputs, ready);
    const live = await showImage(ctx, id);
    return { id, outputs: toOutputs(live ?? ready, inputs) };
  },

  findNamed: async (ctx, inputs) => (await imagesNamed(ctx, inputs.name)).map((i) => i.id),

  async read(ctx, id, olds) {
    const live = await showImage(ctx, id);
    if (!live) return undefined;
    const outputs = toOutputs(live, olds as ImageInputs);
    const inputs = inputsFromOutputs(diffRules, outputs);
    return { outputs, inputs };
  },

  async update(ctx, id, olds, news, changed) {
    const resource = describeImage(news, id);
    const { url } = news;
    if (changed.has("url") && url !== undefined) {
      await ctx.client.change(
        "importImage",
        { path: { image_id: id }, body: { url }, resource },
        async () => (await showImage(ctx, id))?.url === url,
      );
      await waitUntilActive(ctx, id, news, `to import ${url}`, ctx.timeouts.updateMs, (i) => i.url === url);
    }
    const live = await showImage(ctx, id);
    if (!live) throw new Error(`${resource} no longer exists`);
    await applySettings(ctx, id, news, live);
    const after = await showImage(ctx, id);
    return after ? toOutputs(after, { ...olds, ...news }) : { ...olds, ...news };
  },

  async delete(ctx, id) {
    const live = await showImage(ctx, id);
    if (!live) return;
    const resource = describeImage(live, id);
    if (live.protected) {
      throw new Error(
        `${resource} is protected: set protected: false and run pulumi up, then delete it (SCP refuses to delete a protected image)`,
      );
    }
    await ctx.client.call("deleteImage", { path: { image_id: id }, resource });
    await waitUntilGone({
      description: `image ${id} to be deleted`,
      read: () => showImage(ctx, id),
      stateOf: (i) => i.status,
      timeoutMs: ctx.timeouts.deleteMs,
    });
  },
};

/** The implementation, run by the provider host (see provider/thin-provider.ts); the program never calls it. */
export const provider = defineResourceProvider(spec);

// ---- The Resource class -------------------------------------------------------------------------------

/** The arguments of an `Image` (each documented where it is declared, in `properties`). */
export interface ImageArgs extends ArgsOf<ImageInputs, "name"> {}

/**
 * A custom image, imported from a file or taken from a server's disk, waited for until active. Servers and
 * launch configurations use it by `id`; share it with other accounts with `visibility: "shared"` and
 * `ImageMember`.
 *
 * ```ts
 * const golden = new Image("golden", {
 *   name: "web-golden-2026-12",
 *   url: "https://object-store.kr-west1.s.samsungsdscloud.com/<account>/images/web.qcow2",
 *   osDistro: "ubuntu",
 *   minDisk: 50,
 * });
 * export const goldenImageId = golden.id;
 * ```
 */
export const Image = resourceClass<ImageArgs, ImageOutputs, typeof OUTPUT_KEYS>({
  type: "Image",
  implementation: "image",
  inputSchema,
  outputKeys: OUTPUT_KEYS,
});
/** An `Image`: its inputs and outputs as the engine resolves them (see `ImageArgs`, `ImageOutputs`). */
export type Image = InstanceType<typeof Image>;
