/**
 * Diff rules: each input property either replaces the object, is updated in place, or is only recorded
 * (the API applies it at creation and has no way to change it later) when it changes.
 * The prior outputs (which hold the values read from live state after a refresh) are compared with the new
 * inputs, so out-of-band changes show as drift of exactly that property.
 *
 * One rule for inputs the program leaves unset, everywhere: unset means "no opinion" — the cloud's value
 * (a default, or whatever it was changed to) is shown as an output and is never drift.
 */
import { UNKNOWN } from "./check";

/**
 * - `replace`: a new object is created (and the old one deleted);
 * - `update`: changed in place by the resource's update;
 * - `record`: SCP takes the value only when the object is created and offers no way to change it (tags):
 *   the new value is stored in state, the live object keeps its old one, and the preview warns.
 */
export type ChangeKind = "replace" | "update" | "record";

export interface PropertyRule {
  readonly on: ChangeKind;
  /** Normalizes a value before comparison (order-insensitive lists, defaults). */
  readonly normalize?: (value: unknown) => unknown;
  /**
   * A comparison of its own, for a property state does not hold as given (user data kept as a hash):
   * whether the new value differs from the prior outputs.
   */
  readonly differs?: (olds: Readonly<Record<string, unknown>>, next: unknown) => boolean;
  /**
   * Why refresh cannot see this property (the API never returns it, or it is a provider setting). Absent
   * for every property whose live value `read` takes from the API: those are drift-checked.
   */
  readonly writeOnly?: string;
}

/** One rule per input property: the compiler refuses a missing or misspelled one. */
export type DiffRules<Inputs extends object = Record<string, unknown>> = {
  readonly [K in keyof Required<Inputs> & string]: PropertyRule;
};

/** Why the provider settings shared by every resource are not drift-checked. */
export const PROVIDER_SETTING = "a provider setting, not a property of the cloud object";

/**
 * The inputs as a read's outputs hold them — one value per rule — so that `read` gives the engine the live
 * value of every input (the provider host keeps only those the program set).
 */
export function inputsFromOutputs<Inputs extends object>(rules: DiffRules<Inputs>, outputs: Inputs): Inputs {
  return Object.fromEntries(Object.keys(rules).map((k) => [k, outputs[k as keyof Inputs]])) as Inputs;
}

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
  /** Every changed property, whatever its rule. */
  readonly changed: string[];
  /** The changed properties whose rule is `record`. */
  readonly recorded: string[];
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
  rules: Readonly<Record<string, PropertyRule>>,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
): DiffOutcome {
  const changed: string[] = [];
  const replaces: string[] = [];
  const recorded: string[] = [];
  for (const [key, rule] of Object.entries(rules)) {
    const next = news[key];
    if (next === undefined) continue;
    const normalize = rule.normalize ?? ((v: unknown) => v);
    const differs =
      next === UNKNOWN || (rule.differs ? rule.differs(olds, next) : !sameValue(normalize(olds[key]), normalize(next)));
    if (!differs) continue;
    changed.push(key);
    if (rule.on === "replace") replaces.push(key);
    if (rule.on === "record") recorded.push(key);
  }
  return { changes: changed.length > 0, replaces, changed, recorded };
}
