/**
 * Recognising what a killed run created.
 *
 * When `pulumi up` dies between a create request and the engine's checkpoint, the state keeps only a
 * pending operation and the next run calls create again (the engine cannot know the object's id). Each
 * Resource class therefore passes its own URN as the hidden input `_urn`; the provider stamps a marker
 * derived from the URN and the create's inputs on the object where the API returns what was sent (a
 * server's metadata, a snapshot's metadata), and the next run's create looks for that marker first.
 *
 * The inputs are part of the marker so that a replacement (create before delete, new inputs) never takes
 * the object it replaces. A replacement the engine forces without any input change (`pulumi up --replace`,
 * `replaceOnChanges`) cannot be told from a resumed create by the provider: such a create adopts the live
 * object, and the delete of that same object later in the same run is skipped (see `adoptedInThisRun`).
 */
import { createHash } from "node:crypto";

/** The hidden input that carries the resource's URN (set by the Resource class, never by the program). */
export const URN_INPUT = "_urn";

/** The metadata key holding the marker on objects that keep metadata. */
export const MARKER_METADATA_KEY = "pulumi-create-marker";

/** Keys sorted at every level, so that the same inputs always serialise the same way. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
  );
}

/**
 * The marker for creating this resource with these inputs: the same in every run of the same program, so
 * a resumed create finds what the killed one made. Timeouts do not change what is created.
 */
export function createMarker(urn: string, inputs: object): string {
  const { timeouts: _timeouts, ...rest } = inputs as Record<string, unknown>;
  return createHash("sha256")
    .update(`${urn}\n${JSON.stringify(canonical(rest))}`)
    .digest("hex")
    .slice(0, 32);
}

// One provider process serves one engine run: what it decided and did is remembered for that run only.
const replacedInThisRun = new Set<string>();
const adoptedInThisRun = new Set<string>();

/** The diff decided to replace this object (create before delete): its replacement must not adopt it. */
export function noteReplacing(id: string): void {
  replacedInThisRun.add(id);
}

export function isBeingReplaced(id: string): boolean {
  return replacedInThisRun.has(id);
}

/** A create took this existing object over instead of creating one. */
export function noteAdopted(id: string): void {
  adoptedInThisRun.add(id);
}

/**
 * True when a create in this run adopted the object: a delete of it in the same run is the other half of
 * a replacement forced without input changes, and would delete the object the new resource now holds.
 */
export function wasAdoptedInThisRun(id: string): boolean {
  return adoptedInThisRun.has(id);
}

/** The metadata string that carries only the marker (for objects whose metadata the program does not set). */
export function markerMetadata(marker: string): string {
  return JSON.stringify({ [MARKER_METADATA_KEY]: marker });
}

/** The marker in metadata as the API returns it (a JSON string of a string map), if there is one. */
export function markerIn(metadata: unknown): string | undefined {
  if (typeof metadata !== "string" || metadata === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(metadata);
    const value =
      typeof parsed === "object" && parsed !== null
        ? (parsed as Record<string, unknown>)[MARKER_METADATA_KEY]
        : undefined;
    return typeof value === "string" ? value : undefined;
  } catch {
    return undefined;
  }
}
