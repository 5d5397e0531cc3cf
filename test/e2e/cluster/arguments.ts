/**
 * The command lines of etcd and kube-apiserver for a loopback control plane. Pure: every path and
 * port comes in, so the flags can be read (and tested) in one place.
 */

/** Where a control plane's files and ports are. */
export interface Layout {
  /** The state directory; it appears in both command lines, which is how stop recognises them. */
  dir: string;
  etcdClientPort: number;
  etcdPeerPort: number;
  apiserverPort: number;
}

/** The Service ClusterIP range; kube-apiserver allocates LoadBalancer Services' ClusterIPs from it. */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/16';

/** Files inside the state directory. */
export function paths(dir: string) {
  return {
    etcdData: `${dir}/etcd`,
    certs: `${dir}/certs`,
    tokens: `${dir}/tokens.csv`,
    serviceAccountKey: `${dir}/service-account.key`,
    serviceAccountPublicKey: `${dir}/service-account.pub`,
    kubeconfig: `${dir}/kubeconfig`,
    etcdLog: `${dir}/etcd.log`,
    apiserverLog: `${dir}/kube-apiserver.log`,
    state: `${dir}/state.json`,
  };
}

/** etcd's flags (our own main in ./etcd): one member on loopback, fsync off since data is throwaway. */
export function etcdArgs(layout: Layout): string[] {
  return [
    `--data-dir=${paths(layout.dir).etcdData}`,
    `--listen-client-url=http://127.0.0.1:${layout.etcdClientPort}`,
    `--listen-peer-url=http://127.0.0.1:${layout.etcdPeerPort}`,
    '--unsafe-no-fsync',
    '--log-level=warn',
  ];
}

/** kube-apiserver's flags for a control plane with no kubelet, scheduler or controller-manager. */
export function apiserverArgs(layout: Layout): string[] {
  const files = paths(layout.dir);
  return [
    `--etcd-servers=http://127.0.0.1:${layout.etcdClientPort}`,
    '--bind-address=127.0.0.1',
    // Without it kube-apiserver advertises the host's first non-loopback address.
    '--advertise-address=127.0.0.1',
    `--secure-port=${layout.apiserverPort}`,
    // No --tls-cert-file: kube-apiserver writes a self-signed CA and serving certificate here,
    // valid for the bind address.
    `--cert-dir=${files.certs}`,
    `--token-auth-file=${files.tokens}`,
    '--authorization-mode=RBAC',
    `--service-account-issuer=https://kubernetes.default.svc.cluster.local`,
    `--service-account-key-file=${files.serviceAccountPublicKey}`,
    `--service-account-signing-key-file=${files.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    // The ServiceAccount plugin rejects Pods until the token controller (in the absent
    // kube-controller-manager) has made each namespace's default ServiceAccount.
    '--disable-admission-plugins=ServiceAccount',
    // The endpoint reconciler would publish 127.0.0.1 in default/kubernetes, which Endpoints
    // validation refuses (loopback), logging an error every few seconds.
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    // Priority and fairness writes its configuration objects and recomputes shares in the
    // background: work a test cluster does not need on a shared machine.
    '--enable-priority-and-fairness=false',
    '--profiling=false',
  ];
}
