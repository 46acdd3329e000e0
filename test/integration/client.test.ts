// The HTTP client against the emulator over real HTTP: signing, versions, retries, create without
// duplicates, error surfacing, path encoding, concurrency and the debug log.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RequestLogEntry, RunningEmulator } from "../../emulator";
import { ScpApiError } from "../../provider/errors";
import { ScpClient } from "../../provider/http";
import { clientFor, control, settingsFor, withEmulator } from "../support/emulator";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await withEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => control(emulator, "POST", "/reset"));

const requests = async () => (await control(emulator, "GET", "/requests")) as RequestLogEntry[];
const keypairs = async () => ((await control(emulator, "GET", "/objects/keypairs")) as unknown[]).length;

describe("requests", () => {
  test("are signed so that the emulator's own verification accepts them", async () => {
    const response = await clientFor(emulator).call("listKeypairs");
    expect(response.status).toBe(200);
  });

  test("send each operation's current API version", async () => {
    const client = clientFor(emulator);
    await client.call("listKeypairs");
    await expect(client.call("deleteVirtualServer", { path: { server_id: "nope" } })).rejects.toThrow(/404/);
    const log = await requests();
    expect(log.map((r) => [r.operation, r.version])).toEqual([
      ["listKeypairs", "1.1"],
      ["deleteVirtualServer", "1.3"],
    ]);
  });

  test("a per-operation version override is sent, and a refused version surfaces the API's message", async () => {
    const client = clientFor(emulator, { apiVersions: { listKeypairs: "1.0" } });
    const error = (await client.call("listKeypairs").catch((e: unknown) => e)) as ScpApiError;
    expect(error).toBeInstanceOf(ScpApiError);
    expect(error.status).toBe(406);
    expect(error.message).toMatch(
      /listKeypairs \(GET \/v1\/keypairs\) failed: HTTP 406 DEPRECATED_API_VERSION: API version 1.0 of List Keypairs is no longer supported/,
    );
  });

  test("path parameters cannot change the path", async () => {
    const error = (await clientFor(emulator)
      .call("showKeypair", { path: { keypair_name: "a/../b?x=1" } })
      .catch((e: unknown) => e)) as ScpApiError;
    expect(error.status).toBe(404);
    const [entry] = await requests();
    expect(entry?.path).toBe("/v1/keypairs/a%2F..%2Fb%3Fx%3D1");
    expect(entry?.operation).toBe("showKeypair");
  });

  test("endpoints are discovered through {authUrl}/endpoints when the region has no known host", async () => {
    const client = new ScpClient({
      ...settingsFor(emulator),
      endpointOverride: undefined,
      authUrl: emulator.url,
      region: "emulator",
    });
    await expect(client.call("listKeypairs")).resolves.toMatchObject({ status: 200 });
    expect((await requests()).map((r) => r.path)).toEqual(["/endpoints", "/v1/keypairs"]);
  });
});

describe("retries", () => {
  test("503 is retried", async () => {
    await control(emulator, "PUT", "/faults", { next: [{ operation: "listKeypairs", kind: "5xx", status: 503 }] });
    await expect(clientFor(emulator).call("listKeypairs")).resolves.toMatchObject({ status: 200 });
    expect((await requests()).map((r) => r.status)).toEqual([503, 200]);
  });

  test("429 waits for Retry-After before retrying", async () => {
    await control(emulator, "PUT", "/faults", {
      next: [{ operation: "listKeypairs", kind: "429", retryAfterSeconds: 1 }],
    });
    const started = Date.now();
    await clientFor(emulator).call("listKeypairs");
    const log = await requests();
    expect(log.map((r) => r.status)).toEqual([429, 200]);
    const gap = Date.parse(log[1]?.time ?? "") - Date.parse(log[0]?.time ?? "");
    expect(gap).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  test("400 is not retried", async () => {
    const error = await clientFor(emulator)
      .call("createKeypair", { body: { name: "" } })
      .catch((e: unknown) => e);
    expect((error as ScpApiError).status).toBe(400);
    expect((await requests()).length).toBe(1);
  });

  test("a connection reset on a read is retried", async () => {
    await control(emulator, "PUT", "/faults", { next: [{ operation: "listKeypairs", kind: "reset" }] });
    await expect(clientFor(emulator).call("listKeypairs")).resolves.toMatchObject({ status: 200 });
    expect((await requests()).length).toBe(2);
  });

  test("a connection error that outlasts the retries says how many attempts were made", async () => {
    await control(emulator, "PUT", "/faults", { rules: [{ operations: ["listKeypairs"], resetRate: 1 }] });
    const error = (await clientFor(emulator, { maxRetries: 2 })
      .call("listKeypairs")
      .catch((e: unknown) => e)) as ScpApiError;
    expect(error.detail).toMatch(/\(after 3 attempts\)$/);
  });

  test("retries are bounded by maxRetries", async () => {
    await control(emulator, "PUT", "/faults", {
      rules: [{ operations: ["listKeypairs"], errorRate: 1, errorStatus: 502 }],
    });
    const error = (await clientFor(emulator, { maxRetries: 2 })
      .call("listKeypairs")
      .catch((e: unknown) => e)) as ScpApiError;
    expect(error.status).toBe(502);
    expect((await requests()).length).toBe(3);
  });

  test("retries are bounded in time", async () => {
    await control(emulator, "PUT", "/faults", {
      rules: [{ operations: ["listKeypairs"], throttleRate: 1, retryAfterSeconds: 1 }],
    });
    const started = Date.now();
    const error = (await clientFor(emulator, { maxRetries: 10, maxRetryElapsedMs: 1500 })
      .call("listKeypairs")
      .catch((e: unknown) => e)) as ScpApiError;
    expect(error.status).toBe(429);
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await requests()).length).toBe(2);
  });
});

