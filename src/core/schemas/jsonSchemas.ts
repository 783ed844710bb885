import { z } from 'zod';
import { socSchema } from '../soc/schema';
import { useCaseSchema } from '../usecase/schema';

/** The generated JSON Schemas (schemas/*.json), as the exact text written to disk. */
export function jsonSchemaFiles(): Record<string, string> {
  const render = (schema: z.ZodType, id: string, title: string) =>
    `${JSON.stringify({ $id: id, title, ...z.toJSONSchema(schema, { io: 'input', target: 'draft-7' }) }, null, 2)}\n`;
  return {
    'usecase.schema.json': render(useCaseSchema, 'https://aios.dev/schemas/usecase.schema.json', 'AIOS use case (*.usecase.yaml)'),
    'soc.schema.json': render(socSchema, 'https://aios.dev/schemas/soc.schema.json', 'AIOS SoC target (*.soc.yaml)'),
  };
}
