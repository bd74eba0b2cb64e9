/**
 * Writes `media/schema/cnn-model.schema.json` (the file VS Code's JSON editor validates `*.cnn.json`
 * with) from `buildModelSchema()`. Run after changing the catalogue or the format:
 * `node --import tsx scripts/gen-schema.ts` (`npm run -s gen:schema`). A unit test fails when the
 * committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModelSchema } from '../src/core/schema';

export const SCHEMA_PATH = join(__dirname, '..', 'media', 'schema', 'cnn-model.schema.json');

export function schemaFileText(): string {
  return JSON.stringify(buildModelSchema(), null, 2) + '\n';
}

if (require.main === module) {
  writeFileSync(SCHEMA_PATH, schemaFileText());
  console.log(`wrote ${SCHEMA_PATH}`);
}
