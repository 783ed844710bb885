import { isMap, isNode, isScalar, isSeq, type Node } from 'yaml';
import type { z } from 'zod';
import { parseQuantity } from '../quantity/quantity';
import { quantityKinds } from '../quantity/units';
import { nearest } from './didYouMean';
import { isMapping } from './rawValues';
import { replaceFixes } from './replaceFixes';
import { describeAt, type KeyInfo, type SchemaInfo } from './schemaWalk';
import { findNode, keyRange, makeDiagnostic, nodeRange, valueRange, type ParsedYaml } from './yamlDocument';
import type { Diagnostic, Fix, Range, TextEdit } from './types';

type Path = ReadonlyArray<string | number>;

/** Schema layer: checks the parsed value against `schema` and places each issue on its key or value. Synchronous. */
export function schemaDiagnostics<S extends z.ZodType>(parsed: ParsedYaml, schema: S): { diagnostics: Diagnostic[]; data: z.output<S> | undefined } {
  if (!parsed.usable) return { diagnostics: [], data: undefined };
  const value = parsed.value;
  if (!isMapping(value)) {
    const range = parsed.document?.contents ? nodeRange(parsed.lines, parsed.document.contents) : parsed.lines.range(0, 0);
    return { diagnostics: [makeDiagnostic('AIOS202', `expected a mapping of keys (apiVersion, kind, name, ...), got ${describeValue(value)}`, range)], data: undefined };
  }
  const result = schema.safeParse(value);
  if (result.success) return { diagnostics: [], data: result.data };
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    for (const d of issueDiagnostics(parsed, schema, issue)) {
      const key = `${d.code}@${d.range.start.line}:${d.range.start.character}:${d.message}`;
      if (!seen.has(key)) {
        seen.add(key);
        diagnostics.push(d);
      }
    }
  }
  // A misspelt required key (`Name:`, `captrue:`) is one problem: the unknown key with its
  // did-you-mean says it all, a second "missing 'name'" would only be noise.
  const misspelt = new Set(diagnostics.flatMap((d) => (d.code === 'AIOS201' && typeof d.data?.['suggestion'] === 'string' && d.path ? [JSON.stringify([...d.path.slice(0, -1), d.data['suggestion']])] : [])));
  return { diagnostics: diagnostics.filter((d) => !(d.code === 'AIOS207' && d.path && misspelt.has(JSON.stringify(d.path)))), data: undefined };
}

