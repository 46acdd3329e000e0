/**
 * Pulumi resources for the Samsung Cloud Platform (SCP) Virtual Server API.
 *
 * Resources are dynamic-provider resources: their implementation is loaded from this installed package
 * in the provider process, configured from the stack config `scp:*`, the environment or `~/.scpconf`.
 */
export { Keypair } from "./resources/keypair";
export type { KeypairArgs } from "./resources/keypair";
export { ScpApiError, ScpSettingsError } from "./provider/errors";
export type { ScpSettings } from "./provider/settings";
export { WaitFailedError, WaitTimeoutError } from "./provider/waiter";
