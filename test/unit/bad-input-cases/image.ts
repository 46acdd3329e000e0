/**
 * Image (Create Image, reference L1100–L1112; Create Virtual Server Custom Image L2239, L2260–L2263; Update
 * Image L10331–L10336; visibilities L5007), ImageMember (Create Image member, L1235, L1257–L1259) and
 * ImageMemberAcceptance (Update Image member, L10455–L10456, L10476–L10479).
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

const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";
const MEMBER_ID = "a8f10467abfc4b87b64614ab36eb9ae4";
const SERVER_ID = "2a9be312-5d4b-4bc8-b2ae-35100fa9241f";
const IMAGE_URL =
  "https://object-store.kr-west1.s.samsungsdscloud.com/8989447062e04a818baf9e073fd04fa7/bucket/object.qcow2";

/** The Create Image request body (L1101–L1112) in camelCase; its Python-literal tags as the program's map. */
const fromUrl = {
  containerFormat: "bare",
  diskFormat: "qcow2",
  minDisk: 100,
  minRam: 0,
  name: "imagename",
  osDistro: "alma",
  protected: false,
  tags: { key: "value" },
  url: IMAGE_URL,
  visibility: "private",
};
/** Create Virtual Server Custom Image: the server in the path (L2239), the name in the body (L2262). */
const fromServer = { name: "imagename", serverId: SERVER_ID };
const member = { imageId: IMAGE_ID, memberId: MEMBER_ID };
const acceptance = { imageId: IMAGE_ID, memberId: MEMBER_ID, status: "accepted" };

export const examples: ValidExample[] = [
  { resource: "Image", title: "Create Image request", inputs: fromUrl, ref: "reference L1100–L1112" },
  {
    resource: "Image",
    title: "Create Virtual Server Custom Image request",
    inputs: fromServer,
    ref: "reference L2239, L2260–L2263",
  },
  {
    resource: "Image",
    title: "image of a server with the Update Image settings",
    inputs: { ...fromServer, minDisk: 100, minRam: 0, protected: false, visibility: "private" },
    ref: "reference L2262, L10331–L10336",
  },
  {
    resource: "Image",
    title: "Create Image request, shared",
    inputs: { ...fromUrl, visibility: "shared" },
    ref: "reference L1111, L5007",
  },
  { resource: "ImageMember", title: "Create Image member request", inputs: member, ref: "reference L1235, L1258" },
  {
    resource: "ImageMemberAcceptance",
    title: "Update Image member, accepted",
    inputs: acceptance,
    ref: "reference L10455–L10456, L10478",
  },
  {
    resource: "ImageMemberAcceptance",
    title: "Update Image member, rejected",
    inputs: { ...acceptance, status: "rejected" },
    ref: "reference L10455–L10456, L10478",
  },
];

