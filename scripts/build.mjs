#!/usr/bin/env node
// `npm run build`: tsc's emit of tsconfig.build.json into dist/, with declaration files that never mention
// zod.
//
// Why: zod's CommonJS typings do not compile without `esModuleInterop` (TS1259 in zod/v4/locales, one error
// per locale; zod's answer is "set esModuleInterop or skipLibCheck"), and a `pulumi new typescript` project
// sets neither. So no .d.ts of this package may import zod:
//  - a type alias that names zod (`XInputs = z.infer<typeof inputSchema>`) is written as the type it stands
//    for, member by member;
//  - a declaration that still needs zod (a schema, `spec`, a validator), or needs one that does, is left out
//    of the .d.ts: the provider host and the tests use it from the .js and the sources, never from the .d.ts.
//    A name the entry points export that would be left out fails the build instead, naming it.
// test/e2e/consumer-compile.e2e.test.ts compiles a template project against the packed package.
//
// `--outDir <dir>` builds elsewhere (to try a change without touching the dist/ other processes load).
import { chmodSync, existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ENTRY_POINTS = ["index.ts", "emulator/index.ts"].map((file) => join(root, file));

const parsed = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.build.json"), undefined, {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
    report([diagnostic]);
    process.exit(1);
  },
});
const outDirFlag = process.argv.indexOf("--outDir");
const options = outDirFlag > 0 ? { ...parsed.options, outDir: resolve(process.argv[outDirFlag + 1]) } : parsed.options;
const program = ts.createProgram({ rootNames: parsed.fileNames, options });
const checker = program.getTypeChecker();
const { factory } = ts;

const isZod = (specifier) => specifier === "zod" || specifier.startsWith("zod/");
const shortName = (file) => relative(root, file);

/** The source file a relative module specifier of `fromFile` names, if it is one of the program's. */
function localModule(fromFile, specifier) {
  if (!specifier.startsWith(".")) return undefined;
  const base = resolve(dirname(fromFile), specifier.replace(/\.js$/, ""));
  return [`${base}.ts`, join(base, "index.ts")].find((file) => program.getSourceFile(file) !== undefined);
}

// ---- Writing a type as the structure it stands for ------------------------------------------------------

const BUILDER_FLAGS = ts.NodeBuilderFlags.NoTruncation | ts.NodeBuilderFlags.UseStructuralFallback;
const SPELLED_OUT = ts.ObjectFlags.Anonymous | ts.ObjectFlags.Mapped | ts.ObjectFlags.ReverseMapped;

function propertyName(name) {
  return ts.isIdentifierText(name, ts.ScriptTarget.ES2022)
    ? factory.createIdentifier(name)
    : factory.createStringLiteral(name);
}

const isBooleanLiteral = (type, value) =>
  (type.flags & ts.TypeFlags.BooleanLiteral) !== 0 && checker.typeToString(type) === String(value);

/**
 * The member with the doc comment of the property it spells out: a resource declares each input once, with its
 * doc, in its `properties`, and users' editors read that doc from the spelled-out member of the `.d.ts`.
 */
function withDocComment(member, property) {
  const text = ts.displayPartsToString(property.getDocumentationComment(checker)).trim();
  if (text === "") return member;
  const lines = text.split("\n").map((line) => ` * ${line}`.trimEnd());
  return ts.addSyntheticLeadingComment(member, ts.SyntaxKind.MultiLineCommentTrivia, `*\n${lines.join("\n")}\n `, true);
}

