/**
 * Every public name of the package is documented where an editor shows it: the exported classes (what
 * they are, a resource with a short example), every property of a Resource class (the inputs, documented on
 * its `Args`, and the outputs, on its `Outputs`), every property of an exported `Args`, every lookup and
 * each field of what it resolves to. The input docs say what a change does, as the diff rules decide it,
 * and the outputs say whether refresh reads them.
 *
 * Read with the TypeScript compiler from index.ts, as a program using the package sees it.
 */
import { join, relative } from "node:path";
import ts from "typescript";
import { commonProperties } from "../../provider/schema";
import { RESOURCE_CLASSES, rulesOf } from "../support/readme-tables";

const ROOT = join(__dirname, "..", "..");

function loadProgram(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, "tsconfig.json"), undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error("tsconfig.json could not be read");
  return ts.createProgram({ rootNames: [join(ROOT, "index.ts")], options: config.options });
}

const program = loadProgram();
const checker = program.getTypeChecker();
const entry = program.getSourceFile(join(ROOT, "index.ts"));
if (!entry) throw new Error("index.ts is not in the program");
const entrySymbol = checker.getSymbolAtLocation(entry);
if (!entrySymbol) throw new Error("index.ts is not a module");

/** Declared in this package's sources (not in a dependency). */
const isOurs = (node: ts.Node): boolean => {
  const file = relative(ROOT, node.getSourceFile().fileName);
  return !file.startsWith("..") && !file.startsWith("node_modules");
};
/** A symbol's doc comment, its line breaks as spaces. */
const docOf = (symbol: ts.Symbol): string =>
  ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, " ").trim();
const ourProperties = (type: ts.Type): ts.Symbol[] =>
  checker.getPropertiesOfType(type).filter((p) => (p.declarations ?? []).some(isOurs));

/** The public names, aliases resolved, by the name index.ts exports them as. */
const exported = new Map(
  checker.getExportsOfModule(entrySymbol).map((s) => {
    const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
    return [s.name, target] as const;
  }),
);

/** The type an output or result field holds: Output<T> and Promise<T> unwrapped, arrays to their elements. */
function heldTypes(type: ts.Type): ts.Type[] {
  const awaited = checker.getAwaitedType(type) ?? type;
  if (awaited !== type) return heldTypes(awaited);
  if (type.aliasSymbol?.name === "Output" && type.aliasTypeArguments?.[0]) return heldTypes(type.aliasTypeArguments[0]);
  if (type.isUnion()) return type.types.flatMap(heldTypes);
  if (checker.isArrayType(type) || checker.isTupleType(type))
    return checker.getTypeArguments(type as ts.TypeReference).flatMap(heldTypes);
  const isClass = (type.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Class;
  return type.flags & ts.TypeFlags.Object && !isClass && ourProperties(type).length > 0 ? [type] : [];
}

/** Exported interfaces and type aliases, less a resource class's instance type (checked with its class). */
const exportedTypes = [...exported].filter(
  ([, s]) =>
    s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias) &&
    !(s.flags & ts.SymbolFlags.Value) &&
    (s.declarations ?? []).some(isOurs),
);
/** Types index.ts exports are checked under their own names, not under each property that holds one. */
const publicTypes = new Set(exportedTypes.map(([, s]) => checker.getDeclaredTypeOfSymbol(s)));

/** `path.property` for each property (and those of the unexported objects it holds) without a doc comment. */
function undocumented(path: string, type: ts.Type, seen = new Set<ts.Type>()): string[] {
  if (seen.has(type)) return [];
  seen.add(type);
  return ourProperties(type).flatMap((property) => [
    ...(docOf(property) === "" ? [`${path}.${property.name}`] : []),
    ...heldObjects(checker.getTypeOfSymbol(property)).flatMap((t) => undocumented(`${path}.${property.name}`, t, seen)),
  ]);
}
const heldObjects = (type: ts.Type): ts.Type[] => heldTypes(type).filter((t) => !publicTypes.has(t));

const exportedValues = [...exported].filter(([, s]) => s.valueDeclaration !== undefined && isOurs(s.valueDeclaration));
/** Exported classes, and the resource classes `resourceClass` makes (constants with a construct signature). */
const classes = exportedValues.filter(
  ([, s]) => s.flags & ts.SymbolFlags.Class || checker.getTypeOfSymbol(s).getConstructSignatures().length > 0,
);
const RESOURCES = new Set(Object.values(RESOURCE_CLASSES));
const instanceType = (s: ts.Symbol): ts.Type => {
  const signature = checker.getTypeOfSymbol(s).getConstructSignatures()[0];
  if (!signature) throw new Error(`${s.name} has no constructor`);
  return signature.getReturnType();
};
/** A resource class's `Args`: its constructor's second parameter. */
const argsType = (s: ts.Symbol): ts.Type => {
  const parameter = checker.getTypeOfSymbol(s).getConstructSignatures()[0]?.getParameters()[1];
  if (!parameter) throw new Error(`${s.name}'s constructor takes no args`);
  return checker.getTypeOfSymbol(parameter);
};
const lookups = exportedValues.filter(([name, s]) => /^get[A-Z]/.test(name) && s.flags & ts.SymbolFlags.Function);
const valueDoc = (s: ts.Symbol): string =>
  s.valueDeclaration
    ? ts
        .getJSDocCommentsAndTags(s.valueDeclaration)
        .map((d) => (ts.isJSDoc(d) ? (ts.getTextOfJSDocComment(d.comment) ?? "") : ""))
        .join("\n")
        .trim()
    : "";