const imageCases: BadInputCase[] = [
  ...misspellingCases("Image", fromUrl, [
    ["container_format", "containerFormat", "reference L1102"],
    ["disk_format", "diskFormat", "reference L1103"],
    ["diskformat", "diskFormat", "reference L1103"],
    ["min_disk", "minDisk", "reference L1104"],
    ["MinDisk", "minDisk", "reference L1104"],
    ["min_ram", "minRam", "reference L1105"],
    ["os_distro", "osDistro", "reference L1107"],
    ["osdistro", "osDistro", "reference L1107"],
    ["protect", "protected", "reference L1108"],
    ["URL", "url", "reference L1110"],
    ["visiblity", "visibility", "reference L1111"],
  ]),
  ...misspellingCases("Image", fromServer, [
    ["server_id", "serverId", "reference L2239"],
    ["serverID", "serverId", "reference L2239"],
    ["image_name", "name", "reference L2262"],
  ]),
  ...missingCases("Image", fromUrl, [["name", "reference L1106"]]),
  ...missingCases("Image", fromServer, [["name", "reference L2262"]]),
  {
    resource: "Image",
    inputs: withChanges(fromUrl, { url: undefined }),
    property: "url",
    reason: /url \(the image file to import\) or serverId \(the server to image\) is required/,
    ref: "reference L1110, L2239",
  },
  {
    resource: "Image",
    inputs: { ...fromUrl, serverId: SERVER_ID },
    property: "serverId",
    reason: /serverId cannot be combined with url/,
    ref: "reference L1110, L2262",
  },
  // The server-image create takes a name only (L2262): what only Create Image takes is refused beside serverId.
  ...(
    [
      ["osDistro", "alma"],
      ["containerFormat", "bare"],
      ["diskFormat", "qcow2"],
      ["tags", { key: "value" }],
    ] as const
  ).map(([property, value]) => ({
    resource: "Image" as const,
    inputs: { ...fromServer, [property]: value },
    property,
    reason: new RegExp(`${property} cannot be set for an image of a server`),
    ref: "reference L2260–L2263",
  })),
  ...wrongTypeCases("Image", fromUrl, [
    ["name", 7, /image name must be a string; got the number 7/, "reference L1106"],
    ["url", 7, /url must be a string; got the number 7/, "reference L1110"],
    ["minDisk", "100", /minDisk must be a number \(GB\); got the string "100"/, "reference L1104"],
    ["minDisk", null, /minDisk must be a number \(GB\); got null/, "reference L1104"],
    ["minRam", "0", /minRam must be a number; got the string "0"/, "reference L1105"],
    ["protected", "false", /protected must be true or false; got the string "false"/, "reference L1108"],
    ["protected", 0, /protected must be true or false; got the number 0/, "reference L1108"],
    ["osDistro", 1, /osDistro must be a string; got the number 1/, "reference L1107"],
    ["containerFormat", ["bare"], /containerFormat must be a string; got a list/, "reference L1102"],
    [
      "visibility",
      1,
      /visibility must be one of private, shared, community, public; got the number 1/,
      "reference L5007",
    ],
    // The API's JSON writes tags as a Python literal (L1109); the program takes a map.
    [
      "tags",
      "[{'key': 'key', 'value': 'value'}]",
      /tags must be an object of key → value strings; got the string/,
      "reference L1109",
    ],
  ]),
  ...wrongTypeCases("Image", fromServer, [
    ["serverId", 7, /serverId must be a string; got the number 7/, "reference L2239"],
    ["serverId", { id: SERVER_ID }, /serverId must be a string; got an object/, "reference L2239"],
  ]),
  ...(
    [
      ["ftp://example.com/object.qcow2", "reference L1110"],
      ["file:///tmp/object.qcow2", "reference L1110"],
      ["object.qcow2", "reference L1110"],
      ["", "reference L1110"],
    ] as const
  ).map(([url, ref]) => ({
    resource: "Image" as const,
    inputs: withChanges(fromUrl, { url }),
    property: "url",
    reason: /url must be the http\(s\) URL of the image file/,
    ref,
  })),
  ...(
    [
      ["everyone", /visibility must be one of private, shared, community, public; got the string "everyone"/],
      ["Private", /visibility must be one of private, shared, community, public; got the string "Private"/],
      ["", /visibility must be one of private, shared, community, public; got the string ""/],
    ] as const
  ).map(([visibility, reason]) => ({
    resource: "Image" as const,
    inputs: withChanges(fromUrl, { visibility }),
    property: "visibility",
    reason,
    ref: "reference L5007",
  })),
  ...(
    [
      ["minDisk", -1, /minDisk must be at least 0 GB; got -1/, "reference L1104, L10332"],
      ["minDisk", 1.5, /minDisk must be a whole number \(GB\); got the number 1\.5/, "reference L1104"],
      // The disk an image needs is a volume, at most 16384 GB (Volume's size, L2409).
      ["minDisk", 16_385, /minDisk must be at most 16384 GB; got 16385/, "reference L1104, L2409"],
      ["minRam", -1, /minRam must be at least 0; got -1/, "reference L1105, L10333"],
      ["minRam", 0.5, /minRam must be a whole number; got the number 0\.5/, "reference L1105"],
    ] as const
  ).map(([property, value, reason, ref]) => ({
    resource: "Image" as const,
    inputs: withChanges(fromUrl, { [property]: value }),
    property,
    reason,
    ref,
  })),
  ...(
    [
      ["name", /image name must not be empty/, "reference L1106"],
      ["containerFormat", /containerFormat must not be empty/, "reference L1102"],
      ["diskFormat", /diskFormat must not be empty/, "reference L1103"],
      ["osDistro", /osDistro must not be empty/, "reference L1107"],
    ] as const
  ).map(([property, reason, ref]) => ({
    resource: "Image" as const,
    inputs: withChanges(fromUrl, { [property]: "" }),
    property,
    reason,
    ref,
  })),
  {
    resource: "Image",
    inputs: withChanges(fromServer, { serverId: "" }),
    property: "serverId",
    reason: /serverId must not be empty/,
    ref: "reference L2239",
  },
  ...pathBreakerCases("Image", fromServer, "serverId", "reference L2239"),
];

