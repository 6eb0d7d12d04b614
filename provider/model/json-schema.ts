/** The JSON Schema of one tenancy file, generated from the zod schema (so they never disagree). */
import { z } from 'zod';
import { tenancyDocumentSchema } from './schema.js';

/** The schema document as stable, pretty-printed JSON text ending in a newline. */
export function tenancyJsonSchemaText(): string {
  const schema = z.toJSONSchema(tenancyDocumentSchema, { target: 'draft-7', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, $id: 'https://cloudlink-tenancy.dev/schemas/tenancy.schema.json', title: 'cloudlink-tenancy Tenancy' }, null, 2)}\n`;
}
