#!/usr/bin/env node
/**
 * `scp-emulator`: starts the SCP Virtual Server emulator and prints its base URL.
 *
 *   scp-emulator [--port 0] [--host 127.0.0.1] [--time-scale 1] [--today YYYY-MM-DD]
 *                [--access-key K --secret-key S]
 */
import { parseArgs } from "node:util";
import { DEFAULT_CREDENTIALS } from "./auth";
import { startEmulator } from "./server";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: process.env.SCP_EMULATOR_PORT ?? "0" },
      host: { type: "string", default: "127.0.0.1" },
      "time-scale": { type: "string", default: process.env.SCP_EMULATOR_TIME_SCALE ?? "1" },
      today: { type: "string" },
      "access-key": { type: "string", default: DEFAULT_CREDENTIALS.accessKey },
      "secret-key": { type: "string", default: DEFAULT_CREDENTIALS.secretKey },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "usage: scp-emulator [--port N] [--host H] [--time-scale F] [--today YYYY-MM-DD] [--access-key K --secret-key S]",
    );
    return;
  }
  const emulator = await startEmulator({
    port: Number(values.port),
    host: values.host,
    timeScale: Number(values["time-scale"]),
    ...(values.today ? { today: values.today } : {}),
    credentials: [{ accessKey: values["access-key"] ?? "", secretKey: values["secret-key"] ?? "" }],
  });
  console.log(emulator.url);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
