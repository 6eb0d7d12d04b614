/** The JSON Schema of one tenancy file, generated from the zod schema (so they never disagree). */
import { z } from 'zod';
import { ROLE_JSON_SCHEMA, roleInputSchema, TAGS_JSON_SCHEMA, tagsField, tenancyDocumentSchema, userDocumentSchema } from './schema.js';

/**
 * The schema document as stable, pretty-printed JSON text ending in a newline. It describes what a
 * person may write (zod's input side: e.g. a role in any case), not the normalised model.
 */
export function tenancyJsonSchemaText(): string {
  const schema = z.toJSONSchema(tenancyDocumentSchema, {
    target: 'draft-7',
    unrepresentable: 'any',
    io: 'input',
    override: (ctx) => {
      if (ctx.zodSchema === roleInputSchema) {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
        Object.assign(ctx.jsonSchema, structuredClone(ROLE_JSON_SCHEMA));
      }
      if (ctx.zodSchema === tagsField) {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
        Object.assign(ctx.jsonSchema, structuredClone(TAGS_JSON_SCHEMA));
      }
      // The console's rule on names (a zod refinement, which JSON Schema cannot derive).
      if (ctx.zodSchema === userDocumentSchema) ctx.jsonSchema.anyOf = [{ required: ['firstName'] }, { required: ['lastName'] }, { required: ['name'] }];
    },
  });
  return `${JSON.stringify({ ...schema, $id: 'https://cloudlink-tenancy.dev/schemas/tenancy.schema.json', title: 'cloudlink-tenancy Tenancy' }, null, 2)}\n`;
}
