/** Typings of tools.mjs, for the TypeScript tests that call it. */
type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** Every tool: the package `go install` builds and the module version it pins. */
export declare const TOOLS: Record<'helm' | 'kubeconform', { pkg: string; version: string }>;
/** The Kubernetes release whose API the chart is validated against. */
export declare const KUBERNETES_VERSION: string;
/** The cache root of the built tools. */
export declare function toolsDir(): string;
/** The path of a built tool, building it first when the cache lacks its version. */
export declare function ensureTool(name: 'helm' | 'kubeconform'): Result<string>;
/** The path of the Kubernetes OpenAPI v2 document of KUBERNETES_VERSION. */
export declare function ensureKubernetesOpenApi(): Result<string>;
