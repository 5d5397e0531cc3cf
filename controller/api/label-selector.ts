/**
 * Kubernetes label selectors: which objects a selector picks, and the syntax of label keys and
 * values. BgpPeer `nodeSelector` is a full metav1.LabelSelector; Eip `namespaceSelector` is a plain
 * map, read as `matchLabels` (OpenELB turns it into a selector with metav1.SetAsLabelSelector).
 */
import type { V1LabelSelector, V1LabelSelectorRequirement } from '@kubernetes/client-node';

export type LabelSelector = V1LabelSelector;
export type Labels = Record<string, string>;

/** The operators of matchExpressions (apimachinery's LabelSelectorOperator). */
export const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** Every key of `required` is present in `labels` with the same value; an empty map matches everything. */
export function labelsMatch(required: Labels, labels: Labels | undefined): boolean {
  return Object.entries(required).every(([key, value]) => labels?.[key] === value);
}

function requirementMatches(requirement: V1LabelSelectorRequirement, labels: Labels | undefined): boolean {
  const has = labels !== undefined && Object.hasOwn(labels, requirement.key);
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case 'In':
      return has && values.includes(labels[requirement.key]);
    // A missing label is "not in" any set, as apimachinery's labels.Requirement.Matches has it.
    case 'NotIn':
      return !has || !values.includes(labels[requirement.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      // An operator outside the four matches nothing, rather than everything.
      return false;
  }
}

/**
 * Whether a selector picks an object with these labels: all matchLabels and all matchExpressions
 * hold (they are ANDed). An empty selector matches everything. Whether an absent selector means
 * "all" or "none" depends on the field, so callers decide that before calling.
 */
export function labelSelectorMatches(selector: LabelSelector, labels: Labels | undefined): boolean {
  if (selector.matchLabels !== undefined && !labelsMatch(selector.matchLabels, labels)) return false;
  return (selector.matchExpressions ?? []).every((requirement) => requirementMatches(requirement, labels));
}

// apimachinery's qualified name: alphanumerics at both ends, `-`, `_` and `.` inside, 63 at most.
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
// RFC 1123 subdomain, the optional prefix of a key.
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why a label key is invalid (`[prefix/]name`), or undefined when it is valid. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !SUBDOMAIN.test(prefix))) {
    return `prefix ${JSON.stringify(prefix)} must be a DNS subdomain (lower case, 253 characters at most)`;
  }
  if (name.length > 63 || !NAME.test(name)) {
    return `name ${JSON.stringify(name)} must be 63 characters at most: letters, digits, "-", "_" or "." inside, a letter or digit at each end`;
  }
  return undefined;
}

/** Why a label value is invalid, or undefined when it is valid (the empty value is). */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value)) {
    return `value ${JSON.stringify(value)} must be 63 characters at most: letters, digits, "-", "_" or "." inside, a letter or digit at each end`;
  }
  return undefined;
}
