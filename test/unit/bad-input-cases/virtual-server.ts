/** VirtualServer: Create Virtual Server (reference L2094–L2151). */
import {
  type BadInputCase,
  type ValidExample,
  PATH_BREAKERS,
  missingCases,
  misspellingCases,
  pathBreakerCases,
  withChanges,
  wrongTypeCases,
} from "./types";

/** The reference's user_data (L2149) is base64 of this script; the program gives the script, the provider encodes it. */
export const USER_DATA = Buffer.from("IyEvYmluL2Jhc2gKL2Jpbi9zdQplY2hvICJJIGFtIGluIHlvdSEiCg==", "base64").toString();

const network = {
  fixedIp: "192.169.3.2",
  portId: "91424c08-0b26-49fb-9808-ed042292ceef",
  publicIpId: "615fa9cd5cff486c9de679b3ce63e601",
  subnetId: "78b2ee3f074145c580ab6abac4821f97",
};

const base = {
  imageId: "70a599e0-31e7-49b7-b260-868f441e862b",
  keypairName: "keypairname",
  locked: false,
  name: "servername",
  networks: [network],
  partitionNumber: 1,
  productCategory: "compute",
  productOffering: "virtual_server",
  securityGroupIds: ["c09c3f05-03d9-443f-b27a-40e0f973c75f"],
  serverGroupId: "616fb98f-46ca-475e-917e-2563e5a8cd19",
  serverTypeId: "s1v1m2",
  tags: { key: "value" },
  userData: USER_DATA,
};

export const examples: ValidExample[] = [
  {
    resource: "VirtualServer",
    title:
      "Create Virtual Server request (lock → locked, security_groups → securityGroupIds, volumes [] → no bootVolume)",
    inputs: base,
    ref: "reference L2127–L2151",
  },
  {
    resource: "VirtualServer",
    title: "Create Virtual Server with only its subnet",
    inputs: { ...withChanges(base, {}), networks: [{ subnetId: network.subnetId }] },
    ref: "reference L2139",
  },
  {
    resource: "VirtualServer",
    title: "Create Virtual Server with a boot volume like the launch configuration's",
    inputs: { ...base, bootVolume: { size: 104, type: "SSD", deleteOnTermination: true } },
    ref: "reference L1446–L1448",
  },
];

const withNetwork = (changes: Record<string, unknown>) => ({ ...base, networks: [{ ...network, ...changes }] });

