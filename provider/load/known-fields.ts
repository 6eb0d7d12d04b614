/**
 * The field names the tenancy format allows at a place in a file, read from its JSON Schema
 * (generated from the zod schema, so the two never disagree): the candidates of the loader's
 * "did you mean" hint for an unknown field.
 */
import { tenancyJsonSchemaText } from '../model/json-schema.js';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  $ref?: string;
  definitions?: Record<string, SchemaNode>;
}

let root: SchemaNode | undefined;

function resolve(node: SchemaNode, top: SchemaNode): SchemaNode[] {
  const ref = node.$ref?.replace(/^#\/definitions\//, '');
  const self = ref !== undefined && top.definitions?.[ref] ? [top.definitions[ref]] : [node];
  return self.flatMap((n) => [n, ...[...(n.anyOf ?? []), ...(n.oneOf ?? []), ...(n.allOf ?? [])].flatMap((x) => resolve(x, top))]);
}

/** Every field name the schema allows in the object at `path` (e.g. `['accounts', 0]`); empty when unknown. */
export function knownFieldsAt(path: readonly PropertyKey[]): string[] {
  root ??= JSON.parse(tenancyJsonSchemaText()) as SchemaNode;
  const top = root;
  let nodes = resolve(top, top);
  for (const step of path) {
    nodes = nodes.flatMap((n) => {
      const next = typeof step === 'number' ? n.items : n.properties?.[String(step)];
      return next ? resolve(next, top) : [];
    });
  }
  return [...new Set(nodes.flatMap((n) => Object.keys(n.properties ?? {})))];
}
