/** Shapes shared by the end-to-end control plane's files. */

/** An expected failure is a value, not an exception. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/** The two binaries the control plane runs, as absolute paths. */
export interface Binaries {
  etcd: string;
  apiserver: string;
}

/** What `up` records in the state directory, so `down` and `status` work from another process. */
export interface ControlPlaneState {
  name: string;
  /** The state directory itself (certificates, keys, data, logs, this record). */
  dir: string;
  pids: { etcd?: number; apiserver?: number };
  /** https://127.0.0.1:PORT of kube-apiserver's secure port. */
  server: string;
  /** The admin bearer token (group system:masters). */
  token: string;
  /** Path of the kubeconfig written for the admin token. */
  kubeconfig: string;
  /** http://127.0.0.1:PORT where etcd serves clients. */
  etcd: string;
}
