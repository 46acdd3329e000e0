// Bad input through the real engine: a sample of the bad-input corpus, each run as a `pulumi preview` of
// its own program. The preview must fail naming the property and the real problem, and the emulator must
// have seen no API request at all (the refusal comes from the provider's `check`).
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { type RunningEmulator, startEmulator } from "../../emulator";
import { type E2EStack, createStack } from "./harness";

interface PreviewCase {
  readonly title: string;
  /** The resource declaration, in the program's JavaScript. */
  readonly resource: string;
  readonly property: string;
  readonly reason: RegExp;
  readonly ref: string;
}

const PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1hZGUgZm9yIHRlc3RzIG9ubHkgLSBub3QgYSByZWFsIGtleQ== e2e@example";
const GROUP = "52613bd852b04b39adcb15a8364d856d";
const SCHEDULE = `autoScalingGroupId: "${GROUP}", name: "s", frequency: "WEEKLY", daysOfWeek: ["SU"], hour: 9, minute: 0, desiredServerCount: 1`;
const POLICY = `autoScalingGroupId: "${GROUP}", name: "p", metricType: "CPU", metricMethod: "AVG", comparisonOperator: "ge", evaluationMinutes: 1, scaleType: "SCALE_OUT", scaleMethod: "AMOUNT", scaleValue: 1, cooldownSeconds: 300`;

const cases: PreviewCase[] = [
  {
    title: "an unknown property, with the one meant",
    resource: `new scp.Keypair("bad", { name: "k", publickey: ${JSON.stringify(PUBLIC_KEY)} })`,
    property: "publickey",
    reason: /unknown property; did you mean "publicKey"\?/,
    ref: "reference L1348",
  },
  {
    title: "a number given as a string",
    resource: `new scp.Volume("bad", { name: "v", size: "100" })`,
    property: "size",
    reason: /size must be a number \(GB\); got the string "100"/,
    ref: "reference L2409",
  },
  {
    title: "the API's snake_case inside a network",
    resource: `new scp.VirtualServer("bad", { name: "s", imageId: "i", serverTypeId: "s1v1m2", networks: [{ subnetId: "sn", fixed_ip: "192.169.3.2" }] })`,
    property: "networks[0].fixed_ip",
    reason: /unknown property; did you mean "fixedIp"\?/,
    ref: "reference L2136",
  },
  {
    title: "a date that is not in the calendar",
    resource: `new scp.AutoScalingSchedule("bad", { ${SCHEDULE}, startDate: "2024-02-30" })`,
    property: "startDate",
    reason: /startDate is not a day of the calendar; got the string "2024-02-30"/,
    ref: "reference L970",
  },
  {
    title: "a timezone that is no IANA zone",
    resource: `new scp.AutoScalingSchedule("bad", { ${SCHEDULE}, timezone: "Asia/Seol" })`,
    property: "timezone",
    reason: /timezone "Asia\/Seol" is not an IANA timezone; did you mean "Asia\/Seoul"\?/,
    ref: "reference L972",
  },
  {
    title: "a CPU threshold above 100 %",
    resource: `new scp.AutoScalingPolicy("bad", { ${POLICY}, threshold: 150 })`,
    property: "threshold",
    reason: /threshold is a percentage for CPU and must be at most 100 \(%\); got 150/,
    ref: "reference L856",
  },
  {
    title: "two boot disks",
    resource: `new scp.LaunchConfiguration("bad", { name: "lc", imageId: "i", serverTypeId: "s1v1m2", volumes: [{ size: 100, bootIndex: 0 }, { size: 200, bootIndex: 0 }] })`,
    property: "volumes[1].bootIndex",
    reason: /volumes\[1\] is a second boot disk \(boot index 0\)/,
    ref: "reference L1446",
  },
  {
    title: "the same security group twice",
    resource: `new scp.AutoScalingGroup("bad", { name: "g", launchConfigurationId: "lc", minServerCount: 1, maxServerCount: 2, subnetIds: ["sn"], securityGroupIds: ["sg-1", "sg-1"] })`,
    property: "securityGroupIds[1]",
    reason: /securityGroupIds must not repeat: "sg-1" is also at \[0\]/,
    ref: "reference L553",
  },
  {
    title: "a schedule whose desired count is outside min and max",
    resource: `new scp.AutoScalingSchedule("bad", { ${SCHEDULE.replace("desiredServerCount: 1", "desiredServerCount: 5")}, minServerCount: 1, maxServerCount: 2 })`,
    property: "desiredServerCount",
    reason: /desiredServerCount \(5\) must be between minServerCount and maxServerCount/,
    ref: "reference L962, L966–L967",
  },
  {
    title: "an id that would leave its URL path segment",
    resource: `new scp.VolumeAttachment("bad", { volumeId: "../servers", serverId: "s" })`,
    property: "volumeId",
    reason: /volumeId must not contain \/, \\, \? or #/,
    ref: "reference L249",
  },
  {
    title: "a typo inside timeouts",
    resource: `new scp.Snapshot("bad", { volumeId: "v", name: "s", timeouts: { creat: "5m" } })`,
    property: "timeouts.creat",
    reason: /unknown property; did you mean "create"\?/,
    ref: "reference L354",
  },
  {
    title: "a negative count",
    resource: `new scp.AutoScalingGroup("bad", { name: "g", launchConfigurationId: "lc", minServerCount: -1, maxServerCount: 2, subnetIds: ["sn"] })`,
    property: "minServerCount",
    reason: /minServerCount must be at least 0; got -1/,
    ref: "reference L549",
  },
];

