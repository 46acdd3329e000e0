import type { RunningEmulator } from "../../emulator";
import type { RequestLogEntry } from "../../emulator/server";
import type { OperationId } from "../../provider/operations";
import { provider as groupProvider } from "../../resources/auto-scaling-group";
import { provider as notificationProvider } from "../../resources/auto-scaling-notification";
import { provider as policyProvider } from "../../resources/auto-scaling-policy";
import { provider as scheduleProvider } from "../../resources/auto-scaling-schedule";
import { provider as launchConfigurationProvider } from "../../resources/launch-configuration";
import { control, emulatorForProviderTests } from "../support/emulator";
import { PROVIDER, driver } from "../support/provider";
import { IMAGE_ID } from "../support/servers";
import { requestKeyDifferences } from "../support/shape";

let emulator: RunningEmulator;
const group = driver(groupProvider);
const policy = driver(policyProvider);
const schedule = driver(scheduleProvider);
const notification = driver(notificationProvider);
const launchConfiguration = driver(launchConfigurationProvider);
emulatorForProviderTests((running) => (emulator = running));

let lcId: string;
beforeEach(async () => {
  await control(emulator, "POST", "/reset");
  lcId = (await launchConfiguration.create({ name: "web-v1", imageId: IMAGE_ID, serverTypeId: "s1v1m2" })).id;
});

