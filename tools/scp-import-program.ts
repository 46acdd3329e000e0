/**
 * scp-import, part 2: the Pulumi TypeScript program (and its project files) that declares the live objects
 * found by scp-import-discover.ts, each with its `importId`. Pure: no requests, no files.
 *
 * Where both ends of a relationship are declared, the program refers to the generated resource
 * (`legacyWebServer.id`, `legacyKey.name`) rather than to the literal id, so it reads like a hand-written one
 * and the engine orders creates and deletes by it; otherwise the live id is written as it is.
 */

/** The kinds scp-import declares, in the order the program declares them (dependencies first). */
export const KINDS = [
  "keypairs",
  "server-groups",
  "launch-configurations",
  "servers",
  "volumes",
  "attachments",
  "snapshots",
  "auto-scaling-groups",
  "policies",
  "schedules",
  "notifications",
] as const;
export type Kind = (typeof KINDS)[number];

interface KindInfo {
  /** The package's class (`scp.<className>`). */
  readonly className: string;
  /** For messages: `server group`. */
  readonly label: string;
  /** Ends each variable name of the kind (`legacyWebServer`), so that a server and its volume never clash. */
  readonly suffix: string;
}

export const KIND_INFO: Readonly<Record<Kind, KindInfo>> = {
  keypairs: { className: "Keypair", label: "keypair", suffix: "Key" },
  "server-groups": { className: "ServerGroup", label: "server group", suffix: "Group" },
  "launch-configurations": {
    className: "LaunchConfiguration",
    label: "launch configuration",
    suffix: "LaunchConfiguration",
  },
  servers: { className: "VirtualServer", label: "server", suffix: "Server" },
  volumes: { className: "Volume", label: "volume", suffix: "Volume" },
  attachments: { className: "VolumeAttachment", label: "volume attachment", suffix: "Attachment" },
  snapshots: { className: "Snapshot", label: "snapshot", suffix: "Snapshot" },
  "auto-scaling-groups": { className: "AutoScalingGroup", label: "auto-scaling group", suffix: "ScalingGroup" },
  policies: { className: "AutoScalingPolicy", label: "auto-scaling policy", suffix: "Policy" },
  schedules: { className: "AutoScalingSchedule", label: "auto-scaling schedule", suffix: "Schedule" },
  notifications: { className: "AutoScalingNotification", label: "auto-scaling notification", suffix: "Notification" },
};

/** The key of a live object among the declarations: its kind and its id (`servers/2a9b…`). */
export const objectKey = (kind: Kind, id: string): string => `${kind}/${id}`;

/** A value that is another live object's id or name: a reference when that object is declared too. */
export class Link {
  constructor(
    /** `objectKey` of the object referred to. */
    readonly target: string,
    readonly property: "id" | "name",
    /** The live value, written when the object referred to is not declared. */
    readonly literal: string,
  ) {}
}

/** A TypeScript expression written as it is (the program's `region` constant). */
export class Code {
  constructor(readonly text: string) {}
}

export type InputValue =
  string | number | boolean | Link | Code | readonly InputValue[] | { readonly [key: string]: InputValue };

/** One live object to declare. */
export interface Declaration {
  readonly kind: Kind;
  /** The importId: the live object's id (a keypair's name; `<parent>:<id>` for nested objects). */
  readonly importId: string;
  /** The name the Pulumi name and the variable are derived from (the object's own name, mostly). */
  readonly name: string;
  /** The inputs, from the live object; `importId` is added when rendering. */
  readonly inputs: Readonly<Record<string, InputValue>>;
  /** Lines written above the declaration: what the program cannot hold, and why. */
  readonly comments: readonly string[];
  /** `objectKey(kind, live id)`, the target of Links to this object. */
  readonly key: string;
}

/** A live object that matched the selection but is not declared. */
export interface Skipped {
  readonly kind: Kind;
  /** `server "web-1" (2a9b…)` */
  readonly description: string;
  readonly reason: string;
}

export interface ProgramOptions {
  /** What was selected, for the header (`name prefix "legacy-"; kinds: all`). */
  readonly selection: string;
  /** Written as each resource's `region` when given. */
  readonly region?: string | undefined;
}

// ---- Names ---------------------------------------------------------------------------------------------

/** A Pulumi resource name from an object name: letters, digits, `.`, `_`, `-`; never empty. */
export function pulumiName(name: string, kind: Kind): string {
  const cleaned = name
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return cleaned || KIND_INFO[kind].label.replace(/[^a-z]+/g, "-");
}

