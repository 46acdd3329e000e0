/**
 * Every operation's handler, keyed by the generated operation id: the compiler refuses a missing or a
 * misspelled one. Operations answered with the reference's own example are listed by id. Creates that a quota
 * counts are refused beyond its limit (quotas.ts).
 */
import type { OperationId } from "../../provider/operations";
import type { Handler } from "../context";
import { autoScalingGroupHandlers } from "./auto-scaling";
import { autoScalingChildHandlers } from "./auto-scaling-children";
import { catalogHandlers } from "./catalog";
import { exampleAnswer } from "./example-answer";
import { interfaceHandlers } from "./interfaces";
import { keypairHandlers } from "./keypairs";
import { quotaHandlers, withQuotaLimits } from "./quotas";
import { serverGroupHandlers } from "./server-groups";
import { serverHandlers } from "./servers";
import { transferHandlers } from "./transfers";
import { volumeHandlers } from "./volumes";

/**
 * Operations with no state behind them, answered with the reference's example for the version asked: the
 * region's default configs are settings of SCP itself, which the emulator does not model.
 */
export const ANSWERED_BY_EXAMPLE = ["listDefaultConfigs"] as const satisfies readonly OperationId[];

const byExample: Readonly<Record<(typeof ANSWERED_BY_EXAMPLE)[number], Handler>> = {
  listDefaultConfigs: exampleAnswer,
};

export const handlers: Readonly<Record<OperationId, Handler>> = withQuotaLimits({
  ...keypairHandlers,
  ...serverHandlers,
  ...volumeHandlers,
  ...serverGroupHandlers,
  ...catalogHandlers,
  ...transferHandlers,
  ...autoScalingGroupHandlers,
  ...autoScalingChildHandlers,
  ...interfaceHandlers,
  ...quotaHandlers,
  ...byExample,
});
