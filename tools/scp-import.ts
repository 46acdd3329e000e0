#!/usr/bin/env node
/**
 * scp-import — onboarding existing objects: lists the live objects of an account and region and writes a
 * ready Pulumi TypeScript project that declares them, each with its `importId`, so that `pulumi up` takes
 * them under management without changing them and the plan after it is empty.
 *
 *   scp-import --out <dir> [--prefix <name prefix>] [--kinds servers,volumes,…] [--region <region>]
 *              [--project <name>] [--force]
 *
 * Settings (credentials, endpoint, region) are those the provider reads: environment (`SCP_*`,
 * `SCP_TF_*`) and `~/.scpconf`; `--region` overrides the region and is written into the program.
 * It prints what it wrote: objects per kind, and each object it skipped with the reason.
 *
 * Exit codes: 0 written; 1 bad arguments, settings or an API error (nothing written).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { clientFor } from "../provider/clients";
import { discover } from "./scp-import-discover";
import { KINDS, type Kind, formatSummary, projectFiles, projectName } from "./scp-import-program";

const USAGE = `usage: scp-import --out <dir> [--prefix <name prefix>] [--kinds <kind,…>] [--region <region>]
                  [--project <name>] [--force]
kinds: ${KINDS.join(", ")} (default: all)`;

/** A refusal of the command line: printed with the usage, exit code 1. */
export class UsageError extends Error {}

export interface ImportArguments {
  readonly out: string;
  readonly prefix?: string | undefined;
  readonly kinds: ReadonlySet<Kind>;
  readonly region?: string | undefined;
  readonly project: string;
  readonly force: boolean;
  readonly help: boolean;
}

/** The command line, checked; a UsageError names what is wrong. */
export function parseImportArguments(argv: readonly string[]): ImportArguments {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        out: { type: "string" },
        prefix: { type: "string" },
        tag: { type: "string", multiple: true },
        kinds: { type: "string" },
        region: { type: "string" },
        project: { type: "string" },
        force: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const help = values.help === true;
  if (values.tag !== undefined) {
    // Reference: tags are a request field of the creates only; no List or Show answer carries them.
    throw new UsageError(
      "--tag: no Virtual Server API operation returns tags or filters by them (SCP takes tags only when an " +
        "object is created), so objects cannot be selected by tag; select them by name with --prefix",
    );
  }
  if (!help && (values.out === undefined || values.out.trim() === "")) {
    throw new UsageError("--out <dir> is required: the directory the Pulumi project is written to");
  }
  if (values.prefix !== undefined && values.prefix === "") throw new UsageError("--prefix must not be empty");
  if (values.region !== undefined && values.region.trim() === "") throw new UsageError("--region must not be empty");
  let kinds: Set<Kind> = new Set(KINDS);
  if (values.kinds !== undefined) {
    const wanted = values.kinds
      .split(",")
      .map((k) => k.trim())
      .filter((k) => k !== "");
    const unknown = wanted.filter((k) => !(KINDS as readonly string[]).includes(k));
    if (unknown.length > 0 || wanted.length === 0) {
      throw new UsageError(
        `--kinds: ${unknown.length > 0 ? `unknown kind ${unknown.map((k) => `"${k}"`).join(", ")}` : "no kind given"}; the kinds are ${KINDS.join(", ")}`,
      );
    }
    kinds = new Set(wanted as Kind[]);
  }
  const out = values.out ?? "";
  return {
    out,
    prefix: values.prefix,
    kinds,
    region: values.region,
    project: projectName(values.project ?? (basename(resolve(out || ".")) || "scp-imported")),
    force: values.force === true,
    help,
  };
}

/** `name prefix "legacy-"; kinds: servers, volumes` */
export function describeSelection(args: Pick<ImportArguments, "prefix" | "kinds" | "region">): string {
  const kinds = args.kinds.size === KINDS.length ? "all" : KINDS.filter((k) => args.kinds.has(k)).join(", ");
  return [
    args.prefix === undefined ? "every name" : `name prefix ${JSON.stringify(args.prefix)}`,
    `kinds: ${kinds}`,
    ...(args.region === undefined ? [] : [`region ${args.region}`]),
  ].join("; ");
}

/** This package's version, for the generated package.json (found from the running file, built or not). */
function packageVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (!existsSync(file)) continue;
    const manifest = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
    if (manifest.name === "pulumi-scp-virtualserver" && manifest.version) return manifest.version;
  }
  return "0.1.0";
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseImportArguments(argv);
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const out = resolve(args.out);
  if (existsSync(join(out, "index.ts")) && !args.force) {
    throw new UsageError(`${join(out, "index.ts")} exists: choose another --out, or give --force to overwrite it`);
  }
  const client = clientFor({ region: args.region });
  const selection = describeSelection(args);
  const found = await discover(client, { prefix: args.prefix, kinds: args.kinds });
  const files = projectFiles(found.declarations, {
    selection,
    region: args.region,
    project: args.project,
    packageVersion: packageVersion(),
  });
  mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(out, name), text);
  console.log(formatSummary(found.declarations, found.skipped, found.unmatched, selection));
  console.log(
    `\nWrote ${Object.keys(files).join(", ")} to ${out}. Next:\n` +
      `  cd ${out} && npm install && pulumi stack init <stack>\n` +
      "  pulumi up          # takes the objects under management; nothing is changed in SCP\n" +
      "  pulumi preview --refresh --expect-no-changes",
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`scp-import: ${error instanceof Error ? error.message : String(error)}`);
      if (error instanceof UsageError) console.error(USAGE);
      process.exit(1);
    },
  );
}