const missingClassDocs = (): string[] => classes.filter(([, s]) => valueDoc(s) === "").map(([n]) => n);

function missingClassPropertyDocs(): string[] {
  return classes.flatMap(([name, s]) => {
    // A resource's inputs are documented on its Args (checked with the exported types, nested objects too).
    const inputs = new Set(RESOURCES.has(name) ? checker.getPropertiesOfType(argsType(s)).map((p) => p.name) : []);
    return ourProperties(instanceType(s)).flatMap((p) => [
      ...(docOf(p) === "" ? [`${name}.${p.name}`] : []),
      ...(inputs.has(p.name)
        ? []
        : heldObjects(checker.getTypeOfSymbol(p)).flatMap((t) => undocumented(`${name}.${p.name}`, t))),
    ]);
  });
}

const missingTypeDocs = (): string[] =>
  exportedTypes.flatMap(([name, s]) => undocumented(name, checker.getDeclaredTypeOfSymbol(s)));

/** Result fields of types index.ts does not export (those are checked as exported types). */
const missingResultDocs = (): string[] =>
  lookups.flatMap(([name, s]) =>
    checker
      .getTypeOfSymbol(s)
      .getCallSignatures()
      .flatMap((sig) => heldObjects(sig.getReturnType()).flatMap((t) => undocumented(`${name}()`, t))),
  );

describe("doc comments", () => {
  test("the program finds the public names (a guard against checking nothing)", () => {
    expect(classes.map(([n]) => n)).toEqual(expect.arrayContaining([...RESOURCES]));
    expect(lookups.length).toBeGreaterThan(20);
    expect(exportedTypes.length).toBeGreaterThan(60);
  });

  test("every exported class says what it is", () => {
    expect(missingClassDocs()).toEqual([]);
  });

  test("every resource class shows a short example", () => {
    const withoutExample = classes.filter(([n, s]) => RESOURCES.has(n) && !valueDoc(s).includes("```ts"));
    expect(withoutExample.map(([n]) => n)).toEqual([]);
  });

  test("every property of an exported class (a resource's inputs and outputs) is documented", () => {
    expect(missingClassPropertyDocs()).toEqual([]);
  });

  test("every property of an exported type (Args, lookup results, settings) is documented", () => {
    expect(missingTypeDocs()).toEqual([]);
  });

  test("every lookup is documented", () => {
    expect(lookups.filter(([, s]) => valueDoc(s) === "").map(([n]) => n)).toEqual([]);
  });

  test("every field of a lookup's result is documented", () => {
    expect(missingResultDocs()).toEqual([]);
  });
});

/** Each resource class with its diff rules and its `Args` properties' docs. */
const resources = Object.entries(RESOURCE_CLASSES).map(([module, className]) => {
  const symbol = exported.get(className);
  if (!symbol) throw new Error(`index.ts does not export ${className}`);
  const args = argsType(symbol);
  const docs = new Map(checker.getPropertiesOfType(args).map((p) => [p.name, docOf(p)]));
  const outputOnly = ourProperties(instanceType(symbol)).filter((p) => !docs.has(p.name));
  return { className, rules: rulesOf(module), docs, outputOnly };
});

/** What an input's doc must say, per rule: the words a reader looks for. */
const WORDING = {
  update: { words: /in place/i, says: '"in place"' },
  replace: { words: /replac/i, says: '"replaces"' },
  record: { words: /recorded/i, says: '"recorded"' },
} as const;

describe("input docs say what a change does", () => {
  test.each(resources)("$className: each input's doc matches its diff rule", ({ className, rules, docs }) => {
    // importId: only the create reads it, and a resource that cannot import says so in its own words.
    const wrong = Object.entries(rules).flatMap(([name, rule]) => {
      if (name === "importId") return [];
      const doc = docs.get(name) ?? "";
      const wording = WORDING[rule.on];
      return [
        ...(wording.words.test(doc) ? [] : [`${className}Args.${name} (${rule.on}) should say ${wording.says}`]),
        ...(rule.writeOnly === undefined || /not drift-checked/i.test(doc)
          ? []
          : [`${className}Args.${name} (refresh cannot see it) should say "not drift-checked"`]),
      ];
    });
    expect(wrong).toEqual([]);
  });

  test.each(resources)(
    "$className: each output-only property says whether refresh reads it",
    ({ className, outputOnly }) => {
      const silent = outputOnly.filter((p) => !/refresh/i.test(docOf(p))).map((p) => `${className}.${p.name}`);
      expect(silent).toEqual([]);
    },
  );

  test("the common properties are the ones the README's table leaves out", () => {
    expect(Object.keys(commonProperties).sort()).toEqual(["importId", "region", "timeouts"]);
  });
});
