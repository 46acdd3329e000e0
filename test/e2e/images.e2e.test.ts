// Images through the real Pulumi engine against the emulator, in two stacks as two accounts would run
// them: the owner's stack imports an image from a URL, takes one from a server and shares the first with
// another account (ImageMember); the receiving account's stack accepts it (ImageMemberAcceptance). Up waits
// until the images are active, a refresh right after changes nothing on either side, out-of-band changes
// show as drift of exactly that property and up repairs them, an out-of-band delete is dropped by refresh,
// and destroy leaves nothing behind.
import { type RunningEmulator, startEmulator } from "../../emulator";
import { type E2EStack, createStack, emulatorControl, emulatorObjects, plannedSteps } from "./harness";
import { expectOnlyDocumentedRequestKeys } from "./request-keys";

const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";
const GOLDEN_URL = "https://object-store.kr-west1.s.samsungsdscloud.com/acct/images/e2e-golden.qcow2";
const REBUILT_URL = "https://object-store.kr-west1.s.samsungsdscloud.com/acct/images/e2e-golden-2.qcow2";
// The receiving account. The emulator has one account, so both stacks reach the same one; each stack holds
// only its own side.
const RECEIVER = "1b7c0e2f3a4d4e5f8a9b0c1d2e3f4a5b";

const ownerProgram = `
const scp = require("pulumi-scp-virtualserver");
const golden = new scp.Image("golden", {
  name: "e2e-golden",
  url: "${GOLDEN_URL}",
  osDistro: "ubuntu",
  minDisk: 50,
  visibility: "shared",
  tags: { pipeline: "e2e" },
});
const source = new scp.VirtualServer("source", {
  name: "e2e-image-source",
  imageId: "${IMAGE_ID}",
  serverTypeId: "s1v1m2",
  networks: [{ subnetId: "subnet-images" }],
});
const baked = new scp.Image("baked", { name: "e2e-baked", serverId: source.id, minDisk: 120 });
const receiver = new scp.ImageMember("receiver", { imageId: golden.id, memberId: "${RECEIVER}" });
exports.goldenId = golden.id;
exports.goldenStatus = golden.status;
exports.bakedId = baked.id;
exports.bakedMinDisk = baked.minDisk;
exports.memberId = receiver.id;
`;

const receiverProgram = (goldenId: string) => `
const scp = require("pulumi-scp-virtualserver");
new scp.ImageMemberAcceptance("golden", { imageId: "${goldenId}", memberId: "${RECEIVER}", status: "accepted" });
`;

let emulator: RunningEmulator;
let owner: E2EStack;
let receiver: E2EStack;
let goldenId = "";

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  owner = await createStack("images-owner", ownerProgram, emulator);
});
afterAll(async () => {
  await receiver?.dispose();
  await owner?.dispose();
  await emulator?.close();
});

const customImages = async () =>
  (await emulatorObjects(emulator, "images")).filter((i) => i.scp_image_type === "custom");
const imageNamed = async (name: string) => (await customImages()).find((i) => i.name === name);
const membersPath = () => encodeURIComponent(`images/${goldenId}/members`);
const theMember = async () => (await emulatorObjects(emulator, decodeURIComponent(membersPath())))[0];

