/**
 * Volume (Create Volume, reference L2377–L2413; Extend Volume L3733–L3767; Revert L6914–L6948),
 * VolumeAttachment (Attach Volume to Virtual Server, L237–L272) and Snapshot (Create a snapshot, L324–L360).
 */
import {
  type BadInputCase,
  type ValidExample,
  missingCases,
  misspellingCases,
  pathBreakerCases,
  withChanges,
  wrongTypeCases,
} from "./types";

const VOLUME_ID = "3f500f00-ed80-4566-a057-e31760226f9a";
const SERVER_ID = "2a9be312-5d4b-4bc8-b2ae-35100fa9241f";
const SNAPSHOT_ID = "cceed636-1f1e-4bb0-b85c-4e5b9e0bf790";

const volume = { name: "volume01", size: 104, snapshotId: SNAPSHOT_ID, tags: { key: "value" }, volumeType: "SSD" };
const attachment = { deleteOnTermination: false, serverId: SERVER_ID, volumeId: VOLUME_ID };
const snapshot = { description: "description", force: true, name: "snapshot-1", volumeId: VOLUME_ID };

export const examples: ValidExample[] = [
  { resource: "Volume", title: "Create Volume request", inputs: volume, ref: "reference L2407–L2413" },
  {
    resource: "Volume",
    title: "Revert Volume to snapshot",
    inputs: { ...withChanges(volume, { snapshotId: undefined }), revertToSnapshotId: SNAPSHOT_ID },
    ref: "reference L6946–L6948",
  },
  {
    resource: "VolumeAttachment",
    title: "Attach Volume to Virtual Server request",
    inputs: attachment,
    ref: "reference L249, L269–L272",
  },
  { resource: "Snapshot", title: "Create a snapshot request", inputs: snapshot, ref: "reference L354–L360" },
  {
    resource: "Snapshot",
    title: "Update a snapshot request",
    inputs: { ...snapshot, force: undefined },
    ref: "reference L9486–L9489",
  },
];

const volumeCases: BadInputCase[] = [
  ...misspellingCases("Volume", volume, [
    ["volume_type", "volumeType", "reference L2412"],
    ["volumetype", "volumeType", "reference L2412"],
    ["snapshot_id", "snapshotId", "reference L2410"],
    ["snapshotID", "snapshotId", "reference L2410"],
    ["sise", "size", "reference L2409"],
    ["Size", "size", "reference L2409"],
    ["delete_snapshots", "deleteSnapshots", "reference L3581"],
    ["revert_to_snapshot_id", "revertToSnapshotId", "reference L6947"],
  ]),
  ...missingCases("Volume", volume, [
    ["name", "reference L2408"],
    ["size", "reference L2409"],
  ]),
  ...wrongTypeCases("Volume", volume, [
    ["size", "100", /size must be a number \(GB\); got the string "100"/, "reference L2409"],
    ["size", "ten", /size must be a number \(GB\); got the string "ten"/, "reference L2409"],
    ["size", true, /size must be a number \(GB\); got the boolean true/, "reference L2409"],
    ["size", null, /size must be a number \(GB\); got null/, "reference L2409"],
    ["size", [104], /size must be a number \(GB\); got a list/, "reference L2409"],
    ["name", 1, /name must be a string; got the number 1/, "reference L2408"],
    ["volumeType", 1, /volumeType must be a string; got the number 1/, "reference L2412"],
    ["snapshotId", 7, /snapshotId must be a string; got the number 7/, "reference L2410"],
    ["tags", ["key"], /tags must be an object.*; got a list/, "reference L2411"],
    ["deleteSnapshots", "true", /deleteSnapshots must be true or false; got the string "true"/, "reference L3581"],
    ["detachOnDelete", 1, /detachOnDelete must be true or false; got the number 1/, "reference L3568"],
  ]),
  ...(
    [
      [0, /size must be at least 1 GB; got 0/],
      [-5, /size must be at least 1 GB; got -5/],
      [1.5, /size must be a whole number \(GB\); got the number 1\.5/],
      [16_385, /size must be at most 16384 GB; got 16385/],
    ] as const
  ).map(([size, reason]) => ({
    resource: "Volume" as const,
    inputs: withChanges(volume, { size }),
    property: "size",
    reason,
    ref: "reference L2409, L3766",
  })),
  {
    resource: "Volume",
    inputs: withChanges(volume, { volumeType: "" }),
    property: "volumeType",
    reason: /volumeType must not be empty/,
    ref: "reference L2412",
  },
  ...pathBreakerCases("Volume", volume, "snapshotId", "reference L2410, L6999"),
  ...pathBreakerCases("Volume", volume, "revertToSnapshotId", "reference L6946–L6948"),
];

const attachmentCases: BadInputCase[] = [
  ...misspellingCases("VolumeAttachment", attachment, [
    ["server_id", "serverId", "reference L271"],
    ["volume_id", "volumeId", "reference L249"],
    ["serverID", "serverId", "reference L271"],
    ["delete_on_termination", "deleteOnTermination", "reference L270"],
  ]),
  ...missingCases("VolumeAttachment", attachment, [
    ["volumeId", "reference L249"],
    ["serverId", "reference L271"],
  ]),
  ...wrongTypeCases("VolumeAttachment", attachment, [
    ["volumeId", 42, /volumeId must be a string; got the number 42/, "reference L249"],
    ["serverId", { id: SERVER_ID }, /serverId must be a string; got an object/, "reference L271"],
    [
      "deleteOnTermination",
      "false",
      /deleteOnTermination must be true or false; got the string "false"/,
      "reference L270",
    ],
  ]),
  ...pathBreakerCases("VolumeAttachment", attachment, "volumeId", "reference L249"),
  ...pathBreakerCases("VolumeAttachment", attachment, "serverId", "reference L271, L8555"),
  {
    resource: "VolumeAttachment",
    inputs: withChanges(attachment, { volumeId: "" }),
    property: "volumeId",
    reason: /volumeId must not be empty/,
    ref: "reference L249",
  },
];

const snapshotCases: BadInputCase[] = [
  ...misspellingCases("Snapshot", snapshot, [
    ["volume_id", "volumeId", "reference L359"],
    ["Description", "description", "reference L355"],
    ["forced", "force", "reference L356"],
  ]),
  ...missingCases("Snapshot", snapshot, [
    ["volumeId", "reference L359"],
    ["name", "reference L358"],
  ]),
  ...wrongTypeCases("Snapshot", snapshot, [
    ["force", "yes", /force must be true or false; got the string "yes"/, "reference L356"],
    ["description", 3, /description must be a string; got the number 3/, "reference L355"],
    ["name", false, /name must be a string; got the boolean false/, "reference L358"],
    ["volumeId", [VOLUME_ID], /volumeId must be a string; got a list/, "reference L359"],
  ]),
  {
    resource: "Snapshot",
    inputs: withChanges(snapshot, { description: "x".repeat(256) }),
    property: "description",
    reason: /at most 255 characters/,
    ref: "reference L355",
  },
  {
    resource: "Snapshot",
    inputs: withChanges(snapshot, { name: "" }),
    property: "name",
    reason: /must not be empty/,
    ref: "reference L358",
  },
  ...pathBreakerCases("Snapshot", snapshot, "volumeId", "reference L359"),
];

export const cases: BadInputCase[] = [...volumeCases, ...attachmentCases, ...snapshotCases];
