/**
 * Prints the size of the provider each resource serializes into state, and checks that no credential
 * string occurs in it, with credentials present in every place the provider could pick them up from.
 *
 *   npm run provider-size
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { setStackConfig } from "../provider/settings";
import { thinProvider, implementationPath } from "../provider/thin-provider";

// The same call dynamic.Resource makes (runtime/closure/serializeClosure), loaded the same way.
const { serializeFunction } = require("@pulumi/pulumi/runtime/closure/serializeClosure") as {
  serializeFunction(fn: () => unknown, options: { allowSecrets: boolean }): Promise<{ text: string }>;
};

// Every resource module of the package (one file per resource).
const RESOURCES = readdirSync(join(__dirname, "..", "resources"))
  .filter((f) => f.endsWith(".js"))
  .map((f) => f.replace(/\.js$/, ""))
  .sort();
const CREDENTIALS = { accessKey: "AKIA-size-check-access-key", secretKey: "size-check-secret-key-9f3b" };

async function main(): Promise<void> {
  process.env.SCP_ACCESS_KEY = CREDENTIALS.accessKey;
  process.env.SCP_SECRET_KEY = CREDENTIALS.secretKey;
  setStackConfig({ "scp:accessKey": CREDENTIALS.accessKey, "scp:secretKey": CREDENTIALS.secretKey });
  let failed = false;
  console.log("resource                    bytes  credential found");
  for (const resource of RESOURCES) {
    // Load the implementation first, so that anything it keeps in module state exists when serializing.
    require(`../resources/${resource}`);
    const provider = thinProvider(implementationPath(resource));
    const { text } = await serializeFunction(() => provider, { allowSecrets: true });
    const leaked = Object.values(CREDENTIALS).some((c) => text.includes(c));
    failed ||= leaked;
    console.log(`${resource.padEnd(26)} ${String(Buffer.byteLength(text)).padStart(6)}  ${leaked ? "YES" : "no"}`);
  }
  if (failed) process.exitCode = 1;
}

void main();
