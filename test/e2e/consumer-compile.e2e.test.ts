/**
 * The packed package compiles in a user's project: a `pulumi new typescript` project (strict, CommonJS,
 * `moduleResolution: node`, no `skipLibCheck`, no `esModuleInterop`) with the tarball installed, whose
 * index.ts uses the resource classes, lookups, types and errors, and names every value the package exports
 * at run time (so none lacks a declaration). `tsc` checks every declaration file the package ships.
 * Every property of every exported `…Args` carries its doc comment in the shipped `.d.ts` (the sources
 * declare it once, in each resource's `properties`; the build spells the type out with the docs).
 * Needs `npm run build` first (the tarball packs dist/).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { type ConsumerProject, consumerProject, packPackage } from "../support/consumer-project";

/** A program as a user writes it, each export used the way its documentation shows. */
const PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import * as scp from "pulumi-scp-virtualserver";

const config = new pulumi.Config();
const subnetId = config.require("subnetId");
const onCallUserId = config.require("onCallUserId");
const timeouts: scp.Timeouts = { create: "30m", update: "30m", delete: "10m" };

const image = scp.getImageOutput({ osDistro: "ubuntu", mostRecent: true });
const serverType = scp.getServerTypeOutput({ minVcpus: 2, minRamGb: 4 });

const keyArgs: scp.KeypairArgs = { name: "deploy" };
const key = new scp.Keypair("deploy", keyArgs);
const group = new scp.ServerGroup("web", { name: "web", policy: "anti-affinity" } satisfies scp.ServerGroupArgs);
const network: scp.NetworkArgs = { subnetId };
const serverArgs: scp.VirtualServerArgs = {
  name: "web-1",
  imageId: image.id,
  serverTypeId: serverType.id,
  keypairName: key.name,
  serverGroupId: group.id,
  networks: [network],
  bootVolume: { size: 50 },
  powerState: "ACTIVE",
  userData: "#!/bin/sh\\necho hello\\n",
  timeouts,
};
const server = new scp.VirtualServer("web-1", serverArgs, { dependsOn: [key] });
const volumeArgs: scp.VolumeArgs = { name: "web-1-data", size: 100, timeouts };
const volume = new scp.Volume("data", volumeArgs, { protect: true });
const attachmentArgs: scp.VolumeAttachmentArgs = { volumeId: volume.id, serverId: server.id };
const attachment = new scp.VolumeAttachment("data", attachmentArgs);
const snapshotArgs: scp.SnapshotArgs = { volumeId: volume.id, name: "web-1-data-nightly" };
const snapshot = new scp.Snapshot("nightly", snapshotArgs, { dependsOn: [attachment] });
const templateArgs: scp.LaunchConfigurationArgs = {
  name: "web-v1",
  imageId: image.id,
  serverTypeId: serverType.id,
  keypairName: key.name,
};
const template = new scp.LaunchConfiguration("web", templateArgs);
const tierArgs: scp.AutoScalingGroupArgs = {
  name: "web-tier",
  launchConfigurationId: template.id,
  minServerCount: 2,
  maxServerCount: 10,
  subnetIds: [subnetId],
};
const tier = new scp.AutoScalingGroup("web", tierArgs);
const policyArgs: scp.AutoScalingPolicyArgs = {
  autoScalingGroupId: tier.id,
  name: "cpu-high",
  metricType: "CPU",
  metricMethod: "AVG",
  comparisonOperator: "ge",
  threshold: 70,
  evaluationMinutes: 5,
  scaleType: "SCALE_OUT",
  scaleMethod: "AMOUNT",
  scaleValue: 1,
  cooldownSeconds: 300,
};
new scp.AutoScalingPolicy("cpu-high", policyArgs);
const scheduleArgs: scp.AutoScalingScheduleArgs = {
  autoScalingGroupId: tier.id,
  name: "mornings",
  frequency: "WEEKLY",
  daysOfWeek: ["MO", "TU", "WE", "TH", "FR"],
  hour: 8,
  minute: 30,
};
new scp.AutoScalingSchedule("mornings", scheduleArgs);
const notificationArgs: scp.AutoScalingNotificationArgs = {
  autoScalingGroupId: tier.id,
  userId: onCallUserId,
  events: ["SCALE_OUT_FAIL"],
};
new scp.AutoScalingNotification("on-call", notificationArgs);

