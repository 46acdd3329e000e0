import { UsageError, describeSelection, parseImportArguments } from "../../tools/scp-import";
import {
  type Declaration,
  type InputValue,
  KINDS,
  type Kind,
  Link,
  formatSummary,
  objectKey,
  projectFiles,
  pulumiName,
  renderProgram,
  variableName,
} from "../../tools/scp-import-program";

const declaration = (
  kind: Kind,
  id: string,
  name: string,
  inputs: Record<string, InputValue>,
  comments: string[] = [],
): Declaration => ({ kind, importId: id, name, inputs: { name, ...inputs }, comments, key: objectKey(kind, id) });

const server = declaration("servers", "srv-1", "web-1", {
  imageId: "img-1",
  serverTypeId: "s1v1m2",
  keypairName: new Link(objectKey("keypairs", "deploy"), "name", "deploy"),
  networks: [{ subnetId: "subnet-1" }],
});
const volume = declaration("volumes", "vol-1", "web-1-data", { size: 50, volumeType: "SSD" });
const attachment: Declaration = {
  kind: "attachments",
  importId: "srv-1:vol-1",
  name: "web-1-data",
  key: objectKey("attachments", "srv-1:vol-1"),
  comments: [],
  inputs: {
    volumeId: new Link(objectKey("volumes", "vol-1"), "id", "vol-1"),
    serverId: new Link(objectKey("servers", "srv-1"), "id", "srv-1"),
    deleteOnTermination: false,
  },
};
const options = { selection: "every name; kinds: all" };

describe("scp-import: names", () => {
  test("a Pulumi name keeps letters, digits, dots, dashes and underscores of the object's name", () => {
    expect(pulumiName("web 1/data", "volumes")).toBe("web-1-data");
    expect(pulumiName("--", "server-groups")).toBe("server-group");
  });

  test("a variable is the camelCase name with the kind's suffix, not repeated, never starting with a digit", () => {
    expect(variableName("legacy-web", "servers")).toBe("legacyWebServer");
    expect(variableName("deploy-key", "keypairs")).toBe("deployKey");
    expect(variableName("1st-data", "volumes")).toBe("_1stDataVolume");
    expect(variableName("", "snapshots")).toBe("snapshot");
  });

  test("objects of one kind with the same name get distinct Pulumi names and variables", () => {
    const twice = [declaration("volumes", "a", "data", { size: 1 }), declaration("volumes", "b", "data", { size: 2 })];
    const snapshots = ["a", "b"].map((id) =>
      declaration("snapshots", `s-${id}`, "nightly", { volumeId: new Link(objectKey("volumes", id), "id", id) }),
    );
    const text = renderProgram([...twice, ...snapshots], options);
    expect(text).toContain('const dataVolume = new scp.Volume("data", {');
    expect(text).toContain('const dataVolume2 = new scp.Volume("data-2", {');
    expect(text).toContain(
      'new scp.Snapshot("nightly-2", { importId: "s-b", name: "nightly", volumeId: dataVolume2.id });',
    );
  });
});

