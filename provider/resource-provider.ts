/**
 * Turns a resource's specification (schema, CRUD against the API, diff rules) into the object the
 * dynamic provider host calls. Everything every resource needs lives here once:
 *
 * - `configure` stores the stack config synchronously, so calls racing the host's configure see it;
 * - `check` validates with the resource's zod schema (unknown values pass during preview);
 * - `diff` applies the resource's diff rules;
 * - `create`/`update` that fail after the object exists throw the host's init-failure form (id, properties
 *   including `__provider`, reasons), so the object stays in state and the next `up` resumes with `update`;
 * - `read` returns an empty id when the object is gone, and the inputs rebuilt from live state;
 * - `delete` treats not-found as done.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { type CheckFailure, UNKNOWN, checkInputs, containsUnknown } from "./check";
import { AUTO_NAMED, withAutoName } from "./auto-name";
import { clientFor } from "./clients";
import {
  URN_INPUT,
  createMarker,
  isBeingReplaced,
  noteAdopted,
  noteReplacing,
  wasAdoptedInThisRun,
} from "./create-marker";
import { type DiffRules, diffByRules, sameValue } from "./diff";
import { PROVIDER_SETTINGS } from "./explicit-provider";
import { forResource, reportProgress, reportWarning } from "./progress";
import { ScpApiError } from "./errors";
import type { ScpClient } from "./http";
import { SETTING_KEYS, setStackConfig, waitTimeScale } from "./settings";
import { PROVIDER_KEY } from "./thin-provider";
import { type Timeouts, type TimeoutsInput, resolveTimeouts } from "./timeouts";

/**
 * Output that records which inputs the program set. `read` rebuilds inputs from live state only for
 * those, so a refresh does not present values the cloud chose (a default volume type, say) as changes.
 */
export const INPUT_KEYS = "_inputKeys";

/** What a resource's CRUD functions receive. */
export interface ResourceContext {
  readonly client: ScpClient;
  readonly timeouts: Timeouts;
}

/** Base shape of every resource's inputs. */
export interface CommonInputs {
  readonly region?: string | undefined;
  readonly timeouts?: TimeoutsInput | undefined;
  /** Take this existing object under management instead of creating one. */
  readonly importId?: string | undefined;
}

export interface ReadResult<Outputs, Inputs> {
  readonly outputs: Outputs;
  /** The inputs as live state says they are, so that drift shows in the next diff. */
  readonly inputs: Inputs;
}

