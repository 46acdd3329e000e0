import { decodeConfigs } from "../../lookups/defaults";
import { referenceExamplesByVersion } from "../../emulator/reference-examples";
import {
  decodeStringList,
  decodeTags,
  encodeTags,
  formatPythonLiteral,
  parsePythonLiteral,
} from "../../provider/python-literal";

describe("Python-literal fields", () => {
  test("tags decode from the reference's example", () => {
    expect(decodeTags("[{'key': 'key', 'value': 'value'}]")).toEqual({ key: "value" });
  });

  test("tags round-trip, quotes and backslashes included", () => {
    const tags = { env: "prod", "team's": 'a "b" \\ c' };
    expect(decodeTags(encodeTags(tags))).toEqual(tags);
    expect(encodeTags({ env: "prod" })).toBe("[{'key': 'env', 'value': 'prod'}]");
  });

  test("id lists decode from strings and from real lists", () => {
    expect(decodeStringList("['c09c3f05-03d9', 'x']")).toEqual(["c09c3f05-03d9", "x"]);
    expect(decodeStringList("[]")).toEqual([]);
    expect(decodeStringList("")).toEqual([]);
    expect(decodeStringList(["a"])).toEqual(["a"]);
  });

  test("scalars and nesting", () => {
    expect(parsePythonLiteral("{'a': [1, 2.5, True, None], \"b\": (False,)}")).toEqual({
      a: [1, 2.5, true, null],
      b: [false],
    });
    expect(formatPythonLiteral({ a: [1, true, null] })).toBe("{'a': [1, True, None]}");
  });

  test("malformed text is an error that shows where", () => {
    expect(() => parsePythonLiteral("['a', ")).toThrow(/at \d+/);
    expect(() => parsePythonLiteral("['a'] x")).toThrow(/end of text/);
  });
});

describe("List Default Configs' configs", () => {
  test("the reference's own example, its opening brace mistyped as a parenthesis, is read as the dict it stands for", () => {
    const example = referenceExamplesByVersion.listDefaultConfigs["1.1"]?.response as { configs: string };
    expect(example.configs).toBe("('key': 'value'}");
    expect(decodeConfigs(example.configs)).toEqual({ key: "value" });
  });

  test("an answer that is no dict fails naming the lookup", () => {
    expect(() => decodeConfigs("[1, 2]")).toThrow(/getDefaultConfigs: .*cannot read: "\[1, 2\]"/);
  });
});
