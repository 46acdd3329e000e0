/**
 * Several SCP fields are strings holding Python literals: `"['id1', 'id2']"`,
 * `"[{'key': 'k', 'value': 'v'}]"`. These encode and decode them deliberately (lists, dicts, strings,
 * numbers, True/False/None), instead of guessing with string replacement.
 */

export type PythonValue = string | number | boolean | null | PythonValue[] | { [key: string]: PythonValue };

export class PythonLiteralError extends Error {
  constructor(text: string, position: number, expected: string) {
    super(`cannot read Python literal ${JSON.stringify(text)} at ${position}: expected ${expected}`);
    this.name = "PythonLiteralError";
  }
}

export function parsePythonLiteral(text: string): PythonValue {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i] ?? "")) i++;
  };
  const fail = (expected: string): never => {
    throw new PythonLiteralError(text, i, expected);
  };
  const value = (): PythonValue => {
    ws();
    const c = text[i];
    if (c === "[" || c === "(") return sequence(c === "[" ? "]" : ")");
    if (c === "{") return dict();
    if (c === "'" || c === '"') return str();
    const word = /^(True|False|None|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!word?.[1]) return fail("a value");
    i += word[1].length;
    if (word[1] === "True") return true;
    if (word[1] === "False") return false;
    if (word[1] === "None") return null;
    return Number(word[1]);
  };
  const str = (): string => {
    const quote = text[i++];
    let out = "";
    while (i < text.length && text[i] !== quote) {
      if (text[i] === "\\") {
        const next = text[i + 1] ?? "";
        const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"' };
        out += escapes[next] ?? `\\${next}`;
        i += 2;
      } else out += text[i++];
    }
    if (text[i] !== quote) fail(`closing ${quote}`);
    i++;
    return out;
  };
  const sequence = (close: string): PythonValue[] => {
    i++;
    const items: PythonValue[] = [];
    ws();
    while (text[i] !== close) {
      items.push(value());
      ws();
      if (text[i] === ",") {
        i++;
        ws();
      } else if (text[i] !== close) fail(`, or ${close}`);
    }
    i++;
    return items;
  };
  const dict = (): { [key: string]: PythonValue } => {
    i++;
    const out: { [key: string]: PythonValue } = {};
    ws();
    while (text[i] !== "}") {
      const key = value();
      ws();
      if (text[i] !== ":") fail(":");
      i++;
      out[String(key)] = value();
      ws();
      if (text[i] === ",") {
        i++;
        ws();
      } else if (text[i] !== "}") fail(", or }");
    }
    i++;
    return out;
  };
  const result = value();
  ws();
  if (i !== text.length) fail("end of text");
  return result;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

/** Formats a value the way Python's `repr` does for these shapes. */
export function formatPythonLiteral(value: PythonValue): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return quote(value);
  if (Array.isArray(value)) return `[${value.map(formatPythonLiteral).join(", ")}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${quote(k)}: ${formatPythonLiteral(v)}`)
    .join(", ")}}`;
}

/** Tags as users write them (`{ env: "prod" }`) to the API's `"[{'key': 'env', 'value': 'prod'}]"`. */
export function encodeTags(tags: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!tags) return undefined;
  return formatPythonLiteral(Object.entries(tags).map(([key, value]) => ({ key, value })));
}

/** The API's tags (Python-literal string, or already a list) back to a record. */
export function decodeTags(raw: unknown): Record<string, string> {
  const list = typeof raw === "string" ? (raw.trim() === "" ? [] : parsePythonLiteral(raw)) : raw;
  const out: Record<string, string> = {};
  if (!Array.isArray(list)) return out;
  for (const item of list) {
    if (item && typeof item === "object" && !Array.isArray(item) && "key" in item) {
      out[String(item.key)] = item.value === null || item.value === undefined ? "" : String(item.value);
    }
  }
  return out;
}

/** `"['a', 'b']"` (or a real list) to a string array. */
export function decodeStringList(raw: unknown): string[] {
  const list = typeof raw === "string" ? (raw.trim() === "" ? [] : parsePythonLiteral(raw)) : raw;
  return Array.isArray(list) ? list.map((v) => String(v)) : [];
}

export function encodeStringList(values: readonly string[]): string {
  return formatPythonLiteral([...values]);
}
