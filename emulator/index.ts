export { startEmulator, createEmulatorState } from "./server";
export type { EmulatorOptions, RunningEmulator, RequestLogEntry, EmulatorState } from "./server";
export { DEFAULT_CREDENTIALS } from "./auth";
export type { Credentials } from "./auth";
export type { FaultConfig, FaultRule, OneShotFault } from "./faults";
export { REALISTIC_DURATIONS } from "./store";
export type { Durations } from "./store";
export { COLLECTIONS } from "./collections";
export type { CollectionName } from "./collections";