const memberCases: BadInputCase[] = [
  ...misspellingCases("ImageMember", member, [
    ["image_id", "imageId", "reference L1235"],
    ["imageID", "imageId", "reference L1235"],
    ["member_id", "memberId", "reference L1258"],
    ["memberID", "memberId", "reference L1258"],
  ]),
  ...missingCases("ImageMember", member, [
    ["imageId", "reference L1235"],
    ["memberId", "reference L1258"],
  ]),
  ...wrongTypeCases("ImageMember", member, [
    ["imageId", 7, /imageId must be a string; got the number 7/, "reference L1235"],
    ["memberId", [MEMBER_ID], /memberId must be a string; got a list/, "reference L1258"],
  ]),
  // The member's id is `imageId:memberId`: a ":" in either would make it ambiguous.
  ...(["imageId", "memberId"] as const).map((property) => ({
    resource: "ImageMember" as const,
    inputs: withChanges(member, { [property]: "a:b" }),
    property,
    reason: new RegExp(`${property} must not contain ":"; got "a:b"`),
    ref: property === "imageId" ? "reference L1235" : "reference L1258, L7707",
  })),
  ...(["imageId", "memberId"] as const).map((property) => ({
    resource: "ImageMember" as const,
    inputs: withChanges(member, { [property]: "" }),
    property,
    reason: new RegExp(`${property} must not be empty`),
    ref: property === "imageId" ? "reference L1235" : "reference L1258",
  })),
  // The status is the receiving account's to set (ImageMemberAcceptance), not the owner's.
  {
    resource: "ImageMember",
    inputs: { ...member, status: "accepted" },
    property: "status",
    reason: /unknown property/,
    ref: "reference L1258, L10478",
  },
  ...pathBreakerCases("ImageMember", member, "imageId", "reference L1235"),
  ...pathBreakerCases("ImageMember", member, "memberId", "reference L1258, L7707"),
];

const acceptanceCases: BadInputCase[] = [
  ...misspellingCases("ImageMemberAcceptance", acceptance, [
    ["image_id", "imageId", "reference L10455"],
    ["member_id", "memberId", "reference L10456"],
    ["memberID", "memberId", "reference L10456"],
    ["Status", "status", "reference L10478"],
  ]),
  ...missingCases("ImageMemberAcceptance", acceptance, [
    ["imageId", "reference L10455"],
    ["memberId", "reference L10456"],
  ]),
  {
    resource: "ImageMemberAcceptance",
    inputs: withChanges(acceptance, { status: undefined }),
    property: "status",
    reason: /status is required \(accepted or rejected\)/,
    ref: "reference L10478",
  },
  ...(
    [
      ["maybe", /status must be accepted or rejected; got the string "maybe"/],
      ["Accepted", /status must be accepted or rejected; got the string "Accepted"/],
      // The undecided status a new member starts in (L1266): setting it decides nothing.
      ["pending", /status must be accepted or rejected; got the string "pending"/],
      [true, /status must be accepted or rejected; got the boolean true/],
    ] as const
  ).map(([status, reason]) => ({
    resource: "ImageMemberAcceptance" as const,
    inputs: withChanges(acceptance, { status }),
    property: "status",
    reason,
    ref: "reference L1266, L10478",
  })),
  ...wrongTypeCases("ImageMemberAcceptance", acceptance, [
    ["imageId", 7, /imageId must be a string; got the number 7/, "reference L10455"],
    ["memberId", null, /memberId must be a string; got null/, "reference L10456"],
  ]),
  ...(["imageId", "memberId"] as const).map((property) => ({
    resource: "ImageMemberAcceptance" as const,
    inputs: withChanges(acceptance, { [property]: "a:b" }),
    property,
    reason: new RegExp(`${property} must not contain ":"; got "a:b"`),
    ref: property === "imageId" ? "reference L10455" : "reference L10456",
  })),
  ...pathBreakerCases("ImageMemberAcceptance", acceptance, "imageId", "reference L10455"),
  ...pathBreakerCases("ImageMemberAcceptance", acceptance, "memberId", "reference L10456"),
];

export const cases: BadInputCase[] = [...imageCases, ...memberCases, ...acceptanceCases];
