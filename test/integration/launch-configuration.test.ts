/**
 * LaunchConfiguration against the emulator over real HTTP: outputs a refresh reads back unchanged, drift of
 * every property the API returns (user data included, compared by hash), tags recorded without a
 * replacement, and a clear refusal to delete one a group still uses.
 */
import type { RunningEmulator } from "../../emulator";
import type { RequestLogEntry } from "../../emulator/server";
import type { OperationId } from "../../provider/operations";
import { provider as groupProvider } from "../../resources/auto-scaling-group";
import { provider as launchConfigurationProvider } from "../../resources/launch-configuration";
import { hashUserData } from "../../provider/user-data";
import { clientFor, control, emulatorForProviderTests } from "../support/emulator";
import { driver } from "../support/provider";
import { IMAGE_ID } from "../support/servers";
import { requestKeyDifferences } from "../support/shape";

let emulator: RunningEmulator;
const launchConfiguration = driver(launchConfigurationProvider);
const group = driver(groupProvider);
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

const inputs = {
  name: "web-v1",
  imageId: IMAGE_ID,
  serverTypeId: "s1v1m2",
  volumes: [{ size: 50, type: "SSD" }],
  userData: "#!/bin/sh\necho v1",
};
const patch = (id: string, fields: Record<string, unknown>) =>
  control(emulator, "PATCH", `/objects/launch-configurations/${id}`, fields);
const requests = async () => (await control(emulator, "GET", "/requests")) as RequestLogEntry[];

describe("LaunchConfiguration", () => {
  test("create reports outputs with a user data hash, and a refresh right after reads the same", async () => {
    const { id, outs } = await launchConfiguration.create(inputs);
    expect(outs).toMatchObject({
      name: "web-v1",
      state: "ACTIVE",
      volumes: [{ size: 50, type: "SSD", bootIndex: 0 }],
      userDataHash: hashUserData(inputs.userData),
    });
    // The group count moves with other resources: it is no output.
    expect(outs).not.toHaveProperty("autoScalingGroupCount");
    await group.create({
      name: "g",
      launchConfigurationId: id,
      minServerCount: 0,
      maxServerCount: 1,
      subnetIds: ["s"],
    });
    const read = await launchConfiguration.read(id, outs);
    expect(read.props).toEqual(outs);
    // Each input as the program wrote it (volumes too, while they match the live ones).
    expect(read.inputs).toEqual(inputs);
    expect(await launchConfiguration.diff(read.props, inputs)).toMatchObject({ changes: false });
  });

  test("a volume type left unset is the cloud's choice, not drift", async () => {
    const unset = { ...inputs, volumes: [{ size: 50 }] };
    const { id, outs } = await launchConfiguration.create(unset);
    await patch(id, { volumes: [{ size: 50, type: "HDD", boot_index: 0 }] });
    const read = await launchConfiguration.read(id, outs);
    expect(read.inputs?.volumes).toEqual([{ size: 50 }]);
    expect(await launchConfiguration.diff(read.props, unset)).toMatchObject({ changes: false });
    await patch(id, { volumes: [{ size: 60, type: "HDD", boot_index: 0 }] });
    const grown = await launchConfiguration.read(id, outs);
    expect(grown.inputs).toMatchObject({ volumes: [{ size: 60 }] });
    expect(await launchConfiguration.diff(grown.props, unset)).toMatchObject({ replaces: ["volumes"] });
  });

  test("every change replaces, creating the new one before deleting the old", async () => {
    const { outs } = await launchConfiguration.create(inputs);
    expect(await launchConfiguration.diff(outs, inputs)).toMatchObject({ changes: false });
    expect(await launchConfiguration.diff(outs, { ...inputs, serverTypeId: "s1v2m4" })).toEqual({
      changes: true,
      replaces: ["serverTypeId"],
      deleteBeforeReplace: false,
    });
    expect(await launchConfiguration.diff(outs, { ...inputs, userData: "#!/bin/sh\necho v2" })).toMatchObject({
      changes: true,
      replaces: ["userData"],
    });
    expect(await launchConfiguration.diff(outs, { ...inputs, keypairName: "other" })).toMatchObject({
      replaces: ["keypairName"],
    });
  });

  test("user data changed outside Pulumi is drift, named, without the payload in the read inputs", async () => {
    const { id, outs } = await launchConfiguration.create(inputs);
    await patch(id, { user_data: Buffer.from("#!/bin/sh\necho hacked").toString("base64") });
    const read = await launchConfiguration.read(id, outs);
    expect(read.props.userDataHash).toBe(hashUserData("#!/bin/sh\necho hacked"));
    expect(read.inputs?.userData).toMatch(/changed outside Pulumi/);
    expect(JSON.stringify(read)).not.toContain("hacked");
    expect(await launchConfiguration.diff(read.props, inputs)).toMatchObject({
      changes: true,
      replaces: ["userData"],
    });
  });

  test("a tag change is recorded without a replacement and sends nothing", async () => {
    const tagged = { ...inputs, tags: { env: "prod" } };
    const { id, outs } = await launchConfiguration.create(tagged);
    const next = { ...inputs, tags: { env: "prod", team: "web" } };
    expect(await launchConfiguration.diff(outs, next)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    await control(emulator, "DELETE", "/requests");
    const updated = await launchConfiguration.update(id, outs, next);
    expect(updated.tags).toEqual({ env: "prod", team: "web" });
    expect((await requests()).map((r) => r.method)).toEqual(["GET"]);
    // Refresh keeps the recorded tags (no answer has them).
    const read = await launchConfiguration.read(id, updated);
    expect(read.props.tags).toEqual({ env: "prod", team: "web" });
    expect(await launchConfiguration.diff(read.props, next)).toMatchObject({ changes: false });
  });

  test("the create request has only keys the reference documents", async () => {
    await launchConfiguration.create({ ...inputs, tags: { env: "prod" } });
    const sent = (await requests()).filter((r) => r.body !== undefined);
    expect(sent.map((r) => r.operation)).toEqual(["createLaunchConfiguration"]);
    for (const r of sent) expect(requestKeyDifferences(r.operation as OperationId, r.version, r.body)).toEqual([]);
  });

  test("delete, and delete again (already gone) succeed; a deleted one is dropped on read", async () => {
    const { id, outs } = await launchConfiguration.create(inputs);
    await launchConfiguration.delete(id, outs);
    await expect(launchConfiguration.delete(id, outs)).resolves.toBeUndefined();
    expect(await launchConfiguration.read(id, outs)).toEqual({ id: "", props: {} });
  });

  test("deleting one still used by a group fails with one message: the API's reason, the group, the way out", async () => {
    const { id, outs } = await launchConfiguration.create(inputs);
    const g = await clientFor(emulator).call<{ id: string }>("createAutoScalingGroup", {
      body: { name: "g", launch_configuration_id: id, min_server_count: 0, max_server_count: 1, subnet_ids: ["s"] },
    });
    const error = await launchConfiguration.delete(id, outs).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(`launch configuration "web-v1" (${id})`);
    expect(message).toContain(`auto-scaling group "g" (${g.body.id})`);
    expect(message).toMatch(/the API answered HTTP 4\d\d: .+/);
    expect(message).toMatch(/Point that group at another launch configuration .* or delete it first/);
  });
});
