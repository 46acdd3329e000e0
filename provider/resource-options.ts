/**
 * Program-side helpers for the Resource classes: options every resource gets, and a guard that keeps
 * credentials out of the state file.
 *
 * The engine records the whole stack config as inputs of the default dynamic provider in the state
 * file; secret config is stored encrypted there, plain config in clear text. So credentials set as plain
 * stack config are refused before anything is written.
 */
import * as pulumi from "@pulumi/pulumi";

const CREDENTIAL_KEYS = ["scp:accessKey", "scp:secretKey"];
let guarded = false;

/** Fails when a credential is set in the stack config without `--secret`. */
export function assertCredentialsAreSecret(
  config: Record<string, string> = pulumi.runtime.allConfig(),
  secretKeysJson: string | undefined = process.env.PULUMI_CONFIG_SECRET_KEYS,
): void {
  let secretKeys: unknown;
  try {
    secretKeys = JSON.parse(secretKeysJson ?? "null");
  } catch {
    return;
  }
  if (!Array.isArray(secretKeys)) return; // not told which keys are secret: nothing to judge by
  const plain = CREDENTIAL_KEYS.filter((key) => key in config && !secretKeys.includes(key));
  if (plain.length > 0) {
    throw new Error(
      `${plain.join(" and ")} ${plain.length > 1 ? "are" : "is"} set in plain text in the stack config and would be written ` +
        `unencrypted into the state file. Set ${plain.length > 1 ? "them" : "it"} as secret: ` +
        plain.map((k) => `pulumi config set --secret ${k} <value>`).join("; "),
    );
  }
}

/**
 * The engine's `import` option cannot reach a dynamic provider: it sends the read no provider (pulumi/pulumi
 * #16175), and the provider host fails with a TypeError. Say so, and what works, before anything runs.
 */
export function assertNoImportOption(opts: pulumi.CustomResourceOptions | undefined): void {
  if (opts?.import === undefined) return;
  throw new Error(
    `the "import" resource option (import: ${JSON.stringify(opts.import)}) cannot take an object under management ` +
      "for dynamic-provider resources such as this package's: the Pulumi engine sends their read no provider " +
      "(pulumi/pulumi#16175). Use { id: " +
      JSON.stringify(opts.import) +
      " } or <Class>.get(name, id) for a read-only reference to the existing object, or importId: " +
      JSON.stringify(opts.import) +
      " in the resource's arguments to take it under management.",
  );
}

/** Options for a resource of this package: the caller's, plus outputs that must be secret. */
export function resourceOptions(
  opts: pulumi.CustomResourceOptions | undefined,
  secretOutputs: string[] = [],
): pulumi.CustomResourceOptions {
  if (!guarded) {
    assertCredentialsAreSecret();
    guarded = true;
  }
  assertNoImportOption(opts);
  return secretOutputs.length > 0
    ? pulumi.mergeOptions(opts, { additionalSecretOutputs: secretOutputs })
    : (opts ?? {});
}