describe("images with the real engine", () => {
  test("up imports one image, takes one from a server, shares the first, and waits until they are active", async () => {
    const result = await owner.stack.up();
    expect(result.summary.result).toBe("succeeded");
    goldenId = String(result.outputs.goldenId?.value);
    expect(result.outputs.goldenStatus?.value).toBe("active");
    expect(result.outputs.bakedMinDisk?.value).toBe(120);
    expect(result.outputs.memberId?.value).toBe(`${goldenId}:${RECEIVER}`);
    expect(await imageNamed("e2e-golden")).toMatchObject({ status: "active", visibility: "shared", url: GOLDEN_URL });
    expect(await imageNamed("e2e-baked")).toMatchObject({ status: "active", min_disk: 120 });
    expect(await theMember()).toMatchObject({ member_id: RECEIVER, status: "pending" });
  });

  test("the receiving account's stack accepts the shared image", async () => {
    receiver = await createStack("images-receiver", receiverProgram(goldenId), emulator);
    const result = await receiver.stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(await theMember()).toMatchObject({ status: "accepted" });
  });

  test("preview --refresh --expect-no-changes passes in both stacks right after", async () => {
    await expect(owner.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
    await expect(receiver.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  // [resource, image name, out-of-band change (API fields), properties the plan names]
  test.each([
    ["golden", "e2e-golden", { min_disk: 10 }, ["minDisk"]],
    ["golden", "e2e-golden", { visibility: "private" }, ["visibility"]],
    ["baked", "e2e-baked", { min_disk: 100 }, ["minDisk"]],
  ])(
    "drift of %s (%s: %j) is an in-place update of %j, and up repairs it",
    async (resource, name, change, properties) => {
      const target = await imageNamed(name);
      const original = Object.fromEntries(Object.keys(change).map((k) => [k, target?.[k]]));
      await emulatorControl(emulator, "PATCH", `/objects/images/${String(target?.id)}`, change);
      expect(await plannedSteps(owner.stack)).toEqual([{ name: resource, op: "update", properties }]);
      const up = await owner.stack.up({ refresh: true });
      expect(up.summary.result).toBe("succeeded");
      const repaired = await imageNamed(name);
      expect(repaired).toMatchObject(original);
      await expect(owner.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
    },
  );

  test("a new url is imported into the same image in place; its member and the acceptance stay", async () => {
    owner.writeProgram(ownerProgram.replace(GOLDEN_URL, REBUILT_URL));
    expect(await plannedSteps(owner.stack)).toEqual([{ name: "golden", op: "update", properties: ["url"] }]);
    const up = await owner.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(up.outputs.goldenId?.value).toBe(goldenId);
    expect(await imageNamed("e2e-golden")).toMatchObject({ status: "active", url: REBUILT_URL });
    expect(await theMember()).toMatchObject({ status: "accepted" });
    await expect(owner.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("drift of the receiver's decision is an update of status on the receiving side only, and up repairs it", async () => {
    await emulatorControl(emulator, "PATCH", `/objects/${membersPath()}/${RECEIVER}`, { status: "rejected" });
    expect(await plannedSteps(receiver.stack)).toEqual([{ name: "golden", op: "update", properties: ["status"] }]);
    await expect(owner.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
    await receiver.stack.up({ refresh: true });
    expect(await theMember()).toMatchObject({ status: "accepted" });
  });

  test("an image deleted out of band is dropped by refresh and recreated by up", async () => {
    const baked = await imageNamed("e2e-baked");
    await emulatorControl(emulator, "DELETE", `/objects/images/${String(baked?.id)}`);
    const refresh = await owner.stack.refresh();
    expect(refresh.summary.resourceChanges?.delete).toBe(1);
    const up = await owner.stack.up();
    expect(up.summary.resourceChanges?.create).toBe(1);
    expect(await imageNamed("e2e-baked")).toMatchObject({ status: "active", min_disk: 120 });
  });

  test("a member removed out of band is dropped by both sides' refresh and shared again by up", async () => {
    await emulatorControl(emulator, "DELETE", `/objects/${membersPath()}/${RECEIVER}`);
    expect((await owner.stack.refresh()).summary.resourceChanges?.delete).toBe(1);
    expect((await receiver.stack.refresh()).summary.resourceChanges?.delete).toBe(1);
    expect((await owner.stack.up()).summary.resourceChanges?.create).toBe(1);
    expect((await receiver.stack.up()).summary.resourceChanges?.create).toBe(1);
    expect(await theMember()).toMatchObject({ status: "accepted" });
  });

  test("destroying the receiver's stack withdraws the decision; destroying the owner's leaves nothing", async () => {
    await receiver.stack.destroy();
    expect(await theMember()).toMatchObject({ status: "pending" });
    await owner.stack.destroy();
    expect(await customImages()).toEqual([]);
    expect(await emulatorObjects(emulator, decodeURIComponent(membersPath()))).toEqual([]);
    expect(await emulatorObjects(emulator, "servers")).toEqual([]);
  });

  test("every request body sent has only documented keys", () => {
    expectOnlyDocumentedRequestKeys(emulator);
  });
});
