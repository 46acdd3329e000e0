#!/usr/bin/env node
// Generates provider/operations.ts (the operation table the client and the emulator share) and
// emulator/reference-examples.ts (the reference's request/response examples for every operation and
// every version, with their status and the line of the reference they come from) from the API
// reference in ../shared/api. The examples are read from the printable text of the reference (one per
// version), not from the JSON, which keeps one per operation and truncates some (List Default Configs).
//
// Run by hand when the reference changes: `node scripts/generate-operations.mjs [path/to/api]`.
// Nothing reads ../shared at build, test or run time; the generated files are committed.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const apiDir = process.argv[2] ?? join(root, "..", "shared", "api");
const operations = JSON.parse(readFileSync(join(apiDir, "virtualserver-api.json"), "utf8"));

// The later page on Delete Virtual Server stands where the two disagree: read its versions table.
const deletePage = readFileSync(join(apiDir, "delete-server-api-versions.txt"), "utf8");
const deleteVersions = [...deletePage.matchAll(/^\| (\d+\.\d+) \| ([-\d]+) \|$/gm)].map((m) => ({
  version: m[1],
  supportedUntil: m[2] === "-" ? null : `${m[2].slice(0, 4)}-${m[2].slice(4, 6)}-${m[2].slice(6)}`,
}));
const deleteCurrent = /(\d+\.\d+)\ndelete \/v1\/servers\/\{server_id\}[\s\S]*?\(CURRENT\)/.exec(deletePage)?.[1];

function operationId(title) {
  const words = title
    .replace(/[’']s\b/g, "")
    .replace(/\b(a|and|details|region)\b/gi, " ")
    .replace(/[^A-Za-z ]/g, " ")
    .split(/\s+/)
    .filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1))).join("");
}

const table = operations.map((op) => {
  let versions = op.versions.map((v) => ({
    version: v.version,
    supportedUntil:
      v.supported_until === "-"
        ? null
        : `${v.supported_until.slice(0, 4)}-${v.supported_until.slice(4, 6)}-${v.supported_until.slice(6)}`,
  }));
  let current = op.current_version;
  if (op.method === "DELETE" && op.path === "/v1/servers/{server_id}") {
    versions = deleteVersions;
    current = deleteCurrent ?? current;
  }
  const params = (where) => op.parameters.filter((p) => p.in === where);
  return {
    id: operationId(op.title),
    title: op.title,
    method: op.method,
    path: op.path,
    currentVersion: current,
    versions,
    pathParams: params("path").map((p) => p.name),
    queryParams: params("query").map((p) => p.name),
    hasBody: params("body").length > 0,
    successStatus: op.responses.find((r) => r.code < 300)?.code ?? 200,
    errorStatuses: op.responses.filter((r) => r.code >= 400).map((r) => r.code),
  };
});

// ---- Per-version examples from the printable reference (and the later Delete Virtual Server page).

/**
 * Splits a printable reference into "N - Title" operations and "N.M - version" sections, and reads each
 * section's request body, response status and response body with the (1-based) line each starts on.
 */
function parseExamples(text, file, { titled }) {
  const lines = text.split("\n");
  const sections = [];
  let title;
  for (const [index, line] of lines.entries()) {
    const op = /^(\d+) - (.+)$/.exec(line);
    const ver = titled ? /^\d+\.\d+ - (\d+\.\d+)$/.exec(line) : /^\d+ - (\d+\.\d+)$/.exec(line);
    if (ver) sections.push({ title, version: ver[1], start: index, lines: [] });
    else if (titled && op && !/^\d+\.\d+ - /.test(line) && lines[index + 1]?.match(/^\d+\.\d+ - /)) title = op[2];
    else sections.at(-1)?.lines.push(index);
  }
  return sections.map((section) => {
    const at = (i) => lines[section.lines[i]];
    const find = (label, from = 0) => section.lines.findIndex((_, i) => i >= from && at(i) === label);
    const requestStart = find("Example HTTP request");
    const responseStart = find("Example HTTP response", requestStart);
    // The later Delete Virtual Server page stops before 1.0's response: such sections give no example.
    if (requestStart < 0 || responseStart < 0) return { title: section.title, version: section.version, example: null };
    const json = (from, to) => {
      const body = section.lines
        .slice(from, to)
        .map((i) => lines[i])
        .join("\n")
        .trim();
      if (body === "") return { value: null, line: null };
      try {
        return { value: JSON.parse(body), line: section.lines[from] + 1 };
      } catch (error) {
        throw new Error(`${file}:${section.lines[from] + 1}: example is not JSON (${error.message})`);
      }
    };
    const bodyLabel = find("Request body", requestStart);
    const request =
      bodyLabel >= 0 && bodyLabel < responseStart ? json(bodyLabel + 1, responseStart) : { value: null, line: null };
    const statusMatch = /^Response (\d{3})$/.exec(at(responseStart + 1) ?? "");
    if (!statusMatch) throw new Error(`${file}:${section.lines[responseStart] + 2}: no response status`);
    const response = json(responseStart + 2, section.lines.length);
    return {
      title: section.title,
      version: section.version,
      example: {
        status: Number(statusMatch[1]),
        request: request.value,
        requestLine: request.line,
        response: response.value,
        responseLine: response.line ?? section.lines[responseStart + 1] + 1,
        source: file,
        sectionLine: section.start + 1,
      },
    };
  });
}

