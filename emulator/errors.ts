/** An API error the emulator answers with, in SCP's usual envelope. */
export class ApiFault extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly code: string = defaultCode(status),
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }

  envelope(): unknown {
    return { errors: [{ status: this.status, code: this.code, detail: this.detail }] };
  }
}

function defaultCode(status: number): string {
  const codes: Record<number, string> = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    429: "TOO_MANY_REQUESTS",
    500: "INTERNAL_SERVER_ERROR",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
  };
  return codes[status] ?? "ERROR";
}

export const notFound = (what: string, id: string): ApiFault => new ApiFault(404, `${what} ${id} not found`);
export const conflict = (detail: string): ApiFault => new ApiFault(409, detail);
export const badRequest = (detail: string): ApiFault => new ApiFault(400, detail);

/**
 * The status to answer for a refusal (400, 403, 409) of an operation: itself when the reference lists it
 * for that operation, otherwise the operation's documented refusal (400, else 409, else 403), so that an
 * operation only ever answers the statuses its reference page shows (plus 401, 404 and 406, and the
 * faults the control API injects, which are left alone).
 */
export function documentedRefusal(errorStatuses: readonly number[], status: number): number {
  if (![400, 403, 409].includes(status) || errorStatuses.includes(status)) return status;
  return [400, 409, 403].find((s) => errorStatuses.includes(s)) ?? status;
}
