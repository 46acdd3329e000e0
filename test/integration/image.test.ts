import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { provider as imageProvider } from "../../resources/image";
import { provider as acceptanceProvider } from "../../resources/image-member-acceptance";
import { provider as memberProvider } from "../../resources/image-member";
import { spec as imageSpec } from "../../resources/image";
import { resolveTimeouts } from "../../provider/timeouts";
import { clientFor, control, emulatorForProviderTests, untilObject } from "../support/emulator";
import { PROVIDER, driver } from "../support/provider";
import { createEmulatorServer } from "../support/servers";

let emulator: RunningEmulator;
const image = driver(imageProvider);
const member = driver(memberProvider);
const acceptance = driver(acceptanceProvider);
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

const URL_V1 = "https://object-store.kr-west1.s.samsungsdscloud.com/acct/images/web-v1.qcow2";
const URL_V2 = "https://object-store.kr-west1.s.samsungsdscloud.com/acct/images/web-v2.qcow2";
const OTHER_ACCOUNT = "1b7c0e2f3a4d4e5f8a9b0c1d2e3f4a5b";
const membersOf = (imageId: string) => encodeURIComponent(`images/${imageId}/members`);

const operationsCalled = async () =>
  ((await control(emulator, "GET", "/requests")) as RequestLogEntry[]).map((r) => r.operation);

/** Slows image writes down for one test, so that a pending image can be looked at while it builds. */
async function withSlowImages<T>(run: () => Promise<T>): Promise<T> {
  const settings = (await control(emulator, "GET", "/settings")) as { durations: { imageCreateMs: number } };
  const original = settings.durations.imageCreateMs;
  await control(emulator, "PUT", "/settings", { durations: { imageCreateMs: 1500 } });
  try {
    return await run();
  } finally {
    await control(emulator, "PUT", "/settings", { durations: { imageCreateMs: original } });
  }
}

async function sharedImage(name = "shared"): Promise<string> {
  const { id } = await image.create({ name, url: URL_V1, visibility: "shared" });
  return id;
}

