// Keypair through its provider implementation (what the dynamic provider host calls), against the emulator.
import type { RunningEmulator } from "../../emulator";
import { UNKNOWN } from "../../provider/check";
import { ResourceInitError } from "../../provider/resource-provider";
import { provider } from "../../resources/keypair";
import { control, emulatorForProviderTests } from "../support/emulator";

const PUBLIC_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE1hZGUgZm9yIHRlc3RzIG9ubHkgLSBub3QgYSByZWFsIGtleQ== test@example";
const OTHER_KEY =
  "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEFub3RoZXIga2V5IGZvciBkcmlmdCB0ZXN0cyBvbmx5IC0gbm8= other@example";
const PROVIDER = "serialized provider text";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

const create = (inputs: Record<string, unknown>) => provider.create({ __provider: PROVIDER, ...inputs });
const stored = async (name: string) => {
  try {
    return await control(emulator, "GET", `/objects/keypairs/${name}`);
  } catch {
    return undefined;
  }
};

describe("Keypair create", () => {
  test("a generated keypair returns its private key once and is stored by name", async () => {
    const result = await create({ name: "gen" });
    expect(result.id).toBe("gen");
    expect(result.outs).toMatchObject({ name: "gen", generated: true, type: "ssh" });
    expect(result.outs.privateKey).toMatch(/BEGIN PRIVATE KEY/);
    expect(result.outs.publicKey).toMatch(/^ssh-ed25519 /);
    expect(result.outs.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    expect(result.outs.keypairId).toBeDefined();
    expect(await stored("gen")).toBeDefined();
  });

  test("an imported keypair has no private key and keeps the given public key", async () => {
    const result = await create({ name: "imp", publicKey: PUBLIC_KEY, tags: { env: "test" } });
    expect(result.outs).toMatchObject({ name: "imp", publicKey: PUBLIC_KEY, generated: false, tags: { env: "test" } });
    expect(result.outs.privateKey).toBeUndefined();
  });

  test("a name already taken fails with the API's message and says how to adopt", async () => {
    await create({ name: "taken" });
    await expect(create({ name: "taken" })).rejects.toThrow(
      /HTTP 409 CONFLICT: Keypair taken already exists[\s\S]*adopt: true/,
    );
  });

  test("adopt manages an existing keypair without creating one", async () => {
    await create({ name: "existing", publicKey: PUBLIC_KEY });
    const result = await create({ name: "existing", publicKey: PUBLIC_KEY, adopt: true });
    expect(result.outs).toMatchObject({ name: "existing", publicKey: PUBLIC_KEY });
    expect(
      ((await control(emulator, "GET", "/requests")) as { operation: string }[]).filter(
        (r) => r.operation === "createKeypair",
      ),
    ).toHaveLength(1);
  });

  test("adopt with a different public key is refused", async () => {
    await create({ name: "existing", publicKey: PUBLIC_KEY });
    await expect(create({ name: "existing", publicKey: OTHER_KEY, adopt: true })).rejects.toThrow(
      /different public key/,
    );
  });

  test("adopt creates the keypair when none exists", async () => {
    const result = await create({ name: "fresh", adopt: true });
    expect(result.outs.privateKey).toMatch(/PRIVATE KEY/);
  });

  test("a failure after the keypair exists keeps it in state (init failure with __provider)", async () => {
    await control(emulator, "PUT", "/faults", {
      rules: [{ operations: ["showKeypair"], errorRate: 1, errorStatus: 500 }],
    });
    process.env.SCP_MAX_RETRIES = "0";
    try {
      const error = (await create({ name: "half" }).catch((e: unknown) => e)) as ResourceInitError;
      expect(error).toBeInstanceOf(ResourceInitError);
      expect(error.id).toBe("half");
      expect(error.properties.__provider).toBe(PROVIDER);
      expect(error.reasons[0]).toMatch(/showKeypair .* HTTP 500/);
    } finally {
      delete process.env.SCP_MAX_RETRIES;
    }
  });
});

describe("Keypair check", () => {
  test("bad input names the property and the reason", async () => {
    const { failures } = await provider.check!({}, { name: "a/b", publicKey: "not a key", colour: "blue" });
    const byProperty = Object.fromEntries((failures ?? []).map((f) => [f.property, f.reason]));
    expect(byProperty.name).toMatch(/slashes/);
    expect(byProperty.publicKey).toMatch(/OpenSSH public key/);
    expect(JSON.stringify(failures)).toMatch(/colour/);
  });

  test("a missing name is reported", async () => {
    const { failures } = await provider.check!({}, {});
    expect(failures).toEqual([{ property: "name", reason: "keypair name is required" }]);
  });

  test("bad timeouts are reported", async () => {
    const { failures } = await provider.check!({}, { name: "ok", timeouts: { create: "soon" } });
    expect(failures?.[0]?.property).toBe("timeouts.create");
  });

  test("unknown values pass during preview", async () => {
    expect((await provider.check!({}, { name: UNKNOWN, publicKey: UNKNOWN })).failures).toEqual([]);
  });
});

describe("Keypair diff", () => {
  const olds = { name: "k", publicKey: PUBLIC_KEY, generated: false, fingerprint: "f", tags: { a: "1" } };

  test("no change", async () => {
    expect(await provider.diff!("k", olds, { name: "k", publicKey: PUBLIC_KEY, tags: { a: "1" } })).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("a new name replaces, creating the new keypair first", async () => {
    expect(await provider.diff!("k", olds, { name: "k2", publicKey: PUBLIC_KEY, tags: { a: "1" } })).toEqual({
      changes: true,
      replaces: ["name"],
      deleteBeforeReplace: false,
    });
  });

  test("a new public key is put in place under the same name: no replacement, so dependents stay", async () => {
    expect(await provider.diff!("k", olds, { name: "k", publicKey: OTHER_KEY, tags: { a: "1" } })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("a tag change is recorded, never a replacement", async () => {
    expect(await provider.diff!("k", olds, { name: "k", publicKey: PUBLIC_KEY, tags: { a: "2" } })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  test("a generated keypair's key is not a diff", async () => {
    expect(await provider.diff!("k", { ...olds, generated: true }, { name: "k", tags: { a: "1" } })).toMatchObject({
      changes: false,
    });
  });

  test("changing timeouts updates in place", async () => {
    expect(
      await provider.diff!("k", olds, {
        name: "k",
        publicKey: PUBLIC_KEY,
        tags: { a: "1" },
        timeouts: { delete: "1m" },
      }),
    ).toEqual({ changes: true, replaces: [], deleteBeforeReplace: false });
  });
});

describe("Keypair read, drift and delete", () => {
  test("read returns complete outputs and inputs rebuilt from live state", async () => {
    const { outs } = await create({ name: "r", publicKey: PUBLIC_KEY });
    const read = await provider.read!("r", outs);
    expect(read.id).toBe("r");
    expect(read.props).toMatchObject({
      name: "r",
      publicKey: PUBLIC_KEY,
      fingerprint: outs.fingerprint,
      createdAt: expect.any(String),
    });
    expect(read.inputs).toEqual({ name: "r", publicKey: PUBLIC_KEY });
  });

  test("read by id alone (adoption with the id option) works", async () => {
    await create({ name: "byid", publicKey: PUBLIC_KEY });
    const read = await provider.read!("byid", {});
    expect(read.props).toMatchObject({ name: "byid", publicKey: PUBLIC_KEY });
  });

  test("an out-of-band delete makes read drop it from state", async () => {
    const { outs } = await create({ name: "gone" });
    await control(emulator, "DELETE", "/objects/keypairs/gone");
    expect(await provider.read!("gone", outs)).toEqual({ id: "", props: {} });
  });

  test("a keypair recreated out of band with another key is drift of publicKey, repaired in place by update", async () => {
    const { outs } = await create({ name: "drift", publicKey: PUBLIC_KEY });
    await control(emulator, "PATCH", "/objects/keypairs/drift", { public_key: OTHER_KEY, fingerprint: "00:11" });
    const read = await provider.read!("drift", outs);
    expect(read.inputs).toMatchObject({ publicKey: OTHER_KEY });
    const news = { name: "drift", publicKey: PUBLIC_KEY };
    expect(await provider.diff!("drift", read.props, news)).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await provider.update!("drift", read.props, news);
    expect(updated.outs).toMatchObject({ name: "drift", publicKey: PUBLIC_KEY });
    expect(await stored("drift")).toMatchObject({ public_key: PUBLIC_KEY });
    const after = await provider.read!("drift", updated.outs!);
    expect(await provider.diff!("drift", after.props, news)).toMatchObject({ changes: false });
  });

  test("a generated keypair replaced out of band loses its stale private key and is generated again in place", async () => {
    const { outs } = await create({ name: "stale" });
    await control(emulator, "PATCH", "/objects/keypairs/stale", { fingerprint: "00:11" });
    const read = await provider.read!("stale", outs);
    expect(read.props.privateKey).toBeUndefined();
    expect(await provider.diff!("stale", read.props, { name: "stale" })).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const updated = await provider.update!("stale", read.props, { name: "stale" });
    expect(updated.outs?.privateKey).toEqual(expect.any(String));
    expect(updated.outs?.fingerprint).not.toBe("00:11");
    expect(await provider.diff!("stale", updated.outs!, { name: "stale" })).toMatchObject({ changes: false });
  });

  test("delete removes it, and deleting an already-deleted keypair succeeds", async () => {
    const { outs } = await create({ name: "del" });
    await provider.delete!("del", outs);
    expect(await stored("del")).toBeUndefined();
    await expect(provider.delete!("del", outs)).resolves.toBeUndefined();
  });
});