let emulator: RunningEmulator;
let e2e: E2EStack;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  e2e = await createStack("bad-input", "// replaced by each case\n", emulator);
});
afterAll(async () => {
  await e2e?.dispose();
  await emulator?.close();
});

/** API requests the emulator served (its own control routes left out). */
const apiRequests = () => emulator.state.requestLog.filter((r) => !r.path.startsWith("/_emulator"));

/** What the user sees of a failed preview: the engine's diagnostics and the CLI's error text. */
function shownText(error: unknown, events: readonly EngineEvent[]): string {
  const diagnostics = events.map((e) => e.diagnosticEvent?.message ?? "").join("\n");
  const errorText =
    error instanceof Error
      ? `${error.message}\n${String((error as { stderr?: unknown }).stderr ?? "")}`
      : String(error);
  return `${diagnostics}\n${errorText}`;
}

describe("bad input is refused by a real pulumi preview, before any request", () => {
  const results: string[] = [];
  afterAll(() => console.log(`bad-input e2e sample (${cases.length} previews):\n${results.join("\n")}`));

  test.each(cases.map((c) => [c.title, c] as const))("%s", async (_title, c) => {
    e2e.writeProgram(`const scp = require("pulumi-scp-virtualserver");\n${c.resource};\n`);
    emulator.state.requestLog.length = 0;
    const events: EngineEvent[] = [];
    const error = await e2e.stack.preview({ onEvent: (e) => events.push(e) }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const shown = shownText(error, events);
    const named = new RegExp(`property ${c.property.replace(/[.[\]]/g, "\\$&")} value .* has a problem: `);
    const requests = apiRequests().map((r) => `${r.method} ${r.path}`);
    const line =
      shown
        .split("\n")
        .find((l) => named.test(l))
        ?.trim() ?? "(no line names the property)";
    results.push(
      `  ${c.title}: refused=${error !== undefined} property named=${named.test(shown)} reason=${c.reason.test(shown)} requests=${requests.length} (${c.ref})\n    ${line}`,
    );
    expect(error).toBeDefined();
    expect(shown).toMatch(named);
    expect(shown).toMatch(c.reason);
    expect(requests).toEqual([]);
  });
});
