/**
 * Every operation's handler, keyed by the generated operation id: the compiler refuses a missing or a
 * misspelled one. Creates that a quota
 * counts are refused beyond its limit (quotas.ts).
 */
import type { OperationId } from "../../provider/operations";
import type { Handler } from "../context";
import { autoScalingGroupHandlers } from "./auto-scaling";
import { autoScalingChildHandlers } from "./auto-scaling-children";
import { catalogHandlers } from "./catalog";
import { interfaceHandlers } from "./interfaces";
import { keypairHandlers } from "./keypairs";
import { quotaHandlers, withQuotaLimits } from "./quotas";
import { serverGroupHandlers } from "./server-groups";
import { serverHandlers } from "./servers";
import { transferHandlers } from "./transfers";
import { volumeHandlers } from "./volumes";

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
});
