// Writes schemas/*.schema.json from the zod schemas (npm run schemas). Never edit them by hand.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaFiles } from '../src/core/schemas/jsonSchemas';

const dir = join(__dirname, '..', '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const [name, text] of Object.entries(jsonSchemaFiles())) {
  writeFileSync(join(dir, name), text);
  console.log(`wrote schemas/${name} (${text.length} bytes)`);
}
