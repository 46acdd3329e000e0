/**
 * Operations with nothing to remember (the region's default configs) answer the reference's own example
 * for the version asked. Each operation answered this way is listed by id in handlers/index.ts.
 */
import { referenceExamplesByVersion } from "../reference-examples";
import type { Handler } from "../context";

export const exampleAnswer: Handler = (req) => {
  const example = referenceExamplesByVersion[req.op.id][req.version];
  return { status: example?.status ?? req.op.successStatus, body: structuredClone(example?.response ?? undefined) };
};
