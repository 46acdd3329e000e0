/** Child processes of e2e scenarios: running the CLI, and killing a run's whole process tree as CI does. */
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pulumiBin } from "../../demo/pulumi-cli";

/** Runs the pulumi CLI non-interactively; never throws, the exit code tells. */
export function pulumi(
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    execFile(
      join(pulumiBin(), "pulumi"),
      [...args, "--non-interactive"],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** Polls `probe` until it gives a value (every 200 ms), failing after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A process and all its descendants (pid and command line), parents first. */
export function processTree(root: number): { pid: number; args: string }[] {
  const children = new Map<number, { pid: number; args: string }[]>();
  const ps = execFileSync("ps", ["-e", "-o", "pid=,ppid=,args="], { encoding: "utf8" });
  for (const line of ps.trim().split("\n")) {
    const [, pid, ppid, args] = /^\s*(\d+)\s+(\d+)\s?(.*)$/.exec(line) ?? [];
    const parent = Number(ppid);
    children.set(parent, [...(children.get(parent) ?? []), { pid: Number(pid), args: args ?? "" }]);
  }
  const tree = [{ pid: root, args: "pulumi" }];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i]?.pid as number) ?? []));
  return tree;
}

/** Running (a zombie, killed but not yet reaped by whoever adopted it, counts as gone). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * `kill -9` of a process and everything under it, as a cancelled CI runner goes (the CLI starts its
 * plugins in process groups of their own, so a group kill would miss them); resolves once all are gone.
 */
export async function killTree(root: number): Promise<number> {
  const tree = processTree(root);
  for (const { pid } of tree) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  await waitFor("the killed tree to be gone", async () => (tree.some((p) => alive(p.pid)) ? undefined : true), 10_000);
  return tree.length;
}
