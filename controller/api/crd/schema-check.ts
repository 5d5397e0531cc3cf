/**
 * Checks a value against a structural schema the way the API server's OpenAPI validation does
 * (types, enums, bounds, lengths, patterns, required fields), and also names every field the
 * schema does not know, which the API server would silently prune. CEL rules are not evaluated
 * here: tests exercise their logic through validation.ts, which enforces the same rules.
 */
import type { Schema } from './schema.ts';

/** Every place `value` breaks `schema`, as `path: complaint` lines. */
export function schemaProblems(schema: Schema, value: unknown, path = ''): string[] {
  const at = path === '' ? '<root>' : path;
  if (schema['x-kubernetes-int-or-string']) {
    return (typeof value === 'number' && Number.isInteger(value)) || typeof value === 'string' ? [] : [`${at}: not an integer or a string`];
  }
  switch (schema.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${at}: not an object`];
      const record = value as Record<string, unknown>;
      const problems = (schema.required ?? []).filter((key) => record[key] === undefined).map((key) => `${at}: ${key} is required`);
      for (const [key, item] of Object.entries(record)) {
        const child = path === '' ? key : `${path}.${key}`;
        const itemSchema = schema.properties?.[key] ?? schema.additionalProperties;
        if (itemSchema === undefined) problems.push(`${child}: unknown field, would be pruned`);
        else problems.push(...schemaProblems(itemSchema, item, child));
      }
      return problems;
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${at}: not a list`];
      const problems = schema.maxItems !== undefined && value.length > schema.maxItems ? [`${at}: more than ${schema.maxItems} items`] : [];
      value.forEach((item, index) => problems.push(...schemaProblems(schema.items!, item, `${path}[${index}]`)));
      return problems;
    }
    case 'string':
      if (typeof value !== 'string') return [`${at}: not a string`];
      return [
        ...(schema.enum !== undefined && !schema.enum.includes(value) ? [`${at}: not one of ${schema.enum.join(', ')}`] : []),
        ...(schema.maxLength !== undefined && value.length > schema.maxLength ? [`${at}: longer than ${schema.maxLength}`] : []),
        ...(schema.minLength !== undefined && value.length < schema.minLength ? [`${at}: shorter than ${schema.minLength}`] : []),
        ...(schema.pattern !== undefined && !new RegExp(schema.pattern).test(value) ? [`${at}: does not match ${schema.pattern}`] : []),
      ];
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return [`${at}: not an integer`];
      return [
        ...(schema.enum !== undefined && !schema.enum.includes(value) ? [`${at}: not one of ${schema.enum.join(', ')}`] : []),
        ...(schema.minimum !== undefined && value < schema.minimum ? [`${at}: below ${schema.minimum}`] : []),
        ...(schema.maximum !== undefined && value > schema.maximum ? [`${at}: above ${schema.maximum}`] : []),
      ];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: not a boolean`];
    default:
      return [`${at}: the schema has no type`];
  }
}

/** Nodes that break the API server's structural-schema rules: no type, or a CEL-checked string without maxLength. */
export function structuralProblems(schema: Schema, path = '<root>'): string[] {
  const problems: string[] = [];
  if (schema.type === undefined && !schema['x-kubernetes-int-or-string']) problems.push(`${path}: no type`);
  if (schema.type === 'string' && schema['x-kubernetes-validations'] !== undefined && schema.maxLength === undefined) {
    problems.push(`${path}: CEL on a string without maxLength`);
  }
  if (schema.type === 'array' && schema.items === undefined) problems.push(`${path}: a list without items`);
  for (const [key, child] of Object.entries(schema.properties ?? {})) problems.push(...structuralProblems(child, `${path}.${key}`));
  if (schema.additionalProperties !== undefined) problems.push(...structuralProblems(schema.additionalProperties, `${path}[*]`));
  if (schema.items !== undefined) problems.push(...structuralProblems(schema.items, `${path}[*]`));
  return problems;
}
