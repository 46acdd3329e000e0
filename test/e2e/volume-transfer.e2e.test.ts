// A volume transfer between two accounts through the real Pulumi engine against the emulator: the sending
// account's stack offers a volume (the auth key a secret output), the receiving account's stack — its own
// stack config, its own credentials — accepts it; refresh right after shows no change on either side; an
// out-of-band cancel is dropped by refresh and offered again by up; an out-of-band rename is planned as a
// replacement and repaired; the used-up transfer leaves the sending
// stack on refresh; destroy forgets the acceptance (with a warning) and leaves nothing behind.
//
// The emulator holds one account: it accepts both stacks' credentials, and the volume stays visible to the
// sending stack after the accept (in SCP it would have left that account, and the sending stack's delete of
// it would find nothing).
import { type RunningEmulator, startEmulator } from "../../emulator";
import { DEFAULT_CREDENTIALS } from "../../emulator/auth";
import {
  type E2EStack,
  createStack,
  emulatorControl,
  emulatorObjects,
  expectNoSecretsInState,
  plannedSteps,
  stateFileText,
} from "./harness";
import { expectOnlyDocumentedRequestKeys } from "./request-keys";

const RECEIVING_ACCOUNT = { accessKey: "receiving-account-access-key", secretKey: "receiving-account-secret-key" };

const senderProgram = `
const scp = require("pulumi-scp-virtualserver");
const data = new scp.Volume("data", { name: "handover-data", size: 20 });
const offer = new scp.VolumeTransfer("offer", { volumeId: data.id, name: "handover" });
exports.volumeId = data.id;
exports.transferId = offer.id;
exports.authKey = offer.authKey;
`;

const receiverProgram = `
const pulumi = require("@pulumi/pulumi");
const scp = require("pulumi-scp-virtualserver");
const config = new pulumi.Config();
const received = new scp.VolumeTransferAcceptance("received", {
  transferId: config.require("transferId"),
  authKey: config.requireSecret("authKey"),
});
exports.volumeId = received.volumeId;
`;

let emulator: RunningEmulator;
let sender: E2EStack;
let receiver: E2EStack;
let offered: { volumeId: string; transferId: string; authKey: string };
const authKeys: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01, credentials: [DEFAULT_CREDENTIALS, RECEIVING_ACCOUNT] });
  sender = await createStack("transfer-sender", senderProgram, emulator);
  receiver = await createStack("transfer-receiver", receiverProgram, emulator);
  // The receiving account's stack signs with the receiving account's keys.
  await receiver.stack.setAllConfig({
    "scp:accessKey": { value: RECEIVING_ACCOUNT.accessKey, secret: true },
    "scp:secretKey": { value: RECEIVING_ACCOUNT.secretKey, secret: true },
  });
});
afterAll(async () => {
  await sender?.dispose();
  await receiver?.dispose();
  await emulator?.close();
});

async function senderUp(): Promise<void> {
  const result = await sender.stack.up();
  expect(result.summary.result).toBe("succeeded");
  expect(result.outputs.authKey?.secret).toBe(true);
  offered = {
    volumeId: String(result.outputs.volumeId?.value),
    transferId: String(result.outputs.transferId?.value),
    authKey: String(result.outputs.authKey?.value),
  };
  authKeys.push(offered.authKey);
}