export interface ResourceSpec<Inputs extends CommonInputs, Outputs extends object> {
  /** For messages: `keypair`, `server`. */
  readonly kind: string;
  /** `name` may be left out: the provider names the object after the resource (see auto-name.ts). */
  readonly autoName?: boolean;
  readonly schema: z.ZodType<Inputs>;
  readonly defaultTimeouts: Timeouts;
  readonly diffRules: DiffRules<Inputs>;
  /** Create first and then delete on replacement (false), or delete first (true; e.g. unique names). */
  readonly deleteBeforeReplace?: boolean | ((olds: Outputs, news: Inputs) => boolean);
  /**
   * Replacements the per-property rules cannot express (a user-data hash, an object left in a failure
   * state, a key replaced out of band): the property names to report as forcing replacement.
   */
  replacesBeyondRules?(olds: Partial<Outputs>, news: Record<string, unknown>): string[];
  /** In-place changes the per-property rules cannot express (an object changed out of band under its id). */
  updatesBeyondRules?(olds: Partial<Outputs>, news: Record<string, unknown>): string[];
  /** Rules that compare the prior state with the new inputs (refused at preview). */
  checkTransition?(olds: Partial<Outputs>, news: Inputs): CheckFailure[];
  /**
   * What the preview must say about a planned change that will not go as the program reads (drift that
   * cannot be repaired, a call the cloud may refuse): one line each, shown as warnings naming the resource.
   */
  warnings?(olds: Partial<Outputs>, news: Record<string, unknown>): string[];
  /** `keypair "web"`: names the object in errors and progress. */
  describe(inputs: Inputs | Outputs, id?: string): string;
  /**
   * Creates the object and waits for steady state. Call `created(id)` as soon as the API has answered
   * with an id, so a later failure keeps the object in state instead of orphaning it.
   */
  create(
    ctx: ResourceContext,
    inputs: Inputs,
    created: (id: string) => void,
    marker: string | undefined,
  ): Promise<{ id: string; outputs: Outputs }>;
  /**
   * For kinds that keep a creation marker (see create-marker.ts): the live objects carrying `marker`, made
   * by a create of this resource that a killed run never recorded.
   */
  findCreated?(ctx: ResourceContext, inputs: Inputs, marker: string): Promise<string[]>;
  /**
   * For kinds without a marker: the live objects that have this resource's name (or identity), which an
   * interrupted create may have made. Only `scp-recover` uses it, offering them for import.
   */
  findNamed?(ctx: ResourceContext, inputs: Inputs): Promise<string[]>;
  /** Finishes the create of an object `findCreated` found: waits for steady state and reads it. */
  resumeCreate?(ctx: ResourceContext, id: string, inputs: Inputs): Promise<Outputs>;
  /** Reads the object; `undefined` when it no longer exists. */
  read(ctx: ResourceContext, id: string, olds: Partial<Outputs>): Promise<ReadResult<Outputs, Inputs> | undefined>;
  /**
   * Applies in-place changes and waits; absent when every change replaces. `changed` holds the properties
   * the diff found changed (rules `update` and `record`), so an update acts on exactly those.
   */
  update?(
    ctx: ResourceContext,
    id: string,
    olds: Outputs,
    news: Inputs,
    changed: ReadonlySet<string>,
  ): Promise<Outputs>;
  delete(ctx: ResourceContext, id: string, olds: Outputs): Promise<void>;
}

type Props = Record<string, unknown>;

/** Outputs must be plain JSON: drop undefined (the engine rejects it), keep null. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value ?? {})) as T;
}

/**
 * Inputs the Resource class or `check` adds, never the program: the URN (recognising a killed run's
 * creates), whether the name was chosen by the provider, an explicit provider's settings. A read sees only
 * outputs, so they are kept in the outputs too and handed back as inputs.
 */
const HIDDEN_INPUTS = [URN_INPUT, AUTO_NAMED, PROVIDER_SETTINGS] as const;
const BOOKKEEPING = new Set<string>([PROVIDER_KEY, INPUT_KEYS, ...HIDDEN_INPUTS]);

/** The props without the engine's and this package's bookkeeping: what the schema validates. */
export function withoutProvider(props: Props): Props {
  return Object.fromEntries(Object.entries(props).filter(([k]) => !BOOKKEEPING.has(k)));
}

/**
 * Outputs with the bookkeeping that must survive a refresh: which inputs the program set, and the hidden
 * inputs (or every preview after a refresh would show them changed).
 */
function withInputKeys(outputs: object, inputs: object, props: Props): Props {
  return plain({
    ...outputs,
    [INPUT_KEYS]: Object.keys(inputs)
      .filter((k) => !BOOKKEEPING.has(k))
      .sort(),
    ...hiddenInputsOf(props),
  });
}

/** The hidden inputs the props hold (a read hands them back: it sees only outputs). */
const hiddenInputsOf = (props: Props): Props =>
  Object.fromEntries(HIDDEN_INPUTS.filter((k) => props[k] !== undefined).map((k) => [k, props[k]]));

/** An explicit provider's settings, when the resource was given one. */
function explicitSettings(props: Props): Record<string, string> | undefined {
  const settings = props[PROVIDER_SETTINGS];
  return typeof settings === "object" && settings !== null ? (settings as Record<string, string>) : undefined;
}

function pick(values: Props, keys: unknown): Props {
  if (!Array.isArray(keys)) return values;
  return Object.fromEntries(Object.entries(values).filter(([k]) => keys.includes(k)));
}