describe("creating POSTs never duplicate", () => {
  const body = { name: "kp", public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1hZGUgZm9yIHRlc3Rz test" };
  const findKeypair = (client: ScpClient) => async () => {
    try {
      return (await client.call("showKeypair", { path: { keypair_name: "kp" } })).body;
    } catch (error) {
      if (error instanceof ScpApiError && error.notFound) return undefined;
      throw error;
    }
  };

  test("a 503 on a create is not retried blindly: the lookup proves absence, then the POST is sent again", async () => {
    await control(emulator, "PUT", "/faults", { next: [{ operation: "createKeypair", kind: "5xx", status: 503 }] });
    const client = clientFor(emulator);
    await client.create("createKeypair", { body }, findKeypair(client));
    expect((await requests()).map((r) => `${r.operation} ${r.status}`)).toEqual([
      "createKeypair 503",
      "showKeypair 404",
      "createKeypair 201",
    ]);
    expect(await keypairs()).toBe(1);
  });

  test("a create whose answer was lost is found by name and adopted, not sent again", async () => {
    await control(emulator, "PUT", "/faults", {
      next: [{ operation: "createKeypair", kind: "5xx", status: 502, afterEffect: true }],
    });
    const client = clientFor(emulator);
    const created = await client.create("createKeypair", { body }, findKeypair(client));
    expect(created).toMatchObject({ name: "kp" });
    expect((await requests()).map((r) => `${r.operation} ${r.status}`)).toEqual([
      "createKeypair 502",
      "showKeypair 200",
    ]);
    expect(await keypairs()).toBe(1);
  });

  test("a connection reset after the create took effect does not duplicate it", async () => {
    await control(emulator, "PUT", "/faults", {
      next: [{ operation: "createKeypair", kind: "reset", afterEffect: true }],
    });
    const client = clientFor(emulator);
    await client.create("createKeypair", { body }, findKeypair(client));
    expect(await keypairs()).toBe(1);
  });

  test("a 429 on a create is retried directly (the API did not process it)", async () => {
    await control(emulator, "PUT", "/faults", {
      next: [{ operation: "createKeypair", kind: "429", retryAfterSeconds: 0 }],
    });
    const client = clientFor(emulator);
    await client.create("createKeypair", { body }, findKeypair(client));
    expect((await requests()).map((r) => `${r.operation} ${r.status}`)).toEqual([
      "createKeypair 429",
      "createKeypair 201",
    ]);
  });
});

describe("limits and logging", () => {
  test("no more requests in flight than maxConcurrentRequests", async () => {
    await control(emulator, "PUT", "/faults", { rules: [{ operations: ["listKeypairs"], slowRate: 1, slowMs: 150 }] });
    const client = clientFor(emulator, { maxConcurrentRequests: 2 });
    await Promise.all(Array.from({ length: 6 }, () => client.call("listKeypairs")));
    const log = await requests();
    const spans = log.map((r) => [Date.parse(r.time), Date.parse(r.time) + r.durationMs] as const);
    const maxOverlap = Math.max(...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length));
    expect(maxOverlap).toBeLessThanOrEqual(2);
    expect(log.length).toBe(6);
  });

  test("a call sleeping for Retry-After holds no slot: another call completes during the sleep", async () => {
    await control(emulator, "PUT", "/faults", {
      next: [{ operation: "listKeypairs", kind: "429", retryAfterSeconds: 3 }],
    });
    const client = clientFor(emulator, { maxConcurrentRequests: 1 });
    let throttledDone = false;
    const throttled = client.call("listKeypairs").then(() => (throttledDone = true));
    // Wait until the first attempt has been answered 429: the call is now sleeping for Retry-After.
    while (!(await requests()).some((r) => r.status === 429)) await new Promise((r) => setTimeout(r, 10));
    await expect(client.call("listVolumes")).resolves.toMatchObject({ status: 200 });
    // With the only slot held through the 3 s sleep, this read could not have run before the retry.
    expect(throttledDone).toBe(false);
    await throttled;
    expect((await requests()).map((r) => [r.operation, r.status])).toEqual([
      ["listKeypairs", 429],
      ["listVolumes", 200],
      ["listKeypairs", 200],
    ]);
  });

  test("the debug log records requests with credentials redacted", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "scp-debug-")), "requests.jsonl");
    process.env.SCP_DEBUG_LOG = file;
    try {
      await clientFor(emulator).call("createKeypair", { body: { name: "logged" } });
    } finally {
      delete process.env.SCP_DEBUG_LOG;
    }
    const text = readFileSync(file, "utf8");
    const [line] = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(line).toMatchObject({ operation: "createKeypair", method: "POST", status: 201 });
    expect(text).not.toContain(emulator.credentials.secretKey);
    expect(text).not.toContain(emulator.credentials.accessKey);
    expect(text).not.toContain("PRIVATE KEY");
    expect(
      (line?.requestHeaders as Record<string, string>)["scp-signature"] ??
        (line?.requestHeaders as Record<string, string>)["Scp-Signature"],
    ).toBe("[REDACTED]");
  });
});
