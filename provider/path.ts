/**
 * Path templates. Every path parameter is percent-encoded as one segment, and values that a URL parser
 * would treat as a dot-segment (".", "..") or that are empty are refused, so no value can change which
 * path is requested (`a/../b`, `?x`, `%2F` all stay inside their segment).
 */
export class InvalidPathParameterError extends Error {
  constructor(
    readonly parameter: string,
    readonly value: string,
    reason: string,
  ) {
    super(`invalid value for path parameter "${parameter}" (${JSON.stringify(value)}): ${reason}`);
    this.name = "InvalidPathParameterError";
  }
}

export function encodePathSegment(parameter: string, value: string): string {
  if (value === "") throw new InvalidPathParameterError(parameter, value, "must not be empty");
  if (value === "." || value === "..") throw new InvalidPathParameterError(parameter, value, "is a dot-segment");
  return encodeURIComponent(value);
}

/** Fills `{name}` placeholders; a missing parameter is a programming error and throws. */
export function fillPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new InvalidPathParameterError(name, "", "is missing");
    return encodePathSegment(name, value);
  });
}