/** The error shape the dynamic provider host turns into an initialization failure. */
export class ResourceInitError extends Error {
  constructor(
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[],
  ) {
    super(reasons.join("; "));
    this.name = "ResourceInitError";
  }
}

export function defineResourceProvider<Inputs extends CommonInputs, Outputs extends object>(
  spec: ResourceSpec<Inputs, Outputs>,
): pulumi.dynamic.ResourceProvider {
  /** The client and timeouts for a call; `props` may carry an explicit provider's settings. */
  const context = (
    inputs: { region?: string | undefined; timeouts?: TimeoutsInput | undefined },
    props: Props,
  ): ResourceContext => ({
    client: clientFor({ region: inputs.region }, { explicit: explicitSettings(props) }),
    timeouts: resolveTimeouts(inputs.timeouts, spec.defaultTimeouts),
  });

  const parse = (props: Props): Inputs => {
    const result = spec.schema.safeParse(withoutProvider(props));
    if (!result.success) {
      const problems = result.error.issues.map((i) => `${i.path.join(".") || "inputs"}: ${i.message}`);
      throw new Error(`invalid ${spec.kind} inputs: ${problems.join("; ")}`);
    }
    return result.data;
  };

  /** After a failure on an object that exists: keep it in state with what can be read of it. */
  const initFailure = async (ctx: ResourceContext, id: string, props: Props, fallback: Props, error: unknown) => {
    let properties: Props = fallback;
    try {
      const current = await spec.read(ctx, id, fallback as Partial<Outputs>);
      if (current) properties = { ...(current.outputs as Props) };
    } catch {
      // Keep the fallback properties: the failure being reported matters more than this read.
    }
    const reason = error instanceof Error ? error.message : String(error);
    return new ResourceInitError(
      id,
      { ...withInputKeys(properties, withoutProvider(props), props), [PROVIDER_KEY]: props[PROVIDER_KEY] },
      [reason],
    );
  };

  const aboutError = (error: unknown, what: string): unknown =>
    error instanceof ScpApiError && !error.resource ? error.about(what) : error;

  /**
   * `importId`: the existing object, read and kept as it is. Where it differs from the program, the preview
   * of the next `up` shows the change as a plan (update or replace), as for drift; nothing is overwritten
   * by the import itself.
   */
  const importExisting = async (
    ctx: ResourceContext,
    inputs: Inputs,
    id: string,
    created: (id: string) => void,
  ): Promise<{ id: string; outputs: Outputs }> => {
    const current = await spec.read(ctx, id, inputs as unknown as Partial<Outputs>).catch((error: unknown) => {
      if (error instanceof ScpApiError && error.notFound) return undefined;
      throw error;
    });
    if (!current) throw new Error(`${spec.describe(inputs, id)}: importId ${id}: no such object in SCP`);
    created(id);
    const differences = diffByRules(spec.diffRules, current.outputs as Props, inputs as unknown as Props);
    const changes = [...differences.replaces, ...differences.changed.filter((k) => !differences.replaces.includes(k))];
    if (changes.length > 0) {
      reportWarning(
        `${spec.describe(inputs, id)}: imported as it is; it differs from the program in ${changes.join(", ")}` +
          (differences.replaces.length > 0 ? ` (${differences.replaces.join(", ")} would replace it)` : "") +
          ": `pulumi preview` shows the plan and the next `pulumi up` applies it",
      );
    }
    return { id, outputs: current.outputs };
  };

  /**
   * Takes over the object a killed run created for these inputs, when exactly one carries the marker; the
   * outputs once it reached steady state, or undefined when there is none.
   */
  const resumeKilledCreate = async (
    ctx: ResourceContext,
    inputs: Inputs,
    marker: string,
    created: (id: string) => void,
  ): Promise<{ id: string; outputs: Outputs } | undefined> => {
    const { findCreated, resumeCreate } = spec;
    if (!findCreated || !resumeCreate) return undefined;
    const found = (await findCreated(ctx, inputs, marker)).filter((id) => !isBeingReplaced(id));
    if (found.length > 1) {
      throw new Error(
        `${spec.describe(inputs)}: ${found.length} live objects (${found.join(", ")}) carry this resource's creation ` +
          "marker, so earlier interrupted runs created it more than once; delete all but one, then run `pulumi up` again",
      );
    }
    const [id] = found;
    if (id === undefined) return undefined;
    noteAdopted(id);
    reportProgress(
      `${spec.describe(inputs, id)}: created by an earlier run that was interrupted before it recorded it; taking it over instead of creating another`,
    );
    created(id);
    return { id, outputs: await resumeCreate(ctx, id, inputs) };
  };

  const calls = {
    // Synchronous on purpose: the host caches the provider before awaiting configure, so a concurrent
    // first call must already find the config in place.
    configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
      const config: Record<string, string | undefined> = {};
      for (const key of SETTING_KEYS) config[`scp:${key}`] = request.config.get(`scp:${key}`) as string | undefined;
      setStackConfig(config);
      return Promise.resolve();
    },

    async check(olds: Props, given: Props) {
      waitTimeScale(); // a bad SCP_WAIT_TIME_SCALE fails the preview, not a wait once the create is sent
      const news = spec.autoName ? withAutoName(olds, given) : given;
      const failures = checkInputs(spec.schema, withoutProvider(news));
      if (failures.length === 0 && spec.checkTransition && Object.keys(withoutProvider(olds)).length > 0) {
        const parsed = spec.schema.safeParse(withoutProvider(news));
        if (parsed.success && !containsUnknown(withoutProvider(news))) {
          failures.push(...spec.checkTransition(withoutProvider(olds) as Partial<Outputs>, parsed.data));
        }
      }
      return { inputs: news, failures };
    },

    async diff(id: string, olds: Props, news: Props) {
      const outcome = diffByRules(spec.diffRules, olds, news);
      const what = spec.describe({ ...olds, ...news } as unknown as Inputs, id);
      for (const warning of spec.warnings?.(olds as Partial<Outputs>, news) ?? []) reportWarning(`${what}: ${warning}`);
      if (outcome.recorded.length > 0) {
        reportWarning(
          `${what}: ${outcome.recorded.join(", ")} changed: SCP applies ${outcome.recorded.length > 1 ? "these" : "this"} only when an object is created and has no way to change ${outcome.recorded.length > 1 ? "them" : "it"} later; the new value is recorded in the stack's state, the live object keeps the old one (replace the resource to apply it)`,
        );
      }
      const extra = (spec.replacesBeyondRules?.(olds as Partial<Outputs>, news) ?? []).filter(
        (k) => !outcome.replaces.includes(k),
      );
      const replaces = [...outcome.replaces, ...extra];
      const dbr = spec.deleteBeforeReplace;
      // An auto-named object gets a new name on replacement: never a name conflict, so never delete first.
      const deleteBeforeReplace =
        replaces.length > 0 &&
        news[AUTO_NAMED] !== true &&
        (typeof dbr === "function"
          ? !Object.values(news).includes(UNKNOWN) && dbr(olds as Outputs, news as Inputs)
          : !!dbr);
      const updates = spec.updatesBeyondRules?.(olds as Partial<Outputs>, news) ?? [];
      // New credentials for the same object: an update that only stores them, so refresh and delete use them.
      if (!sameValue(explicitSettings(olds), explicitSettings(news))) updates.push(PROVIDER_SETTINGS);
      if (replaces.length > 0 && !deleteBeforeReplace) noteReplacing(id);
      return { changes: outcome.changes || extra.length > 0 || updates.length > 0, replaces, deleteBeforeReplace };
    },

    async create(props: Props) {
      const inputs = parse(props);
      const ctx = context(inputs, props);
      const urn = props[URN_INPUT];
      const marker = typeof urn === "string" && urn !== "" ? createMarker(urn, inputs) : undefined;
      let createdId: string | undefined;
      try {
        const created = (id: string) => (createdId = id);
        const result = inputs.importId
          ? await importExisting(ctx, inputs, inputs.importId, created)
          : ((marker === undefined ? undefined : await resumeKilledCreate(ctx, inputs, marker, created)) ??
            (await spec.create(ctx, inputs, created, marker)));
        return { id: result.id, outs: withInputKeys(result.outputs, inputs, props) };
      } catch (error) {
        const reported = aboutError(error, spec.describe(inputs, createdId));
        if (createdId === undefined) throw reported;
        throw await initFailure(ctx, createdId, props, withoutProvider(props), reported);
      }
    },

    async read(id: string, props: Props) {
      const olds = withoutProvider(props) as Partial<Outputs> & CommonInputs;
      const ctx = context(olds, props);
      const current = await spec.read(ctx, id, olds).catch((error: unknown) => {
        if (error instanceof ScpApiError && error.notFound) return undefined;
        throw aboutError(error, spec.describe(olds as Outputs, id));
      });
      if (!current) return { id: "", props: {} };
      const keys = props[INPUT_KEYS];
      return {
        id,
        props: Array.isArray(keys)
          ? plain({ ...current.outputs, [INPUT_KEYS]: keys, ...hiddenInputsOf(props) })
          : plain({ ...(current.outputs as Props), ...hiddenInputsOf(props) }),
        inputs: plain({ ...pick(current.inputs as Props, keys), ...hiddenInputsOf(props) }),
      };
    },

    async update(id: string, olds: Props, news: Props) {
      const inputs = parse(news);
      const ctx = context(inputs, news);
      try {
        // Resources without in-place updates only see changes that touch no API field (timeouts,
        // adoption flags), or resume after an init failure: refresh the outputs from live state.
        const changed = new Set(diffByRules(spec.diffRules, olds, news).changed);
        const outputs = spec.update
          ? await spec.update(ctx, id, withoutProvider(olds) as Outputs, inputs, changed)
          : ({
              ...((await spec.read(ctx, id, withoutProvider(olds) as Partial<Outputs>))?.outputs ??
                withoutProvider(olds)),
              ...inputs,
            } as unknown as Outputs);
        return { outs: withInputKeys(outputs, inputs, news) };
      } catch (error) {
        throw await initFailure(ctx, id, news, withoutProvider(olds), aboutError(error, spec.describe(inputs, id)));
      }
    },

    async delete(id: string, props: Props) {
      const olds = withoutProvider(props) as Outputs & CommonInputs;
      if (wasAdoptedInThisRun(id)) {
        reportWarning(
          `${spec.describe(olds, id)} was not deleted: its replacement in this run took it over, because a replacement ` +
            "without any change of inputs cannot be told from resuming an interrupted create. To get a new object, " +
            "change an input that replaces it.",
        );
        return;
      }
      const ctx = context(olds, props);
      try {
        await spec.delete(ctx, id, olds);
      } catch (error) {
        if (error instanceof ScpApiError && error.notFound) return;
        throw aboutError(error, spec.describe(olds, id));
      }
    },
  };

  // Each call's progress lines and warnings show in its resource's row of the CLI's display.
  return {
    configure: calls.configure,
    check: (olds: Props, news: Props) => forResource(news[URN_INPUT], () => calls.check(olds, news)),
    diff: (id: string, olds: Props, news: Props) =>
      forResource(news[URN_INPUT] ?? olds[URN_INPUT], () => calls.diff(id, olds, news)),
    create: (props: Props) => forResource(props[URN_INPUT], () => calls.create(props)),
    read: (id: string, props: Props) => forResource(props[URN_INPUT], () => calls.read(id, props)),
    update: (id: string, olds: Props, news: Props) => forResource(news[URN_INPUT], () => calls.update(id, olds, news)),
    delete: (id: string, props: Props) => forResource(props[URN_INPUT], () => calls.delete(id, props)),
  };
}
