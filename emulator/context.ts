/** What a handler receives and returns. */
import type { OperationSpec } from "../provider/operations";
import type { QuotaLimits } from "./handlers/quotas";
import type { ApiObject, Store } from "./store";

export interface HandlerRequest {
  readonly op: OperationSpec;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The parsed JSON body; `{}` when there is none. */
  readonly body: Record<string, unknown>;
  readonly version: string;
}

export interface HandlerResult {
  readonly status?: number;
  readonly body?: unknown;
}

/** Outcomes queued through the control API: the next build of a kind ends in this state. */
export interface ForcedOutcome {
  readonly kind: "server" | "volume" | "attach" | "snapshot" | "image" | "asg-scale";
  readonly state: string;
  readonly reason?: string;
}

export interface EmulatorWorld {
  readonly store: Store;
  /** Takes the next forced outcome queued for a kind, if any. */
  takeOutcome(kind: ForcedOutcome["kind"]): ForcedOutcome | undefined;
  readonly accountId: string;
  readonly userId: string;
  /** The account's quota limits (handlers/quotas.ts); changed through the control API's settings. */
  readonly quotas: QuotaLimits;
}

export type Handler = (req: HandlerRequest, world: EmulatorWorld) => HandlerResult;

export type { ApiObject };
