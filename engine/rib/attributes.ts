/**
 * Reading and editing path attribute lists without mutating them: the RIB shares attribute lists
 * between paths (see attribute-interning.ts), so an edit always makes a new list.
 */
import { ATTRIBUTE_BY_TYPE } from '../wire/attributes/table.ts';
import type { PathAttribute } from '../wire/types.ts';

export type AttributeType = PathAttribute['type'];
export type AttributeOfType<T extends AttributeType> = Extract<PathAttribute, { type: T }>;

/** The attribute's type code (RFC 4271 section 4.3). */
export function attributeCode(attribute: PathAttribute): number {
  if (attribute.type === 'unknown') return attribute.code;
  return (ATTRIBUTE_BY_TYPE.get(attribute.type) as { code: number }).code;
}

export function findAttribute<T extends AttributeType>(
  attributes: readonly PathAttribute[],
  type: T,
): AttributeOfType<T> | undefined {
  return attributes.find((attribute) => attribute.type === type) as AttributeOfType<T> | undefined;
}

/** The list with `attribute` in place of the one of its type, or added at the end. */
export function withAttribute(attributes: readonly PathAttribute[], attribute: PathAttribute): PathAttribute[] {
  const index = attributes.findIndex((candidate) => candidate.type === attribute.type);
  if (index < 0) return [...attributes, attribute];
  const copy = [...attributes];
  copy[index] = attribute;
  return copy;
}

/** The list without the attributes of the given types; the list itself when it holds none. */
export function withoutAttributes(attributes: readonly PathAttribute[], ...types: AttributeType[]): PathAttribute[] {
  if (!attributes.some((attribute) => types.includes(attribute.type))) return attributes as PathAttribute[];
  return attributes.filter((attribute) => !types.includes(attribute.type));
}

/** Sorted by type code, stable: the order the bulk encoder writes them in, and one key for equal sets. */
export function sortByCode(attributes: readonly PathAttribute[]): PathAttribute[] {
  return attributes
    .map((attribute, index) => ({ attribute, index, code: attributeCode(attribute) }))
    .sort((a, b) => a.code - b.code || a.index - b.index)
    .map(({ attribute }) => attribute);
}
