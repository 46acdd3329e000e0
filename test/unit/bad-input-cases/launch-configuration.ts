/** LaunchConfiguration: Create Launch Configuration (reference L1405–L1451). */
import {
  type BadInputCase,
  type ValidExample,
  missingCases,
  misspellingCases,
  pathBreakerCases,
  withChanges,
  wrongTypeCases,
} from "./types";
import { USER_DATA } from "./virtual-server";

const bootDisk = { bootIndex: 0, size: 104, type: "SSD" };
const base = {
  imageId: "70a599e0-31e7-49b7-b260-868f441e862b",
  keypairName: "keypairname",
  name: "launch-configuration-name",
  serverTypeId: "s1v1m2",
  tags: { key: "value" },
  userData: USER_DATA,
  volumes: [bootDisk],
};

export const examples: ValidExample[] = [
  {
    resource: "LaunchConfiguration",
    title: "Create Launch Configuration request",
    inputs: base,
    ref: "reference L1437–L1451",
  },
  {
    resource: "LaunchConfiguration",
    title: "a boot disk and a data disk, boot indexes from their positions",
    inputs: { ...base, volumes: [{ size: 104, type: "SSD" }, { size: 200 }] },
    ref: "reference L1446",
  },
  {
    resource: "LaunchConfiguration",
    title: "the boot disk listed second",
    inputs: { ...base, volumes: [{ size: 200, bootIndex: 1 }, bootDisk] },
    ref: "reference L1446",
  },
];

const withVolumes = (volumes: unknown) => ({ ...base, volumes });

export const cases: BadInputCase[] = [
  ...misspellingCases("LaunchConfiguration", base, [
    ["image_id", "imageId", "reference L1438"],
    ["imageID", "imageId", "reference L1438"],
    ["keypair_name", "keypairName", "reference L1439"],
    ["server_type_id", "serverTypeId", "reference L1441"],
    ["serverType", "serverTypeId", "reference L1441"],
    ["user_data", "userData", "reference L1443"],
    ["volume", "volumes", "reference L1444"],
  ]),
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([{ boot_index: 0, size: 104, type: "SSD" }]),
    property: "volumes[0].boot_index",
    reason: /unknown property; did you mean "bootIndex"\?/,
    ref: "reference L1446",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([{ bootIndex: 0, size: 104, volume_type: "SSD" }]),
    property: "volumes[0].volume_type",
    reason: /unknown property; did you mean "type"\?/,
    ref: "reference L1448",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([{ bootIndex: 0, Size: 104 }]),
    property: "volumes[0].Size",
    reason: /unknown property; did you mean "size"\?/,
    ref: "reference L1447",
  },
  ...missingCases("LaunchConfiguration", base, [
    ["name", "reference L1440"],
    ["imageId", "reference L1438"],
    ["serverTypeId", "reference L1441"],
  ]),
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([{ bootIndex: 0, type: "SSD" }]),
    property: "volumes[0].size",
    reason: /size is required/,
    ref: "reference L1447",
  },
  ...wrongTypeCases("LaunchConfiguration", base, [
    ["volumes", bootDisk, /volumes must be a list of volumes; got an object/, "reference L1444"],
    ["imageId", 1, /imageId must be a string; got the number 1/, "reference L1438"],
    ["userData", ["#!/bin/sh"], /userData must be a string; got a list/, "reference L1443"],
    ["keypairName", 9, /keypair name must be a string; got the number 9/, "reference L1439"],
  ]),
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([{ bootIndex: "0", size: 104 }]),
    property: "volumes[0].bootIndex",
    reason: /bootIndex must be a number; got the string "0"/,
    ref: "reference L1446",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([{ bootIndex: 0, size: "104" }]),
    property: "volumes[0].size",
    reason: /size must be a number \(GB\); got the string "104"/,
    ref: "reference L1447",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([{ bootIndex: 0, size: 0 }]),
    property: "volumes[0].size",
    reason: /size must be at least 1 GB/,
    ref: "reference L1447",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([{ bootIndex: -1, size: 104 }]),
    property: "volumes[0].bootIndex",
    reason: /bootIndex must be at least 0; got -1/,
    ref: "reference L1446",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([bootDisk, { ...bootDisk, size: 200 }]),
    property: "volumes[1].bootIndex",
    reason: /volumes\[1\] is a second boot disk \(boot index 0\); volumes\[0\] already has it/,
    ref: "reference L1446",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([{ size: 104 }, { size: 200, bootIndex: 0 }]),
    property: "volumes[1].bootIndex",
    reason: /second boot disk.*volumes\[0\] already has it \(from its position\)/,
    ref: "reference L1446",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([
      { size: 104, bootIndex: 1 },
      { size: 200, bootIndex: 2 },
    ]),
    property: "volumes",
    reason: /exactly one boot disk \(bootIndex 0\); none has it/,
    ref: "reference L1446",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([bootDisk, { size: 200, bootIndex: 1 }, { size: 300, bootIndex: 1 }]),
    property: "volumes[2].bootIndex",
    reason: /boot index 1 again; volumes\[1\] already has it/,
    ref: "reference L1446",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withVolumes([bootDisk, { size: 200, type: "" }]),
    property: "volumes[1].type",
    reason: /type must not be empty/,
    ref: "reference L1448",
  },
  {
    resource: "LaunchConfiguration",
    inputs: { ...base, userData: "x".repeat(65_536) },
    property: "userData",
    reason: /at most 64 KiB/,
    ref: "reference L1443",
  },
  {
    resource: "LaunchConfiguration",
    inputs: withChanges(base, { name: "lc\n1" }),
    property: "name",
    reason: /control characters/,
    ref: "reference L1440",
  },
  ...pathBreakerCases("LaunchConfiguration", base, "imageId", "reference L1438, L7577"),
  ...pathBreakerCases("LaunchConfiguration", base, "serverTypeId", "reference L1441, L8391"),
];
