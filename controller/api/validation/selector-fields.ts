/**
 * Checks label maps and label selectors field by field, with apimachinery's rules
 * (ValidateLabelSelector): valid keys and values, a known operator, values for In and NotIn and
 * none for Exists and DoesNotExist.
 */
import { labelKeyProblem, labelValueProblem, SELECTOR_OPERATORS } from '../label-selector.ts';
import { fieldPath, itemPath, type FieldChecker } from './field-checker.ts';

/** A map of label keys to label values (matchLabels, Eip namespaceSelector). */
export function checkLabels(check: FieldChecker, value: unknown, field: string): void {
  const labels = check.stringMap(value, field);
  if (labels === undefined) return;
  for (const [key, text] of Object.entries(labels)) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(text);
    if (problem !== undefined) check.report(itemPath(field, key), problem);
  }
}

/** A metav1.LabelSelector. */
export function checkLabelSelector(check: FieldChecker, value: unknown, field: string): void {
  const selector = check.object(value, field);
  if (selector === undefined) return;
  checkLabels(check, selector.matchLabels, fieldPath(field, 'matchLabels'));
  const expressions = check.list(selector.matchExpressions, fieldPath(field, 'matchExpressions'));
  expressions?.forEach((item, index) => {
    const path = itemPath(fieldPath(field, 'matchExpressions'), index);
    const requirement = check.object(item, path);
    if (requirement === undefined) return;
    const key = check.string(requirement.key, fieldPath(path, 'key'), true);
    const keyProblem = key === undefined ? undefined : labelKeyProblem(key);
    if (keyProblem !== undefined) check.report(fieldPath(path, 'key'), keyProblem);
    const operator = check.oneOf(requirement.operator, fieldPath(path, 'operator'), SELECTOR_OPERATORS, true);
    const values = check.stringList(requirement.values, fieldPath(path, 'values'));
    const count = Array.isArray(requirement.values) ? requirement.values.length : 0;
    if ((operator === 'In' || operator === 'NotIn') && count === 0 && (values !== undefined || requirement.values === undefined)) {
      check.report(fieldPath(path, 'values'), `must not be empty when operator is ${operator}`);
    }
    if ((operator === 'Exists' || operator === 'DoesNotExist') && count > 0) {
      check.report(fieldPath(path, 'values'), `must be empty when operator is ${operator}`);
    }
    values?.forEach((text, i) => {
      const problem = labelValueProblem(text);
      if (problem !== undefined) check.report(itemPath(fieldPath(path, 'values'), i), problem);
    });
  });
}