describe("a volume transfer between two accounts' stacks", () => {
  test("the sending stack's up offers the volume: a pending transfer, its auth key a secret output", async () => {
    await senderUp();
    expect(offered.authKey).toMatch(/^[0-9a-f]{16}$/);
    expect(await emulatorObjects(emulator, "volume-transfers")).toEqual([
      expect.objectContaining({ id: offered.transferId, name: "handover", volume_id: offered.volumeId }),
    ]);
  });

  test("preview --refresh --expect-no-changes passes right after", async () => {
    await expect(sender.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("the state file holds the auth key only encrypted", () => {
    const text = stateFileText(sender, "transfer-sender");
    expect(text).toContain(offered.transferId);
    expectNoSecretsInState(text, emulator, [offered.authKey]);
  });

  test("a transfer cancelled out of band is dropped by refresh and offered again by up, with a new key", async () => {
    await emulatorControl(emulator, "DELETE", `/objects/volume-transfers/${offered.transferId}`);
    const refresh = await sender.stack.refresh();
    expect(refresh.summary.resourceChanges?.delete).toBe(1);
    const before = offered;
    await senderUp();
    expect(offered.transferId).not.toBe(before.transferId);
    expect(offered.authKey).not.toBe(before.authKey);
    expect((await emulatorObjects(emulator, "volume-transfers")).map((t) => t.id)).toEqual([offered.transferId]);
  });

  test("a transfer renamed out of band shows as a replacement for its name, and up repairs it", async () => {
    await emulatorControl(emulator, "PATCH", `/objects/volume-transfers/${offered.transferId}`, { name: "renamed" });
    expect(await plannedSteps(sender.stack)).toEqual([{ name: "offer", op: "replace", properties: ["name"] }]);
    const before = offered;
    const result = await sender.stack.up({ refresh: true });
    expect(result.summary.result).toBe("succeeded");
    offered = {
      volumeId: String(result.outputs.volumeId?.value),
      transferId: String(result.outputs.transferId?.value),
      authKey: String(result.outputs.authKey?.value),
    };
    authKeys.push(offered.authKey);
    expect(offered.transferId).not.toBe(before.transferId);
    expect(await emulatorObjects(emulator, "volume-transfers")).toEqual([
      expect.objectContaining({ id: offered.transferId, name: "handover" }),
    ]);
    await expect(sender.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("the receiving account's stack accepts it with the key: the transfer is used up, the volume moves", async () => {
    await receiver.stack.setAllConfig({
      transferId: { value: offered.transferId },
      authKey: { value: offered.authKey, secret: true },
    });
    const result = await receiver.stack.up();
    expect(result.summary.result).toBe("succeeded");
    expect(result.outputs.volumeId?.value).toBe(offered.volumeId);
    expect(await emulatorObjects(emulator, "volume-transfers")).toEqual([]);
    const volume = (await emulatorObjects(emulator, "volumes")).find((v) => v.id === offered.volumeId);
    expect(volume).toMatchObject({
      state: "available",
      _transfers: [expect.objectContaining({ transfer_id: offered.transferId })],
    });
  });

  test("the receiving stack: no change on refresh, and the auth key only encrypted in its state", async () => {
    await expect(receiver.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
    const text = stateFileText(receiver, "transfer-receiver");
    expect(text).toContain(offered.transferId);
    expectNoSecretsInState(text, emulator, [...authKeys, RECEIVING_ACCOUNT.accessKey, RECEIVING_ACCOUNT.secretKey]);
  });

  test("the sending stack's refresh drops the used-up transfer", async () => {
    const refresh = await sender.stack.refresh();
    expect(refresh.summary.resourceChanges?.delete).toBe(1);
    const resources = ((await sender.stack.exportStack()).deployment as { resources?: { type: string }[] }).resources;
    expect((resources ?? []).map((r) => r.type).filter((t) => t.includes("VolumeTransfer"))).toEqual([]);
  });

  test("destroying the acceptance forgets it with a warning; the volume stays", async () => {
    let output = "";
    const result = await receiver.stack.destroy({ onOutput: (text) => (output += text) });
    expect(result.summary.result).toBe("succeeded");
    expect(output).toContain("an accepted transfer cannot be undone");
    expect((await emulatorObjects(emulator, "volumes")).map((v) => v.id)).toEqual([offered.volumeId]);
  });

  test("destroy leaves the emulator with no volumes and no transfers", async () => {
    await sender.stack.destroy();
    expect(await emulatorObjects(emulator, "volumes")).toEqual([]);
    expect(await emulatorObjects(emulator, "volume-transfers")).toEqual([]);
  });

  test("every request body sent has only documented keys", () => {
    expectOnlyDocumentedRequestKeys(emulator);
  });
});
