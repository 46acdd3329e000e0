/** Keypairs: addressed by name; a generated keypair's private key is answered once, at creation. */
import { createHash, generateKeyPairSync, randomBytes } from "node:crypto";
import type { OperationId } from "../../provider/operations";
import { COLLECTIONS } from "../collections";
import type { ApiObject, Handler } from "../context";
import { badRequest, conflict, notFound } from "../errors";
import { listResponse } from "../listing";

const COLLECTION = COLLECTIONS.keypairs;

function fingerprint(publicKey: string): string {
  const blob = Buffer.from(publicKey.split(" ")[1] ?? publicKey, "base64");
  return (createHash("md5").update(blob).digest("hex").match(/../g) ?? []).join(":");
}

function generate(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  const type = Buffer.from("ssh-ed25519");
  const blob = Buffer.concat([Buffer.from([0, 0, 0, type.length]), type, Buffer.from([0, 0, 0, 32]), raw]);
  return {
    publicKey: `ssh-ed25519 ${blob.toString("base64")} emulator-${randomBytes(3).toString("hex")}`,
    privateKey: privateKey.export({ format: "pem", type: "pkcs8" }).toString(),
  };
}

function view(k: ApiObject) {
  return {
    created_at: k.created_at,
    fingerprint: k.fingerprint,
    id: k.keypair_id,
    name: k.name,
    public_key: k.public_key,
    type: k.type,
    user_id: k.user_id,
  };
}

export const keypairHandlers = {
  createKeypair: (req, { store, userId }) => {
    const { name, public_key: publicKey, tags } = req.body;
    if (typeof name !== "string" || name === "") throw badRequest("name: field required");
    if (publicKey !== undefined && publicKey !== null && typeof publicKey !== "string")
      throw badRequest("public_key: must be a string");
    if (store.get(COLLECTION, name)) throw conflict(`Keypair ${name} already exists`);
    const generated = publicKey ? undefined : generate();
    const key = (publicKey as string | undefined) ?? generated?.publicKey ?? "";
    const object: ApiObject = {
      id: name,
      keypair_id: store.next("keypairId"),
      name,
      public_key: key,
      fingerprint: fingerprint(key),
      type: "ssh",
      // Taken at creation, never answered (no keypair answer of the reference has tags).
      _tags: tags,
      user_id: userId,
      created_at: store.isoNow(),
    };
    store.put(COLLECTION, object);
    return {
      status: 201,
      body: {
        fingerprint: object.fingerprint,
        name,
        private_key: generated?.privateKey ?? "",
        public_key: key,
        type: "ssh",
      },
    };
  },
  showKeypair: (req, { store }) => {
    const k = store.get(COLLECTION, req.params.keypair_name ?? "");
    if (!k) throw notFound("Keypair", req.params.keypair_name ?? "");
    return { status: 200, body: view(k) };
  },
  listKeypairs: (req, { store }) => ({
    status: 200,
    body: listResponse(req.op, req.query, store.list(COLLECTION), "keypairs", {
      markerKey: (k) => String(k.name),
      sortFallback: "name:asc",
      view: (k) => ({ fingerprint: k.fingerprint, name: k.name, public_key: k.public_key, type: k.type }),
    }),
  }),
  deleteKeypair: (req, { store }) => {
    const name = req.params.keypair_name ?? "";
    if (!store.remove(COLLECTION, name)) throw notFound("Keypair", name);
    return { status: 204 };
  },
} satisfies Partial<Record<OperationId, Handler>>;
