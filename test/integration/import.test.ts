// `importId`: a create that takes an existing object under management as it is; what differs from the
// program becomes the next diff (a plan), never a silent overwrite.
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { provider as volumeProvider } from "../../resources/volume";
import { provider as serverGroupProvider } from "../../resources/server-group";
import { clientFor, control, emulatorForProviderTests, untilObject } from "../support/emulator";
import { driver } from "../support/provider";

let emulator: RunningEmulator;
const volume = driver(volumeProvider);
const serverGroup = driver(serverGroupProvider);
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

async function existingVolume(size: number): Promise<string> {
  const id = (await clientFor(emulator).call<{ id: string }>("createVolume", { body: { name: "legacy", size } })).body
    .id;
  await untilObject(emulator, "volumes", id, (v) => v?.state === "available");
  await control(emulator, "DELETE", "/requests");
  return id;
}
const operations = async () =>
  ((await control(emulator, "GET", "/requests")) as RequestLogEntry[]).map((r) => r.operation);

describe("importId", () => {
  test("takes the existing volume as it is: same id, live outputs, no create and no change sent", async () => {
    const id = await existingVolume(50);
    const { id: imported, outs } = await volume.create({ name: "legacy", size: 50, importId: id });
    expect(imported).toBe(id);
    expect(outs).toMatchObject({ name: "legacy", size: 50 });
    expect(await operations()).toEqual(["showVolume"]);
  });

  test("what differs from the program is left as it is and shows in the next diff", async () => {
    const id = await existingVolume(50);
    const program = { name: "data", size: 60, importId: id };
    const { outs } = await volume.create(program);
    expect(outs).toMatchObject({ name: "legacy", size: 50 });
    expect(await control(emulator, "GET", `/objects/volumes/${id}`)).toMatchObject({ name: "legacy", size: 50 });
    expect(await volume.diff(outs, program)).toMatchObject({ changes: true, replaces: [] });
    const updated = await volume.update(id, outs, program);
    expect(updated).toMatchObject({ name: "data", size: 60 });
  });

  test("a difference that replaces is a replacement in the next diff", async () => {
    const id = (
      await clientFor(emulator).call<{ id: string }>("createServerGroup", {
        body: { name: "spread", policy: "affinity" },
      })
    ).body.id;
    const program = { name: "spread", policy: "anti-affinity", importId: id };
    const { outs } = await serverGroup.create(program);
    expect(outs).toMatchObject({ policy: "affinity" });
    expect(await serverGroup.diff(outs, program)).toMatchObject({ changes: true, replaces: ["policy"] });
  });

  test("an id that names no object fails the create with the id in the message, and creates nothing", async () => {
    await expect(volume.create({ name: "data", size: 10, importId: "no-such-volume" })).rejects.toThrow(
      /importId no-such-volume: no such object/,
    );
    expect(await control(emulator, "GET", "/objects/volumes")).toEqual([]);
  });

  test("changing importId later changes nothing", async () => {
    const id = await existingVolume(10);
    const { outs } = await volume.create({ name: "legacy", size: 10, importId: id });
    expect(await volume.diff(outs, { name: "legacy", size: 10, importId: "other" })).toMatchObject({
      changes: false,
      replaces: [],
    });
  });

  test("an empty importId is refused at check", async () => {
    expect(await volume.check({ name: "data", size: 10, importId: "" })).toEqual([
      expect.objectContaining({ property: "importId", reason: "importId must not be empty" }),
    ]);
  });
});
