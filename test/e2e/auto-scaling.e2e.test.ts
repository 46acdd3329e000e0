// Auto-scaling through the real engine: a group with a policy, a schedule and a notification.
import { type RunningEmulator, startEmulator } from "../../emulator";
import { type E2EStack, createStack, emulatorControl, emulatorObjects, plannedSteps } from "./harness";
import { expectOnlyDocumentedRequestKeys } from "./request-keys";

const program = (lcName: string) => `
const scp = require("pulumi-scp-virtualserver");
const template = new scp.LaunchConfiguration("template", { name: "${lcName}", imageId: "70a599e0-31e7-49b7-b260-868f441e862b", serverTypeId: "s1v1m2" });
const group = new scp.AutoScalingGroup("group", {
  name: "asg-web", launchConfigurationId: template.id, minServerCount: 1, maxServerCount: 4, subnetIds: ["subnet-a"],
});
new scp.AutoScalingPolicy("cpu-high", {
  autoScalingGroupId: group.id, name: "cpu-high", metricType: "CPU", metricMethod: "AVG", comparisonOperator: "ge",
  threshold: 70, evaluationMinutes: 5, scaleType: "SCALE_OUT", scaleMethod: "AMOUNT", scaleValue: 1, cooldownSeconds: 300,
});
new scp.AutoScalingSchedule("weekend", {
  autoScalingGroupId: group.id, name: "weekend", frequency: "WEEKLY", daysOfWeek: ["SA", "SU"], hour: 9, minute: 0, desiredServerCount: 1,
});
new scp.AutoScalingNotification("ops", { autoScalingGroupId: group.id, userId: "ops-user", events: ["SCALE_OUT_FAIL", "SCALE_IN_FAIL"] });
exports.groupId = group.id;
exports.servers = group.totalServerCount;
`;

let emulator: RunningEmulator;
let e2e: E2EStack;
beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  e2e = await createStack("asg", program("web-v1"), emulator);
});
afterAll(async () => {
  await e2e?.dispose();
  await emulator?.close();
});

describe("auto-scaling with the real engine", () => {
  let groupId = "";

  test("up creates the group in service with its policy, schedule and notification", async () => {
    const up = await e2e.stack.up();
    groupId = String(up.outputs.groupId?.value);
    expect(up.outputs.servers?.value).toBe(1);
    expect(await emulatorObjects(emulator, `auto-scaling-groups/${groupId}/policies`)).toHaveLength(1);
    expect(await emulatorObjects(emulator, `auto-scaling-groups/${groupId}/schedules`)).toHaveLength(1);
    expect(await emulatorObjects(emulator, `auto-scaling-groups/${groupId}/notifications`)).toHaveLength(1);
  });

  test("preview --refresh --expect-no-changes passes right after", async () => {
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("scaling by a policy is not drift (desired count unset)", async () => {
    await emulatorControl(emulator, "POST", `/auto-scaling-groups/${groupId}/scale`, { desired: 3 });
    await expect(e2e.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();
  });

  test("drift of the policy's threshold is reported as exactly that and repaired", async () => {
    const [policy] = await emulatorObjects(emulator, `auto-scaling-groups/${groupId}/policies`);
    await emulatorControl(
      emulator,
      "PATCH",
      `/objects/${encodeURIComponent(`auto-scaling-groups/${groupId}/policies`)}/${String(policy?.id)}`,
      { threshold: 90 },
    );
    expect(await plannedSteps(e2e.stack)).toEqual([{ name: "cpu-high", op: "update", properties: ["threshold"] }]);
    await e2e.stack.up({ refresh: true });
    const [repaired] = await emulatorObjects(emulator, `auto-scaling-groups/${groupId}/policies`);
    expect(repaired?.threshold).toBe(70);
  });

  test("a new launch configuration is created, the group repointed, then the old one deleted", async () => {
    e2e.writeProgram(program("web-v2"));
    const up = await e2e.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ replace: 1, update: 1 });
    const configurations = await emulatorObjects(emulator, "launch-configurations");
    expect(configurations.map((c) => c.name)).toEqual(["web-v2"]);
    const [group] = await emulatorObjects(emulator, "auto-scaling-groups");
    expect(group?.launch_configuration_id).toBe(configurations[0]?.id);
  });

  test("destroy removes the group, its servers and everything else", async () => {
    await e2e.stack.destroy();
    for (const collection of ["auto-scaling-groups", "launch-configurations", "servers"]) {
      expect({ collection, objects: await emulatorObjects(emulator, collection) }).toEqual({ collection, objects: [] });
    }
  });

  // Issue 11 item 6: every request body the provider sent (creates, updates, deletes) has only keys the
  // reference's request example for that operation and version shows.
  test("every request body sent has only documented keys", () => {
    expectOnlyDocumentedRequestKeys(emulator);
  });
});