/** A camelCase TypeScript identifier from a name, ending with the kind's suffix (`legacy-web` → `legacyWebServer`). */
export function variableName(name: string, kind: Kind): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter((w) => w !== "");
  const camel = words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1)))
    .join("");
  const { suffix } = KIND_INFO[kind];
  const base = camel.toLowerCase().endsWith(suffix.toLowerCase())
    ? camel
    : `${camel}${camel === "" ? suffix.charAt(0).toLowerCase() + suffix.slice(1) : suffix}`;
  return /^[0-9]/.test(base) ? `_${base}` : base;
}

/** `taken` gets `wanted`, or `wanted` with the first free number (`-2`, or `2` for identifiers). */
function unique(wanted: string, taken: Set<string>, separator: string): string {
  let candidate = wanted;
  for (let n = 2; taken.has(candidate); n++) candidate = `${wanted}${separator}${n}`;
  taken.add(candidate);
  return candidate;
}

interface Named {
  readonly declaration: Declaration;
  /** Unique among the resources of its type (the engine's URN holds the type). */
  readonly pulumiName: string;
  /** Unique in the program. */
  readonly variable: string;
}

function nameAll(declarations: readonly Declaration[]): Named[] {
  const pulumiNames = new Map<Kind, Set<string>>();
  const variables = new Set<string>(["scp", "region"]);
  return declarations.map((declaration) => {
    const taken = pulumiNames.get(declaration.kind) ?? new Set<string>();
    pulumiNames.set(declaration.kind, taken);
    return {
      declaration,
      pulumiName: unique(pulumiName(declaration.name, declaration.kind), taken, "-"),
      variable: unique(variableName(declaration.name, declaration.kind), variables, ""),
    };
  });
}

// ---- Order ---------------------------------------------------------------------------------------------

function linksOf(value: InputValue): Link[] {
  if (value instanceof Link) return [value];
  if (value instanceof Code) return [];
  if (Array.isArray(value)) return value.flatMap((v: InputValue) => linksOf(v));
  if (typeof value === "object") return Object.values(value).flatMap((v) => linksOf(v));
  return [];
}

/**
 * The declarations in an order where each comes after those it refers to (a program cannot use a variable
 * before it is declared), keeping the given order otherwise. A reference that would close a cycle (live
 * data cannot make one; kept as a guard) is written as its literal instead.
 */
function dependencyOrder(named: readonly Named[]): { ordered: Named[]; literal: Set<Link> } {
  const byKey = new Map(named.map((n) => [n.declaration.key, n]));
  const ordered: Named[] = [];
  const state = new Map<Named, "visiting" | "done">();
  const literal = new Set<Link>();
  const visit = (n: Named) => {
    state.set(n, "visiting");
    for (const link of Object.values(n.declaration.inputs).flatMap(linksOf)) {
      const target = byKey.get(link.target);
      if (!target) continue;
      if (state.get(target) === "visiting") literal.add(link);
      else if (!state.has(target)) visit(target);
    }
    state.set(n, "done");
    ordered.push(n);
  };
  for (const n of named) if (!state.has(n)) visit(n);
  return { ordered, literal };
}

// ---- TypeScript text -----------------------------------------------------------------------------------

const LINE_WIDTH = 110;
const isIdentifier = (key: string) => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key);

type Expression = (value: Link) => string;

const keyText = (key: string) => (isIdentifier(key) ? key : JSON.stringify(key));

/** A value as TypeScript on one line. */
function inline(value: InputValue, reference: Expression): string {
  if (value instanceof Link) return reference(value);
  if (value instanceof Code) return value.text;
  if (typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: InputValue) => inline(v, reference)).join(", ")}]`;
  const entries = Object.entries(value).map(([k, v]) =>
    v instanceof Code && v.text === k ? k : `${keyText(k)}: ${inline(v, reference)}`,
  );
  return entries.length === 0 ? "{}" : `{ ${entries.join(", ")} }`;
}

/**
 * A value as TypeScript: on one line when it fits from `column` on, otherwise one item or property a line
 * (as prettier lays it out), `indent` being the indentation of the line it starts on.
 */
function render(value: InputValue, indent: string, column: number, reference: Expression): string {
  const flat = inline(value, reference);
  if (
    column + flat.length <= LINE_WIDTH ||
    typeof value !== "object" ||
    value instanceof Link ||
    value instanceof Code
  ) {
    return flat;
  }
  const inner = `${indent}  `;
  const lines = Array.isArray(value)
    ? value.map((v: InputValue) => render(v, inner, inner.length, reference))
    : Object.entries(value).map(([k, v]) => {
        if (v instanceof Code && v.text === k) return k;
        const key = `${keyText(k)}: `;
        return `${key}${render(v, inner, inner.length + key.length, reference)}`;
      });
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  return `${open}\n${lines.map((l) => `${inner}${l},\n`).join("")}${indent}${close}`;
}

const HEADER = (options: ProgramOptions) =>
  [
    `// SCP objects taken under management, as generated by scp-import (${options.selection}).`,
    "//",
    "// Each resource names its live object in `importId`: the first `pulumi up` reads the object and keeps it as it",
    "// is (nothing is sent to change it), and from then on it is managed like any other resource: updated,",
    "// drift-checked, and deleted by `pulumi destroy` (give a resource `{ retainOnDelete: true }` to keep it).",
    "// The inputs are the live values, so the plan after the import is empty.",
    "//",
    "// Not here, because SCP never returns them: tags (given only when an object is created; adding tags now",
    "// records them in state and changes nothing live) and a server's user data (leave `userData` unset: set",
    "// now, it would replace the server).",
  ].join("\n");

