/**
 * Issue 11 item 6: every request body the provider sends carries only keys that the reference's REQUEST
 * example for that operation and version shows. Checked over the emulator's request log (each entry has
 * the operation, the negotiated version and the body as sent), with test/support/shape.ts's
 * `requestKeyDifferences` comparing a body with the reference example.
 */
import type { RunningEmulator } from "../../emulator";
import type { OperationId } from "../../provider/operations";
import { exampleLocation, referenceExample, requestKeyDifferences } from "../support/shape";

/** What the check needs of a request-log entry (`body` as parsed JSON, or the raw text). */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly operation?: string | undefined;
  readonly version?: string | undefined;
  readonly status: number;
  readonly body?: unknown;
}

export interface RequestKeyViolation {
  readonly operation: string;
  readonly version: string;
  readonly differences: string[];
  readonly requests: number;
  readonly example: string;
}

export interface RequestKeyReport {
  /** Entries of API operations looked at (control calls are not logged). */
  readonly checked: number;
  /** Entries that carried a body. */
  readonly withBody: number;
  /** Entries without a `body` field at all: the log does not record bodies (yet). */
  readonly bodyNotLogged: number;
  /** One per (operation, version, difference set). */
  readonly violations: RequestKeyViolation[];
  /** Requests per operation@version, for the summary. */
  readonly operations: Record<string, number>;
  /** Requests with a body per operation@version: what was checked. */
  readonly bodies: Record<string, number>;
}

function parsedBody(entry: LoggedRequest): unknown {
  const body = entry.body;
  if (typeof body !== "string") return body === null ? undefined : body;
  if (body.trim() === "") return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

/**
 * The request-key differences of every logged request, grouped by operation and version. `exclude`
 * holds entries the test itself made (out-of-band changes made as a console user would): they are not
 * the provider's requests.
 */
export function requestKeyReport(
  entries: readonly LoggedRequest[],
  exclude: ReadonlySet<unknown> = new Set(),
): RequestKeyReport {
  let checked = 0;
  let withBody = 0;
  let bodyNotLogged = 0;
  const operations: Record<string, number> = {};
  const bodies: Record<string, number> = {};
  const grouped = new Map<string, RequestKeyViolation>();
  for (const entry of entries) {
    if (exclude.has(entry) || !entry.operation) continue;
    checked++;
    const version = entry.version ?? "(none negotiated)";
    const key = `${entry.operation}@${version}`;
    operations[key] = (operations[key] ?? 0) + 1;
    if (!("body" in entry)) {
      bodyNotLogged++;
      continue;
    }
    const body = parsedBody(entry);
    if (body === undefined) continue;
    withBody++;
    bodies[key] = (bodies[key] ?? 0) + 1;
    let differences: string[];
    let example = "";
    try {
      differences = requestKeyDifferences(entry.operation as OperationId, entry.version, body);
    } catch (error) {
      differences = [`(check failed: ${error instanceof Error ? error.message : String(error)})`];
    }
    if (differences.length === 0) continue;
    try {
      example = exampleLocation(referenceExample(entry.operation as OperationId, entry.version), "request");
    } catch {
      example = "";
    }
    const id = `${key} ${differences.join(" | ")}`;
    const previous = grouped.get(id);
    grouped.set(id, {
      operation: entry.operation,
      version,
      differences,
      requests: (previous?.requests ?? 0) + 1,
      example,
    });
  }
  return { checked, withBody, bodyNotLogged, violations: [...grouped.values()], operations, bodies };
}

export function formatRequestKeyReport(report: RequestKeyReport): string {
  const lines = [
    `request keys: ${report.checked} provider requests checked over ${Object.keys(report.operations).length} operation@version, ${report.withBody} with a body, ${report.violations.length} violation group(s)` +
      (report.bodyNotLogged > 0 ? `, ${report.bodyNotLogged} logged WITHOUT a body field` : ""),
  ];
  lines.push(
    `  bodies checked: ${Object.entries(report.bodies)
      .sort()
      .map(([k, n]) => `${k}×${n}`)
      .join(", ")}`,
  );
  for (const v of report.violations) {
    lines.push(
      `  ${v.operation} (version ${v.version}, ${v.requests} request(s)${v.example ? `, example at ${v.example}` : ""}): ${v.differences.join("; ")}`,
    );
  }
  return lines.join("\n");
}

/**
 * Asserts that every request in the emulator's log has only documented keys, printing the report.
 * Fails as well when the log does not record bodies (nothing could be checked).
 */
export function expectOnlyDocumentedRequestKeys(
  emulator: RunningEmulator,
  exclude: ReadonlySet<unknown> = new Set(),
): RequestKeyReport {
  const entries = emulator.state.requestLog as unknown as LoggedRequest[];
  const report = requestKeyReport(entries, exclude);
  const text = formatRequestKeyReport(report);
  console.log(text);
  expect({
    problems: report.violations.map((v) => `${v.operation}@${v.version}: ${v.differences.join("; ")}`),
  }).toEqual({
    problems: [],
  });
  expect({ entriesWithoutBodyField: report.bodyNotLogged }).toEqual({ entriesWithoutBodyField: 0 });
  expect(report.checked).toBeGreaterThan(0);
  return report;
}
