/**
 * Where the Pulumi CLI of the pinned version lives, made available by scripts/ensure-pulumi-cli.sh
 * (idempotent: returns at once when it is already there). Shared by the demo and the e2e suite.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

/** The package root, from the source tree (tests) or from dist/ (the built demo). */
function packageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "scripts", "ensure-pulumi-cli.sh"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package root above ${start}`);
  }
}

export const REPO_ROOT = packageRoot(__dirname);

let bin: string | undefined;

/** The bin directory holding pulumi, pulumi-language-nodejs and pulumi-resource-pulumi-nodejs. */
export function pulumiBin(): string {
  bin ??=
    execFileSync("bash", [join(REPO_ROOT, "scripts", "ensure-pulumi-cli.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    })
      .trim()
      .split("\n")
      .pop() ?? "";
  return bin;
}
