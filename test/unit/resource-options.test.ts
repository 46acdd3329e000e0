import { assertNoImportOption } from "../../provider/resource-options";

describe("resource options", () => {
  test("the engine's import option is refused with what works instead, not a TypeError later", () => {
    expect(() => assertNoImportOption({ import: "vol-1" })).toThrow(
      /"import" resource option \(import: "vol-1"\) cannot .*pulumi\/pulumi#16175\)\. Use \{ id: "vol-1" \}/,
    );
    expect(() => assertNoImportOption({ id: "vol-1" })).not.toThrow();
    expect(() => assertNoImportOption(undefined)).not.toThrow();
  });
});