describe("scp-import: the program", () => {
  test("both ends declared: the attachment refers to the generated server and volume, not to their ids", () => {
    const text = renderProgram([server, volume, attachment], options);
    expect(text).toContain("volumeId: web1DataVolume.id,");
    expect(text).toContain("serverId: web1Server.id,");
    expect(text).toContain('importId: "srv-1:vol-1",');
  });

  test("a relationship whose other end is not declared is written as the live value", () => {
    const text = renderProgram([server], options);
    expect(text).toContain('keypairName: "deploy",');
    expect(text).not.toContain("const web1Server");
  });

  test("each declaration comes after those it refers to, whatever the given order", () => {
    const text = renderProgram([attachment, volume, server], options);
    const at = (what: string) => text.indexOf(what);
    expect(at("new scp.VirtualServer")).toBeLessThan(at("new scp.VolumeAttachment"));
    expect(at("new scp.Volume(")).toBeLessThan(at("new scp.VolumeAttachment"));
  });

  test("only declarations that others refer to are assigned to a variable", () => {
    const text = renderProgram([server, volume, attachment], options);
    expect(text).toMatch(/^const web1Server = new scp\.VirtualServer\("web-1", \{$/m);
    expect(text).toMatch(/^new scp\.VolumeAttachment\("web-1-data", \{$/m);
  });

  test("importId comes first, comments go above their declaration, short arguments stay on one line", () => {
    const group = declaration("server-groups", "g-1", "spread", { policy: "anti-affinity" }, ["why, briefly"]);
    expect(renderProgram([group], options)).toContain(
      '// why, briefly\nnew scp.ServerGroup("spread", { importId: "g-1", name: "spread", policy: "anti-affinity" });\n',
    );
  });

  test("long arguments are laid out one property a line, nested values inline where they fit", () => {
    expect(renderProgram([server], options)).toContain(
      [
        'new scp.VirtualServer("web-1", {',
        '  importId: "srv-1",',
        '  name: "web-1",',
        '  imageId: "img-1",',
        '  serverTypeId: "s1v1m2",',
        '  keypairName: "deploy",',
        '  networks: [{ subnetId: "subnet-1" }],',
        "});",
      ].join("\n"),
    );
  });

  test("--region is one constant given to every resource", () => {
    const text = renderProgram([volume], { ...options, region: "kr-west1" });
    expect(text).toContain('const region = "kr-west1";');
    expect(text).toContain('size: 50, volumeType: "SSD", region });');
  });

  test("the project is laid out as examples/ are, its description quoted for YAML", () => {
    const files = projectFiles([volume], { ...options, project: "legacy", packageVersion: "0.1.0" });
    expect(Object.keys(files).sort()).toEqual(["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]);
    expect(files["Pulumi.yaml"]).toBe(
      'name: legacy\nruntime: nodejs\ndescription: "SCP objects taken under management by scp-import (every name; kinds: all)"\n',
    );
    expect(JSON.parse(files["package.json"] ?? "")).toMatchObject({
      main: "index.ts",
      dependencies: { "pulumi-scp-virtualserver": "^0.1.0" },
    });
    expect(JSON.parse(files["tsconfig.json"] ?? "")).toMatchObject({
      compilerOptions: { strict: true },
      files: ["index.ts"],
    });
  });

  test("the summary counts objects per kind and gives each skipped object with its reason", () => {
    const skipped = [{ kind: "servers" as const, description: 'server "asg-1" (s-9)', reason: "a member of …" }];
    expect(formatSummary([server, volume], skipped, 3, "every name; kinds: all").split("\n")).toEqual([
      "scp-import: 2 objects to import (every name; kinds: all)",
      "  servers                   1   (1 skipped)",
      "  volumes                   1",
      "skipped 1:",
      '  server "asg-1" (s-9): a member of …',
      "3 other objects do not match the selection.",
    ]);
  });
});

describe("scp-import: the command line", () => {
  test("defaults: every kind, no prefix, the project named after the directory", () => {
    const args = parseImportArguments(["--out", "/tmp/legacy estate"]);
    expect({ ...args, kinds: [...args.kinds] }).toEqual({
      out: "/tmp/legacy estate",
      prefix: undefined,
      kinds: [...KINDS],
      region: undefined,
      project: "legacy-estate",
      force: false,
      help: false,
    });
  });

  test("--kinds and --prefix select, and the selection is described in words", () => {
    const args = parseImportArguments(["--out", "x", "--kinds", "servers, volumes", "--prefix", "web-"]);
    expect(describeSelection(args)).toBe('name prefix "web-"; kinds: servers, volumes');
  });

  test.each([
    [["--prefix", "web-"], /--out <dir> is required/],
    [["--out", "x", "--kinds", "servers,disks"], /--kinds: unknown kind "disks"; the kinds are keypairs, /],
    [["--out", "x", "--tag", "team=web"], /--tag: no Virtual Server API operation returns tags or filters by them/],
    [["--out", "x", "--region", ""], /--region must not be empty/],
    [["--out", "x", "--bogus"], /Unknown option '--bogus'/],
  ])("%j is refused, saying why", (argv, message) => {
    expect(() => parseImportArguments(argv)).toThrow(UsageError);
    expect(() => parseImportArguments(argv)).toThrow(message);
  });
});
