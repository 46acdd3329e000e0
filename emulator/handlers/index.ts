/**
 * Every operation's handler, keyed by the generated operation id: the compiler refuses a missing or a
 * misspelled one. Operations answered with the reference's own example are listed by id.
 */
import type { OperationId } from "../../provider/operations";
import type { Handler } from "../context";
import { autoScalingGroupHandlers } from "./auto-scaling";
import { autoScalingChildHandlers } from "./auto-scaling-children";
import { catalogHandlers } from "./catalog";
import { exampleAnswer } from "./example-answer";
import { interfaceHandlers } from "./interfaces";
import { keypairHandlers } from "./keypairs";
import { serverGroupHandlers } from "./server-groups";
import { serverHandlers } from "./servers";
import { transferHandlers } from "./transfers";
import { volumeHandlers } from "./volumes";

/** Operations with no state behind them, answered with the reference's example for the version asked. */
export const ANSWERED_BY_EXAMPLE = [
  "listDefaultConfigs",
  "showServerQuotaSet",
  "showVolumeQuotaSet",
] as const satisfies readonly OperationId[];

const byExample: Readonly<Record<(typeof ANSWERED_BY_EXAMPLE)[number], Handler>> = {
  listDefaultConfigs: exampleAnswer,
  showServerQuotaSet: exampleAnswer,
  showVolumeQuotaSet: exampleAnswer,
};

export const handlers: Readonly<Record<OperationId, Handler>> = {
  ...keypairHandlers,
  ...serverHandlers,
  ...volumeHandlers,
  ...serverGroupHandlers,
  ...catalogHandlers,
  ...transferHandlers,
  ...autoScalingGroupHandlers,
  ...autoScalingChildHandlers,
  ...interfaceHandlers,
  ...byExample,
};
