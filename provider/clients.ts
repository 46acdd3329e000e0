/**
 * One ScpClient per distinct set of settings, for the life of the process. Settings are resolved on each
 * call (cheap), so a resource's own `region` or a later `configure` is honoured.
 */
import { createHash } from "node:crypto";
import { ScpClient } from "./http";
import { type SettingsSources, getStackConfig, resolveSettings } from "./settings";

const clients = new Map<string, ScpClient>();

export function clientFor(
  resource: SettingsSources["resource"] = {},
  sources: Omit<SettingsSources, "resource"> = {},
): ScpClient {
  const settings = resolveSettings({ stackConfig: getStackConfig(), ...sources, resource });
  // Keyed by a digest so that no credential is kept as a map key in clear text.
  const key = createHash("sha256").update(JSON.stringify(settings)).digest("hex");
  let client = clients.get(key);
  if (!client) {
    client = new ScpClient(settings);
    clients.set(key, client);
  }
  return client;
}