/** A type node for `type` that spells out zod's inferred objects (anonymous and mapped types) member by member. */
function structuralTypeNode(type, where) {
  if (type.isUnion()) {
    const isBoolean =
      type.types.some((t) => isBooleanLiteral(t, true)) && type.types.some((t) => isBooleanLiteral(t, false));
    const parts = type.types
      .filter((t) => !(isBoolean && t.flags & ts.TypeFlags.BooleanLiteral))
      .map((t) => structuralTypeNode(t, where));
    if (isBoolean) parts.unshift(factory.createKeywordTypeNode(ts.SyntaxKind.BooleanKeyword));
    // `string | undefined`, as the sources write optional values.
    const isUndefined = (node) => node.kind === ts.SyntaxKind.UndefinedKeyword;
    return factory.createUnionTypeNode([...parts.filter((n) => !isUndefined(n)), ...parts.filter(isUndefined)]);
  }
  if (checker.isArrayType(type)) {
    return factory.createArrayTypeNode(structuralTypeNode(checker.getTypeArguments(type)[0], where));
  }
  if (checker.isTupleType(type)) {
    return factory.createTupleTypeNode(checker.getTypeArguments(type).map((t) => structuralTypeNode(t, where)));
  }
  const isSpelledOut = (t) =>
    (t.flags & ts.TypeFlags.Object) !== 0 && (t.objectFlags & SPELLED_OUT) !== 0 && t.getCallSignatures().length === 0;
  if (isSpelledOut(type) || (type.isIntersection() && type.types.every(isSpelledOut))) {
    const members = checker
      .getPropertiesOfType(type)
      .map((property) =>
        withDocComment(
          factory.createPropertySignature(
            undefined,
            propertyName(property.name),
            property.flags & ts.SymbolFlags.Optional ? factory.createToken(ts.SyntaxKind.QuestionToken) : undefined,
            structuralTypeNode(checker.getTypeOfSymbolAtLocation(property, where), where),
          ),
          property,
        ),
      );
    const indexes = checker
      .getIndexInfosOfType(type)
      .map((info) =>
        factory.createIndexSignature(
          undefined,
          [
            factory.createParameterDeclaration(
              undefined,
              undefined,
              "key",
              undefined,
              checker.typeToTypeNode(info.keyType, where, BUILDER_FLAGS),
            ),
          ],
          structuralTypeNode(info.type, where),
        ),
      );
    return factory.createTypeLiteralNode([...members, ...indexes]);
  }
  return checker.typeToTypeNode(type, where, BUILDER_FLAGS);
}

// ---- What each declaration file declares and refers to ---------------------------------------------------

/**
 * What a statement refers to: `names` (first segment of type references, type queries, heritage clauses and
 * export specifiers, with the second segment for namespace members: `z`, `pulumi.Input`) and `imports`
 * (`import("…").X` types, as [specifier, X]).
 */
function references(node) {
  const names = [];
  const imports = [];
  const segments = (name) =>
    ts.isIdentifier(name) ? [ts.idText(name)] : [...segments(name.left), ts.idText(name.right)];
  const expressionSegments = (e) =>
    ts.isIdentifier(e)
      ? [ts.idText(e)]
      : ts.isPropertyAccessExpression(e)
        ? [...expressionSegments(e.expression), ts.idText(e.name)]
        : [];
  const visit = (n) => {
    if (ts.isTypeReferenceNode(n)) names.push(segments(n.typeName));
    else if (ts.isTypeQueryNode(n)) names.push(segments(n.exprName));
    else if (ts.isExpressionWithTypeArguments(n)) names.push(expressionSegments(n.expression));
    else if (ts.isExportSpecifier(n) && !n.parent.parent.moduleSpecifier)
      names.push([ts.idText(n.propertyName ?? n.name)]);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument)) {
      imports.push([n.argument.literal.text, n.qualifier ? segments(n.qualifier)[0] : "*"]);
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return { names: names.filter((s) => s.length > 0), imports };
}

function identifiersIn(node) {
  const names = [];
  const visit = (n) => {
    if (ts.isIdentifier(n)) names.push(ts.idText(n));
    ts.forEachChild(n, visit);
  };
  visit(node);
  return names;
}

function declaredNames(statement) {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.filter((d) => ts.isIdentifier(d.name)).map((d) => ts.idText(d.name));
  }
  return statement.name && ts.isIdentifier(statement.name) ? [ts.idText(statement.name)] : [];
}

