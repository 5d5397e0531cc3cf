// A Kubernetes control plane (etcd and kube-apiserver, built from Go modules and cached) on
// loopback, for Porter's end-to-end tests and for trying the controller by hand.
//
//   node scripts/cluster.mjs build                  builds the binaries unless cached; prints their paths
//   node scripts/cluster.mjs up [--name NAME]       starts control plane NAME (default dev), detached;
//                                                    the last line printed is KUBECONFIG=PATH
//   node scripts/cluster.mjs status [--name NAME]   pids, endpoints and /readyz; exit 1 when not ready
//   node scripts/cluster.mjs down [--name NAME]     stops it by pid and removes its state directory
//
// The work is in test/e2e/cluster/ (TypeScript, loaded through tsx); this file only reads argv.
import { register } from 'tsx/esm/api';

register();
const { ensureBinaries } = await import('../test/e2e/cluster/binaries.ts');
const { controlPlaneStatus, stopControlPlane, upControlPlane } = await import('../test/e2e/cluster/control-plane.ts');

const usage = 'usage: node scripts/cluster.mjs build | up [--name NAME] | status [--name NAME] | down [--name NAME]';

function parse(argv) {
  const [command, ...rest] = argv;
  let name = 'dev';
  for (let i = 0; i < rest.length; i += 1) {
    if (rest[i] === '--name' && rest[i + 1] !== undefined) name = rest[++i];
    else if (rest[i].startsWith('--name=')) name = rest[i].slice('--name='.length);
    else return { ok: false, error: `unknown argument ${rest[i]}` };
  }
  return { ok: true, value: { command, name } };
}

function fail(error) {
  console.error(error);
  process.exit(1);
}

const args = parse(process.argv.slice(2));
if (!args.ok) fail(`${args.error}\n${usage}`);
const { command, name } = args.value;
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

switch (command) {
  case 'build': {
    const built = await ensureBinaries();
    if (!built.ok) fail(built.error);
    console.error(built.value.built ? `built in ${seconds()}` : 'cached');
    console.log(`etcd\t${built.value.etcd}`);
    console.log(`kube-apiserver\t${built.value.apiserver}`);
    break;
  }
  case 'up': {
    const status = await controlPlaneStatus(name);
    if (status.ok && status.value.ready) {
      console.error(`control plane ${name} already running at ${status.value.state.server}`);
      console.log(`KUBECONFIG=${status.value.state.kubeconfig}`);
      break;
    }
    if (status.ok) await stopControlPlane(name);
    const up = await upControlPlane({ name });
    if (!up.ok) fail(up.error);
    console.error(`control plane ${name} ready at ${up.value.server} in ${seconds()}`);
    console.log(`KUBECONFIG=${up.value.kubeconfig}`);
    break;
  }
  case 'status': {
    const status = await controlPlaneStatus(name);
    if (!status.ok) fail(status.error);
    const { state, etcdRunning, apiserverRunning, ready } = status.value;
    console.log(`name\t${state.name}\nstate\t${state.dir}\nserver\t${state.server}\netcd\t${state.etcd}`);
    console.log(`etcd pid\t${state.pids.etcd ?? '-'}\t${etcdRunning ? 'running' : 'stopped'}`);
    console.log(`kube-apiserver pid\t${state.pids.apiserver ?? '-'}\t${apiserverRunning ? 'running' : 'stopped'}`);
    console.log(`ready\t${ready}\nKUBECONFIG=${state.kubeconfig}`);
    process.exit(ready ? 0 : 1);
    break;
  }
  case 'down': {
    const down = await stopControlPlane(name);
    if (!down.ok) fail(down.error);
    console.error(down.value.stopped ? `control plane ${name} stopped` : `no control plane ${name}`);
    break;
  }
  default:
    fail(usage);
}
