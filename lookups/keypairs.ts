/** Keypairs: one by name (Show Keypair), every one (List Keypairs). No answer holds a private key. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { keypairName } from "../provider/schema";
import {
  listAll,
  lookupClient,
  lookupOptionsShape,
  lookupOutput,
  optionalText,
  optionsOnly,
  validArguments,
} from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetKeypairArgs extends LookupOptions {
  /** The keypair's name (keypairs are addressed by name). */
  readonly name: string;
}

export type GetKeypairOutputArgs = LookupInputs<GetKeypairArgs>;

/** A keypair as List Keypairs answers it (reference, version 1.1). */
export interface GetKeypairsKeypair {
  /** The keypair's name (its id; what `VirtualServer`'s `keypairName` takes). */
  readonly name: string;
  /** MD5 fingerprint of the public key, e.g. `7e:eb:ab:…`. */
  readonly fingerprint: string;
  /** The public key, in OpenSSH form (`ssh-ed25519 AAAA… comment`). */
  readonly publicKey: string;
  /** Key type: `ssh`. */
  readonly type?: string | undefined;
}

/** A keypair as Show Keypair answers it (reference, version 1.1). */
export interface GetKeypairResult extends GetKeypairsKeypair {
  /** The API's numeric id of the keypair (keypairs are addressed by name, not by this id). */
  readonly keypairId?: number | undefined;
  /** The user who owns it. */
  readonly userId?: string | undefined;
  /** When it was created (ISO 8601). */
  readonly createdAt?: string | undefined;
}

/** Every keypair of the account. */
export interface GetKeypairsResult {
  /** The account's keypairs, in the API's order; empty when none. */
  readonly keypairs: readonly GetKeypairsKeypair[];
}

const oneArgs = z.object({ name: keypairName("name"), ...lookupOptionsShape }).strict();

const apiKeypairSummary = z.looseObject({
  name: z.string(),
  fingerprint: z.string(),
  public_key: z.string(),
  type: optionalText,
});
const apiKeypair = apiKeypairSummary.extend({
  id: z.number().nullish(),
  user_id: optionalText,
  created_at: optionalText,
});

function toSummary(raw: unknown): GetKeypairsKeypair {
  const k = apiKeypairSummary.parse(raw);
  return { name: k.name, fingerprint: k.fingerprint, publicKey: k.public_key, type: k.type };
}

/**
 * One keypair, by name.
 *
 *   const deploy = await scp.getKeypair({ name: "deploy" });
 */
export async function getKeypair(args: GetKeypairArgs): Promise<GetKeypairResult> {
  const a = validArguments("getKeypair", oneArgs, args);
  const body = await lookupClient(a).find("showKeypair", { path: { keypair_name: a.name } });
  if (body === undefined) throw new ScpLookupError("getKeypair", "not-found", `no keypair is named "${a.name}"`);
  const k = apiKeypair.parse(body);
  return {
    ...toSummary(k),
    keypairId: k.id ?? undefined,
    userId: k.user_id,
    createdAt: k.created_at,
  };
}

/** `getKeypair` taking Inputs and giving an Output: `scp.getKeypairOutput({ name: key.name }).fingerprint`. */
export function getKeypairOutput(args: GetKeypairOutputArgs): pulumi.Output<GetKeypairResult> {
  return lookupOutput(args, getKeypair);
}

/** Every keypair of the account (List Keypairs, every page). */
export async function getKeypairs(args: LookupOptions = {}): Promise<GetKeypairsResult> {
  const a = validArguments("getKeypairs", optionsOnly, args);
  // Keypairs have no id in the list: the next page starts after the last name.
  const items = await listAll(lookupClient(a), "listKeypairs", "keypairs", { markerOf: (k) => String(k.name) });
  return { keypairs: items.map(toSummary) };
}

/** `getKeypairs` taking Inputs and giving an Output. */
export function getKeypairsOutput(args: LookupInputs<LookupOptions> = {}): pulumi.Output<GetKeypairsResult> {
  return lookupOutput(args, getKeypairs);
}