const isExported = (statement) => statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;

/** Facts about one emitted declaration file, keyed by its source file. */
const modules = new Map();

function recordModule(sourceFile, declarationFile) {
  const fileName = sourceFile.fileName;
  const bindings = new Map(); // local name → { module (source file) or specifier, name ("*" for a namespace) }
  const reexports = new Map(); // exported name → { module, name }
  const stars = [];
  const statements = [];
  for (const s of declarationFile.statements) {
    if (ts.isImportDeclaration(s) && s.importClause) {
      const specifier = s.moduleSpecifier.text;
      const from = localModule(fileName, specifier) ?? specifier;
      const clause = s.importClause;
      if (clause.name) bindings.set(ts.idText(clause.name), { module: from, name: "default" });
      if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) {
        bindings.set(ts.idText(clause.namedBindings.name), { module: from, name: "*" });
      } else if (clause.namedBindings) {
        for (const e of clause.namedBindings.elements) {
          bindings.set(ts.idText(e.name), { module: from, name: ts.idText(e.propertyName ?? e.name) });
        }
      }
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier) {
      const specifier = s.moduleSpecifier.text;
      const from = localModule(fileName, specifier) ?? specifier;
      if (!s.exportClause) stars.push(from);
      else if (ts.isNamedExports(s.exportClause)) {
        for (const e of s.exportClause.elements) {
          reexports.set(ts.idText(e.name), { module: from, name: ts.idText(e.propertyName ?? e.name) });
        }
      }
    } else if (!ts.isImportDeclaration(s)) {
      statements.push({ names: declaredNames(s), exported: isExported(s), refs: references(s), needsZod: false });
    }
  }
  modules.set(fileName, { bindings, reexports, stars, statements });
}

/** Whether the declaration module `file` exports or declares as `name` needs zod (a zod module: always). */
function nameNeedsZod(file, name, seen = new Set()) {
  if (isZod(file)) return true;
  const m = modules.get(file);
  const key = `${file}#${name}`;
  if (!m || seen.has(key)) return false;
  seen.add(key);
  const declaring = m.statements.filter((s) => s.names.includes(name));
  if (declaring.length > 0) return declaring.some((s) => s.needsZod);
  const reexport = m.reexports.get(name);
  if (reexport) return nameNeedsZod(reexport.module, reexport.name, seen);
  return m.stars.some((star) => nameNeedsZod(star, name, seen));
}

function refNeedsZod(file, segments) {
  const m = modules.get(file);
  const [head, member] = segments;
  const binding = m.bindings.get(head);
  if (binding) return nameNeedsZod(binding.module, binding.name === "*" ? (member ?? "*") : binding.name);
  return nameNeedsZod(file, head);
}

function statementNeedsZod(file, refs) {
  return (
    refs.names.some((segments) => refNeedsZod(file, segments)) ||
    refs.imports.some(([specifier, name]) => nameNeedsZod(localModule(file, specifier) ?? specifier, name))
  );
}

/** Marks every declaration that needs zod, directly or through others, across all modules. */
function markDeclarationsNeedingZod() {
  for (let changed = true; changed;) {
    changed = false;
    for (const [file, m] of modules) {
      for (const s of m.statements) {
        if (!s.needsZod && statementNeedsZod(file, s.refs)) {
          s.needsZod = true;
          changed = true;
        }
      }
    }
  }
}

/** The names the entry points export, as [module, name] pairs (following re-exports). */
function publicNames() {
  const result = new Set();
  const visit = (file, name, seen) => {
    const m = modules.get(file);
    const key = `${file}#${name}`;
    if (!m || seen.has(key)) return;
    seen.add(key);
    if (name === "*") {
      m.statements.filter((s) => s.exported).forEach((s) => s.names.forEach((n) => visit(file, n, seen)));
      [...m.reexports.keys()].forEach((n) => visit(file, n, seen));
      m.stars.forEach((star) => visit(star, "*", seen));
      return;
    }
    result.add(key);
    const reexport = m.reexports.get(name);
    if (reexport) visit(reexport.module, reexport.name, seen);
    m.stars.forEach((star) => visit(star, name, seen));
  };
  ENTRY_POINTS.forEach((entry) => visit(entry, "*", new Set()));
  return result;
}

