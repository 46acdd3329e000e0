/**
 * VolumeTransfer (Create a volume transfer, reference L455–L458; it answers the key, L462) and
 * VolumeTransferAcceptance (Accept a volume transfer: transfer_id in the path L129, auth_key in the body L149).
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
const TRANSFER_ID = "1ac231be-823b-4a4d-8ff0-aac503a7118a";

const transfer = { name: "volume01", volumeId: VOLUME_ID };
const acceptance = { transferId: TRANSFER_ID, authKey: "f5972fdb456897eb" };

export const examples: ValidExample[] = [
  {
    resource: "VolumeTransfer",
    title: "Create a volume transfer request",
    inputs: transfer,
    ref: "reference L455–L458",
  },
  {
    resource: "VolumeTransfer",
    title: "Create a volume transfer, unnamed",
    inputs: { volumeId: VOLUME_ID },
    ref: "reference L457",
  },
  {
    resource: "VolumeTransferAcceptance",
    title: "Accept a volume transfer request",
    inputs: acceptance,
    ref: "reference L129, L149",
  },
];

const transferCases: BadInputCase[] = [
  ...misspellingCases("VolumeTransfer", transfer, [
    ["volume_id", "volumeId", "reference L457"],
    ["volumeID", "volumeId", "reference L457"],
    ["volumeid", "volumeId", "reference L457"],
    ["Name", "name", "reference L456"],
  ]),
  ...missingCases("VolumeTransfer", transfer, [["volumeId", "reference L457"]]),
  ...wrongTypeCases("VolumeTransfer", transfer, [
    ["volumeId", 7, /volumeId must be a string; got the number 7/, "reference L457"],
    ["volumeId", [VOLUME_ID], /volumeId must be a string; got a list/, "reference L457"],
    ["name", 7, /transfer name must be a string; got the number 7/, "reference L456"],
  ]),
  {
    resource: "VolumeTransfer",
    inputs: withChanges(transfer, { volumeId: "" }),
    property: "volumeId",
    reason: /volumeId must not be empty/,
    ref: "reference L457",
  },
  {
    resource: "VolumeTransfer",
    inputs: withChanges(transfer, { name: "" }),
    property: "name",
    reason: /transfer name must not be empty/,
    ref: "reference L456",
  },
  // The key is SCP's answer to the create (L462), never an input.
  {
    resource: "VolumeTransfer",
    inputs: { ...transfer, authKey: "f5972fdb456897eb" },
    property: "authKey",
    reason: /unknown property/,
    ref: "reference L455–L458, L462",
  },
  ...pathBreakerCases("VolumeTransfer", transfer, "volumeId", "reference L457"),
];

const acceptanceCases: BadInputCase[] = [
  ...misspellingCases("VolumeTransferAcceptance", acceptance, [
    ["auth_key", "authKey", "reference L149"],
    ["authkey", "authKey", "reference L149"],
    ["transfer_id", "transferId", "reference L129"],
    ["transferID", "transferId", "reference L129"],
  ]),
  ...missingCases("VolumeTransferAcceptance", acceptance, [
    ["transferId", "reference L129"],
    ["authKey", "reference L149"],
  ]),
  ...wrongTypeCases("VolumeTransferAcceptance", acceptance, [
    ["authKey", 1234, /authKey must be a string; got the number 1234/, "reference L149"],
    ["transferId", 7, /transferId must be a string; got the number 7/, "reference L129"],
    ["transferId", { id: TRANSFER_ID }, /transferId must be a string; got an object/, "reference L129"],
  ]),
  ...(
    [
      ["transferId", "reference L129"],
      ["authKey", "reference L149"],
    ] as const
  ).map(([property, ref]) => ({
    resource: "VolumeTransferAcceptance" as const,
    inputs: withChanges(acceptance, { [property]: "" }),
    property,
    reason: new RegExp(`${property} must not be empty`),
    ref,
  })),
  // SCP keeps no record of an accepted transfer (the accept answers the transfer, L153–L157): nothing to import.
  {
    resource: "VolumeTransferAcceptance",
    inputs: { ...acceptance, importId: TRANSFER_ID },
    property: "importId",
    reason: /importId cannot be used/,
    ref: "reference L129, L153–L157",
  },
  // The received volume is an output (the accept's answer, L156), not an input.
  {
    resource: "VolumeTransferAcceptance",
    inputs: { ...acceptance, volumeId: VOLUME_ID },
    property: "volumeId",
    reason: /unknown property/,
    ref: "reference L149, L156",
  },
  ...pathBreakerCases("VolumeTransferAcceptance", acceptance, "transferId", "reference L129"),
];

export const cases: BadInputCase[] = [...transferCases, ...acceptanceCases];
