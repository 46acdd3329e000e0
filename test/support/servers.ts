/** Creates an ACTIVE server directly through the API, for tests that need one to exist. */
import type { RunningEmulator } from "../../emulator";
import { clientFor } from "./emulator";

export const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";

export async function createEmulatorServer(emulator: RunningEmulator, name = "helper"): Promise<string> {
  const client = clientFor(emulator);
  const created = await client.call<{ servers: { id: string }[] }>("createVirtualServer", {
    body: { name, image_id: IMAGE_ID, server_type_id: "s1v1m2", networks: [{ subnet_id: "subnet-1" }] },
  });
  const id = created.body.servers[0]?.id ?? "";
  for (let i = 0; i < 400; i++) {
    const shown = await client.call<{ state: string }>("showVirtualServer", { path: { server_id: id } });
    if (shown.body.state === "ACTIVE") return id;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`server ${id} never became ACTIVE`);
}
