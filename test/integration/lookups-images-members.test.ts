// An image's members (List Image members), looked up against the emulator.
import * as pulumi from "@pulumi/pulumi";
import type { RunningEmulator } from "../../emulator";
import { ScpLookupError, getImageMembers, getImageMembersOutput } from "../../lookups";
import { clientFor, control, emulatorForProviderTests } from "../support/emulator";
import { IMAGE_ID } from "../support/servers";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

const requestCount = async () => ((await control(emulator, "GET", "/requests")) as unknown[]).length;

async function lookupError(pending: Promise<unknown>): Promise<ScpLookupError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScpLookupError)) throw new Error(`expected an ScpLookupError, got ${String(error)}`);
  return error;
}

/** Shares the image and adds the members (Create Sharing Image, then Create Image member for each). */
async function shareWith(...memberIds: string[]): Promise<void> {
  const api = clientFor(emulator);
  await api.call("createSharingImage", { path: { image_id: IMAGE_ID } });
  for (const member_id of memberIds)
    await api.call("createImageMember", { path: { image_id: IMAGE_ID }, body: { member_id } });
}

describe("getImageMembers", () => {
  test("answers each member with its status, camelCase, an accepted one as accepted", async () => {
    await shareWith("account-a", "account-b");
    await clientFor(emulator).call("updateImageMember", {
      path: { image_id: IMAGE_ID, member_id: "account-b" },
      body: { status: "accepted" },
    });
    const result = await getImageMembers({ imageId: IMAGE_ID });
    expect(result.imageId).toBe(IMAGE_ID);
    expect(result.members).toEqual([
      {
        memberId: "account-a",
        imageId: IMAGE_ID,
        status: "pending",
        createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        updatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      },
      expect.objectContaining({ memberId: "account-b", status: "accepted" }),
    ]);
  });

  test("an image shared with nobody answers an empty list", async () => {
    await expect(getImageMembers({ imageId: IMAGE_ID })).resolves.toEqual({ imageId: IMAGE_ID, members: [] });
  });

  test("an unknown image is a not-found error", async () => {
    expect(await lookupError(getImageMembers({ imageId: "no-such-image" }))).toMatchObject({
      failure: "not-found",
      message: 'getImageMembers: no image has id "no-such-image"',
    });
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getImageMembers({} as never))).failures).toEqual([
      { property: "imageId", reason: "imageId is required" },
    ]);
    expect((await lookupError(getImageMembers({ imageId: IMAGE_ID, status: "pending" } as never))).message).toMatch(
      /status: unknown property/,
    );
    expect(await requestCount()).toBe(before);
  });

  test("the Output form settles to what getImageMembers answers", async () => {
    await shareWith("account-a");
    const output = getImageMembersOutput({ imageId: pulumi.output(IMAGE_ID) });
    await expect(new Promise((resolve) => output.apply(resolve))).resolves.toEqual(
      await getImageMembers({ imageId: IMAGE_ID }),
    );
  });
});
