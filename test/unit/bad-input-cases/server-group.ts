/** ServerGroup: Create Server Group (reference L1550–L1586). */
import {
  type BadInputCase,
  type ValidExample,
  missingCases,
  misspellingCases,
  withChanges,
  wrongTypeCases,
} from "./types";

const base = { name: "server-group", policy: "anti-affinity", tags: { key: "value" } };

export const examples: ValidExample[] = [
  { resource: "ServerGroup", title: "Create Server Group request", inputs: base, ref: "reference L1582–L1586" },
];

export const cases: BadInputCase[] = [
  ...misspellingCases("ServerGroup", base, [
    ["Policy", "policy", "reference L1584"],
    ["polcy", "policy", "reference L1584"],
    ["NAME", "name", "reference L1583"],
    ["Tags", "tags", "reference L1585"],
  ]),
  ...missingCases("ServerGroup", base, [
    ["name", "reference L1583"],
    ["policy", "reference L1584"],
  ]),
  ...wrongTypeCases("ServerGroup", base, [
    ["policy", 1, /policy must be one of affinity, anti-affinity.*; got the number 1/, "reference L1584"],
    ["name", ["server-group"], /name must be a string; got a list/, "reference L1583"],
    ["tags", "key=value", /tags must be an object.*; got the string "key=value"/, "reference L1585"],
  ]),
  ...(["spread", "Anti-Affinity", "anti_affinity", ""] as const).map((policy) => ({
    resource: "ServerGroup" as const,
    inputs: withChanges(base, { policy }),
    property: "policy",
    reason: new RegExp(`policy must be one of affinity, anti-affinity.*; got the string "${policy}"`),
    ref: "reference L1584",
  })),
  {
    resource: "ServerGroup",
    inputs: withChanges(base, { name: "group/one" }),
    property: "name",
    reason: /must not contain slashes/,
    ref: "reference L1583",
  },
  {
    resource: "ServerGroup",
    inputs: withChanges(base, { tags: { ["k".repeat(129)]: "v" } }),
    property: "tags",
    reason: /tag keys are at most 128 characters/,
    ref: "reference L1585",
  },
];
