import { z } from "zod";
import { UNKNOWN, checkInputs } from "../../provider/check";
import { diffByRules } from "../../provider/diff";
import { parseDuration, resolveTimeouts, timeoutsSchema } from "../../provider/timeouts";

describe("diff rules", () => {
  const rules = {
    name: { on: "update" },
    image: { on: "replace" },
    type: { on: "update" },
    tags: { on: "record", normalize: (v: unknown) => v ?? {} },
    hash: { on: "replace", differs: (olds: Readonly<Record<string, unknown>>, next: unknown) => olds.h !== next },
  } as const;

  test("an input left unset is no opinion, whatever the cloud holds", () => {
    expect(diffByRules(rules, { name: "a", image: "i", type: "t" }, { name: "a", image: "i" })).toEqual({
      changes: false,
      replaces: [],
      changed: [],
      recorded: [],
    });
  });

  test("in-place, replacing and recorded changes are told apart", () => {
    expect(
      diffByRules(rules, { name: "a", image: "i", tags: {} }, { name: "b", image: "j", tags: { a: "1" } }),
    ).toEqual({
      changes: true,
      replaces: ["image"],
      changed: ["name", "image", "tags"],
      recorded: ["tags"],
    });
  });

  test("a rule's own comparison decides for properties state keeps differently", () => {
    expect(diffByRules(rules, { name: "a", image: "i", h: "x" }, { name: "a", image: "i", hash: "x" }).changes).toBe(
      false,
    );
    expect(
      diffByRules(rules, { name: "a", image: "i", h: "x" }, { name: "a", image: "i", hash: "y" }).replaces,
    ).toEqual(["hash"]);
  });

  test("an unknown value counts as a change", () => {
    expect(diffByRules(rules, { name: "a", image: "i" }, { name: "a", image: UNKNOWN }).replaces).toEqual(["image"]);
  });

  test("normalization treats missing tags as empty", () => {
    expect(diffByRules(rules, { name: "a", image: "i", tags: {} }, { name: "a", image: "i" }).changes).toBe(false);
  });
});

describe("check", () => {
  const schema = z
    .object({
      name: z.string().min(1, "name must not be empty"),
      size: z.number().int().positive("size must be positive"),
    })
    .strict();

  test("names the property and the reason", () => {
    expect(checkInputs(schema, { name: "", size: -1 })).toEqual([
      { property: "name", reason: "name must not be empty" },
      { property: "size", reason: "size must be positive" },
    ]);
  });

  test("unknown values pass during preview", () => {
    expect(checkInputs(schema, { name: UNKNOWN, size: UNKNOWN })).toEqual([]);
  });

  test("unexpected properties are reported", () => {
    expect(checkInputs(schema, { name: "a", size: 1, sise: 2 })[0]).toEqual({
      property: "sise",
      reason: 'unknown property; did you mean "size"?',
    });
  });
});

describe("timeouts", () => {
  test("durations parse like Terraform's", () => {
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("soon")).toBeUndefined();
  });

  test("defaults fill what is not set", () => {
    expect(resolveTimeouts({ create: "2m" }, { createMs: 1, updateMs: 2, deleteMs: 3 })).toEqual({
      createMs: 120_000,
      updateMs: 2,
      deleteMs: 3,
    });
  });

  test("bad durations are rejected by the schema", () => {
    expect(timeoutsSchema.safeParse({ create: "soon" }).success).toBe(false);
    expect(timeoutsSchema.safeParse({ create: "0s" }).success).toBe(false);
    expect(timeoutsSchema.safeParse({ crate: "1m" }).success).toBe(false);
  });
});
