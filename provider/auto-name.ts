/**
 * Auto-naming, as Pulumi users know it from pulumi-aws: a resource without `name` is named after its Pulumi
 * name plus a random suffix (`web-3f9a2c1`). The name is chosen once, in `check`, and kept in state, so
 * updates keep it; a replacement gets a fresh one (the engine checks again without the old inputs), so even
 * kinds whose names must be unique can create the new object before deleting the old one.
 */
import { randomBytes } from "node:crypto";
import { URN_INPUT } from "./create-marker";

/** Hidden input set to true when the provider chose the name (so it is kept, and may be changed on replace). */
export const AUTO_NAMED = "_autoNamed";

/** Characters every SCP object name accepts (see schema.ts: no slashes, control characters, ?, # or %). */
const UNSAFE = /[^A-Za-z0-9._-]+/g;

/** The Pulumi name at the end of a URN (`urn:pulumi:stack::project::type::name`). */
function logicalName(urn: unknown): string | undefined {
  if (typeof urn !== "string") return undefined;
  const name = urn.slice(urn.lastIndexOf("::") + 2);
  return name === "" ? undefined : name;
}

/** A new name for a resource of this Pulumi name: the name made safe, a dash, 7 random hex digits. */
export function autoName(pulumiName: string): string {
  const base =
    pulumiName
      .replace(UNSAFE, "-")
      .replace(/^[-.]+|[-.]+$/g, "")
      .slice(0, 200) || "resource";
  return `${base}-${randomBytes(4).toString("hex").slice(0, 7)}`;
}

/**
 * The inputs with a name: the program's, else the one chosen before (kept across updates), else a new one.
 * Without a URN (a resource not made by this package's classes) nothing is filled in and `name` stays required.
 */
export function withAutoName(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, unknown> {
  if (news.name !== undefined) {
    const { [AUTO_NAMED]: _auto, ...rest } = news;
    return rest;
  }
  if (olds[AUTO_NAMED] === true && typeof olds.name === "string")
    return { ...news, name: olds.name, [AUTO_NAMED]: true };
  const pulumiName = logicalName(news[URN_INPUT]);
  return pulumiName === undefined ? news : { ...news, name: autoName(pulumiName), [AUTO_NAMED]: true };
}
