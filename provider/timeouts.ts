/**
 * The `timeouts` input every resource takes: how long create, update and delete may wait for steady
 * state. Durations are written like Terraform's (`30m`, `90s`, `1h30m`).
 */
import { z } from "zod";

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match || text.trim() === "") return undefined;
  const [, h, m, s] = match;
  return ((Number(h ?? 0) * 60 + Number(m ?? 0)) * 60 + Number(s ?? 0)) * 1000;
}

const duration = z
  .string()
  .refine((t) => parseDuration(t) !== undefined, {
    error: (issue) => `must be a duration like "30m", "90s" or "1h30m"; got ${JSON.stringify(issue.input)}`,
  })
  .refine((t) => (parseDuration(t) ?? 0) > 0, { message: "must be longer than zero" });

export const timeoutsSchema = z
  .object({
    /** How long a create may wait, e.g. `"30m"`. */
    create: duration.optional(),
    /** How long an update may wait, e.g. `"30m"`. */
    update: duration.optional(),
    /** How long a delete may wait, e.g. `"10m"`. */
    delete: duration.optional(),
  })
  .strict();

export type TimeoutsInput = z.infer<typeof timeoutsSchema>;

export interface Timeouts {
  readonly createMs: number;
  readonly updateMs: number;
  readonly deleteMs: number;
}

/** Defaults per resource kind, in line with comparable providers (servers 30 min, volumes 10 min, …). */
export function resolveTimeouts(input: TimeoutsInput | undefined, defaults: Timeouts): Timeouts {
  return {
    createMs: (input?.create && parseDuration(input.create)) || defaults.createMs,
    updateMs: (input?.update && parseDuration(input.update)) || defaults.updateMs,
    deleteMs: (input?.delete && parseDuration(input.delete)) || defaults.deleteMs,
  };
}

export const minutes = (n: number): number => n * 60_000;
