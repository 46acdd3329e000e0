import { ScpApiError, parseErrorBody } from "../../provider/errors";

const fields = { operation: "showKeypair", method: "GET", path: "/v1/keypairs/x" };

describe("error bodies", () => {
  test("SCP envelope with a string detail and a code", () => {
    expect(
      parseErrorBody(409, '{"errors":[{"status":409,"code":"CONFLICT","detail":"Keypair web already exists"}]}'),
    ).toEqual({
      code: "CONFLICT",
      detail: "Keypair web already exists",
      requestId: undefined,
    });
  });

  test("SCP envelope with a list detail", () => {
    expect(
      parseErrorBody(400, '{"errors":[{"status":400,"detail":["size: too small","name: required"]}]}').detail,
    ).toBe("size: too small; name: required");
  });

  test("gateway body with a request id", () => {
    const parsed = parseErrorBody(
      503,
      '{"timestamp":"2026-01-01T00:00:00Z","path":"/v1/servers","status":503,"error":"Service Unavailable","requestId":"abc-123"}',
    );
    expect(parsed).toEqual({ code: undefined, detail: "Service Unavailable", requestId: "abc-123" });
  });

  test("gateway body with error and message", () => {
    const parsed = parseErrorBody(
      502,
      '{"status":502,"error":"Bad Gateway","message":"upstream timed out","requestId":"r1"}',
    );
    expect(parsed).toEqual({ code: "Bad Gateway", detail: "upstream timed out", requestId: "r1" });
  });

  test("HTML page from a firewall", () => {
    const parsed = parseErrorBody(
      417,
      "<html><head><title>Request Rejected</title></head><body>blocked</body></html>",
      "Expectation Failed",
    );
    expect(parsed.detail).toBe("Expectation Failed (HTML page: Request Rejected)");
  });

  test("validation list, bare and under detail", () => {
    const list = '[{"loc":["body","size"],"msg":"value is not a valid integer","type":"type_error.integer"}]';
    expect(parseErrorBody(422, list)).toEqual({
      code: "VALIDATION_ERROR",
      detail: "size: value is not a valid integer",
    });
    expect(parseErrorBody(400, `{"detail":${list}}`).detail).toBe("size: value is not a valid integer");
  });

  test("empty and non-JSON bodies fall back to the status text", () => {
    expect(parseErrorBody(500, "", "Internal Server Error").detail).toBe("Internal Server Error");
    expect(parseErrorBody(500, "plain failure").detail).toBe("plain failure");
  });
});

describe("ScpApiError", () => {
  test("message names the resource, operation, status, API detail and request id", () => {
    const error = new ScpApiError({
      ...fields,
      status: 409,
      code: "CONFLICT",
      detail: "taken",
      requestId: "r-9",
      resource: 'keypair "web"',
    });
    expect(error.message).toBe(
      'keypair "web": showKeypair (GET /v1/keypairs/x) failed: HTTP 409 CONFLICT: taken [request id r-9]',
    );
  });

  test("404 is not found", () => {
    expect(new ScpApiError({ ...fields, status: 404, detail: "whatever" }).notFound).toBe(true);
  });

  test("400 or 403 count as not found only when the body says so", () => {
    expect(new ScpApiError({ ...fields, status: 403, detail: "Keypair web not found" }).notFound).toBe(true);
    expect(new ScpApiError({ ...fields, status: 400, detail: "resource does not exist" }).notFound).toBe(true);
    expect(new ScpApiError({ ...fields, status: 403, detail: "permission denied" }).notFound).toBe(false);
    expect(new ScpApiError({ ...fields, status: 400, detail: "size must be positive" }).notFound).toBe(false);
  });

  test("about() names the resource without losing fields", () => {
    const error = new ScpApiError({ ...fields, status: 500, detail: "x", ambiguous: true }).about("server s1");
    expect(error.resource).toBe("server s1");
    expect(error.ambiguous).toBe(true);
    expect(error.status).toBe(500);
  });
});
