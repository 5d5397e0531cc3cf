/** The whole malformed-message table, in the order of testdata/wire/malformed.jsonl. */
import { attributeCases } from './attribute-cases.ts';
import { caseLine, type MalformedCase } from './case.ts';
import { combinationCases } from './combination-cases.ts';
import { headerCases } from './header-cases.ts';
import { openCases } from './open-cases.ts';
import { updateCases } from './update-cases.ts';

export const malformedCases: MalformedCase[] = [
  ...headerCases,
  ...openCases,
  ...attributeCases,
  ...updateCases,
  ...combinationCases,
];

/** The file's text; throws when a name is repeated or not kebab-case. */
export function malformedTable(): string {
  const seen = new Set<string>();
  for (const { name } of malformedCases) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) throw new Error(`case name is not kebab-case: ${name}`);
    if (seen.has(name)) throw new Error(`case name repeated: ${name}`);
    seen.add(name);
  }
  return malformedCases.map(caseLine).join('\n') + '\n';
}
