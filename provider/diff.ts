/**
 * Diff rules: each input property either replaces the object or is updated in place when it changes.
 * The prior outputs (which hold the inputs rebuilt from live state after a refresh) are compared with the
 * new inputs, so out-of-band changes show as drift of exactly that property.
 */
import { UNKNOWN } from "./check";

export type ChangeKind = "replace" | "update";

export interface PropertyRule {
  readonly on: ChangeKind;
  /**
   * The property may be left unset and the cloud then picks a value (a default): unset in the new
   * inputs means "no opinion", not a change.
   */
  readonly computedWhenUnset?: boolean;
  /** Normalizes a value before comparison (order-insensitive lists, defaults). */
  readonly normalize?: (value: unknown) => unknown;
}

export type DiffRules = Readonly<Record<string, PropertyRule>>;

/** Normalizers shared by resources' rules. */
export const normalize = {
  /** An unset map (tags, metadata) is the same as an empty one. */
  emptyMap: (v: unknown): unknown => v ?? {},
  /** Lists whose order means nothing (security group ids). */
  unorderedList: (v: unknown): unknown => (Array.isArray(v) ? [...v].sort() : []),
  /** Lists of objects whose order means nothing (LB server groups). */
  unorderedObjects: (v: unknown): unknown =>
    Array.isArray(v) ? [...v].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : [],
};

export interface DiffOutcome {
  readonly changes: boolean;
  readonly replaces: string[];
  readonly changed: string[];
}

/** Deep equality for plain JSON values; `undefined` and `null` are the same (unset). */
export function sameValue(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

export function diffByRules(
  rules: DiffRules,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffOutcome {
  const changed: string[] = [];
  const replaces: string[] = [];
  for (const [key, rule] of Object.entries(rules)) {
    const next = news[key];
    if (next === undefined && rule.computedWhenUnset) continue;
    const normalize = rule.normalize ?? ((v: unknown) => v);
    const differs = next === UNKNOWN || !sameValue(normalize(olds[key]), normalize(next));
    if (!differs) continue;
    changed.push(key);
    if (rule.on === "replace") replaces.push(key);
  }
  return { changes: changed.length > 0, replaces, changed };
}
