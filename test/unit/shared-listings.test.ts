/**
 * A shared listing whose entries end waits (`complete: true`, provider/shared-poller.ts) stands in for the
 * kind's show: a wait returns the listing's entry, and the resource builds its outputs from it. That is only
 * sound where the reference's List example carries every key, at every depth, that its Show example does —
 * checked here for every operation the provider lists for waits (`listForWaits(…, "<operation>", …)`).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { referenceExamplesByVersion } from "../../emulator/reference-examples";
import type { OperationId } from "../../provider/operations";

const REPO_ROOT = join(__dirname, "..", "..");

/** The show each listing stands in for. */
const SHOW_OF: Partial<Record<OperationId, OperationId>> = {
  listVirtualServers: "showVirtualServer",
  listVolumes: "showVolume",
  listSnapshots: "showSnapshot",
};

/** Every key path of a JSON value (`servers[].device`), arrays read through their first element. */
function keyPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.length === 0 ? [] : keyPaths(value[0], `${prefix}[].`);
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, v]) => [`${prefix}${key}`, ...keyPaths(v, `${prefix}${key}.`)]);
}

/** The operations the provider's sources list for waits. */
const listedForWaits = [
  ...new Set(
    ["provider", "resources"].flatMap((dir) =>
      readdirSync(join(REPO_ROOT, dir))
        .filter((f) => f.endsWith(".ts"))
        .flatMap((f) =>
          [...readFileSync(join(REPO_ROOT, dir, f), "utf8").matchAll(/listForWaits\(\s*[\w.]+,\s*"(\w+)"/g)].map(
            (m) => m[1] as OperationId,
          ),
        ),
    ),
  ),
].sort();

describe("shared listings that end waits", () => {
  test("the provider lists servers, snapshots and volumes for waits, and each has the show it stands in for", () => {
    expect(listedForWaits).toEqual(["listSnapshots", "listVirtualServers", "listVolumes"]);
    for (const op of listedForWaits) expect(SHOW_OF[op]).toBeDefined();
  });

  test.each(Object.entries(SHOW_OF) as [OperationId, OperationId][])(
    "%s entries carry every key %s answers, in every version both document",
    (list, show) => {
      const versions = Object.keys(referenceExamplesByVersion[list]).filter(
        (v) => referenceExamplesByVersion[show][v] !== undefined,
      );
      expect(versions.length).toBeGreaterThan(0);
      for (const version of versions) {
        const listed = referenceExamplesByVersion[list][version]?.response as Record<string, unknown>;
        const entries = Object.values(listed).find(Array.isArray) as unknown[];
        const shown = referenceExamplesByVersion[show][version]?.response;
        const missing = keyPaths(shown).filter((k) => !new Set(keyPaths(entries[0])).has(k));
        expect({ version, missing }).toEqual({ version, missing: [] });
      }
    },
  );
});