/** The program text (index.ts). */
export function renderProgram(declarations: readonly Declaration[], options: ProgramOptions): string {
  const { ordered, literal } = dependencyOrder(nameAll(declarations));
  const byKey = new Map(ordered.map((n) => [n.declaration.key, n]));
  const targetOf = (link: Link) => (literal.has(link) ? undefined : byKey.get(link.target));
  // Only a declaration another one refers to needs a variable.
  const referenced = new Set(
    ordered.flatMap((n) =>
      Object.values(n.declaration.inputs)
        .flatMap(linksOf)
        .flatMap((l) => targetOf(l) ?? []),
    ),
  );
  const reference: Expression = (link) => {
    const target = targetOf(link);
    return target ? `${target.variable}.${link.property}` : JSON.stringify(link.literal);
  };
  const lines = [HEADER(options), 'import * as scp from "pulumi-scp-virtualserver";', ""];
  if (options.region !== undefined) lines.push(`const region = ${JSON.stringify(options.region)};`, "");
  for (const n of ordered) {
    const inputs: Record<string, InputValue> = {
      importId: n.declaration.importId,
      ...n.declaration.inputs,
      ...(options.region === undefined ? {} : { region: new Code("region") }),
    };
    const { className } = KIND_INFO[n.declaration.kind];
    const start = `${referenced.has(n) ? `const ${n.variable} = ` : ""}new scp.${className}(${JSON.stringify(n.pulumiName)}, `;
    for (const comment of n.declaration.comments) lines.push(`// ${comment}`);
    // `);` follows the arguments on their last line.
    lines.push(`${start}${render(inputs, "", start.length + 2, reference)});`, "");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}

// ---- Project files -------------------------------------------------------------------------------------

/**
 * The template's tsconfig.json (pulumi/templates, typescript), as `pulumi new typescript` writes it; the
 * consumer-compile tests compile against the same settings.
 */
export const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    declaration: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
} as const;

/** A Pulumi project name: letters, digits, `-`, `_`, `.`. */
export function projectName(wanted: string): string {
  return pulumiName(wanted, "servers").replace(/^\./, "") || "scp-imported";
}

/** index.ts, Pulumi.yaml, package.json and tsconfig.json of the project, laid out as examples/ are. */
export function projectFiles(
  declarations: readonly Declaration[],
  options: ProgramOptions & { readonly project: string; readonly packageVersion: string },
): Record<string, string> {
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return {
    "index.ts": renderProgram(declarations, options),
    "Pulumi.yaml": [
      `name: ${options.project}`,
      "runtime: nodejs",
      // JSON text is a YAML string: the selection holds ": ".
      `description: ${JSON.stringify(`SCP objects taken under management by scp-import (${options.selection})`)}`,
      "",
    ].join("\n"),
    "package.json": json({
      name: options.project,
      private: true,
      main: "index.ts",
      dependencies: { "@pulumi/pulumi": "^3.216.0", "pulumi-scp-virtualserver": `^${options.packageVersion}` },
      devDependencies: { typescript: "~5.9.3" },
    }),
    "tsconfig.json": json(TEMPLATE_TSCONFIG),
  };
}

// ---- Summary -------------------------------------------------------------------------------------------

/** What scp-import prints: objects per kind, what was skipped and why, what did not match. */
export function formatSummary(
  declarations: readonly Declaration[],
  skipped: readonly Skipped[],
  unmatched: number,
  selection: string,
): string {
  const lines = [`scp-import: ${declarations.length} objects to import (${selection})`];
  for (const kind of KINDS) {
    const count = declarations.filter((d) => d.kind === kind).length;
    const left = skipped.filter((s) => s.kind === kind).length;
    if (count === 0 && left === 0) continue;
    lines.push(`  ${kind.padEnd(22)} ${String(count).padStart(4)}${left > 0 ? `   (${left} skipped)` : ""}`);
  }
  if (skipped.length > 0) {
    lines.push(`skipped ${skipped.length}:`);
    for (const s of skipped) lines.push(`  ${s.description}: ${s.reason}`);
  }
  if (unmatched > 0) lines.push(`${unmatched} other objects do not match the selection.`);
  return lines.join("\n");
}
