/** A CustomResourceDefinition (apiextensions.k8s.io/v1) for one cluster-scoped kind of Porter's API. */
import { GROUP, VERSION } from '../types.ts';
import { described, object, type CelRule, type Schema } from './schema.ts';

/** One `kubectl get` column. */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority?: number;
}

export interface KindDefinition {
  kind: string;
  plural: string;
  description: string;
  spec: Schema;
  status: Schema;
  columns: PrinterColumn[];
  /** `kubectl get` categories: each kind is in `porter`, and Eip also in `networking` as OpenELB has it. */
  categories: string[];
  /** Rules on the whole object, for what involves metadata. */
  rules?: CelRule[];
}

/** The CRD object for a kind, ready to write as YAML. */
export function customResourceDefinition(definition: KindDefinition): Record<string, unknown> {
  const root: Schema = {
    ...described(
      definition.description,
      object(
        {
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { type: 'object' },
          spec: definition.spec,
          status: definition.status,
        },
        ['spec'],
      ),
    ),
  };
  if (definition.rules !== undefined) root['x-kubernetes-validations'] = definition.rules;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${definition.plural}.${GROUP}`,
      labels: { 'app.kubernetes.io/name': 'porter', 'app.kubernetes.io/component': 'crd' },
    },
    spec: {
      group: GROUP,
      names: {
        kind: definition.kind,
        listKind: `${definition.kind}List`,
        plural: definition.plural,
        singular: definition.kind.toLowerCase(),
        categories: definition.categories,
      },
      scope: 'Cluster',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: [
            ...definition.columns,
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
          schema: { openAPIV3Schema: root },
        },
      ],
    },
  };
}
