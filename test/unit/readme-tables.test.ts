import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  END,
  RESOURCE_CLASSES,
  START,
  resourceTable,
  resourceModules,
  rulesOf,
  unpadded,
} from "../support/readme-tables";

const README = join(__dirname, "..", "..", "README.md");

describe("README resource table", () => {
  test("lists every resource module", () => {
    expect(Object.keys(RESOURCE_CLASSES).sort()).toEqual(resourceModules());
  });

  test("every writeOnly reason says why in words", () => {
    for (const module of resourceModules())
      for (const [name, rule] of Object.entries(rulesOf(module)))
        if (rule.writeOnly !== undefined) expect(`${module}.${name}: ${rule.writeOnly}`).toMatch(/: \S.{10,}/);
  });

  test("matches the diff rules (run `npm run readme` to regenerate)", () => {
    const readme = readFileSync(README, "utf8");
    const start = readme.indexOf(START);
    const end = readme.indexOf(END);
    expect(start).toBeGreaterThan(0);
    const current = readme.slice(start, end + END.length);
    const wanted = resourceTable();
    if (process.env.UPDATE_README === "1" && unpadded(current) !== unpadded(wanted)) {
      writeFileSync(README, readme.slice(0, start) + wanted + readme.slice(end + END.length));
      return;
    }
    expect(unpadded(current)).toBe(unpadded(wanted));
  });
});