const referenceFile = "virtualserver-api-reference.txt";
const deleteFile = "delete-server-api-versions.txt";
const sectionsByTitle = new Map();
for (const s of parseExamples(readFileSync(join(apiDir, referenceFile), "utf8"), referenceFile, { titled: true })) {
  if (!sectionsByTitle.has(s.title)) sectionsByTitle.set(s.title, {});
  sectionsByTitle.get(s.title)[s.version] = s.example;
}
// The later page stands for Delete Virtual Server: its sections replace the main reference's where it
// shows them (it is cut off before 1.0's response; 1.0 stays as the main reference shows it).
for (const s of parseExamples(deletePage, deleteFile, { titled: false })) {
  if (s.example) sectionsByTitle.get("Delete Virtual Server")[s.version] = s.example;
}

const ids = new Set();
for (const op of table) {
  if (ids.has(op.id)) throw new Error(`duplicate operation id ${op.id}`);
  ids.add(op.id);
}

const header =
  "// Generated by scripts/generate-operations.mjs from the SCP Virtual Server API reference. Do not edit.\n";
const opsSource = `${header}
/** One operation of the SCP Virtual Server API as the reference documents it. */
export interface OperationSpec {
  /** Stable identifier used in code and in per-operation version overrides (e.g. \`deleteServer\`). */
  readonly id: OperationId;
  /** The reference's title. */
  readonly title: string;
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path template with \`{param}\` placeholders. */
  readonly path: string;
  /** The version sent by default (\`Scp-API-Version: virtualserver <version>\`). */
  readonly currentVersion: string;
  /** Every version the reference lists, with its support date (ISO day) or null when open-ended. */
  readonly versions: readonly { readonly version: string; readonly supportedUntil: string | null }[];
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly hasBody: boolean;
  /** The success status the reference shows. */
  readonly successStatus: number;
  readonly errorStatuses: readonly number[];
}

/** Every operation id of the reference. */
export type OperationId =
${table.map((op) => `  | ${JSON.stringify(op.id)}`).join("\n")};

export const operations = ${JSON.stringify(Object.fromEntries(table.map((op) => [op.id, op])), null, 2)} as const satisfies Record<OperationId, OperationSpec>;
`;
writeFileSync(join(root, "provider", "operations.ts"), opsSource);

const examplesByVersion = Object.fromEntries(
  table.map((op) => {
    const sections = sectionsByTitle.get(op.title);
    if (!sections) throw new Error(`no examples in the reference for ${op.title}`);
    for (const { version } of op.versions) {
      if (!sections[version]) throw new Error(`no example for ${op.title} ${version}`);
    }
    return [op.id, sections];
  }),
);
writeFileSync(
  join(root, "emulator", "reference-examples.ts"),
  `${header}
import { type OperationId, operations } from "../provider/operations";

/** One version's examples as the reference prints them. */
export interface ReferenceExample {
  /** The status of the example response ("Response 202"). */
  readonly status: number;
  /** The example request body; null when the reference shows none. */
  readonly request: unknown;
  /** The line of the reference where the request body starts; null when there is none. */
  readonly requestLine: number | null;
  /** The example response body; null when the reference shows none. */
  readonly response: unknown;
  /** The line where the response body starts (the "Response NNN" line when there is no body). */
  readonly responseLine: number;
  /** The reference file the example is from (Delete Virtual Server has a later page of its own). */
  readonly source: "${referenceFile}" | "${deleteFile}";
  /** The line of the version's section heading ("89.2 - 1.0"). */
  readonly sectionLine: number;
}

/** Every operation's examples, by operation id then version. */
export const referenceExamplesByVersion: Readonly<Record<OperationId, Readonly<Record<string, ReferenceExample>>>> = ${JSON.stringify(examplesByVersion, null, 2)};

/** The current version's request and response example for each operation. */
export const referenceExamples = Object.fromEntries(
  Object.values(operations).map((op) => {
    const example = referenceExamplesByVersion[op.id][op.currentVersion];
    return [op.id, { request: example?.request ?? null, response: example?.response ?? null }];
  }),
) as Readonly<Record<OperationId, { readonly request: unknown; readonly response: unknown }>>;
`,
);
console.log(
  `wrote ${table.length} operations, ${Object.values(examplesByVersion).reduce((n, v) => n + Object.keys(v).length, 0)} versioned examples`,
);