export const cases: BadInputCase[] = [
  ...misspellingCases("VirtualServer", base, [
    ["imageID", "imageId", "reference L2128"],
    ["image_id", "imageId", "reference L2128"],
    ["server_type_id", "serverTypeId", "reference L2147"],
    ["keypair_name", "keypairName", "reference L2129"],
    ["security_groups", "securityGroupIds", "reference L2145"],
    ["securityGroups", "securityGroupIds", "reference L2145"],
    ["server_group_id", "serverGroupId", "reference L2146"],
    ["partition_number", "partitionNumber", "reference L2142"],
    ["user_data", "userData", "reference L2149"],
    ["product_category", "productCategory", "reference L2143"],
    ["product_offering", "productOffering", "reference L2144"],
    ["lock", "locked", "reference L2130"],
    ["Networks", "networks", "reference L2134"],
  ]),
  ...(
    [
      ["fixed_ip", "fixedIp", "reference L2136"],
      ["fixedIP", "fixedIp", "reference L2136"],
      ["port_id", "portId", "reference L2137"],
      ["public_ip_id", "publicIpId", "reference L2138"],
      ["subnet_id", "subnetId", "reference L2139"],
      ["subnetid", "subnetId", "reference L2139"],
    ] as const
  ).map(([typed, meant, ref]) => {
    const nic: Record<string, unknown> = { ...network, [typed]: network[meant] };
    if (meant !== "subnetId") delete nic[meant];
    return {
      resource: "VirtualServer" as const,
      inputs: { ...base, networks: [nic] },
      property: `networks[0].${typed}`,
      reason: new RegExp(`unknown property; did you mean "${meant}"\\?`),
      ref,
    };
  }),
  {
    resource: "VirtualServer",
    inputs: { ...base, bootVolume: { size: 104, volume_type: "SSD" } },
    property: "bootVolume.volume_type",
    reason: /unknown property; did you mean "type"\?/,
    ref: "reference L1448",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, bootVolume: { size: 104, delete_on_termination: true } },
    property: "bootVolume.delete_on_termination",
    reason: /unknown property; did you mean "deleteOnTermination"\?/,
    ref: "reference L270",
  },
  ...missingCases("VirtualServer", base, [
    ["name", "reference L2133"],
    ["imageId", "reference L2128"],
    ["serverTypeId", "reference L2147"],
    ["networks", "reference L2134"],
  ]),
  {
    resource: "VirtualServer",
    inputs: withNetwork({ subnetId: undefined }),
    property: "networks[0].subnetId",
    reason: /subnetId is required/,
    ref: "reference L2139",
  },
  ...wrongTypeCases("VirtualServer", base, [
    ["imageId", 70, /imageId must be a string; got the number 70/, "reference L2128"],
    ["serverTypeId", true, /serverTypeId must be a string; got the boolean true/, "reference L2147"],
    ["networks", network, /networks must be a list of networks; got an object/, "reference L2134"],
    [
      "securityGroupIds",
      "c09c3f05-03d9-443f-b27a-40e0f973c75f",
      /securityGroupIds must be a list of ids; got the string/,
      "reference L2145",
    ],
    ["partitionNumber", "1", /partitionNumber must be a number; got the string "1"/, "reference L2142"],
    ["locked", "false", /locked must be true or false; got the string "false"/, "reference L2130"],
    ["userData", 1, /userData must be a string; got the number 1/, "reference L2149"],
    [
      "productCategory",
      "Compute",
      /productCategory must be compute or container; got the string "Compute"/,
      "reference L6200",
    ],
    [
      "productOffering",
      "vm",
      /productOffering must be one of virtual_server, gpu_server, k8s_vm, k8s_gpu_vm; got the string "vm"/,
      "reference L6201",
    ],
    ["powerState", "PAUSED", /powerState must be ACTIVE or SHUTOFF; got the string "PAUSED"/, "reference L9256"],
  ]),
  {
    resource: "VirtualServer",
    inputs: { ...base, bootVolume: { size: "100" } },
    property: "bootVolume.size",
    reason: /size must be a number \(GB\); got the string "100"/,
    ref: "reference L1447",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, bootVolume: { size: 0 } },
    property: "bootVolume.size",
    reason: /size must be at least 1 GB; got 0/,
    ref: "reference L1447",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, bootVolume: { size: 20_000 } },
    property: "bootVolume.size",
    reason: /size must be at most 16384 GB/,
    ref: "reference L1447",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, bootVolume: { size: 10.5 } },
    property: "bootVolume.size",
    reason: /size must be a whole number \(GB\); got the number 10\.5/,
    ref: "reference L1447",
  },
  ...(["300.1.1.1", "192.169.3", "fe80::1", "192.169.3.2/24", ""] as const).map((fixedIp) => ({
    resource: "VirtualServer" as const,
    inputs: withNetwork({ fixedIp }),
    property: "networks[0].fixedIp",
    reason: /fixedIp must be an IPv4 address; got the string/,
    ref: "reference L2136",
  })),
  {
    resource: "VirtualServer",
    inputs: withNetwork({ fixedIp: 192 }),
    property: "networks[0].fixedIp",
    reason: /fixedIp must be an IPv4 address; got the number 192/,
    ref: "reference L2136",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, networks: [] },
    property: "networks",
    reason: /at least one network is required/,
    ref: "reference L2134–L2141",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, networks: [network, { ...network, fixedIp: "192.169.3.3" }] },
    property: "networks[1]",
    reason: /networks must not repeat: port "91424c08-0b26-49fb-9808-ed042292ceef" is also at \[0\]/,
    ref: "reference L2137",
  },
  {
    resource: "VirtualServer",
    inputs: {
      ...base,
      securityGroupIds: ["c09c3f05-03d9-443f-b27a-40e0f973c75f", "c09c3f05-03d9-443f-b27a-40e0f973c75f"],
    },
    property: "securityGroupIds[1]",
    reason: /securityGroupIds must not repeat: "c09c3f05-03d9-443f-b27a-40e0f973c75f" is also at \[0\]/,
    ref: "reference L2145",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, securityGroupIds: ["sg-1", "sg-2", "sg-1"] },
    property: "securityGroupIds[2]",
    reason: /securityGroupIds must not repeat/,
    ref: "reference L2145",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, metadata: { a: 1 } },
    property: "metadata.a",
    reason: /metadata\.a must be a string; got the number 1/,
    ref: "reference L2132",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, partitionNumber: -1 },
    property: "partitionNumber",
    reason: /partitionNumber must be at least 0; got -1/,
    ref: "reference L2142",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, userData: "x".repeat(65_536) },
    property: "userData",
    reason: /userData is at most 64 KiB/,
    ref: "reference L2149",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, keypairName: "" },
    property: "keypairName",
    reason: /must not be empty/,
    ref: "reference L2129",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, keypairName: "../admin" },
    property: "keypairName",
    reason: /slashes/,
    ref: "reference L2129, L7785",
  },
  {
    resource: "VirtualServer",
    inputs: { ...base, name: "web/1" },
    property: "name",
    reason: /server name must not contain slashes/,
    ref: "reference L2133",
  },
  ...pathBreakerCases("VirtualServer", base, "imageId", "reference L2128, L7577"),
  ...pathBreakerCases("VirtualServer", base, "serverTypeId", "reference L2147, L8391"),
  ...pathBreakerCases("VirtualServer", base, "serverGroupId", "reference L2146, L7979"),
  ...PATH_BREAKERS.map(({ value, reason }) => ({
    resource: "VirtualServer" as const,
    inputs: withNetwork({ subnetId: value }),
    property: "networks[0].subnetId",
    reason,
    ref: "reference L2139",
  })),
  ...PATH_BREAKERS.slice(0, 2).map(({ value, reason }) => ({
    resource: "VirtualServer" as const,
    inputs: withNetwork({ portId: value }),
    property: "networks[0].portId",
    reason,
    ref: "reference L2137",
  })),
  ...PATH_BREAKERS.slice(0, 2).map(({ value, reason }) => ({
    resource: "VirtualServer" as const,
    inputs: { ...base, securityGroupIds: [value] },
    property: "securityGroupIds[0]",
    reason,
    ref: "reference L2145",
  })),
];