describe("Image from a URL", () => {
  test("create waits until active; while it imports, List pending Images shows it", async () => {
    await withSlowImages(async () => {
      const creating = image.create({ name: "golden", url: URL_V1, osDistro: "ubuntu", minDisk: 50 });
      const pending = (await untilPending("golden")) as { status: string };
      expect(pending.status).toBe("importing");
      const { outs } = await creating;
      expect(outs).toMatchObject({
        name: "golden",
        url: URL_V1,
        osDistro: "ubuntu",
        minDisk: 50,
        containerFormat: "bare",
        diskFormat: "qcow2",
        visibility: "private",
        status: "active",
        imageType: "custom",
      });
      expect(outs.size).toBeGreaterThan(0);
    });
    const after = await clientFor(emulator).call<{ images: unknown[] }>("listPendingImages");
    expect(after.body.images).toEqual([]);
  });

  test("min disk, protection and visibility change in place; shared goes through Create Sharing Image", async () => {
    const { id, outs } = await image.create({ name: "golden", url: URL_V1 });
    const news = { name: "golden", url: URL_V1, minDisk: 40, minRam: 1024, protected: true, visibility: "shared" };
    expect(await image.diff(outs, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await control(emulator, "DELETE", "/requests");
    const updated = await image.update(id, outs, news);
    expect(updated).toMatchObject({ minDisk: 40, minRam: 1024, protected: true, visibility: "shared" });
    expect(await operationsCalled()).toEqual(expect.arrayContaining(["updateImage", "createSharingImage"]));
    const back = await image.update(id, updated, { ...news, protected: false, visibility: "private" });
    expect(back).toMatchObject({ protected: false, visibility: "private" });
  });

  test("a new url is imported into the same image, in place, and waited for", async () => {
    const { id, outs } = await image.create({ name: "golden", url: URL_V1 });
    expect(await image.diff(outs, { name: "golden", url: URL_V2 })).toMatchObject({ changes: true, replaces: [] });
    await control(emulator, "DELETE", "/requests");
    const updated = await image.update(id, outs, { name: "golden", url: URL_V2 });
    expect(updated).toMatchObject({ url: URL_V2, status: "active" });
    expect(await operationsCalled()).toContain("importImage");
  });

  test("name, formats and OS replace the image; tags are only recorded", async () => {
    const olds = { name: "golden", url: URL_V1, osDistro: "ubuntu", diskFormat: "qcow2", tags: {} };
    expect((await image.diff(olds, { ...olds, name: "golden-2" })).replaces).toEqual(["name"]);
    expect((await image.diff(olds, { ...olds, osDistro: "rocky" })).replaces).toEqual(["osDistro"]);
    expect((await image.diff(olds, { ...olds, diskFormat: "raw" })).replaces).toEqual(["diskFormat"]);
    expect(await image.diff(olds, { ...olds, tags: { team: "web" } })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("an image made from a server, given a url instead, is replaced", async () => {
    const olds = { name: "golden", serverId: "server-1", status: "active" };
    expect((await image.diff(olds, { name: "golden", url: URL_V1 })).replaces).toEqual(["url"]);
    expect((await image.diff({ name: "golden", url: URL_V1 }, { name: "golden", serverId: "s" })).replaces).toEqual([
      "serverId",
    ]);
  });

  test("an image whose data cannot be written stays in state with its status, and the next up replaces it", async () => {
    await control(emulator, "POST", "/outcomes", { kind: "image", state: "killed" });
    const failure = await image.createFailure({ name: "broken", url: URL_V1 });
    expect(failure.properties).toMatchObject({ __provider: PROVIDER, status: "killed" });
    expect(failure.reasons[0]).toMatch(/failed: state killed$/);
    expect((await image.diff(failure.properties, { name: "broken", url: URL_V1 })).replaces).toEqual(["url"]);
  });
});

describe("Image from a server", () => {
  test("create waits until active and then applies the settings its create cannot take", async () => {
    const serverId = await createEmulatorServer(emulator, "web-1");
    const { outs } = await image.create({ name: "web-1-image", serverId, minDisk: 120, visibility: "shared" });
    expect(outs).toMatchObject({
      name: "web-1-image",
      serverId,
      status: "active",
      minDisk: 120,
      visibility: "shared",
      imageType: "custom",
    });
    expect(outs.url).toBeUndefined();
    // Taken from the server's own image.
    expect(outs.osDistro).toEqual(expect.any(String));
  });

  test("a server that is still building cannot be imaged: the API's refusal names the state", async () => {
    const client = clientFor(emulator);
    const created = await client.call<{ servers: { id: string }[] }>("createVirtualServer", {
      body: {
        name: "building",
        image_id: "70a599e0-31e7-49b7-b260-868f441e862b",
        server_type_id: "s1v1m2",
        networks: [{ subnet_id: "subnet-1" }],
      },
    });
    const serverId = created.body.servers[0]?.id ?? "";
    await expect(image.create({ name: "too-early", serverId })).rejects.toThrow(/BUILD/);
  });
});

describe("Image read, drift and delete", () => {
  test("drift: min disk changed out of band is an update, the OS a replacement", async () => {
    const program = { name: "golden", url: URL_V1, minDisk: 50, osDistro: "ubuntu" };
    const { id, outs } = await image.create(program);
    await control(emulator, "PATCH", `/objects/images/${id}`, { min_disk: 10 });
    const read = await image.read(id, outs);
    expect(read.props).toMatchObject({ minDisk: 10 });
    expect(await image.diff(read.props, program)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await control(emulator, "PATCH", `/objects/images/${id}`, { os_distro: "rocky" });
    expect((await image.diff((await image.read(id, outs)).props, program)).replaces).toEqual(["osDistro"]);
  });

  test("a refresh right after create changes nothing", async () => {
    const { id, outs } = await image.create({ name: "golden", url: URL_V1, visibility: "shared" });
    expect((await image.read(id, outs)).props).toEqual(outs);
  });

  test("an image deleted out of band is dropped by read", async () => {
    const { id, outs } = await image.create({ name: "golden", url: URL_V1 });
    await control(emulator, "DELETE", `/objects/images/${id}`);
    expect(await image.read(id, outs)).toEqual({ id: "", props: {} });
  });

  test("delete waits until gone; a second delete is done; the name finds nothing then", async () => {
    const { id, outs } = await image.create({ name: "golden", url: URL_V1 });
    const ctx = { client: clientFor(emulator), timeouts: resolveTimeouts(undefined, imageSpec.defaultTimeouts) };
    expect(await imageSpec.findNamed?.(ctx, { name: "golden", url: URL_V1 })).toEqual([id]);
    await image.delete(id, outs);
    expect(await control(emulator, "GET", `/objects/images/${id}`).catch(() => "gone")).toBe("gone");
    await expect(image.delete(id, outs)).resolves.toBeUndefined();
    expect(await imageSpec.findNamed?.(ctx, { name: "golden", url: URL_V1 })).toEqual([]);
  });

  test("a protected image is not deleted, with what to do instead", async () => {
    const { id, outs } = await image.create({ name: "golden", url: URL_V1, protected: true });
    await expect(image.delete(id, outs)).rejects.toThrow(/is protected: set protected: false/);
    expect(await control(emulator, "GET", `/objects/images/${id}`)).toMatchObject({ status: "active" });
  });
});

describe("Image bad input is refused at preview, naming the property", () => {
  test.each([
    {
      problem: "neither url nor serverId",
      inputs: { name: "i" },
      property: "url",
      reason: /url \(the image file to import\) or serverId/,
    },
    {
      problem: "both url and serverId",
      inputs: { name: "i", url: URL_V1, serverId: "s" },
      property: "serverId",
      reason: /cannot be combined with url/,
    },
    {
      problem: "an ftp url",
      inputs: { name: "i", url: "ftp://host/file.qcow2" },
      property: "url",
      reason: /http\(s\) URL/,
    },
    {
      problem: "an OS for a server's image",
      inputs: { name: "i", serverId: "s", osDistro: "ubuntu" },
      property: "osDistro",
      reason: /cannot be set for an image of a server/,
    },
    {
      problem: "a negative min disk",
      inputs: { name: "i", url: URL_V1, minDisk: -1 },
      property: "minDisk",
      reason: /at least 0/,
    },
    {
      problem: "an unknown visibility",
      inputs: { name: "i", url: URL_V1, visibility: "everyone" },
      property: "visibility",
      reason: /private, shared, community, public/,
    },
    { problem: "a slash in the name", inputs: { name: "i/x", url: URL_V1 }, property: "name", reason: /slashes/ },
  ])("$problem is refused on $property", async ({ inputs, property, reason }) => {
    expect(await image.check(inputs)).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });
});

/** Polls List pending Images until an image of that name is there. */
async function untilPending(name: string): Promise<unknown> {
  const client = clientFor(emulator);
  for (let i = 0; i < 400; i++) {
    const list = await client.call<{ images: { name: string }[] }>("listPendingImages");
    const found = list.body.images.find((img) => img.name === name);
    if (found) return found;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no pending image named ${name}`);
}

describe("ImageMember and ImageMemberAcceptance", () => {
  test("a member of a private image is refused, naming the visibility to set", async () => {
    const { id } = await image.create({ name: "private", url: URL_V1 });
    await expect(member.create({ imageId: id, memberId: OTHER_ACCOUNT })).rejects.toThrow(/visibility: "shared"/);
  });

  test("share, accept on the receiving side, withdraw the decision, stop sharing", async () => {
    const imageId = await sharedImage();
    const shared = await member.create({ imageId, memberId: OTHER_ACCOUNT });
    expect(shared.id).toBe(`${imageId}:${OTHER_ACCOUNT}`);
    expect(await untilObject(emulator, `images/${imageId}/members`, OTHER_ACCOUNT, (m) => !!m)).toMatchObject({
      status: "pending",
    });

    const accepted = await acceptance.create({ imageId, memberId: OTHER_ACCOUNT, status: "accepted" });
    expect(accepted.id).toBe(shared.id);
    expect(await control(emulator, "GET", `/objects/${membersOf(imageId)}/${OTHER_ACCOUNT}`)).toMatchObject({
      status: "accepted",
    });
    // The owner's side does not hold the receiver's decision: its refresh changes nothing.
    expect((await member.read(shared.id, shared.outs)).props).toEqual(shared.outs);
    expect((await acceptance.read(accepted.id, accepted.outs)).props).toEqual(accepted.outs);

    await acceptance.delete(accepted.id, accepted.outs);
    expect(await control(emulator, "GET", `/objects/${membersOf(imageId)}/${OTHER_ACCOUNT}`)).toMatchObject({
      status: "pending",
    });

    await member.delete(shared.id, shared.outs);
    expect(await member.read(shared.id, shared.outs)).toEqual({ id: "", props: {} });
    expect(await acceptance.read(accepted.id, accepted.outs)).toEqual({ id: "", props: {} });
    await expect(member.delete(shared.id, shared.outs)).resolves.toBeUndefined();
  });

  test("drift: a decision changed out of band shows as status and is set back in place", async () => {
    const imageId = await sharedImage();
    await member.create({ imageId, memberId: OTHER_ACCOUNT });
    const program = { imageId, memberId: OTHER_ACCOUNT, status: "accepted" };
    const { id, outs } = await acceptance.create(program);
    await control(emulator, "PATCH", `/objects/${membersOf(imageId)}/${OTHER_ACCOUNT}`, { status: "rejected" });
    const read = await acceptance.read(id, outs);
    expect(read.props).toMatchObject({ status: "rejected" });
    expect(await acceptance.diff(read.props, program)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    await acceptance.update(id, read.props, program);
    expect(await control(emulator, "GET", `/objects/${membersOf(imageId)}/${OTHER_ACCOUNT}`)).toMatchObject({
      status: "accepted",
    });
  });

  test("another image or account replaces a member", async () => {
    const olds = { imageId: "a", memberId: OTHER_ACCOUNT };
    expect((await member.diff(olds, { ...olds, imageId: "b" })).replaces).toEqual(["imageId"]);
    expect((await member.diff(olds, { ...olds, memberId: "other" })).replaces).toEqual(["memberId"]);
  });

  test("a member made outside the stack is refused with the importId that adopts it", async () => {
    const imageId = await sharedImage();
    await clientFor(emulator).call("createImageMember", {
      path: { image_id: imageId },
      body: { member_id: OTHER_ACCOUNT },
    });
    await expect(member.create({ imageId, memberId: OTHER_ACCOUNT })).rejects.toThrow(
      `importId: "${imageId}:${OTHER_ACCOUNT}"`,
    );
    const adopted = await member.create({ imageId, memberId: OTHER_ACCOUNT, importId: `${imageId}:${OTHER_ACCOUNT}` });
    expect(adopted.id).toBe(`${imageId}:${OTHER_ACCOUNT}`);
  });

  test("accepting an image not shared with the account says who must share it", async () => {
    const imageId = await sharedImage();
    await expect(acceptance.create({ imageId, memberId: OTHER_ACCOUNT, status: "accepted" })).rejects.toThrow(
      /is not shared with account .*ImageMember/,
    );
  });

  test.each([
    {
      problem: "a colon in imageId",
      kind: "member",
      inputs: { imageId: "a:b", memberId: OTHER_ACCOUNT },
      property: "imageId",
      reason: /must not contain ":"/,
    },
    {
      problem: "an empty memberId",
      kind: "member",
      inputs: { imageId: "a", memberId: "" },
      property: "memberId",
      reason: /must not be empty/,
    },
    {
      problem: "an unknown status",
      kind: "acceptance",
      inputs: { imageId: "a", memberId: OTHER_ACCOUNT, status: "maybe" },
      property: "status",
      reason: /accepted or rejected/,
    },
    {
      problem: "no status",
      kind: "acceptance",
      inputs: { imageId: "a", memberId: OTHER_ACCOUNT },
      property: "status",
      reason: /status is required/,
    },
  ])("$kind: $problem is refused on $property", async ({ kind, inputs, property, reason }) => {
    const resource = kind === "member" ? member : acceptance;
    expect(await resource.check(inputs)).toEqual([{ property, reason: expect.stringMatching(reason) }]);
  });
});
