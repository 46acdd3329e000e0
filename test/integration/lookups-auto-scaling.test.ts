// An auto-scaling group's LB server groups and notifications, looked up against the emulator.
import type { RunningEmulator } from "../../emulator";
import { ScpLookupError, getAutoScalingGroupLbServerGroups, getAutoScalingGroupNotifications } from "../../lookups";
import { provider as groupProvider } from "../../resources/auto-scaling-group";
import { provider as notificationProvider } from "../../resources/auto-scaling-notification";
import { provider as launchConfigurationProvider } from "../../resources/launch-configuration";
import { control, emulatorForProviderTests } from "../support/emulator";
import { driver } from "../support/provider";
import { IMAGE_ID } from "../support/servers";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));

const group = driver(groupProvider);
const notification = driver(notificationProvider);
let groupId: string;
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  const lc = await driver(launchConfigurationProvider).create({
    name: "web-v1",
    imageId: IMAGE_ID,
    serverTypeId: "s1v1m2",
  });
  groupId = (
    await group.create({
      name: "web",
      launchConfigurationId: lc.id,
      minServerCount: 1,
      maxServerCount: 2,
      subnetIds: ["subnet-a"],
      lbServerGroups: [
        { id: "lb-sg-1", port: 8080 },
        { id: "lb-sg-2", port: 9090 },
      ],
    })
  ).id;
});

const requestCount = async () => ((await control(emulator, "GET", "/requests")) as unknown[]).length;

async function lookupError(pending: Promise<unknown>): Promise<ScpLookupError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScpLookupError)) throw new Error(`expected an ScpLookupError, got ${String(error)}`);
  return error;
}

describe("getAutoScalingGroupLbServerGroups", () => {
  test("answers the LB server groups the group was created with, camelCase", async () => {
    const result = await getAutoScalingGroupLbServerGroups({ autoScalingGroupId: groupId });
    expect(result.autoScalingGroupId).toBe(groupId);
    expect(result.lbServerGroups.map((l) => ({ id: l.id, port: l.port }))).toEqual([
      { id: "lb-sg-1", port: 8080 },
      { id: "lb-sg-2", port: 9090 },
    ]);
    expect(result.lbServerGroups[0]).toEqual({
      id: "lb-sg-1",
      name: expect.any(String),
      port: 8080,
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      createdBy: expect.any(String),
      modifiedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      modifiedBy: expect.any(String),
    });
  });

  test("an unknown group is a not-found error", async () => {
    expect(await lookupError(getAutoScalingGroupLbServerGroups({ autoScalingGroupId: "nope" }))).toMatchObject({
      failure: "not-found",
      message: 'getAutoScalingGroupLbServerGroups: no auto-scaling group has id "nope"',
    });
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getAutoScalingGroupLbServerGroups({} as never))).message).toBe(
      "getAutoScalingGroupLbServerGroups: autoScalingGroupId is required",
    );
    expect(
      (await lookupError(getAutoScalingGroupLbServerGroups({ auto_scaling_group_id: groupId } as never))).message,
    ).toMatch(/auto_scaling_group_id: unknown property; did you mean "autoScalingGroupId"\?/);
    expect(await requestCount()).toBe(before);
  });
});

describe("getAutoScalingGroupNotifications", () => {
  beforeEach(async () => {
    await notification.create({ autoScalingGroupId: groupId, userId: "user-a", events: ["SCALE_OUT", "SCALE_IN"] });
    const b = { autoScalingGroupId: groupId, userId: "user-b", events: ["SCALE_OUT_FAIL"] };
    const created = await notification.create(b);
    await notification.update(created.id, created.outs, { ...b, state: "INACTIVE" });
  });

  test("answers every notification of the group, camelCase", async () => {
    const { autoScalingGroupId, notifications } = await getAutoScalingGroupNotifications({
      autoScalingGroupId: groupId,
    });
    expect(autoScalingGroupId).toBe(groupId);
    // The API's order is its own (by id): compared by user.
    const byUser = [...notifications].sort((x, y) => x.userId.localeCompare(y.userId));
    expect(byUser.map((n) => [n.userId, n.events, n.state])).toEqual([
      ["user-a", ["SCALE_OUT", "SCALE_IN"], "ACTIVE"],
      ["user-b", ["SCALE_OUT_FAIL"], "INACTIVE"],
    ]);
    expect(byUser[0]).toEqual({
      id: expect.any(String),
      autoScalingGroupId: groupId,
      userId: "user-a",
      userName: expect.any(String),
      events: ["SCALE_OUT", "SCALE_IN"],
      state: "ACTIVE",
      accountId: expect.any(String),
      createdAt: expect.any(String),
      createdBy: expect.any(String),
      modifiedAt: expect.any(String),
      modifiedBy: expect.any(String),
    });
  });

  test("filters by users, state and event", async () => {
    const users = async (filter: Parameters<typeof getAutoScalingGroupNotifications>[0]) =>
      (await getAutoScalingGroupNotifications(filter)).notifications.map((n) => n.userId);
    expect(await users({ autoScalingGroupId: groupId, userIds: ["user-b"] })).toEqual(["user-b"]);
    expect(await users({ autoScalingGroupId: groupId, state: "ACTIVE" })).toEqual(["user-a"]);
    expect(await users({ autoScalingGroupId: groupId, event: "SCALE_OUT_FAIL" })).toEqual(["user-b"]);
    expect(await users({ autoScalingGroupId: groupId, event: "SATISFIED_POLICY_CONDITIONS" })).toEqual([]);
  });

  test("an unknown group is a not-found error", async () => {
    expect((await lookupError(getAutoScalingGroupNotifications({ autoScalingGroupId: "nope" }))).failure).toBe(
      "not-found",
    );
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect(
      (await lookupError(getAutoScalingGroupNotifications({ autoScalingGroupId: groupId, state: "ON" } as never)))
        .message,
    ).toBe('getAutoScalingGroupNotifications: state must be ACTIVE or INACTIVE; got the string "ON"');
    expect(
      (await lookupError(getAutoScalingGroupNotifications({ autoScalingGroupId: groupId, event: "SCALE" } as never)))
        .failures[0]?.property,
    ).toBe("event");
    expect(
      (await lookupError(getAutoScalingGroupNotifications({ autoScalingGroupId: groupId, userIds: ["u", "u"] })))
        .message,
    ).toMatch(/userIds must not repeat/);
    expect(await requestCount()).toBe(before);
  });
});
