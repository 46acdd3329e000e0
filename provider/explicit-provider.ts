/**
 * An explicit provider: settings for one account or region, passed to a resource in its args
 * (`{ provider: other }`), for stacks that span accounts and regions.
 *
 * Dynamic-provider resources cannot take a configurable provider resource (pulumi/pulumi#8265), so an
 * `scp.Provider` is not a Pulumi resource: it is a value the Resource classes hand to the provider as the
 * hidden secret input `_scpProvider`. The provider keeps it, still secret, in the resource's outputs, so that
 * refresh and delete use the same account. Its settings replace the stack config `scp:*` for that resource;
 * the environment and `~/.scpconf` still fill what it leaves out, as for the default provider.
 */
import * as pulumi from "@pulumi/pulumi";
import type { SettingKey } from "./settings";

/** The hidden input (and output) that carries an explicit provider's settings, always secret. */
export const PROVIDER_SETTINGS = "_scpProvider";

/** The settings an explicit provider takes; the names and meanings of the stack config `scp:*`. */
export interface ProviderArgs {
  /** Access key of the account (secret). */
  readonly accessKey?: pulumi.Input<string>;
  /** Secret key of the account (secret). */
  readonly secretKey?: pulumi.Input<string>;
  /** Account id, sent with each signed request (`scp:accountId`). */
  readonly accountId?: pulumi.Input<string>;
  /** Region of the resources that use this provider, e.g. `kr-west1`. */
  readonly region?: pulumi.Input<string>;
  /** `s`, `g` or `e`: the environment letter in the endpoint host. */
  readonly environment?: pulumi.Input<string>;
  /** Any base URL: a private endpoint, a proxy, or the local emulator. */
  readonly endpointOverride?: pulumi.Input<string>;
  /** The IAM URL used to discover endpoints when no override or known region applies. */
  readonly authUrl?: pulumi.Input<string>;
  /** Per-operation API version overrides, by operation id. */
  readonly apiVersions?: pulumi.Input<Record<string, string>>;
  /** Retries after the first attempt for retriable failures (429, 5xx, connection errors), 0–20; default 6. */
  readonly maxRetries?: pulumi.Input<number>;
  /** Timeout of one HTTP attempt, in milliseconds (at least 1000); default 60000. */
  readonly requestTimeoutMs?: pulumi.Input<number>;
  /** Upper bound on the time spent retrying one call, waits included, in milliseconds; default 300000. */
  readonly maxRetryElapsedMs?: pulumi.Input<number>;
  /** Process-wide limit on requests in flight; default 8. */
  readonly maxConcurrentRequests?: pulumi.Input<number>;
  /** Whether `pulumi preview` compares what the stack would create with this account's quotas; default true. */
  readonly quotaCheck?: pulumi.Input<boolean>;
}

/**
 * Settings for one SCP account or region, for resources that must not use the stack's default (`scp:*`).
 * Give it in a resource's args; every setting travels as a secret, so no credential reaches the state file
 * or the logs in clear text.
 *
 * ```ts
 * const tokyo = new scp.Provider("tokyo", {
 *   region: "jp-east1",
 *   accessKey: config.requireSecret("tokyoAccessKey"),
 *   secretKey: config.requireSecret("tokyoSecretKey"),
 * });
 * new scp.Volume("dr-data", { size: 100, provider: tokyo });
 * ```
 */
export class Provider {
  /** The settings as the provider host receives them: strings, like the stack config. */
  readonly settings: pulumi.Output<Partial<Record<SettingKey, string>>>;

  constructor(
    /** A name for messages; unlike a resource's, it is not part of any URN. */
    readonly name: string,
    args: ProviderArgs,
  ) {
    this.settings = pulumi.secret(
      pulumi.output(args).apply((given) =>
        Object.fromEntries(
          Object.entries(given)
            .filter(([, value]) => value !== undefined && value !== null)
            .map(([key, value]) => [key, typeof value === "object" ? JSON.stringify(value) : String(value)]),
        ),
      ),
    );
  }
}
