/** Region defaults and limits: default configs (List Default Configs), the maximum partition size. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { type PythonValue, parsePythonLiteral } from "../provider/python-literal";
import {
  lookupClient,
  lookupName,
  lookupOptionsShape,
  lookupOutput,
  looseNumber,
  optionsOnly,
  validArguments,
} from "./common";
import { type LookupInputs, type LookupOptions, ScpLookupError } from "./types";

/** A default config's value: the API answers the configs as a Python literal, so a value is one of these. */
export type DefaultConfigValue = PythonValue;

export interface GetDefaultConfigsArgs extends LookupOptions {
  /** Only the config of this name (the API's `name` filter), e.g. `key`. */
  readonly name?: string | undefined;
  /** Only configs of this category (the API's `category` filter), e.g. `AUTO_SCALING_GROUP`. */
  readonly category?: string | undefined;
}

export type GetDefaultConfigsOutputArgs = LookupInputs<GetDefaultConfigsArgs>;

/** The region's default configs, as List Default Configs answers them (reference, version 1.1). */
export interface GetDefaultConfigsResult {
  /** Config name → value. */
  readonly configs: Readonly<Record<string, DefaultConfigValue>>;
  /** How many configs the API counts. */
  readonly count?: number | undefined;
}

/** The region's maximum partition size, as Get Maximum Partition Size answers it (reference, version 1.1). */
export interface GetMaximumPartitionSizeResult {
  /**
   * The most partitions a `partition` server group may have in this region; undefined when the API states
   * no number (the reference's example answers `""`).
   */
  readonly partitionSize?: number | undefined;
}

const configsArgs = z
  .object({ name: lookupName("name").optional(), category: lookupName("category").optional(), ...lookupOptionsShape })
  .strict();

const apiConfigs = z.looseObject({ configs: z.unknown(), count: z.number().nullish() });
const apiPartitionSize = z.looseObject({ partition_size: looseNumber });

const isMap = (v: unknown): v is Record<string, DefaultConfigValue> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * The configs, answered as a string holding a Python dict (the reference shows `"('key': 'value'}"`, its
 * opening brace mistyped as a parenthesis; that form is read as the dict it stands for), or as an object.
 */
export function decodeConfigs(raw: unknown): Record<string, DefaultConfigValue> {
  if (raw === undefined || raw === null || raw === "") return {};
  if (isMap(raw)) return raw;
  if (typeof raw === "string") {
    const text = raw.trim();
    const repaired = text.startsWith("(") && text.endsWith("}") ? `{${text.slice(1)}` : text;
    try {
      const parsed = parsePythonLiteral(repaired);
      if (isMap(parsed)) return parsed;
    } catch {
      // Reported below with the answer itself.
    }
  }
  throw new ScpLookupError(
    "getDefaultConfigs",
    "unreadable",
    `the API answered configs this lookup cannot read: ${JSON.stringify(raw)}`,
  );
}

/**
 * The region's default configs (name → value), optionally only one `name` or one `category`.
 *
 *   const { configs } = await scp.getDefaultConfigs({ category: "AUTO_SCALING_GROUP" });
 */
export async function getDefaultConfigs(args: GetDefaultConfigsArgs = {}): Promise<GetDefaultConfigsResult> {
  const a = validArguments("getDefaultConfigs", configsArgs, args);
  const body = apiConfigs.parse(
    (await lookupClient(a).call("listDefaultConfigs", { query: { name: a.name, category: a.category } })).body,
  );
  return { configs: decodeConfigs(body.configs), count: body.count ?? undefined };
}

/** `getDefaultConfigs` taking Inputs and giving an Output. */
export function getDefaultConfigsOutput(
  args: GetDefaultConfigsOutputArgs = {},
): pulumi.Output<GetDefaultConfigsResult> {
  return lookupOutput(args, getDefaultConfigs);
}

/** The most partitions a `partition` server group may have in the region. */
export async function getMaximumPartitionSize(args: LookupOptions = {}): Promise<GetMaximumPartitionSizeResult> {
  const a = validArguments("getMaximumPartitionSize", optionsOnly, args);
  const body = apiPartitionSize.parse((await lookupClient(a).call("getMaximumPartitionSize")).body);
  return { partitionSize: body.partition_size };
}

/** `getMaximumPartitionSize` taking Inputs and giving an Output. */
export function getMaximumPartitionSizeOutput(
  args: LookupInputs<LookupOptions> = {},
): pulumi.Output<GetMaximumPartitionSizeResult> {
  return lookupOutput(args, getMaximumPartitionSize);
}