function issueDiagnostics(parsed: ParsedYaml, root: z.ZodType, issue: z.core.$ZodIssue): Diagnostic[] {
  const path: Path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const info = describeAt(root, path);
  const input = valueAt(parsed.value, path);
  const where = pathLabel(path);

  if (issue.code === 'unrecognized_keys') {
    const parentInfo = info;
    const present = new Set(Object.keys(isMapping(input) ? input : {}));
    const allKeys = (parentInfo?.keys ?? []).map((k) => k.name);
    const known = allKeys.filter((k) => !present.has(k));
    return issue.keys.map((key) => {
      const keyPath = [...path, key];
      const range = keyRange(parsed, keyPath);
      const suggestions = nearest(key, known);
      const fixes = replaceFixes(range, suggestions);
      // A key one level too high: `latency` written beside `budgets` instead of inside it.
      const home = homeOf(root, path, key);
      const sameButCase = allKeys.find((k) => k !== key && k.toLowerCase() === key.toLowerCase());
      const remove: Fix = { title: `Remove '${key}'`, edits: [{ range: entryRange(parsed, keyPath), newText: '' }] };
      const hint =
        key === '<<'
          ? ': YAML merge keys are not supported here; write the keys out (an alias of the whole mapping, *name, works)'
          : sameButCase && suggestions[0] === sameButCase
          ? `; keys are case-sensitive: write '${sameButCase}'`
          : sameButCase && present.has(sameButCase)
            ? `; keys are case-sensitive and '${sameButCase}' is already set: remove this one`
            : suggestions.length > 0
              ? `; did you mean '${suggestions[0]}'?`
              : home
                ? `; it belongs ${home}`
                : known.length > 0
                  ? ` (expected one of: ${known.join(', ')})`
                  : allKeys.length > 0
                    ? `: remove it (${where || 'the document'} takes only ${allKeys.join(', ')}, all set already)`
                    : '';
      return {
        ...makeDiagnostic('AIOS201', `unknown key '${key}'${where ? ` in ${where}` : ''}${hint}`, range, { path: keyPath, fixes: fixes.length > 0 ? fixes : [remove] }),
        ...(suggestions[0] !== undefined ? { data: { suggestion: suggestions[0] } } : {}),
      };
    });
  }

  const parentValue = valueAt(parsed.value, path.slice(0, -1));
  const last = path[path.length - 1];
  if (issue.code !== 'custom' && input === undefined && typeof last === 'string' && isMapping(parentValue) && !(last in parentValue)) {
    return [missingKey(parsed, root, path)];
  }

  if (info?.kind === 'quantity' && info.quantity && input !== undefined) {
    const parsedQ = parseQuantity(input, info.quantity);
    if (!parsedQ.ok) {
      const range = valueRange(parsed, path);
      const fixes: Fix[] = parsedQ.error.suggestion !== undefined ? [{ title: `Change to ${parsedQ.error.suggestion}`, edits: [{ range, newText: parsedQ.error.suggestion }], preferred: true }] : [];
      const code = parsedQ.error.reason === 'noUnit' ? 'AIOS205' : 'AIOS206';
      return [makeDiagnostic(code, `${where}: ${parsedQ.error.message}`, range, { path, fixes })];
    }
  }

  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined) return [missingKey(parsed, root, path)];
      if (issue.expected === 'int' && typeof input === 'number') {
        const range = valueRange(parsed, path);
        const rounded = String(Math.round(input));
        return [makeDiagnostic('AIOS204', `${where}: ${input} must be a whole number`, range, { path, fixes: [{ title: `Change to ${rounded}`, edits: [{ range, newText: rounded }], preferred: true }] })];
      }
      const expected = info ? expectedLabel(info) : issue.expected;
      const range = valueRange(parsed, path);
      const source = parsed.text.slice(parsed.lines.offsetAt(range.start), parsed.lines.offsetAt(range.end));
      const change = (newText: string): Fix[] => [{ title: `Change to ${newText}`, edits: [{ range, newText }], preferred: true }];
      const isScalarValue = typeof input === 'string' || typeof input === 'number' || typeof input === 'boolean';
      if (info?.kind === 'boolean' && typeof input === 'string') {
        const word = booleanWord(input);
        if (word !== undefined) {
          const why = /^["']/.test(source) ? 'a quoted value is text' : `YAML 1.2 reads ${input} as text, not as a boolean`;
          return [makeDiagnostic('AIOS202', `${where}: expected true or false, got '${input}' (${why}): write ${String(word)}`, range, { path, fixes: change(String(word)) })];
        }
      }
      if (info?.kind === 'string' && (typeof input === 'number' || typeof input === 'boolean') && source.length > 0) {
        const quoted = `"${source.replace(/["\\]/g, '\\$&')}"`;
        return [makeDiagnostic('AIOS202', `${where}: expected a string, got ${describeValue(input)} (YAML reads ${source} as a ${typeof input}): write it in quotes, ${quoted}`, range, { path, fixes: change(quoted) })];
      }
      if (info?.kind === 'number' && typeof input === 'string') {
        const number = /^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*[A-Za-z/%]*\s*$/.exec(input)?.[1];
        if (number !== undefined && Number.isFinite(Number(number))) {
          return [makeDiagnostic('AIOS202', `${where}: expected a number, got ${describeValue(input)}: write ${number}${/^["']/.test(source) ? ' without quotes' : ''}`, range, { path, fixes: change(number) })];
        }
      }
      const required = info?.kind === 'object' ? requiredKeys(root, path, info) : [];
      if (info?.kind === 'object' && input === null && required.length > 0) {
        return [makeDiagnostic('AIOS202', `${where} is empty: it needs ${required.map((k) => k.name).join(', ')}`, range, { path })];
      }
      // `targets: [ti-tda4vm]`, `model: models/x.onnx`, `inputs: [image]`: the value of the one
      // required key; `rollout: 5`: the value of the mapping's only key.
      const wrapKey =
        typeof input === 'string' && required.length === 1 ? required[0] : info?.kind === 'object' && isScalarValue && info.keys?.length === 1 ? info.keys[0] : undefined;
      if (wrapKey) {
        const wrapped = `{${wrapKey.name}: ${source}}`;
        return [makeDiagnostic('AIOS202', `${where}: expected ${expected}, got ${describeValue(input)}: write ${wrapped}`, range, { path, fixes: change(wrapped) })];
      }
      if (info?.kind === 'array' && isScalarValue) {
        const element = describeAt(root, [...path, 0]);
        const elementRequired = element?.kind === 'object' ? requiredKeys(root, [...path, 0], element) : [];
        const listed = elementRequired.length === 1 && elementRequired[0] && typeof input === 'string' ? `[{${elementRequired[0].name}: ${source}}]` : `[${source}]`;
        return [makeDiagnostic('AIOS202', `${where}: expected ${expected}, got ${describeValue(input)}: write ${listed}`, range, { path, fixes: [{ title: 'Make it a list', edits: [{ range, newText: listed }], preferred: true }] })];
      }
      // `inputs: {name: image}` or a block mapping where a list is expected: make it the list's one entry.
      if (info?.kind === 'array' && isMapping(input) && Object.keys(input).length > 0) {
        const edits = listItemEdits(parsed, range, source);
        if (edits) return [makeDiagnostic('AIOS202', `${where}: expected ${expected}, got a mapping: make it an entry of a list${source.startsWith('{') ? ` ([${source.length > 40 ? `${source.slice(0, 37)}...` : source}])` : " (put '- ' before its first key)"}`, range, { path, fixes: [{ title: 'Make it a list entry', edits, preferred: true }] })];
      }
      return [makeDiagnostic('AIOS202', `${where}: expected ${expected}, got ${describeValue(input)}`, range, { path })];
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const range = valueRange(parsed, path);
      if (allowed.length === 1 && (last === 'apiVersion' || last === 'kind')) {
        const [want] = allowed;
        return [
          makeDiagnostic('AIOS209', `${where} must be '${want}', not ${describeValue(input)}`, range, {
            path,
            fixes: [{ title: `Change to ${want}`, edits: [{ range, newText: want ?? '' }], preferred: true }],
          }),
        ];
      }
      // `domain: [cockpit]` or a mapping: the wrong shape of value, not a wrong word.
      if (typeof input === 'object' && input !== null) {
        const only = Array.isArray(input) && input.length === 1 && allowed.includes(String(input[0])) ? String(input[0]) : undefined;
        return [
          makeDiagnostic('AIOS202', `${where}: expected one of ${allowed.join(', ')}, got ${describeValue(input)}${only ? `: write ${only}` : ''}`, range, {
            path,
            fixes: only ? [{ title: `Change to ${only}`, edits: [{ range, newText: only }], preferred: true }] : [],
          }),
        ];
      }
      // `asil: no` (or false, none, off): the level for "not safety relevant" is QM.
      const meansNone = allowed.includes('QM') && (input === false || input === null || (typeof input === 'string' && /^(no|none|n|off|false|-|n\/a|na)$/i.test(input)));
      const synonym = typeof input === 'string' ? enumSynonyms[input.toLowerCase()] : undefined;
      const suggestions = meansNone ? ['QM'] : synonym !== undefined && allowed.includes(synonym) ? [synonym] : typeof input === 'string' ? nearest(input, allowed) : [];
      // No close match (`asil: E`): every allowed value is a fix, none preferred, as completion offers them.
      const fixes = suggestions.length > 0 ? replaceFixes(range, suggestions) : replaceFixes(range, allowed, false);
      const hint = meansNone ? '; QM (quality managed) is the level for a function without an ASIL' : suggestions.length > 0 ? `; did you mean '${suggestions[0]}'?` : '';
      return [makeDiagnostic('AIOS203', `${where}: ${describeValue(input)} is not allowed: expected one of ${allowed.join(', ')}${hint}`, range, { path, fixes })];
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const inclusive = issue.inclusive !== false;
      const rel = issue.code === 'too_small' ? (inclusive ? 'at least' : 'more than') : inclusive ? 'at most' : 'less than';
      if (issue.origin === 'number' || issue.origin === 'int' || issue.origin === 'bigint') {
        const dynamic = typeof input === 'number' && input < 0 && path[path.length - 2] === 'shape' ? '; write a name (e.g. batch) for a dynamic dimension' : '';
        return [makeDiagnostic('AIOS204', `${where}: ${describeValue(input)} is out of range: must be ${rel} ${String(bound)}${dynamic}`, valueRange(parsed, path), { path })];
      }
      const what = issue.origin === 'array' ? 'entries' : issue.origin === 'string' ? 'characters' : 'items';
      const message =
        issue.code === 'too_small' && Number(bound) === 1 && (issue.origin === 'string' || issue.origin === 'array')
          ? `${where} must not be empty${issue.origin === 'array' ? ': give at least one entry' : ''}`
          : `${where}: must have ${rel} ${String(bound)} ${what}`;
      return [makeDiagnostic('AIOS210', message, valueRange(parsed, path), { path })];
    }
    case 'invalid_format': {
      const range = valueRange(parsed, path);
      // `Driver_Monitoring` -> `driver-monitoring`, when that fits the pattern.
      const pattern = 'pattern' in issue && typeof issue.pattern === 'string' ? regExpOf(issue.pattern) : undefined;
      const slug = typeof input === 'string' && pattern ? slugFor(input, pattern) : undefined;
      const fixes: Fix[] = slug !== undefined && slug !== input ? [{ title: `Change to ${slug}`, edits: [{ range, newText: slug }], preferred: true }] : [];
      return [makeDiagnostic('AIOS208', `${where}: ${describeValue(input)} is not valid: ${issue.message}${fixes.length > 0 ? ` (write ${slug})` : ''}`, range, { path, fixes })];
    }
    case 'not_multiple_of':
      return [makeDiagnostic('AIOS204', `${where}: ${describeValue(input)} must be a multiple of ${String(issue.divisor)}`, valueRange(parsed, path), { path })];
    case 'custom': {
      const missing = (issue.params as { missingKey?: unknown } | undefined)?.missingKey;
      if (typeof missing === 'string') {
        const parentPath = path.slice(0, -1);
        const diag = missingKey(parsed, root, path);
        return [{ ...diag, code: 'AIOS211', message: `${pathLabel(parentPath)}: ${issue.message}` }];
      }
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return [makeDiagnostic(code === 'AIOS204' ? 'AIOS204' : 'AIOS299', `${where}: ${issue.message}`, valueRange(parsed, path), { path })];
    }
    case 'invalid_union':
      return [makeDiagnostic('AIOS202', `${where}: ${describeValue(input)} does not match any allowed form${info ? ` (expected ${expectedLabel(info)})` : ''}`, valueRange(parsed, path), { path })];
    default:
      return [makeDiagnostic('AIOS299', `${where}: ${issue.message}`, valueRange(parsed, path), { path })];
  }
}

