import { InvalidPathParameterError, fillPath } from "../../provider/path";

describe("path parameters", () => {
  test.each([
    ["a/../b", "/v1/keypairs/a%2F..%2Fb"],
    ["?x=1", "/v1/keypairs/%3Fx%3D1"],
    ["%2F", "/v1/keypairs/%252F"],
    ["#frag", "/v1/keypairs/%23frag"],
    ["name with space", "/v1/keypairs/name%20with%20space"],
  ])("%j stays inside its segment", (value, expected) => {
    expect(fillPath("/v1/keypairs/{keypair_name}", { keypair_name: value })).toBe(expected);
  });

  test.each(["", ".", ".."])("%j is refused", (value) => {
    expect(() => fillPath("/v1/keypairs/{keypair_name}", { keypair_name: value })).toThrow(InvalidPathParameterError);
  });

  test("a missing parameter is refused", () => {
    expect(() => fillPath("/v1/servers/{server_id}", {})).toThrow(/server_id/);
  });
});
