// The getXOutput form of every lookup: Inputs in (values, promises, Outputs), an Output of getX's result out,
// and getX's error carried by the Output.
import * as pulumi from "@pulumi/pulumi";
import type { RunningEmulator } from "../../emulator";
import * as lookups from "../../lookups";
import { provider as groupProvider } from "../../resources/auto-scaling-group";
import { provider as notificationProvider } from "../../resources/auto-scaling-notification";
import { provider as launchConfigurationProvider } from "../../resources/launch-configuration";
import { clientFor, control, emulatorForProviderTests } from "../support/emulator";
import { driver } from "../support/provider";
import { IMAGE_ID, createEmulatorServer } from "../support/servers";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));

let serverId: string;
let volumeId: string;
let groupId: string;
beforeAll(async () => {
  await control(emulator, "POST", "/reset");
  serverId = await createEmulatorServer(emulator, "web-1");
  const api = clientFor(emulator);
  volumeId = (await api.call<{ id: string }>("createVolume", { body: { name: "data", size: 10 } })).body.id;
  await api.call("createKeypair", { body: { name: "deploy" } });
  const lc = await driver(launchConfigurationProvider).create({
    name: "lc",
    imageId: IMAGE_ID,
    serverTypeId: "s1v1m2",
  });
  groupId = (
    await driver(groupProvider).create({
      name: "web",
      launchConfigurationId: lc.id,
      minServerCount: 1,
      maxServerCount: 1,
      subnetIds: ["subnet-a"],
      lbServerGroups: [{ id: "lb-1", port: 80 }],
    })
  ).id;
  await driver(notificationProvider).create({ autoScalingGroupId: groupId, userId: "on-call", events: ["SCALE_OUT"] });
});

/**
 * What an Output settles to: its value, or the error it carries. Every promise the Output holds is awaited,
 * so a failed lookup is observed here and not reported as an unhandled rejection.
 */
async function settle<T>(output: pulumi.Output<T>): Promise<{ value: T } | { error: unknown }> {
  const held = Object.values(output as object).filter((v): v is Promise<unknown> => v instanceof Promise);
  const failed = (await Promise.allSettled(held)).find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) return { error: failed.reason };
  return { value: await new Promise<T>((resolve) => output.apply(resolve)) };
}

/** Inputs of every kind: an Output, a promise and a plain value. */
const asOutput = <T>(value: T) => pulumi.output(value);
const asPromise = <T>(value: T) => Promise.resolve(value);

describe("getXOutput", () => {
  test("each Output form settles to what its getX answers", async () => {
    const pairs: [string, pulumi.Output<unknown>, Promise<unknown>][] = [
      [
        "image",
        lookups.getImageOutput({ osDistro: asOutput("ubuntu"), mostRecent: asPromise(true) }),
        lookups.getImage({ osDistro: "ubuntu", mostRecent: true }),
      ],
      [
        "serverType",
        lookups.getServerTypeOutput({ minVcpus: asOutput(2), minRamGb: 4 }),
        lookups.getServerType({ minVcpus: 2, minRamGb: 4 }),
      ],
      ["volumeTypes", lookups.getVolumeTypesOutput(), lookups.getVolumeTypes()],
      ["defaultVolumeType", lookups.getDefaultVolumeTypeOutput(), lookups.getDefaultVolumeType()],
      ["volumeType", lookups.getVolumeTypeOutput({ name: asOutput("HDD") }), lookups.getVolumeType({ name: "HDD" })],
      ["server", lookups.getServerOutput({ id: asOutput(serverId) }), lookups.getServer({ id: serverId })],
      ["volume", lookups.getVolumeOutput({ id: asPromise(volumeId) }), lookups.getVolume({ id: volumeId })],
      ["serverQuotaSet", lookups.getServerQuotaSetOutput(), lookups.getServerQuotaSet()],
      ["volumeQuotaSet", lookups.getVolumeQuotaSetOutput(), lookups.getVolumeQuotaSet()],
      [
        "defaultConfigs",
        lookups.getDefaultConfigsOutput({ category: asOutput("AUTO_SCALING_GROUP") }),
        lookups.getDefaultConfigs({ category: "AUTO_SCALING_GROUP" }),
      ],
      ["maximumPartitionSize", lookups.getMaximumPartitionSizeOutput(), lookups.getMaximumPartitionSize()],
      ["keypair", lookups.getKeypairOutput({ name: asOutput("deploy") }), lookups.getKeypair({ name: "deploy" })],
      ["keypairs", lookups.getKeypairsOutput({}), lookups.getKeypairs({})],
      [
        "lbServerGroups",
        lookups.getAutoScalingGroupLbServerGroupsOutput({ autoScalingGroupId: asOutput(groupId) }),
        lookups.getAutoScalingGroupLbServerGroups({ autoScalingGroupId: groupId }),
      ],
      [
        "notifications",
        lookups.getAutoScalingGroupNotificationsOutput({ autoScalingGroupId: asOutput(groupId), event: "SCALE_OUT" }),
        lookups.getAutoScalingGroupNotifications({ autoScalingGroupId: groupId, event: "SCALE_OUT" }),
      ],
    ];
    for (const [name, output, direct] of pairs) {
      expect({ name, settled: await settle(output) }).toEqual({ name, settled: { value: await direct } });
    }
  });

  test("a property of the result is an Output of its own, for use as a resource input", async () => {
    const imageId = lookups.getImageOutput({ name: "Rocky Linux 9.4" }).id;
    await expect(settle(imageId)).resolves.toEqual({ value: IMAGE_ID });
  });

  test("the Output carries getX's error: not found, or bad arguments", async () => {
    const missing = await settle(lookups.getServerOutput({ id: asOutput("no-such-server") }));
    expect(missing).toEqual({ error: expect.objectContaining({ failure: "not-found" }) });
    const bad = await settle(lookups.getKeypairOutput({ name: asOutput("") }));
    expect(bad).toEqual({ error: expect.any(lookups.ScpLookupError) });
    expect("error" in bad && String(bad.error)).toMatch(
      /^ScpLookupError: getKeypair: name: keypair name must not be empty/,
    );
  });
});
