// Concurrent runs through the real engine against one emulator (issue 16 item 3): two `pulumi up` on one
// stack (file backend) — the second is refused by the backend's lock and the state is not interleaved; two
// stacks in parallel on one account — both converge and neither touches the other's objects (by the ids in
// their states, the provider's debug log of each and the emulator's request log); a `destroy` racing
// out-of-band deletes ends clean. The S3 backend's lock is shown by team-state.e2e.test.ts.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { LocalWorkspace, PulumiCommand, type UpResult } from "@pulumi/pulumi/automation";
import { pulumiBin } from "../../demo/pulumi-cli";
import { type RunningEmulator, startEmulator } from "../../emulator";
import {
  REPO,
  type E2EStack,
  cliEnvironment,
  createStack,
  debugLogPath,
  emulatorControl,
  stateDirectory,
} from "./harness";

const IMAGE_ID = "70a599e0-31e7-49b7-b260-868f441e862b";
const unique = randomBytes(4).toString("hex");
const LOCKED = /the stack is currently locked by 1 lock\(s\)|another update is currently in progress/i;

/** Keypair, server group, two servers in it, two volumes attached to them: 7 resources. */
const fleet = (prefix: string) => `
const key = new scp.Keypair("key", { name: "${prefix}-key-${unique}" });
const group = new scp.ServerGroup("group", { name: "${prefix}-group-${unique}", policy: "anti-affinity" });
const servers = [0, 1].map((i) => new scp.VirtualServer("server-" + i, {
  name: "${prefix}-web-" + i + "-${unique}",
  imageId: "${IMAGE_ID}",
  serverTypeId: "s1v1m2",
  keypairName: key.name,
  serverGroupId: group.id,
  networks: [{ subnetId: "subnet-${prefix}" }],
  userData: "#!/bin/sh\\necho ${prefix}-user-data-${unique}-" + i + "\\n",
}));
const volumes = [0, 1].map((i) => new scp.Volume("data-" + i, { name: "${prefix}-data-" + i + "-${unique}", size: 10 }));
const attachments = [0, 1].map((i) => new scp.VolumeAttachment("attach-" + i, { volumeId: volumes[i].id, serverId: servers[i].id }));
`;
const fleetProgram = (prefix: string) => `
const scp = require("pulumi-scp-virtualserver");
${fleet(prefix)}
exports.keypair = key.name;
exports.group = group.id;
exports.servers = servers.map((s) => s.id);
exports.volumes = volumes.map((v) => v.id);
exports.attachments = attachments.map((a) => a.id);
`;

let emulator: RunningEmulator;
/** Objects the emulator holds before any stack: its seeded catalogue. */
let catalogue: number;

beforeAll(async () => {
  emulator = await startEmulator({ timeScale: 0.01 });
  catalogue = emulator.state.store.count();
});
afterAll(() => emulator?.close());

/**
 * API objects the stacks made (everything but the seeded catalogue), by collection. A nested collection of a
 * parent that is gone (a server deleted out of band keeps `servers/{id}/interfaces` in the emulator's store:
 * the control API's delete does not cascade) is left out.
 */
function stackObjects(): Record<string, string[]> {
  const dump = emulator.state.store.dump() as Record<string, { id: unknown }[]>;
  const seeded = new Set(["images", "server-types", "volume-types"]);
  const parentExists = (collection: string) => {
    const [parent, id] = collection.split("/");
    return id === undefined || (dump[parent ?? ""] ?? []).some((o) => o.id === id);
  };
  return Object.fromEntries(
    Object.entries(dump)
      .filter(([collection, objects]) => !seeded.has(collection) && !collection.startsWith("images/") && objects.length)
      .filter(([collection]) => parentExists(collection))
      .map(([collection, objects]) => [collection, objects.map((o) => String(o.id))]),
  );
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

/** The resources of the stack's state: type, name and id, from the backend's checkpoint (no secrets shown). */
async function stateResources(e2e: E2EStack): Promise<{ type: string; name: string; id?: string }[]> {
  const deployment = (await e2e.stack.exportStack()).deployment as {
    resources?: { urn: string; type: string; id?: string }[];
  };
  return (deployment.resources ?? [])
    .filter((r) => r.type !== "pulumi:pulumi:Stack" && !r.type.startsWith("pulumi:providers:"))
    .map((r) => ({ type: r.type.split("/").pop() ?? r.type, name: r.urn.split("::").pop() ?? r.urn, id: r.id }));
}

/** The API requests the provider of a workspace sent (its debug log), as "METHOD path". */
function providerRequests(e2e: E2EStack): string[] {
  const file = debugLogPath(e2e.workDir);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { method: string; url: string })
    .map((entry) => `${entry.method} ${new URL(entry.url).pathname}`);
}

