/**
 * The emulator under load, in its own process (as `scp-emulator` runs), driven by this process:
 * requests per second it sustains with the default settings for signed GETs and creates, and its memory
 * with 10,000 objects.
 *
 *   npm run bench:emulator [-- --seconds 10 --concurrency 32 --objects 10000]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ScpClient } from "../provider/http";
import { resolveSettings } from "../provider/settings";

async function startEmulatorProcess(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(__dirname, "..", "emulator", "cli.js"), "--port", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  return { url: chunk.toString().trim(), stop: () => child.kill() };
}

async function health(url: string): Promise<{ objects: number; memory: NodeJS.MemoryUsage }> {
  return (await (await fetch(`${url}/_emulator/health`)).json()) as { objects: number; memory: NodeJS.MemoryUsage };
}

async function load(seconds: number, concurrency: number, request: (i: number) => Promise<unknown>): Promise<number> {
  const deadline = Date.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) {
        await request(done);
        done++;
      }
    }),
  );
  return done / seconds;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "10" },
      concurrency: { type: "string", default: "32" },
      objects: { type: "string", default: "10000" },
    },
  });
  const seconds = Number(values.seconds);
  const concurrency = Number(values.concurrency);
  const emulator = await startEmulatorProcess();
  const client = new ScpClient(
    resolveSettings({
      env: {
        SCP_ACCESS_KEY: "emulator-access-key",
        SCP_SECRET_KEY: "emulator-secret-key",
        SCP_ENDPOINT_OVERRIDE: emulator.url,
        SCP_MAX_CONCURRENT_REQUESTS: String(concurrency),
        SCP_MAX_RETRIES: "0",
      },
      homeDir: "/nonexistent",
    }),
  );
  try {
    const idle = await health(emulator.url);
    const publicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1hZGUgZm9yIGJlbmNobWFya3Mgb25seSAtIG5vdCByZWFs bench";
    await client.call("createKeypair", { body: { name: "bench-read", public_key: publicKey } });

    const showRps = await load(seconds, concurrency, () =>
      client.call("showKeypair", { path: { keypair_name: "bench-read" } }),
    );
    // Fill to the requested number of objects with a mix of volumes and keypairs.
    const target = Number(values.objects);
    let have = (await health(emulator.url)).objects;
    let n = 0;
    while (have < target) {
      const batch = Math.min(concurrency, target - have);
      await Promise.all(
        Array.from({ length: batch }, () => {
          n++;
          return n % 2 === 0
            ? client.call("createVolume", { body: { name: `fill-${n}`, size: 10 } })
            : client.call("createKeypair", { body: { name: `fill-${n}`, public_key: publicKey } });
        }),
      );
      have += batch;
    }
    const full = await health(emulator.url);
    const listRps = await load(Math.min(seconds, 5), 4, () => client.call("listVolumes", { query: { limit: 20 } }));
    // Creates last, so that the memory figure is taken at exactly the requested number of objects.
    const createRps = await load(seconds, concurrency, (i) =>
      client.call("createVolume", { body: { name: `load-${i}-${Math.random()}`, size: 10 } }),
    );

    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      `emulator benchmark (one emulator process, ${concurrency} concurrent signed requests, ${seconds} s each)`,
    );
    console.log(`  showKeypair            ${showRps.toFixed(0)} requests/s`);
    console.log(`  createVolume           ${createRps.toFixed(0)} requests/s`);
    console.log(`  listVolumes (limit 20, ${full.objects} objects, 4 concurrent) ${listRps.toFixed(0)} requests/s`);
    console.log(`  memory idle            rss ${mb(idle.memory.rss)} MiB, heap used ${mb(idle.memory.heapUsed)} MiB`);
    console.log(
      `  memory ${full.objects} objects  rss ${mb(full.memory.rss)} MiB, heap used ${mb(full.memory.heapUsed)} MiB`,
    );
  } finally {
    emulator.stop();
  }
}

void main();
