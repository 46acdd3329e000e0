/**
 * The bad-input corpus through each resource's real `provider.check(olds, news)`: every bad input is
 * refused naming its property and the real problem; the reference's own request examples pass; a value
 * still unknown at preview passes wherever it stands.
 */
import type * as pulumi from "@pulumi/pulumi";
import { UNKNOWN } from "../../provider/check";
import { provider as autoScalingGroup } from "../../resources/auto-scaling-group";
import { provider as autoScalingNotification } from "../../resources/auto-scaling-notification";
import { provider as autoScalingPolicy } from "../../resources/auto-scaling-policy";
import { provider as autoScalingSchedule } from "../../resources/auto-scaling-schedule";
import { provider as image } from "../../resources/image";
import { provider as imageMember } from "../../resources/image-member";
import { provider as imageMemberAcceptance } from "../../resources/image-member-acceptance";
import { provider as keypair } from "../../resources/keypair";
import { provider as launchConfiguration } from "../../resources/launch-configuration";
import { provider as serverGroup } from "../../resources/server-group";
import { provider as snapshot } from "../../resources/snapshot";
import { provider as virtualServer } from "../../resources/virtual-server";
import { provider as volume } from "../../resources/volume";
import { provider as volumeAttachment } from "../../resources/volume-attachment";
import { provider as volumeTransfer } from "../../resources/volume-transfer";
import { provider as volumeTransferAcceptance } from "../../resources/volume-transfer-accept";
import * as autoScaling from "./bad-input-cases/auto-scaling";
import * as images from "./bad-input-cases/image";
import * as keypairs from "./bad-input-cases/keypair";
import * as launchConfigurations from "./bad-input-cases/launch-configuration";
import * as serverGroups from "./bad-input-cases/server-group";
import type { BadInputCase, Inputs, ResourceName, ValidExample } from "./bad-input-cases/types";
import * as virtualServers from "./bad-input-cases/virtual-server";
import * as volumes from "./bad-input-cases/volume";
import * as volumeTransfers from "./bad-input-cases/volume-transfer";

const providers: Record<ResourceName, pulumi.dynamic.ResourceProvider> = {
  Keypair: keypair,
  VirtualServer: virtualServer,
  Volume: volume,
  VolumeAttachment: volumeAttachment,
  Snapshot: snapshot,
  ServerGroup: serverGroup,
  LaunchConfiguration: launchConfiguration,
  AutoScalingGroup: autoScalingGroup,
  AutoScalingPolicy: autoScalingPolicy,
  AutoScalingSchedule: autoScalingSchedule,
  AutoScalingNotification: autoScalingNotification,
  Image: image,
  ImageMember: imageMember,
  ImageMemberAcceptance: imageMemberAcceptance,
  VolumeTransfer: volumeTransfer,
  VolumeTransferAcceptance: volumeTransferAcceptance,
};

const families = [
  keypairs,
  volumes,
  volumeTransfers,
  serverGroups,
  virtualServers,
  launchConfigurations,
  autoScaling,
  images,
];
const cases: BadInputCase[] = families.flatMap((f) => f.cases);
const examples: ValidExample[] = families.flatMap((f) => f.examples);

interface Failure {
  readonly property: string;
  readonly reason: string;
}

/** What the engine gets from `check`, with the serialized provider the host adds to every input set. */
async function check(resource: ResourceName, news: Inputs, olds: Inputs = {}): Promise<Failure[]> {
  const result = await providers[resource].check!(olds, { __provider: "serialized provider", ...news });
  return (result.failures ?? []) as Failure[];
}

const show = (failures: readonly Failure[]) => failures.map((f) => `${f.property}: ${f.reason}`).join(" | ");
const label = (c: BadInputCase, i: number) => `#${i} ${c.resource} ${c.property} (${c.ref})`;

/**
 * Every way to put the preview placeholder in place of one top-level value of an example, and the nested
 * places where outputs of other resources usually go (ids in lists, a network's subnet, a boot index).
 */
function withUnknowns(example: ValidExample): ValidExample[] {
  const topLevel = Object.keys(example.inputs).map((key) => ({
    ...example,
    title: `${example.title}, ${key} unknown`,
    inputs: { ...example.inputs, [key]: UNKNOWN },
  }));
  return [...topLevel, ...nestedUnknowns(example)];
}

