/** Keypair: Create Keypair (reference L1314–L1350); its name is the path of Show/Delete Keypair (L7785, L3056). */
import {
  type BadInputCase,
  type ValidExample,
  missingCases,
  misspellingCases,
  withChanges,
  wrongTypeCases,
} from "./types";

/** The reference's `public_key` is the placeholder "publickey" (L1348); a real OpenSSH key stands in for it. */
export const PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1hZGUgZm9yIHRlc3RzIG9ubHkgLSBub3QgYSByZWFsIGtleQ== user@example";

const base = { name: "keypairname", publicKey: PUBLIC_KEY, tags: { key: "value" } };

export const examples: ValidExample[] = [
  { resource: "Keypair", title: "Create Keypair request", inputs: base, ref: "reference L1346–L1350" },
  {
    resource: "Keypair",
    title: "Create Keypair without a public key (the cloud generates one)",
    inputs: { name: "keypairname" },
    ref: "reference L1347, L1356",
  },
];

export const cases: BadInputCase[] = [
  ...misspellingCases("Keypair", base, [
    ["publickey", "publicKey", "reference L1348"],
    ["public_key", "publicKey", "reference L1348"],
    ["PublicKey", "publicKey", "reference L1348"],
    ["Name", "name", "reference L1347"],
    ["tag", "tags", "reference L1349"],
    ["adpot", "adopt", "reference L1347"],
  ]),
  {
    resource: "Keypair",
    inputs: { ...base, timeout: { create: "5m" } },
    property: "timeout",
    reason: /did you mean "timeouts"/,
    ref: "reference L1347",
  },
  {
    resource: "Keypair",
    inputs: { ...base, timeouts: { creat: "5m" } },
    property: "timeouts.creat",
    reason: /did you mean "create"/,
    ref: "reference L1347",
  },
  {
    resource: "Keypair",
    inputs: { ...base, timeouts: { Delete: "5m" } },
    property: "timeouts.Delete",
    reason: /did you mean "delete"/,
    ref: "reference L3044",
  },
  ...missingCases("Keypair", base, [["name", "reference L1347"]]),
  ...wrongTypeCases("Keypair", base, [
    ["name", 5, /name must be a string; got the number 5/, "reference L1347"],
    ["publicKey", 123, /publicKey must be a string; got the number 123/, "reference L1348"],
    ["tags", "env=dev", /tags must be an object.*; got the string "env=dev"/, "reference L1349"],
    ["adopt", "yes", /adopt must be true or false; got the string "yes"/, "reference L1347"],
    ["timeouts", "5m", /timeouts must be an object; got the string "5m"/, "reference L1347"],
    ["region", 1, /region must be a string; got the number 1/, "reference L1347"],
  ]),
  {
    resource: "Keypair",
    inputs: { ...base, timeouts: { create: 300 } },
    property: "timeouts.create",
    reason: /must be a string; got the number 300/,
    ref: "reference L1347",
  },
  {
    resource: "Keypair",
    inputs: { ...base, timeouts: { create: "soon" } },
    property: "timeouts.create",
    reason: /must be a duration like "30m".*got "soon"/,
    ref: "reference L1347",
  },
  {
    resource: "Keypair",
    inputs: { ...base, timeouts: { delete: "0s" } },
    property: "timeouts.delete",
    reason: /longer than zero/,
    ref: "reference L3044",
  },
  ...(
    [
      ["", /must not be empty/],
      ["a/b", /slashes/],
      ["..", /must not be "\." or "\.\."/],
      ["key?x=1", /must not contain \?, # or %/],
      ["key#1", /must not contain \?, # or %/],
      ["key%2F", /must not contain \?, # or %/],
      [" padded", /must not start or end with spaces/],
      ["x".repeat(256), /at most 255 characters/],
    ] as const
  ).map(([name, reason]) => ({
    resource: "Keypair" as const,
    inputs: withChanges(base, { name }),
    property: "name",
    reason,
    ref: "reference L7785",
  })),
  ...(["ssh-rsa", "publickey", "BEGIN PUBLIC KEY", "ssh-rsa AAAA\nssh-rsa BBBB"] as const).map((publicKey) => ({
    resource: "Keypair" as const,
    inputs: withChanges(base, { publicKey }),
    property: "publicKey",
    reason: /OpenSSH public key/,
    ref: "reference L1348",
  })),
  {
    resource: "Keypair",
    inputs: { ...base, tags: { "": "v" } },
    property: "tags",
    reason: /tag keys must not be empty; got the key ""/,
    ref: "reference L1349",
  },
  {
    resource: "Keypair",
    inputs: { ...base, tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"])) },
    property: "tags",
    reason: /at most 50 tags/,
    ref: "reference L1349",
  },
  {
    resource: "Keypair",
    inputs: { ...base, tags: { env: 1 } },
    property: "tags.env",
    reason: /tag values must be strings; got the number 1/,
    ref: "reference L1349",
  },
  {
    resource: "Keypair",
    inputs: { ...base, region: "" },
    property: "region",
    reason: /region must not be empty/,
    ref: "reference L1347",
  },
];
