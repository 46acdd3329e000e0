// Keypair lookups against the emulator: the keypair created through the API, camelCase, never a private key.
import type { RunningEmulator } from "../../emulator";
import { ScpLookupError, getKeypair, getKeypairs } from "../../lookups";
import { clientFor, control, emulatorForProviderTests } from "../support/emulator";

let emulator: RunningEmulator;
emulatorForProviderTests((running) => (emulator = running));
beforeEach(() => control(emulator, "POST", "/reset"));

const PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB1xC5z1VwcmJ1tJbrPc6E2Vh0vKq6N5Yy9m0a3b0F8G test";
const requestCount = async () => ((await control(emulator, "GET", "/requests")) as unknown[]).length;

async function lookupError(pending: Promise<unknown>): Promise<ScpLookupError> {
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ScpLookupError)) throw new Error(`expected an ScpLookupError, got ${String(error)}`);
  return error;
}

const createKeypair = async (name: string, publicKey?: string) =>
  (
    await clientFor(emulator).call<{ fingerprint: string; public_key: string }>("createKeypair", {
      body: { name, ...(publicKey ? { public_key: publicKey } : {}) },
    })
  ).body;

describe("getKeypair", () => {
  test("answers the keypair created through the API, camelCase, without a private key", async () => {
    const created = await createKeypair("deploy", PUBLIC_KEY);
    const keypair = await getKeypair({ name: "deploy" });
    expect(keypair).toEqual({
      name: "deploy",
      fingerprint: created.fingerprint,
      publicKey: PUBLIC_KEY,
      type: "ssh",
      keypairId: expect.any(Number),
      userId: expect.any(String),
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(JSON.stringify(keypair)).not.toMatch(/private/i);
  });

  test("an unknown name is a not-found error", async () => {
    expect(await lookupError(getKeypair({ name: "nobody" }))).toMatchObject({
      failure: "not-found",
      message: 'getKeypair: no keypair is named "nobody"',
    });
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getKeypair({} as never))).failures).toEqual([
      { property: "name", reason: "keypair name is required" },
    ]);
    expect((await lookupError(getKeypair({ name: "a?b" }))).message).toBe(
      "getKeypair: name must not contain ?, # or %",
    );
    expect(await requestCount()).toBe(before);
  });
});

describe("getKeypairs", () => {
  test("lists every keypair, across pages, camelCase", async () => {
    const generated = await createKeypair("generated");
    const imported = await createKeypair("imported", PUBLIC_KEY);
    // More than one page of 100: the next page starts after the last name (keypairs have no id in the list).
    for (let i = 0; i < 101; i++) await createKeypair(`bulk-${String(i).padStart(3, "0")}`, PUBLIC_KEY);
    const { keypairs } = await getKeypairs();
    expect(keypairs).toHaveLength(103);
    expect(new Set(keypairs.map((k) => k.name)).size).toBe(103);
    expect(keypairs.find((k) => k.name === "generated")).toEqual({
      name: "generated",
      fingerprint: generated.fingerprint,
      publicKey: generated.public_key,
      type: "ssh",
    });
    expect(keypairs.find((k) => k.name === "imported")).toMatchObject({ fingerprint: imported.fingerprint });
  });

  test("an account without keypairs answers an empty list", async () => {
    await expect(getKeypairs()).resolves.toEqual({ keypairs: [] });
  });

  test("bad arguments fail naming the property, before any request", async () => {
    const before = await requestCount();
    expect((await lookupError(getKeypairs({ limit: 5 } as never))).message).toMatch(/limit: unknown property/);
    expect(await requestCount()).toBe(before);
  });
});