// Outputs, typed (declaration: true also makes tsc write these types into bin/index.d.ts).
export const fingerprint: pulumi.Output<string> = key.fingerprint;
export const privateKey = key.privateKey;
export const serverId: pulumi.Output<string> = server.id;
export const volumeSize: pulumi.Output<number> = volume.size;
export const snapshotUrn: pulumi.Output<string> = snapshot.urn;
export const imageName = image.name;
export { key, server, tier };

// A read-only reference to an existing object.
const shared = scp.Volume.get("shared", "3f500f00-ed80-4566-a057-e31760226f9a");
export const sharedSize: pulumi.Output<number> = shared.size;

/** The promise form of the lookups, e.g. in a helper outside the resource graph. */
export async function describeImage(): Promise<string> {
  const found = await scp.getImage({ osDistro: "ubuntu", mostRecent: true });
  return \`\${found.id} \${found.name}\`;
}

/** The package's errors, as a program's catch block tells them apart. */
export function explain(error: unknown): string {
  if (error instanceof scp.ScpApiError) {
    return \`\${error.operation}: \${error.status} \${error.detail} (\${error.requestId ?? "no request id"})\`;
  }
  if (error instanceof scp.ScpSettingsError) return error.message;
  if (error instanceof scp.ScpLookupError) return \`\${error.lookup}: \${error.failure}\`;
  if (error instanceof scp.WaitTimeoutError) return \`\${error.description}: \${error.timeoutMs} ms\`;
  if (error instanceof scp.WaitFailedError) return \`\${error.description}: \${error.state}\`;
  return String(error);
}

export function endpointOf(settings: scp.ScpSettings): string | undefined {
  return settings.endpointOverride;
}
`;

let workDir: string;
let project: ConsumerProject;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "scp-pack-"));
  project = consumerProject(packPackage(workDir));
});

afterAll(() => {
  project?.dispose();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test("a pulumi new typescript project using every export compiles against the packed package", () => {
  const everyExport = project
    .runtimeExports()
    .map((name) => `  scp.${name},`)
    .join("\n");
  project.writeFile("index.ts", `${PROGRAM}\nexport const everyExport = [\n${everyExport}\n];\n`);
  const result = project.compile();
  expect(result.errors).toEqual([]);
  expect(result.exitCode).toBe(0);
});

test("every property of every exported Args is documented in the packed declaration files", () => {
  project.writeFile(
    "index.ts",
    `import * as scp from "pulumi-scp-virtualserver";\nexport type Used = scp.VolumeArgs;\n`,
  );
  const config = ts.getParsedCommandLineOfConfigFile(join(project.dir, "tsconfig.json"), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error("the project's tsconfig.json could not be read");
  const program = ts.createProgram({ rootNames: [join(project.dir, "index.ts")], options: config.options });
  const checker = program.getTypeChecker();
  const resolved = ts.resolveModuleName(
    "pulumi-scp-virtualserver",
    join(project.dir, "index.ts"),
    config.options,
    ts.sys,
  );
  const entryFile = resolved.resolvedModule?.resolvedFileName;
  if (!entryFile?.endsWith(".d.ts")) throw new Error(`the package resolved to ${entryFile ?? "nothing"}`);
  const entry = program.getSourceFile(entryFile);
  const entrySymbol = entry && checker.getSymbolAtLocation(entry);
  if (!entrySymbol) throw new Error(`${entryFile} is not a module`);
  const argsTypes = checker
    .getExportsOfModule(entrySymbol)
    .filter((s) => s.name.endsWith("Args"))
    .map((s) => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s))
    .filter((s) => s.flags & ts.SymbolFlags.Interface);
  const undocumented = argsTypes.flatMap((s) =>
    checker
      .getPropertiesOfType(checker.getDeclaredTypeOfSymbol(s))
      .filter((p) => ts.displayPartsToString(p.getDocumentationComment(checker)).trim() === "")
      .map((p) => `${s.name}.${p.name}`),
  );
  expect(argsTypes.length).toBeGreaterThanOrEqual(17);
  expect(undocumented).toEqual([]);
});
