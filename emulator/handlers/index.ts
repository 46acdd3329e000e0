/** The specific handlers by operation id; operations not listed use the generic handler. */
import type { Handler } from "../context";
import { autoScalingHandlers } from "./auto-scaling";
import { catalogHandlers } from "./catalog";
import { interfaceHandlers } from "./interfaces";
import { keypairHandlers } from "./keypairs";
import { serverGroupHandlers } from "./server-groups";
import { serverHandlers } from "./servers";
import { volumeHandlers } from "./volumes";

export const handlers: Readonly<Record<string, Handler>> = {
  ...keypairHandlers,
  ...serverHandlers,
  ...volumeHandlers,
  ...serverGroupHandlers,
  ...catalogHandlers,
  ...autoScalingHandlers,
  ...interfaceHandlers,
};
