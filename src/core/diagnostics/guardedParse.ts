import { LineIndex } from './lineIndex';
import { makeDiagnostic, parseYaml, type ParsedYaml } from './yamlDocument';

/**
 * parseYaml that never throws: a parser failure (e.g. the call stack overflowing on thousands
 * of nested brackets) becomes one syntax diagnostic, so validation always ends in diagnostics.
 */
export function parseYamlGuarded(text: string): ParsedYaml {
  try {
    return parseYaml(text);
  } catch (e) {
    const lines = new LineIndex(text);
    const why = e instanceof RangeError ? 'it nests too deeply (thousands of levels)' : e instanceof Error ? e.message : String(e);
    return {
      text,
      lines,
      document: undefined,
      value: undefined,
      syntaxDiagnostics: [makeDiagnostic('AIOS101', `the YAML cannot be parsed: ${why}; use cases and SoC files need only a few levels`, lines.range(0, lines.lineEnd(0)))],
      usable: false,
    };
  }
}