/**
 * The text to delete to remove the entry at `path`: whole lines for a block mapping entry,
 * `key: value, ` inside a flow mapping.
 */
function entryRange(parsed: ParsedYaml, path: Path): Range {
  const at = findNode(parsed.document, path);
  const key = at.pair?.key;
  if (!at.pair || !isNode(key) || !key.range) return keyRange(parsed, path);
  const value = at.pair.value;
  const start = key.range[0];
  const end = isNode(value) && value.range ? value.range[1] : key.range[1];
  const text = parsed.text;
  const lines = parsed.lines;
  const startLine = lines.positionAt(start).line;
  const endLine = lines.positionAt(Math.max(start, end - 1)).line;
  const lineStart = lines.offsetAt({ line: startLine, character: 0 });
  const rest = text.slice(end, lines.lineEnd(endLine));
  if (text.slice(lineStart, start).trim() === '' && /^\s*(#.*)?$/.test(rest)) {
    const next = endLine + 1 < lines.lineCount ? lines.offsetAt({ line: endLine + 1, character: 0 }) : lines.lineEnd(endLine);
    return lines.range(lineStart, next);
  }
  const comma = /^\s*,\s*/.exec(text.slice(end));
  return lines.range(start, end + (comma ? comma[0].length : 0));
}

/** A missing required key: placed on the parent's key, with a fix that inserts a snippet. */
function missingKey(parsed: ParsedYaml, root: z.ZodType, path: Path): Diagnostic {
  const key = String(path[path.length - 1]);
  const parentPath = path.slice(0, -1);
  const info = describeAt(root, path);
  const at = findNode(parsed.document, parentPath);
  const parentNode = at.value;
  const range = parentPath.length === 0 ? firstKeyLineRange(parsed) : keyRange(parsed, parentPath);
  const fixes: Fix[] = [];
  if (parentNode && isMap(parentNode)) {
    const edit = insertKeyEdit(parsed, parentNode, key, info);
    if (edit) fixes.push({ title: `Add '${key}'`, edits: [edit], preferred: true });
  }
  const doc = info?.description ? ` (${info.description})` : '';
  const inWhere = parentPath.length > 0 ? ` in ${pathLabel(parentPath)}` : '';
  return makeDiagnostic('AIOS207', `missing required key '${key}'${inWhere}${doc}`, range, { path, fixes });
}

function firstKeyLineRange(parsed: ParsedYaml): Range {
  const contents = parsed.document?.contents;
  if (contents && isMap(contents) && contents.items[0] && contents.items[0].key && isScalar(contents.items[0].key)) {
    return nodeRange(parsed.lines, contents.items[0].key);
  }
  return parsed.lines.range(0, parsed.lines.lineEnd(0));
}

/** An edit that adds `key: <placeholder>` as the last entry of `map` (block or flow style). */
export function insertKeyEdit(parsed: ParsedYaml, map: Node, key: string, info: SchemaInfo | undefined): TextEdit | undefined {
  if (!isMap(map) || !map.range) return undefined;
  const lines = parsed.lines;
  if (map.flow) {
    const close = map.range[1] - 1;
    const pos = lines.positionAt(close);
    const sep = map.items.length > 0 ? ', ' : '';
    return { range: { start: pos, end: pos }, newText: `${sep}${key}: ${inlinePlaceholder(info)}` };
  }
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  if (!first || !last || !isScalar(first.key) || !first.key.range) return undefined;
  const indent = lines.positionAt(first.key.range[0]).character;
  const lastEnd = (isScalar(last.value) || isMap(last.value) || isSeq(last.value)) && last.value.range ? last.value.range[1] : (isScalar(last.key) && last.key.range ? last.key.range[1] : map.range[1]);
  const endLine = lines.positionAt(Math.max(0, lastEnd - 1)).line;
  const insertAt = { line: endLine, character: lines.lineText(endLine).length };
  const pad = ' '.repeat(indent);
  return { range: { start: insertAt, end: insertAt }, newText: `\n${pad}${snippet(key, info, indent)}` };
}

function snippet(key: string, info: SchemaInfo | undefined, indent: number): string {
  if (info?.kind === 'object' && info.keys) {
    const required = info.keys.filter((k) => k.required);
    if (required.length === 0) return `${key}: {}`;
    const pad = ' '.repeat(indent + 2);
    return `${key}:\n${required.map((k) => `${pad}${k.name}: ${k.values?.[0] ?? (k.quantity ? `1${quantityKinds[k.quantity].defaultUnit}` : placeholderForKind(k.kind))}`).join('\n')}`;
  }
  return `${key}: ${inlinePlaceholder(info)}`;
}

function inlinePlaceholder(info: SchemaInfo | undefined): string {
  if (!info) return "''";
  if (info.values && info.values.length > 0) return info.values[0] ?? "''";
  if (info.kind === 'quantity' && info.quantity) return `1${quantityKinds[info.quantity].defaultUnit}`;
  return placeholderForKind(info.kind);
}

function placeholderForKind(kind: SchemaInfo['kind']): string {
  switch (kind) {
    case 'object':
    case 'record':
      return '{}';
    case 'array':
      return '[]';
    case 'number':
      return '0';
    case 'boolean':
      return 'false';
    default:
      return "''";
  }
}

function expectedLabel(info: SchemaInfo): string {
  switch (info.kind) {
    case 'object':
      return `a mapping${info.keys ? ` with keys ${info.keys.map((k) => k.name).join(', ')}` : ''}`;
    case 'record':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'enum':
    case 'literal':
      return `one of ${(info.values ?? []).join(', ')}`;
    case 'quantity':
      return info.quantity ? quantityKinds[info.quantity].noun : 'a quantity';
    case 'union':
      return info.description ? info.description.replace(/\.$/, '').replace(/^A /, 'a ') : 'a different value';
    default:
      return 'a different value';
  }
}

/** Other names for allowed values (ONNX's `float`, `int4` for the weight-only precision). */
const enumSynonyms: Readonly<Record<string, string>> = {
  float: 'float32',
  'tensor(float)': 'float32',
  double: 'float64',
  half: 'float16',
  fp32: 'float32',
  fp16: 'float16',
  bf16: 'bfloat16',
  long: 'int64',
  int: 'int32',
  float32: 'fp32',
  float16: 'fp16',
  int4: 'int4-weight',
  w4a16: 'int4-weight',
  kl: 'entropy',
  'kl-divergence': 'entropy',
  max: 'minmax',
  tpu: 'npu',
  dla: 'npu',
  ddr: 'dram',
  ddr4: 'dram',
  ddr5: 'dram',
  lpddr4: 'dram',
  lpddr4x: 'dram',
  lpddr5: 'dram',
};

/**
 * Where `key` is known below `path`, for a key written a level or two too high: `fps` beside
 * `soc` belongs under 'budgets'; `fps` at the top belongs under 'targets[].budgets'.
 */
function homeOf(root: z.ZodType, path: Path, key: string): string | undefined {
  const wanted = key.toLowerCase();
  let level: Array<{ at: Array<string | number>; label: string[] }> = [{ at: [...path], label: [] }];
  for (let depth = 0; depth < 3 && level.length > 0; depth++) {
    const next: typeof level = [];
    for (const { at, label } of level) {
      for (const k of describeAt(root, at)?.keys ?? []) {
        const isArray = k.kind === 'array';
        if (k.kind !== 'object' && !isArray) continue;
        const childAt = isArray ? [...at, k.name, 0] : [...at, k.name];
        const childLabel = [...label, isArray ? `${k.name}[]` : k.name];
        if (describeAt(root, childAt)?.keys?.some((c) => c.name.toLowerCase() === wanted)) {
          if (childLabel.length === 1) return isArray ? `in an entry of '${k.name}'` : `under '${k.name}'`;
          return `under '${childLabel.join('.')}'`;
        }
        next.push({ at: childAt, label: childLabel });
      }
    }
    level = next;
  }
  return undefined;
}

/** Edits that turn the mapping at `range` into the single entry of a list: `[...]` for a flow mapping, `- ` and two more spaces of indent for a block one. */
function listItemEdits(parsed: ParsedYaml, range: Range, source: string): TextEdit[] | undefined {
  if (source.startsWith('{')) return [{ range, newText: `[${source}]` }];
  const lines = parsed.lines;
  // The first key must start its line, or the indentation cannot be shifted.
  if (lines.lineText(range.start.line).slice(0, range.start.character).trim() !== '') return undefined;
  const edits: TextEdit[] = [{ range: { start: range.start, end: range.start }, newText: '- ' }];
  const last = range.end.character === 0 ? range.end.line - 1 : range.end.line;
  for (let line = range.start.line + 1; line <= last; line++) {
    if (lines.lineText(line).trim() === '') continue;
    const at = { line, character: 0 };
    edits.push({ range: { start: at, end: at }, newText: '  ' });
  }
  return edits;
}

/** A lower-case, hyphenated spelling of `text` that fits `pattern` (path separators kept when the pattern takes them), if any. */
function slugFor(text: string, pattern: RegExp): string | undefined {
  const base = text.trim().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  for (const kept of [/[^a-z0-9/]+/g, /[^a-z0-9]+/g]) {
    const slug = base.replace(kept, '-').replace(/-*\/-*/g, '/').replace(/^[-/]+|[-/]+$/g, '');
    if (slug && pattern.test(slug)) return slug;
  }
  return undefined;
}

/** zod states a regex check's pattern as `/source/flags`. */
function regExpOf(pattern: string): RegExp | undefined {
  const m = /^\/(.*)\/([a-z]*)$/s.exec(pattern);
  try {
    return m ? new RegExp(m[1] ?? '', m[2]) : new RegExp(pattern);
  } catch {
    return undefined;
  }
}

/** Keys that must be written: neither optional nor defaulted. */
function requiredKeys(root: z.ZodType, path: Path, info: SchemaInfo): KeyInfo[] {
  return (info.keys ?? []).filter((k) => k.required && !('defaultValue' in (describeAt(root, [...path, k.name]) ?? {})));
}

/** YAML 1.1 booleans (and quoted true/false) that YAML 1.2, which this file is read as, keeps as text. */
function booleanWord(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (['true', 'yes', 'y', 'on'].includes(t)) return true;
  if (['false', 'no', 'n', 'off'].includes(t)) return false;
  return undefined;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (typeof value === 'number' && Number.isNaN(value)) return '.nan (not a number)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') {
    // Control characters are invisible in a message: show them escaped.
    const shown = (value.length > 60 ? `${value.slice(0, 57)}...` : value).replace(/[\0-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    return `'${shown}'`;
  }
  return `${typeof value} ${String(value)}`;
}

export function pathLabel(path: Path): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out;
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isMapping(v) && (typeof seg === 'string' || typeof seg === 'number')) v = Object.prototype.hasOwnProperty.call(v, seg) ? v[seg] : undefined;
    else return undefined;
  }
  return v;
}

