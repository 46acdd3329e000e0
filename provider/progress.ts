/**
 * Progress messages while waiting, shown by `pulumi up` as ephemeral status lines.
 *
 * The dynamic provider runs in its own process, which the engine starts with its gRPC address as the
 * first argument; messages go to the engine's `Log` RPC there. Anywhere else (tests, benchmarks, lookups)
 * they go to the debug stream when `SCP_PROGRESS` is set, and are dropped otherwise.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type * as grpc from "@grpc/grpc-js";

/** The URN of the resource whose provider call is running, so its messages show in that resource's row. */
const currentResource = new AsyncLocalStorage<string>();

/** Runs `call` with its progress and warnings attached to the resource `urn` (when known). */
export function forResource<T>(urn: unknown, call: () => Promise<T>): Promise<T> {
  return typeof urn === "string" && urn !== "" ? currentResource.run(urn, call) : call();
}

type LogFn = (message: string, severity: Severity) => void;
type Severity = "info" | "warning";
let sink: LogFn | undefined;

function engineAddress(): string | undefined {
  const main = require.main?.filename ?? "";
  if (!/dynamic-provider[\\/]index\.js$/.test(main)) return undefined;
  return process.argv[2];
}

function engineSink(address: string): LogFn | undefined {
  try {
    // Loaded lazily from the user's @pulumi/pulumi (a peer dependency) only inside the provider process.
    const grpcJs = require("@grpc/grpc-js") as typeof grpc;
    const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb") as {
      EngineClient: new (
        address: string,
        credentials: grpc.ChannelCredentials,
      ) => {
        log(request: unknown, callback: (error: Error | null) => void): void;
      };
    };
    const engineProto = require("@pulumi/pulumi/proto/engine_pb") as {
      LogRequest: new () => {
        setSeverity(s: number): void;
        setMessage(m: string): void;
        setEphemeral(e: boolean): void;
        setUrn(urn: string): void;
      };
      LogSeverity: { INFO: number; WARNING: number };
    };
    const client = new engineRpc.EngineClient(address, grpcJs.credentials.createInsecure());
    return (message, severity) => {
      const request = new engineProto.LogRequest();
      request.setSeverity(severity === "warning" ? engineProto.LogSeverity.WARNING : engineProto.LogSeverity.INFO);
      request.setMessage(message);
      const urn = currentResource.getStore();
      if (urn) request.setUrn(urn);
      // Progress lines replace each other; warnings stay in the output.
      request.setEphemeral(severity === "info");
      client.log(request, () => undefined);
    };
  } catch {
    return undefined;
  }
}

function currentSink(): LogFn {
  if (sink) return sink;
  const address = engineAddress();
  sink = (address && engineSink(address)) || ((message) => process.env.SCP_PROGRESS && console.error(message));
  return sink;
}

/** Reports one progress line; never throws. */
export function reportProgress(message: string): void {
  try {
    currentSink()(message, "info");
  } catch {
    // Progress is best effort.
  }
}

/**
 * Reports a warning that stays in the `pulumi preview`/`up` output (what will not happen as the program
 * says, and why); never throws.
 */
export function reportWarning(message: string): void {
  try {
    currentSink()(message, "warning");
  } catch {
    // Best effort, like progress.
  }
}

/** Formats a duration the way the CLI shows elapsed times: 4s, 1m05s. */
export function formatElapsed(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, "0")}s`;
}