// ---- The declaration transforms -------------------------------------------------------------------------

/** Writes every type alias that names zod as the type it stands for. */
function expandZodAliases(declarationFile) {
  const zodNames = new Set(
    declarationFile.statements
      .filter((s) => ts.isImportDeclaration(s) && s.importClause && isZod(s.moduleSpecifier.text))
      .flatMap((s) => {
        const { name, namedBindings } = s.importClause;
        const bound =
          namedBindings && ts.isNamespaceImport(namedBindings)
            ? [namedBindings.name]
            : [...(namedBindings?.elements ?? [])].map((e) => e.name);
        return [...(name ? [name] : []), ...bound].map((id) => ts.idText(id));
      }),
  );
  const statements = declarationFile.statements.map((statement) => {
    if (!ts.isTypeAliasDeclaration(statement) || statement.typeParameters) return statement;
    const refs = references(statement);
    if (!refs.names.some(([head]) => zodNames.has(head)) && !refs.imports.some(([s]) => isZod(s))) return statement;
    const original = ts.getOriginalNode(statement);
    const type = checker.getDeclaredTypeOfSymbol(checker.getSymbolAtLocation(original.name));
    const expanded = structuralTypeNode(type, original);
    return factory.updateTypeAliasDeclaration(statement, statement.modifiers, statement.name, undefined, expanded);
  });
  const changed = statements.some((statement, i) => statement !== declarationFile.statements[i]);
  return changed ? factory.updateSourceFile(declarationFile, statements) : declarationFile;
}

/** Leaves out what needs zod, then unused imports and the non-exported declarations nothing refers to. */
function leaveOutZod(declarationFile, publicSet) {
  const file = ts.getOriginalNode(declarationFile).fileName;
  const m = modules.get(file);
  if (!m) return declarationFile;
  let index = 0;
  let statements = declarationFile.statements.flatMap((s) => {
    if (ts.isImportDeclaration(s)) return [s];
    if (ts.isExportDeclaration(s) && s.moduleSpecifier) {
      if (!s.exportClause || !ts.isNamedExports(s.exportClause)) return [s];
      const elements = s.exportClause.elements.filter(
        (e) => !guardPublic(file, ts.idText(e.name), m.reexports.get(ts.idText(e.name)), publicSet),
      );
      if (elements.length === 0) return [];
      if (elements.length === s.exportClause.elements.length) return [s];
      return [
        factory.updateExportDeclaration(
          s,
          s.modifiers,
          s.isTypeOnly,
          factory.updateNamedExports(s.exportClause, elements),
          s.moduleSpecifier,
          s.attributes,
        ),
      ];
    }
    const facts = m.statements[index++];
    if (!facts.needsZod) return [s];
    for (const name of facts.names) if (facts.exported) guardPublic(file, name, undefined, publicSet);
    return [];
  });

  // Any identifier counts as a use (a property of the same name too): a declaration or import is kept when in doubt.
  for (let changed = true; changed;) {
    const before = statements.length;
    statements = statements.filter(
      (s) =>
        !(
          ts.isVariableStatement(s) ||
          ts.isTypeAliasDeclaration(s) ||
          ts.isInterfaceDeclaration(s) ||
          ts.isFunctionDeclaration(s) ||
          ts.isClassDeclaration(s) ||
          ts.isEnumDeclaration(s) ||
          ts.isModuleDeclaration(s)
        ) ||
        isExported(s) ||
        declaredNames(s).some((n) => statements.some((other) => other !== s && identifiersIn(other).includes(n))),
    );
    const used = new Set(statements.filter((s) => !ts.isImportDeclaration(s)).flatMap(identifiersIn));
    statements = statements.flatMap((s) => {
      if (!ts.isImportDeclaration(s) || !s.importClause) return [s];
      const clause = s.importClause;
      const keep = (id) => used.has(ts.idText(id));
      const name = clause.name && keep(clause.name) ? clause.name : undefined;
      let namedBindings = clause.namedBindings;
      if (namedBindings && ts.isNamespaceImport(namedBindings)) {
        namedBindings = keep(namedBindings.name) ? namedBindings : undefined;
      } else if (namedBindings) {
        const elements = namedBindings.elements.filter((e) => keep(e.name));
        namedBindings = elements.length > 0 ? factory.updateNamedImports(namedBindings, elements) : undefined;
      }
      if (!name && !namedBindings) return [];
      if (name === clause.name && namedBindings === clause.namedBindings) return [s];
      const updatedClause = factory.updateImportClause(clause, clause.isTypeOnly, name, namedBindings);
      return [factory.updateImportDeclaration(s, s.modifiers, updatedClause, s.moduleSpecifier, s.attributes)];
    });
    changed = statements.length !== before;
  }
  return factory.updateSourceFile(declarationFile, statements);
}