function nestedUnknowns(example: ValidExample): ValidExample[] {
  const variants: [string, Inputs][] = [];
  const { inputs } = example;
  for (const list of ["securityGroupIds", "subnetIds", "daysOfWeek", "daysOfMonth", "events"]) {
    if (Array.isArray(inputs[list])) variants.push([`two unknown ${list}`, { ...inputs, [list]: [UNKNOWN, UNKNOWN] }]);
  }
  if (Array.isArray(inputs.networks))
    variants.push([
      "unknown subnet and port",
      {
        ...inputs,
        networks: [
          { subnetId: UNKNOWN, portId: UNKNOWN },
          { subnetId: UNKNOWN, portId: UNKNOWN },
        ],
      },
    ]);
  if (Array.isArray(inputs.volumes))
    variants.push([
      "unknown boot indexes",
      { ...inputs, volumes: [{ size: 10, bootIndex: UNKNOWN }, { size: UNKNOWN }] },
    ]);
  if (Array.isArray(inputs.lbServerGroups))
    variants.push(["unknown LB server group", { ...inputs, lbServerGroups: [{ id: UNKNOWN, port: UNKNOWN }] }]);
  if ("minServerCount" in inputs)
    variants.push(["unknown counts", { ...inputs, minServerCount: UNKNOWN, desiredServerCount: 99 }]);
  if ("startDate" in inputs)
    variants.push(["unknown start date", { ...inputs, startDate: UNKNOWN, endDate: "2020-01-01" }]);
  return variants.map(([title, changed]) => ({ ...example, title: `${example.title}, ${title}`, inputs: changed }));
}

describe("bad-input corpus", () => {
  const outcome = {
    refusedNamed: 0,
    missed: [] as string[],
    validRefused: [] as string[],
    unknownRefused: [] as string[],
  };

  afterAll(() => {
    const resources = new Set(cases.map((c) => c.resource)).size;
    console.log(
      `bad-input corpus: ${cases.length} cases across ${resources} resources; ` +
        `refused with the property named: ${outcome.refusedNamed}; missed: ${outcome.missed.length}; ` +
        `valid examples: ${examples.length}, refused: ${outcome.validRefused.length}; ` +
        `examples with a preview-unknown value: ${examples.flatMap(withUnknowns).length}, refused: ${outcome.unknownRefused.length}` +
        [...outcome.missed, ...outcome.validRefused, ...outcome.unknownRefused].map((m) => `\n  ${m}`).join(""),
    );
  });

  test(`holds at least 300 cases across all ${Object.keys(providers).length} resources, each resting on a line of the reference`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(300);
    expect(new Set(cases.map((c) => c.resource)).size).toBe(Object.keys(providers).length);
    for (const c of cases) expect(c.ref).toMatch(/^reference L\d+/);
  });

  test.each(cases.map((c, i) => [label(c, i), c] as const))("%s is refused", async (_name, c) => {
    const failures = await check(c.resource, c.inputs, c.olds);
    const named = failures.some((f) => f.property === c.property && c.reason.test(f.reason));
    if (named) outcome.refusedNamed++;
    else
      outcome.missed.push(
        `missed ${c.resource} ${c.property} ${String(c.reason)}: got ${show(failures) || "no failure"}`,
      );
    expect({ property: c.property, failures }).toEqual({
      property: c.property,
      failures: expect.arrayContaining([{ property: c.property, reason: expect.stringMatching(c.reason) }]),
    });
  });

  test.each(examples.map((e) => [`${e.resource}: ${e.title} (${e.ref})`, e] as const))(
    "the reference's example passes: %s",
    async (_name, example) => {
      const failures = await check(example.resource, example.inputs);
      if (failures.length > 0)
        outcome.validRefused.push(`refused ${example.resource} ${example.title}: ${show(failures)}`);
      expect(failures).toEqual([]);
    },
  );

  test.each(examples.flatMap(withUnknowns).map((e) => [`${e.resource}: ${e.title}`, e] as const))(
    "a value unknown at preview passes: %s",
    async (_name, example) => {
      const failures = await check(example.resource, example.inputs);
      if (failures.length > 0)
        outcome.unknownRefused.push(`refused ${example.resource} ${example.title}: ${show(failures)}`);
      expect(failures).toEqual([]);
    },
  );
});