const base = () => ({
  name: "web",
  launchConfigurationId: lcId,
  minServerCount: 1,
  maxServerCount: 4,
  subnetIds: ["subnet-a"],
});
const requests = async () => (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
const patchObject = (collection: string, id: string, fields: Record<string, unknown>) =>
  control(emulator, "PATCH", `/objects/${encodeURIComponent(collection)}/${id}`, fields);
/** The object as the emulator holds it (not as the API answers). */
const objectOf = async (collection: string, id: string) =>
  (await control(emulator, "GET", `/objects/${encodeURIComponent(collection)}/${id}`)) as Record<string, unknown>;
/** A refresh's result must equal what create or update stored: no output moves right after an `up`. */
const expectCleanRefresh = async (
  d: ReturnType<typeof driver>,
  id: string,
  outs: Record<string, unknown>,
  inputs: Record<string, unknown>,
) => {
  const read = await d.read(id, outs);
  expect(read.props).toEqual(outs);
  expect(await d.diff(read.props, inputs)).toMatchObject({ changes: false });
  return read;
};

// Every request body the provider sent in a test has only keys the reference's example shows.
afterEach(async () => {
  const sent = (await requests()).filter((r) => r.body !== undefined && r.operation !== undefined);
  for (const r of sent) {
    expect({
      operation: r.operation,
      extra: requestKeyDifferences(r.operation as OperationId, r.version, r.body),
    }).toEqual({ operation: r.operation, extra: [] });
  }
});

const members = async (groupId: string) =>
  ((await control(emulator, "GET", "/objects/servers")) as { auto_scaling_group_id: string; state: string }[]).filter(
    (s) => s.auto_scaling_group_id === groupId,
  );

describe("AutoScalingGroup", () => {
  test("create waits until the group is in service with its servers running", async () => {
    const { id, outs } = await group.create({ ...base(), desiredServerCount: 2 });
    expect(outs).toMatchObject({ state: "IN_SERVICE", currentDesiredServerCount: 2, totalServerCount: 2 });
    expect(outs.serverIds).toHaveLength(2);
    expect((await members(id)).map((s) => s.state)).toEqual(["ACTIVE", "ACTIVE"]);
  });

  test("with the capacity wait disabled, create returns before the servers run", async () => {
    await control(emulator, "PUT", "/settings", { durations: { serverBuildMs: 60_000 } });
    try {
      const { outs } = await group.create({ ...base(), waitForCapacityTimeout: "0" });
      expect(outs.state).toBe("CREATING");
    } finally {
      await control(emulator, "PUT", "/settings", { durations: { serverBuildMs: 90 } });
    }
  });

  test("a scaling failure fails fast naming the failed member servers, keeping the group in state", async () => {
    await control(emulator, "POST", "/outcomes", {
      kind: "asg-scale",
      state: "ERROR",
      reason: "quota exceeded: instances",
    });
    const failure = await group.createFailure(base());
    expect(failure.properties).toMatchObject({ __provider: PROVIDER, state: "SCALE_OUT_FAIL" });
    // Show Auto-Scaling Group documents no failure reason: the failed members are named instead.
    expect(failure.reasons[0]).toMatch(/state SCALE_OUT_FAIL: member server \S+ \(\S+\) is ERROR/);
  });

  test("scaling by a policy or schedule is not drift when desiredServerCount is unset", async () => {
    const { id, outs } = await group.create(base());
    await control(emulator, "POST", `/auto-scaling-groups/${id}/scale`, { desired: 3 });
    const read = await group.read(id, outs);
    expect(read.props).toMatchObject({ currentDesiredServerCount: 3 });
    expect(read.inputs).not.toHaveProperty("desiredServerCount");
    expect(await group.diff(read.props, base())).toMatchObject({ changes: false });
  });

  test("scaling is drift when desiredServerCount is set", async () => {
    const { id, outs } = await group.create({ ...base(), desiredServerCount: 1 });
    await control(emulator, "POST", `/auto-scaling-groups/${id}/scale`, { desired: 3 });
    const read = await group.read(id, outs);
    expect(read.inputs).toMatchObject({ desiredServerCount: 3 });
    expect(await group.diff(read.props, { ...base(), desiredServerCount: 1 })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const repaired = await group.update(id, read.props, { ...base(), desiredServerCount: 1 });
    expect(repaired).toMatchObject({ currentDesiredServerCount: 1, totalServerCount: 1 });
  });

  test("raising min above the current desired count works (desired follows)", async () => {
    const { id, outs } = await group.create(base());
    const updated = await group.update(id, outs, { ...base(), minServerCount: 3 });
    expect(updated).toMatchObject({
      minServerCount: 3,
      currentDesiredServerCount: 3,
      totalServerCount: 3,
      state: "IN_SERVICE",
    });
  });

  test("repointing to a new launch configuration in place; the old one can be deleted after", async () => {
    const { id, outs } = await group.create(base());
    const next = await launchConfiguration.create({ name: "web-v2", imageId: IMAGE_ID, serverTypeId: "s1v2m4" });
    expect(await group.diff(outs, { ...base(), launchConfigurationId: next.id })).toMatchObject({
      changes: true,
      replaces: [],
    });
    const updated = await group.update(id, outs, { ...base(), launchConfigurationId: next.id });
    expect(updated).toMatchObject({ launchConfigurationId: next.id, launchConfigurationName: "web-v2" });
    await expect(launchConfiguration.delete(lcId, {})).resolves.toBeUndefined();
  });

  test("LB server groups and settings update in place", async () => {
    const { id, outs } = await group.create(base());
    const updated = await group.update(id, outs, {
      ...base(),
      lbServerGroups: [{ id: "lb-1", port: 8080 }],
      drainEnabled: true,
      drainTimeoutSeconds: 60,
    });
    expect(updated).toMatchObject({
      lbServerGroups: [{ id: "lb-1", port: 8080 }],
      drainEnabled: true,
      drainTimeoutSeconds: 60,
    });
    expect((await group.read(id, updated)).props).toMatchObject({
      lbServerGroups: [{ id: "lb-1", port: 8080 }],
      drainEnabled: true,
    });
  });

  test("name and subnets replace", async () => {
    const olds = { ...base(), tags: {} };
    expect((await group.diff(olds, { ...base(), name: "web2" })).replaces).toEqual(["name"]);
    expect((await group.diff(olds, { ...base(), subnetIds: ["subnet-b"] })).replaces).toEqual(["subnetIds"]);
  });

  test("a tag change is recorded in state: no replacement, no request but reads", async () => {
    const { id, outs } = await group.create({ ...base(), tags: { env: "prod" } });
    const next = { ...base(), tags: { env: "prod", team: "web" } };
    expect(await group.diff(outs, next)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
    await control(emulator, "DELETE", "/requests");
    const updated = await group.update(id, outs, next);
    expect(updated.tags).toEqual({ env: "prod", team: "web" });
    expect(updated.serverIds).toEqual(outs.serverIds);
    expect([...new Set((await requests()).map((r) => r.method))]).toEqual(["GET"]);
    await expectCleanRefresh(group, id, updated, next);
  });

  test.each([
    ["desiredServerCount unset", {}],
    [
      "every optional input set",
      {
        desiredServerCount: 2,
        desiredServerCountEditable: true,
        serverNamePrefix: "web-srv",
        securityGroupIds: ["sg-b", "sg-a"],
        drainEnabled: true,
        drainTimeoutSeconds: 60,
        lbServerGroups: [{ id: "lb-1", port: 8080 }],
        tags: { env: "prod" },
      },
    ],
  ])("a refresh right after create reads what create stored (%s)", async (_case, extra) => {
    const inputs = { ...base(), ...extra };
    const { id, outs } = await group.create(inputs);
    if (!("desiredServerCount" in extra)) expect(outs).not.toHaveProperty("desiredServerCount");
    const read = await expectCleanRefresh(group, id, outs, inputs);
    expect(read.inputs).toEqual(inputs);
  });

  test("drift of desiredServerCountEditable and lbServerGroups is named by read and repaired", async () => {
    const inputs = { ...base(), desiredServerCountEditable: true, lbServerGroups: [{ id: "lb-1", port: 8080 }] };
    const { id, outs } = await group.create(inputs);
    await patchObject("auto-scaling-groups", id, {
      desired_server_count_editable: false,
      lb_server_groups: [{ id: "lb-2", port: 9090 }],
    });
    const read = await group.read(id, outs);
    expect(read.inputs).toMatchObject({
      desiredServerCountEditable: false,
      lbServerGroups: [{ id: "lb-2", port: 9090 }],
    });
    expect(await group.diff(read.props, inputs)).toMatchObject({ changes: true, replaces: [] });
    const repaired = await group.update(id, read.props, inputs);
    expect(repaired).toMatchObject({ desiredServerCountEditable: true, lbServerGroups: [{ id: "lb-1", port: 8080 }] });
    await expectCleanRefresh(group, id, repaired, inputs);
  });

  test("an update sends only the operations of the changed properties", async () => {
    const { id, outs } = await group.create(base());
    await control(emulator, "DELETE", "/requests");
    await group.update(id, outs, { ...base(), drainTimeoutSeconds: 60 });
    const puts = (await requests()).filter((r) => r.method === "PUT");
    expect(puts.map((r) => r.operation)).toEqual(["updateAutoScalingGroup"]);
    // Settings the program leaves unset keep their live value.
    expect(puts[0]?.body).toMatchObject({
      drain_timeout: 60,
      drain_enabled: false,
      desired_server_count_editable: true,
    });
  });

  test("validation: counts out of order, desired outside the range, no subnet", async () => {
    const failures = async (inputs: Record<string, unknown>) =>
      (await group.check(inputs)).map((f) => `${f.property}: ${f.reason}`);
    expect(await failures({ ...base(), minServerCount: 5 })).toEqual([
      "minServerCount: minServerCount (5) must not exceed maxServerCount (4)",
    ]);
    expect(await failures({ ...base(), desiredServerCount: 9 })).toEqual([
      "desiredServerCount: desiredServerCount (9) must be between minServerCount and maxServerCount",
    ]);
    expect(await failures({ ...base(), subnetIds: [] })).toEqual(["subnetIds: at least one subnet is required"]);
    expect(await failures({ ...base(), waitForCapacityTimeout: "soon" })).toEqual([
      expect.stringMatching(/waitForCapacityTimeout: must be a duration/),
    ]);
  });

  test("delete waits until the group and its servers are gone", async () => {
    const { id, outs } = await group.create({ ...base(), desiredServerCount: 2 });
    await group.delete(id, outs);
    expect(await members(id)).toEqual([]);
    expect(await group.read(id, outs)).toEqual({ id: "", props: {} });
    await expect(group.delete(id, outs)).resolves.toBeUndefined();
  });
});

describe("AutoScalingPolicy, AutoScalingSchedule, AutoScalingNotification", () => {
  let groupId: string;
  beforeEach(async () => {
    groupId = (await group.create(base())).id;
  });

  const policyInputs = () => ({
    autoScalingGroupId: groupId,
    name: "cpu-high",
    metricType: "CPU",
    metricMethod: "AVG",
    comparisonOperator: "ge",
    threshold: 70,
    evaluationMinutes: 5,
    scaleType: "SCALE_OUT",
    scaleMethod: "AMOUNT",
    scaleValue: 1,
    cooldownSeconds: 300,
  });

  test("a policy is created, updated in place (threshold, state), read and deleted", async () => {
    const { id, outs } = await policy.create(policyInputs());
    expect(id).toBe(`${groupId}:${outs.policyId}`);
    expect(outs).toMatchObject({ threshold: 70, state: "ACTIVE", thresholdUnit: "%" });
    expect(await policy.diff(outs, { ...policyInputs(), threshold: 80, state: "INACTIVE" })).toMatchObject({
      changes: true,
      replaces: [],
    });
    const updated = await policy.update(id, outs, { ...policyInputs(), threshold: 80, state: "INACTIVE" });
    expect(updated).toMatchObject({ threshold: 80, state: "INACTIVE" });
    await control(
      emulator,
      "PATCH",
      `/objects/${encodeURIComponent(`auto-scaling-groups/${groupId}/policies`)}/${String(outs.policyId)}`,
      { threshold: 95 },
    );
    const read = await policy.read(id, updated);
    expect(await policy.diff(read.props, { ...policyInputs(), threshold: 80, state: "INACTIVE" })).toMatchObject({
      changes: true,
    });
    await policy.delete(id, updated);
    expect(await policy.read(id, updated)).toEqual({ id: "", props: {} });
  });

  test("the policy create request carries no state; INACTIVE is set by the Update operation after it", async () => {
    await control(emulator, "DELETE", "/requests");
    const { id, outs } = await policy.create({ ...policyInputs(), state: "INACTIVE" });
    const sent = (await requests()).filter((r) => r.body !== undefined);
    expect(sent.map((r) => r.operation)).toEqual(["createAutoScalingGroupPolicy", "updateAutoScalingGroupPolicy"]);
    expect(sent[0]?.body).not.toHaveProperty("state");
    expect(sent[1]?.body).toMatchObject({ state: "INACTIVE", threshold: 70 });
    expect(outs.state).toBe("INACTIVE");
    await expectCleanRefresh(policy, id, outs, { ...policyInputs(), state: "INACTIVE" });
    // Without a state in the program, create sends one request and the cloud's state is not drift.
    await control(emulator, "DELETE", "/requests");
    const plain = await policy.create({ ...policyInputs(), name: "cpu-low" });
    expect((await requests()).filter((r) => r.body !== undefined).map((r) => r.operation)).toEqual([
      "createAutoScalingGroupPolicy",
    ]);
    await patchObject(`auto-scaling-groups/${groupId}/policies`, String(plain.outs.policyId), { state: "INACTIVE" });
    const read = await policy.read(plain.id, plain.outs);
    expect(read.inputs).not.toHaveProperty("state");
    expect(await policy.diff(read.props, { ...policyInputs(), name: "cpu-low" })).toMatchObject({ changes: false });
  });

  test("a policy's state changed outside Pulumi is named by read and repaired", async () => {
    const inputs = { ...policyInputs(), state: "ACTIVE" };
    const { id, outs } = await policy.create(inputs);
    await patchObject(`auto-scaling-groups/${groupId}/policies`, String(outs.policyId), { state: "INACTIVE" });
    const read = await policy.read(id, outs);
    expect(read.inputs).toMatchObject({ state: "INACTIVE" });
    expect(await policy.diff(read.props, inputs)).toMatchObject({ changes: true, replaces: [] });
    const repaired = await policy.update(id, read.props, inputs);
    expect(repaired.state).toBe("ACTIVE");
    await expectCleanRefresh(policy, id, repaired, inputs);
  });

  test("a policy with an unknown metric is refused at preview", async () => {
    expect((await policy.check({ ...policyInputs(), metricType: "GPU" }))[0]).toMatchObject({
      property: "metricType",
      reason: expect.stringMatching(/one of CPU, MEMORY/),
    });
  });

  const weekendSchedule = () => ({
    autoScalingGroupId: groupId,
    name: "weekend",
    frequency: "WEEKLY",
    daysOfWeek: ["SA", "SU"],
    hour: 9,
    minute: 0,
    desiredServerCount: 1,
  });

  test("a weekly schedule is created and updated in place", async () => {
    const inputs = weekendSchedule();
    const { id, outs } = await schedule.create(inputs);
    expect(outs).toMatchObject({
      frequency: "WEEKLY",
      daysOfWeek: ["SA", "SU"],
      timezone: "Asia/Seoul",
      state: "ACTIVE",
    });
    await expectCleanRefresh(schedule, id, outs, inputs);
    const updated = await schedule.update(id, outs, { ...inputs, hour: 10 });
    expect(updated).toMatchObject({ hour: 10 });
    await schedule.delete(id, updated);
  });

  test("a schedule's end date, counts and state changed by hand are named, and the repair really restores them", async () => {
    const inputs = {
      autoScalingGroupId: groupId,
      name: "office-hours",
      frequency: "DAILY",
      hour: 9,
      minute: 0,
      startDate: "2026-01-01",
      endDate: "2026-12-31",
      minServerCount: 1,
      maxServerCount: 4,
      desiredServerCount: 2,
      state: "ACTIVE",
    };
    const { id, outs } = await schedule.create(inputs);
    await expectCleanRefresh(schedule, id, outs, inputs);
    const collection = `auto-scaling-groups/${groupId}/schedules`;
    await patchObject(collection, String(outs.scheduleId), {
      end_date: "2027-06-30",
      min_server_count: 0,
      desired_server_count: 3,
      state: "INACTIVE",
    });
    const read = await schedule.read(id, outs);
    expect(read.inputs).toMatchObject({
      endDate: "2027-06-30",
      minServerCount: 0,
      desiredServerCount: 3,
      state: "INACTIVE",
    });
    expect(await schedule.diff(read.props, inputs)).toMatchObject({ changes: true, replaces: [] });
    const repaired = await schedule.update(id, read.props, inputs);
    expect(await objectOf(collection, String(outs.scheduleId))).toMatchObject({
      end_date: "2026-12-31",
      min_server_count: 1,
      desired_server_count: 2,
      state: "ACTIVE",
    });
    await expectCleanRefresh(schedule, id, repaired, inputs);
  });

  test("days of the week in another order are not drift", async () => {
    const inputs = weekendSchedule();
    const { id, outs } = await schedule.create(inputs);
    await patchObject(`auto-scaling-groups/${groupId}/schedules`, String(outs.scheduleId), { day_of_week: "SU,SA" });
    const read = await schedule.read(id, outs);
    expect(await schedule.diff(read.props, inputs)).toMatchObject({ changes: false });
  });

  test.each([
    [{ frequency: "WEEKLY" }, "daysOfWeek", /required for a WEEKLY schedule/],
    [{ frequency: "MONTHLY" }, "daysOfMonth", /required for a MONTHLY schedule/],
    [{ frequency: "ONCE" }, "startDate", /required for a ONCE schedule/],
    [{ frequency: "DAILY", daysOfWeek: ["MO"] }, "daysOfWeek", /only to WEEKLY/],
    [{ frequency: "DAILY", hour: 24 }, "hour", /./],
    [{ frequency: "MONTHLY", daysOfMonth: [32] }, "daysOfMonth[0]", /1–31 or -1/],
  ])("schedule %j is refused at %s", async (change, property, reason) => {
    const inputs = { autoScalingGroupId: "g", name: "s", hour: 9, minute: 0, desiredServerCount: 1, ...change };
    expect(await schedule.check(inputs)).toEqual(
      expect.arrayContaining([expect.objectContaining({ property, reason: expect.stringMatching(reason) })]),
    );
  });

  test("one notification per user: each is its own resource, events and state change in place", async () => {
    const alice = await notification.create({ autoScalingGroupId: groupId, userId: "alice", events: ["SCALE_OUT"] });
    const bob = await notification.create({
      autoScalingGroupId: groupId,
      userId: "bob",
      events: ["SCALE_IN_FAIL"],
      state: "INACTIVE",
    });
    expect(alice.outs).toMatchObject({ userId: "alice", events: ["SCALE_OUT"], state: "ACTIVE" });
    expect(bob.outs).toMatchObject({ userId: "bob", state: "INACTIVE" });
    const updated = await notification.update(alice.id, alice.outs, {
      autoScalingGroupId: groupId,
      userId: "alice",
      events: ["SCALE_OUT", "SCALE_OUT_FAIL"],
    });
    expect(updated.events).toEqual(["SCALE_OUT", "SCALE_OUT_FAIL"]);
    await control(
      emulator,
      "PATCH",
      `/objects/${encodeURIComponent(`auto-scaling-groups/${groupId}/notifications`)}/${String(bob.outs.notificationId)}`,
      {
        notification_events: ["SCALE_IN"],
      },
    );
    const driftedBob = await notification.read(bob.id, bob.outs);
    expect(
      await notification.diff(driftedBob.props, {
        autoScalingGroupId: groupId,
        userId: "bob",
        events: ["SCALE_IN_FAIL"],
        state: "INACTIVE",
      }),
    ).toMatchObject({ changes: true });
    expect((await notification.read(alice.id, updated)).props).toMatchObject({
      events: ["SCALE_OUT", "SCALE_OUT_FAIL"],
    });
    expect(
      await notification.diff(alice.outs, { autoScalingGroupId: groupId, userId: "carol", events: ["SCALE_OUT"] }),
    ).toMatchObject({ replaces: ["userId"], deleteBeforeReplace: true });
  });

  test("a notification reads back what create stored; its state changed by hand is named and repaired", async () => {
    const inputs = {
      autoScalingGroupId: groupId,
      userId: "dave",
      events: ["SCALE_OUT", "SCALE_IN"],
      state: "INACTIVE",
    };
    const { id, outs } = await notification.create(inputs);
    await expectCleanRefresh(notification, id, outs, inputs);
    await patchObject(`auto-scaling-groups/${groupId}/notifications`, String(outs.notificationId), {
      notification_state: "ACTIVE",
    });
    const read = await notification.read(id, outs);
    expect(read.inputs).toMatchObject({ state: "ACTIVE" });
    expect(await notification.diff(read.props, inputs)).toMatchObject({ changes: true, replaces: [] });
    const repaired = await notification.update(id, read.props, inputs);
    expect(repaired.state).toBe("INACTIVE");
    await expectCleanRefresh(notification, id, repaired, inputs);
  });
});
