/**
 * One-off reads of a server: its console log (Show Virtual Server Console Log) and its password (Show Virtual
 * Server Password, reference L8790: a POST that takes the keypair's private key and answers the password).
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { ScpApiError } from "../provider/errors";
import { resourceId, text } from "../provider/validators";
import { lookupClient, lookupOptionsShape, lookupOutput, validArguments } from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

export interface GetServerConsoleLogArgs extends LookupOptions {
  /** The server's id. */
  readonly serverId: string;
}

export type GetServerConsoleLogOutputArgs = LookupInputs<GetServerConsoleLogArgs>;

export interface GetServerConsoleLogResult {
  /** The server's id, as given. */
  readonly serverId: string;
  /** The console output as SCP answers it (the boot log; where a failed build shows why). */
  readonly output: string;
}

export interface GetServerPasswordArgs extends LookupOptions {
  /** The server's id. */
  readonly serverId: string;
  /**
   * The private key (PEM) of the server's keypair, which SCP needs to answer the password (the API's
   * `private_key`).
   */
  readonly privateKey: string;
}

export type GetServerPasswordOutputArgs = LookupInputs<GetServerPasswordArgs>;

export interface GetServerPasswordResult {
  /** The server's id, as given. */
  readonly serverId: string;
  /** The password as SCP answers it. A secret: `getServerPasswordOutput` marks it so. */
  readonly password: string;
}

const consoleArgs = z.object({ serverId: resourceId("serverId"), ...lookupOptionsShape }).strict();
const passwordArgs = z
  .object({
    serverId: resourceId("serverId"),
    privateKey: text("privateKey").min(1, "privateKey must not be empty"),
    ...lookupOptionsShape,
  })
  .strict();

async function serverCall<T>(lookup: string, serverId: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ScpApiError && error.notFound)
      throw new ScpLookupError(lookup, "not-found", `no server has id "${serverId}"`);
    throw error;
  }
}

/**
 * The server's console log.
 *
 *   const log = await scp.getServerConsoleLog({ serverId: web.id });
 */
export async function getServerConsoleLog(args: GetServerConsoleLogArgs): Promise<GetServerConsoleLogResult> {
  const lookup = "getServerConsoleLog";
  const a = validArguments(lookup, consoleArgs, args);
  const body = await serverCall(lookup, a.serverId, async () =>
    z
      .looseObject({ output: z.string().nullish() })
      .parse((await lookupClient(a).call("showVirtualServerConsoleLog", { path: { server_id: a.serverId } })).body),
  );
  return { serverId: a.serverId, output: body.output ?? "" };
}

/** `getServerConsoleLog` for Inputs: an Output of the log. */
export function getServerConsoleLogOutput(
  args: GetServerConsoleLogOutputArgs,
): pulumi.Output<GetServerConsoleLogResult> {
  return lookupOutput(args, getServerConsoleLog);
}

/**
 * The server's password, given its keypair's private key. The private key is sent to SCP (as the API
 * requires) and never logged; prefer `getServerPasswordOutput`, whose result is a secret.
 */
export async function getServerPassword(args: GetServerPasswordArgs): Promise<GetServerPasswordResult> {
  const lookup = "getServerPassword";
  const a = validArguments(lookup, passwordArgs, args);
  const body = await serverCall(lookup, a.serverId, async () =>
    z.looseObject({ password: z.string() }).parse(
      (
        await lookupClient(a).call("showVirtualServerPassword", {
          path: { server_id: a.serverId },
          body: { private_key: a.privateKey },
        })
      ).body,
    ),
  );
  return { serverId: a.serverId, password: body.password };
}

/** `getServerPassword` for Inputs (the private key as the keypair's secret output): a secret Output. */
export function getServerPasswordOutput(args: GetServerPasswordOutputArgs): pulumi.Output<GetServerPasswordResult> {
  return pulumi.secret(lookupOutput(args, getServerPassword));
}
