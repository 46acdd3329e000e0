import { relative } from "node:path";
import { REPO_ROOT } from "../../demo/pulumi-cli";
import { checkWorkspaces, finishSuite, recordCliOutput } from "./secrets-scan";

// A pulumi up against the emulator takes seconds; the engine's start alone takes a few.
jest.setTimeout(10 * 60_000);

// Every scenario is scanned for secrets in plain text (secrets-scan.ts): a hit fails the test it appeared
// in; the suite ends with a summary line of what was scanned.
recordCliOutput();
afterEach(() => checkWorkspaces());
afterAll(() => finishSuite(relative(REPO_ROOT, expect.getState().testPath ?? "")));
