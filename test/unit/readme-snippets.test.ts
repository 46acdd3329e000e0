/**
 * Every TypeScript block of the README (and of the examples' READMEs) compiles, so the README cannot drift
 * from the API: each block is one file of a `pulumi new typescript` project (the template's compiler
 * options), with `pulumi-scp-virtualserver` resolved to this repository's sources.
 *
 * A block is a whole program unless a comment right before its fence marks it as a fragment, naming what it
 * assumes, e.g. `<!-- snippet: fragment; declare const image: scp.GetImageResult; -->`: a fragment is
 * compiled after `import * as pulumi from "@pulumi/pulumi"; import * as scp from "pulumi-scp-virtualserver";`
 * and the marker's declarations.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { REPO_ROOT, TEMPLATE_TSCONFIG } from "../support/consumer-project";

interface Snippet {
  /** `README.md:123`: where the block's code starts. */
  readonly where: string;
  readonly kind: "program" | "fragment";
  /** The file compiled: a fragment's prelude, then the block's code. */
  readonly text: string;
  readonly preludeLines: number;
  readonly firstLine: number;
  readonly readme: string;
}

const READMES = [
  "README.md",
  ...readdirSync(join(REPO_ROOT, "examples"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join("examples", entry.name, "README.md"))
    .filter((file) => {
      try {
        readFileSync(join(REPO_ROOT, file));
        return true;
      } catch {
        return false;
      }
    }),
];

const FENCE = /^```(?:ts|typescript)\s*$/;
// An optional marker comment right before the fence (a blank line between, as prettier writes it; not crossing
// another comment's end), then the block.
const BLOCK =
  /(?:<!--\s*snippet:\s*([\w-]+)\s*;?((?:(?!-->)[\s\S])*)-->[ \t]*\n(?:[ \t]*\n)?)?```(?:ts|typescript)[ \t]*\n([\s\S]*?)\n```/g;
const PRELUDE = 'import * as pulumi from "@pulumi/pulumi";\nimport * as scp from "pulumi-scp-virtualserver";\n';

function snippetsOf(readme: string): Snippet[] {
  const markdown = readFileSync(join(REPO_ROOT, readme), "utf8");
  return [...markdown.matchAll(BLOCK)].map((match) => {
    const [whole, marker, declarations = "", code = ""] = match;
    if (marker !== undefined && marker !== "fragment") {
      throw new Error(`${readme}: unknown snippet marker "${marker}" (the one marker is "fragment")`);
    }
    const firstLine = markdown.slice(0, (match.index ?? 0) + whole.length - code.length - 4).split("\n").length;
    const prelude = marker === "fragment" ? `${PRELUDE}${declarations.trim()}\n` : "";
    return {
      where: `${readme}:${firstLine}`,
      kind: marker === "fragment" ? "fragment" : "program",
      text: prelude + code + "\n",
      preludeLines: prelude.split("\n").length - 1,
      firstLine,
      readme,
    };
  });
}

const snippets = READMES.flatMap(snippetsOf);
const fileOf = (index: number) => join(REPO_ROOT, ".readme-snippets", `snippet-${index}.ts`);

/** One program for all blocks (each its own module), so the sources are checked once. */
function compileSnippets(): ts.Program {
  const { options, errors } = ts.convertCompilerOptionsFromJson(TEMPLATE_TSCONFIG.compilerOptions, REPO_ROOT);
  if (errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(errors[0]?.messageText, "\n"));
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    noEmit: true,
    // A fresh project has @types/node only, not this repository's @types/jest.
    types: ["node"],
    baseUrl: REPO_ROOT,
    paths: { "pulumi-scp-virtualserver": ["index.ts"] },
  };
  const files = new Map(snippets.map((snippet, index) => [fileOf(index), snippet.text]));
  const host = ts.createCompilerHost(compilerOptions);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const text = files.get(fileName);
    return text === undefined
      ? getSourceFile(fileName, languageVersion, ...rest)
      : ts.createSourceFile(fileName, text, languageVersion, true);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => files.has(fileName) || fileExists(fileName);
  return ts.createProgram([...files.keys()], compilerOptions, host);
}

/** A block's errors as `README.md:130: TS2304 Cannot find name 'x'`. */
function errorsOf(program: ts.Program, index: number): string[] {
  const snippet = snippets[index]!;
  const file = program.getSourceFile(fileOf(index));
  if (!file) return [`${snippet.where}: not compiled`];
  return [
    ...program.getSyntacticDiagnostics(file),
    ...program.getSemanticDiagnostics(file),
    ...program.getDeclarationDiagnostics(file),
  ].map((d) => {
    const line = d.start === undefined ? 0 : file.getLineAndCharacterOfPosition(d.start).line;
    const at = line < snippet.preludeLines ? "fragment marker" : snippet.firstLine + line - snippet.preludeLines;
    return `${snippet.readme}:${at}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`;
  });
}

let program: ts.Program;
beforeAll(() => {
  program = compileSnippets();
});

test("every TypeScript fence of the READMEs is a snippet", () => {
  const fences = READMES.flatMap((readme) =>
    readFileSync(join(REPO_ROOT, readme), "utf8")
      .split("\n")
      .filter((line) => FENCE.test(line)),
  );
  expect(snippets.length).toBe(fences.length);
  expect(snippets.length).toBeGreaterThan(0);
});

test.each(snippets.map((snippet, index) => [snippet.where, snippet.kind, index] as const))(
  "%s (%s) compiles under the pulumi new typescript settings",
  (_where, _kind, index) => {
    expect(errorsOf(program, index)).toEqual([]);
  },
);
