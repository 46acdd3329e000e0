/** Matches a request to an operation of the table by method and path template. */
import { type OperationSpec, operations } from "../provider/operations";

interface CompiledRoute {
  readonly op: OperationSpec;
  readonly pattern: RegExp;
  readonly params: readonly string[];
  /** Literal segments first: `/v1/servers/lock` style literals win over `{id}`. */
  readonly literalSegments: number;
}

const routes: CompiledRoute[] = Object.values(operations as Record<string, OperationSpec>)
  .map((op) => {
    const params: string[] = [];
    const source = op.path
      .split("/")
      .map((segment) => {
        const param = /^\{([a-z_]+)\}$/.exec(segment);
        if (param?.[1]) {
          params.push(param[1]);
          return "([^/]+)";
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    return {
      op,
      pattern: new RegExp(`^${source}$`),
      params,
      literalSegments: op.path.split("/").filter((s) => s && !s.startsWith("{")).length,
    };
  })
  .sort((a, b) => b.literalSegments - a.literalSegments);

export interface RouteMatch {
  readonly op: OperationSpec;
  readonly params: Record<string, string>;
}

export function matchRoute(method: string, path: string): RouteMatch | "method-not-allowed" | undefined {
  let pathMatched = false;
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (route.op.method !== method) continue;
    const params: Record<string, string> = {};
    route.params.forEach((name, i) => {
      params[name] = decodeURIComponent(m[i + 1] ?? "");
    });
    return { op: route.op, params };
  }
  return pathMatched ? "method-not-allowed" : undefined;
}