/** True when an export needs zod (and is to be left out); throws when it is one the entry points export. */
function guardPublic(file, name, reexport, publicSet) {
  const needs = reexport ? nameNeedsZod(reexport.module, reexport.name) : nameNeedsZod(file, name);
  if (needs && publicSet.has(`${file}#${name}`)) {
    throw new Error(
      `${shortName(file)}: the public declaration ${name} needs zod (directly or through a declaration it names); ` +
        "give it a type that does not (a plain interface), so that projects without esModuleInterop compile",
    );
  }
  return needs;
}

// ---- Emit -----------------------------------------------------------------------------------------------

function report(diagnostics) {
  if (diagnostics.length === 0) return;
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" };
  const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stderr.write(format(diagnostics, host));
}

const forSourceFiles = (transform) => () => (file) => (ts.isSourceFile(file) ? transform(file) : file);

// Pass 1 (declarations, in memory): what every declaration refers to, once zod aliases are expanded.
program.emit(undefined, () => {}, undefined, true, {
  afterDeclarations: [forSourceFiles((d) => (recordModule(ts.getOriginalNode(d), expandZodAliases(d)), d))],
});
markDeclarationsNeedingZod();
const publicSet = publicNames();

// Pass 2: JavaScript and the declarations without zod.
const declarations = new Map(); // emitted .d.ts path → text
const writeFile = (path, text, ...rest) => {
  if (path.endsWith(".d.ts")) declarations.set(path, text);
  ts.sys.writeFile(path, text, ...rest);
};
const emitted = program.emit(undefined, writeFile, undefined, false, {
  afterDeclarations: [forSourceFiles((d) => leaveOutZod(expandZodAliases(d), publicSet))],
});
const diagnostics = [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics];
report(diagnostics);

const importingZod = [...declarations]
  .filter(([, text]) => [...text.matchAll(/(?:from\s+|import\s*\(\s*)"([^"]+)"/g)].some((m) => isZod(m[1])))
  .map(([path]) => relative(options.outDir ?? root, path));
if (importingZod.length > 0) {
  process.stderr.write(`error: declaration files still import zod: ${importingZod.join(", ")}\n`);
}
// The package's commands must be executable in the tarball (npm pack keeps the mode tsc wrote: 0644).
const { bin = {} } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
for (const file of Object.values(bin)) {
  const built = join(options.outDir ?? join(root, "dist"), relative("dist", file));
  if (existsSync(built)) chmodSync(built, 0o755);
}
process.exit(importingZod.length > 0 || diagnostics.some((d) => d.category === ts.DiagnosticCategory.Error) ? 1 : 0);
