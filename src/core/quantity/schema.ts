import { z } from 'zod';
import { parseQuantity, quantityPatternSource, type Quantity } from './quantity';
import { quantityKinds, unitList, type QuantityKind } from './units';

/** JSON Schema / zod metadata key that marks a string field as a quantity of a kind. */
export const quantityMetaKey = 'x-aios-quantity';

/**
 * A string field holding a quantity of `kind` ("8ms"), parsed to a `Quantity` in SI units.
 * The JSON Schema side is a string with a unit pattern; the diagnostics layer recognises the
 * field by its metadata and re-parses the raw value for a precise message and quick fix.
 */
export function quantitySchema(kind: QuantityKind, description: string, options: { positive?: boolean } = {}) {
  return z
    .string()
    .regex(new RegExp(quantityPatternSource(kind)), { error: `expected ${quantityKinds[kind].noun} (units: ${unitList(kind)})` })
    .transform((text, ctx): Quantity => {
      const parsed = parseQuantity(text, kind);
      if (parsed.ok && options.positive && parsed.quantity.value === 0) {
        ctx.issues.push({ code: 'custom', message: `${text} is zero: give a value above 0`, input: text, params: { code: 'AIOS204' } });
        return z.NEVER;
      }
      if (parsed.ok) return parsed.quantity;
      ctx.issues.push({ code: 'custom', message: parsed.error.message, input: text });
      return z.NEVER;
    })
    .meta({ description: `${description} (${quantityKinds[kind].noun.replace(/^an? /, '')}: ${unitList(kind)})`, [quantityMetaKey]: kind });
}
