import { diagnosticCodes, type DiagnosticCode } from './codes';
import type { Diagnostic, Fix, Range } from './types';

export function makeDiagnostic(
  code: DiagnosticCode,
  message: string,
  range: Range,
  extra: { path?: ReadonlyArray<string | number>; fixes?: readonly Fix[]; severity?: Diagnostic['severity'] } = {},
): Diagnostic {
  return {
    code,
    severity: extra.severity ?? diagnosticCodes[code].severity,
    message,
    range,
    ...(extra.path ? { path: extra.path } : {}),
    ...(extra.fixes && extra.fixes.length > 0 ? { fixes: extra.fixes } : {}),
  };
}