const mentioning = (requests: readonly string[], ids: readonly string[]) =>
  requests.filter((r) => ids.some((id) => r.includes(id)));

/** The volumes that go with these servers when they are terminated (their boot volumes). */
function bootVolumes(serverIds: readonly string[]): string[] {
  return serverIds.flatMap((id) =>
    ((emulator.state.store.get("servers", id)?.volumes ?? []) as { id: string; delete_on_termination: boolean }[])
      .filter((v) => v.delete_on_termination)
      .map((v) => v.id),
  );
}

/**
 * A server terminated out of band, through the control API: the server and the volumes that go with it (the
 * control API's delete removes one object). False when it was already gone.
 */
async function deleteServerOutOfBand(id: string): Promise<boolean> {
  const boot = bootVolumes([id]);
  const gone = await fetch(`${emulator.url}/_emulator/objects/servers/${id}`, { method: "DELETE" });
  for (const volume of boot) await fetch(`${emulator.url}/_emulator/objects/volumes/${volume}`, { method: "DELETE" });
  return gone.status === 204;
}

async function pulumiCommand(): Promise<PulumiCommand> {
  return PulumiCommand.get({ root: resolve(pulumiBin(), ".."), skipVersionCheck: true });
}

describe("concurrent runs against one emulator", () => {
  test("a second `up` on a stack while one runs is refused by the file backend's lock, and the state is the first's alone", async () => {
    const started = Date.now();
    const gate = join(REPO, ".pulumi-e2e", `concurrency-gate-${unique}`);
    // The program declares half its resources, then waits for the test to open the gate: the first run
    // holds the lock with operations done and to come while the second tries.
    const program = `
const scp = require("pulumi-scp-virtualserver");
const fs = require("node:fs");
module.exports = async () => {
  const key = new scp.Keypair("key", { name: "lock-key-${unique}" });
  const data = new scp.Volume("data", { name: "lock-data-${unique}", size: 10 });
  const deadline = Date.now() + 600000;
  while (!fs.existsSync(${JSON.stringify(gate)}) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const server = new scp.VirtualServer("server", {
    name: "lock-web-${unique}", imageId: "${IMAGE_ID}", serverTypeId: "s1v1m2", keypairName: key.name,
    networks: [{ subnetId: "subnet-lock" }],
  });
  const attachment = new scp.VolumeAttachment("attach", { volumeId: data.id, serverId: server.id });
  return { serverId: server.id, volumeId: data.id, attachmentId: attachment.id };
};
`;
    const e2e = await createStack("concurrency-lock", program, emulator);
    const pulumiDir = join(stateDirectory(e2e.workDir), ".pulumi");
    const files = (under: string, suffix: string) =>
      filesUnder(join(pulumiDir, under)).filter((f) => f.includes("concurrency-lock") && f.endsWith(suffix));
    let first: Promise<UpResult> | undefined;
    try {
      first = e2e.stack.up();
      const lock = await waitFor("the first up's lock", () => files("locks", ".json")[0]);
      const second = await LocalWorkspace.selectStack(
        { stackName: "e2e", workDir: e2e.workDir },
        { workDir: e2e.workDir, envVars: cliEnvironment(e2e.workDir), pulumiCommand: await pulumiCommand() },
      );
      const refused = await second.up().then(
        () => "",
        (error: unknown) => String(error),
      );
      writeFileSync(gate, "open");
      const result = await first;
      first = undefined;
      const reason = refused.split("\n").find((line) => LOCKED.test(line)) ?? refused;
      console.log(
        `(a) second up refused: ${reason.trim()} (lock ${lock}); the first up: ${JSON.stringify(result.summary.resourceChanges)}; ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(refused).toMatch(LOCKED);
      expect(result.summary.result).toBe("succeeded");
      expect(result.summary.resourceChanges?.create).toBe(5);
      // One update recorded; the lock is gone; each resource once in state and once in the emulator.
      expect(files("history", ".history.json")).toHaveLength(1);
      expect(files("locks", ".json")).toEqual([]);
      const resources = await stateResources(e2e);
      expect(resources.map((r) => r.name).sort()).toEqual(["attach", "data", "key", "server"]);
      expect(resources.map((r) => r.id)).toEqual([...new Set(resources.map((r) => r.id))]);
      const objects = stackObjects();
      expect(objects.servers).toEqual([result.outputs.serverId?.value]);
      expect(objects.volumes?.filter((id) => id === result.outputs.volumeId?.value)).toHaveLength(1);
      expect(objects.keypairs).toEqual([`lock-key-${unique}`]);
      await e2e.stack.destroy();
      expect(stackObjects()).toEqual({});
    } finally {
      // A failed check must not leave the first run waiting at the gate, or its objects behind.
      writeFileSync(gate, "open");
      await first?.catch(() => undefined);
      rmSync(gate, { force: true });
      await e2e.stack.destroy().catch(() => undefined);
      await e2e.dispose();
    }
  });

  test("two stacks up in parallel on one account both converge and touch only their own objects; destroying one leaves the other intact", async () => {
    const started = Date.now();
    const [a, b] = await Promise.all([
      createStack("concurrency-a", fleetProgram("a"), emulator),
      createStack("concurrency-b", fleetProgram("b"), emulator),
    ]);
    try {
      emulator.state.requestLog.length = 0;
      const [upA, upB] = await Promise.all([a.stack.up(), b.stack.up()]);
      const parallelWall = (Date.now() - started) / 1000;
      expect([upA.summary.result, upB.summary.result]).toEqual(["succeeded", "succeeded"]);
      expect([upA.summary.resourceChanges?.create, upB.summary.resourceChanges?.create]).toEqual([9, 9]);

      const idsOf = (outputs: typeof upA.outputs) =>
        [
          outputs.keypair?.value,
          outputs.group?.value,
          ...(outputs.servers?.value as string[]),
          ...(outputs.volumes?.value as string[]),
        ].map(String);
      const idsA = idsOf(upA.outputs);
      const idsB = idsOf(upB.outputs);
      expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
      // The states hold the same ids as the outputs, once each.
      for (const [e2e, ids] of [
        [a, idsA],
        [b, idsB],
      ] as const) {
        const stateIds = (await stateResources(e2e)).map((r) => r.id ?? "");
        expect(stateIds).toEqual(expect.arrayContaining(ids));
        expect(stateIds).toHaveLength(new Set(stateIds).size);
      }
      const objects = stackObjects();
      expect([...(objects.servers ?? [])].sort()).toEqual([...idsA.slice(2, 4), ...idsB.slice(2, 4)].sort());
      expect([...(objects.keypairs ?? [])].sort()).toEqual([idsA[0], idsB[0]].sort());

      // Each provider's requests name only its own stack's objects; the emulator saw exactly the two sets.
      const requestsA = providerRequests(a);
      const requestsB = providerRequests(b);
      const served = emulator.state.requestLog.map((r) => `${r.method} ${r.path}`);
      expect(mentioning(requestsA, idsB)).toEqual([]);
      expect(mentioning(requestsB, idsA)).toEqual([]);
      expect(served.length).toBe(requestsA.length + requestsB.length);
      for (const id of [...idsA, ...idsB]) {
        const own = idsA.includes(id) ? requestsA : requestsB;
        expect({ id, served: mentioning(served, [id]).length }).toEqual({ id, served: mentioning(own, [id]).length });
      }

      // Destroying A removes A's objects (its servers' boot volumes with them) and nothing else: B's objects
      // are all there, unchanged (no drift), and no request names one of them.
      const before = stackObjects();
      const ownedByA = new Set([...idsA, ...bootVolumes(idsA.slice(2, 4))]);
      emulator.state.requestLog.length = 0;
      await a.stack.destroy();
      const afterA = stackObjects();
      const expected = Object.entries(before)
        .filter(([collection]) => !idsA.some((id) => collection.includes(id)))
        .map(([collection, ids]) => [collection, ids.filter((id) => !ownedByA.has(id))] as const)
        .filter(([, ids]) => ids.length > 0);
      expect(afterA).toEqual(Object.fromEntries(expected));
      expect(Object.values(afterA).flat()).toEqual(expect.arrayContaining(idsB));
      expect(
        mentioning(
          emulator.state.requestLog.map((r) => `${r.method} ${r.path}`),
          idsB,
        ),
      ).toEqual([]);
      await expect(b.stack.preview({ refresh: true, expectNoChanges: true })).resolves.toBeDefined();

      await b.stack.destroy();
      expect(stackObjects()).toEqual({});
      expect(emulator.state.store.count()).toBe(catalogue);
      console.log(
        `(b) two stacks × 8 resources up in parallel: ${parallelWall.toFixed(1)} s; requests A ${requestsA.length}, ` +
          `B ${requestsB.length}, emulator ${served.length}; 0 naming the other's ${idsA.length} ids; ` +
          `destroy A then B → 0 objects; ${((Date.now() - started) / 1000).toFixed(1)} s in all`,
      );
    } finally {
      await Promise.all([a.stack.destroy().catch(() => undefined), b.stack.destroy().catch(() => undefined)]);
      await a.dispose();
      await b.dispose();
    }
  });

  test("a destroy racing out-of-band deletes ends clean: exit 0, empty state, no object left", async () => {
    const started = Date.now();
    const e2e = await createStack("concurrency-race", fleetProgram("race"), emulator);
    const settings = (await (await fetch(`${emulator.url}/_emulator/settings`)).json()) as {
      durations: Record<string, number>;
    };
    try {
      const up = await e2e.stack.up();
      expect(up.summary.result).toBe("succeeded");
      const servers = up.outputs.servers?.value as string[];
      const volumes = up.outputs.volumes?.value as string[];
      const group = String(up.outputs.group?.value);
      const keypair = String(up.outputs.keypair?.value);

      // Just before the destroy: one server and the keypair vanish.
      await deleteServerOutOfBand(String(servers[0]));
      await emulatorControl(emulator, "DELETE", `/objects/keypairs/${keypair}`);
      // Slow deletes, so the destroy is waiting on them when the rest vanish.
      await emulatorControl(emulator, "PUT", "/settings", {
        durations: { serverDeleteMs: 5_000, volumeDeleteMs: 5_000, volumeAttachMs: 2_000 },
      });
      const deletedDuring: string[] = [];
      let raced: Promise<void> | undefined;
      const vanishRest = async () => {
        if (await deleteServerOutOfBand(String(servers[1]))) deletedDuring.push(`servers/${servers[1]}`);
        for (const [collection, id] of [
          ["volumes", volumes[0]],
          ["volumes", volumes[1]],
          ["server-groups", group],
        ] as const) {
          const gone = await fetch(`${emulator.url}/_emulator/objects/${collection}/${id}`, { method: "DELETE" });
          if (gone.status === 204) deletedDuring.push(`${collection}/${id}`);
        }
      };
      // Right after the destroy starts deleting: everything else vanishes out of band.
      const destroy = await e2e.stack.destroy({
        onEvent: (event) => {
          if (event.resourcePreEvent?.metadata.op === "delete") raced ??= vanishRest();
        },
      });
      await raced;
      expect(destroy.summary.result).toBe("succeeded");
      expect(deletedDuring.length).toBeGreaterThan(0);
      expect(await stateResources(e2e)).toEqual([]);
      expect(stackObjects()).toEqual({});
      console.log(
        `(c) destroy racing out-of-band deletes: a server (with its boot volume) and the keypair deleted before, ${deletedDuring.length} during ` +
          `(${deletedDuring.join(", ")}); destroy ${destroy.summary.result} ` +
          `${JSON.stringify(destroy.summary.resourceChanges)}; 0 objects, empty state; ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    } finally {
      await emulatorControl(emulator, "PUT", "/settings", { durations: settings.durations });
      await e2e.stack.destroy().catch(() => undefined);
      await e2e.dispose();
    }
  });
});
