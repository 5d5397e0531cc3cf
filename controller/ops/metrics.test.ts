import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { register } from 'prom-client';
import { createMetrics, Metrics } from './metrics.ts';

function line(text: string, prefix: string): string | undefined {
  return text.split('\n').find((row) => row.startsWith(prefix));
}

describe('Metrics', () => {
  it('exports every series with its labels', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.setSessionUp('192.0.2.1', 'node-a', true);
    metrics.setAnnouncedPrefixes('192.0.2.1', 'node-a', 3);
    metrics.setPoolUsage('pool', 2, 254);
    metrics.reconcileDuration('ipam', 0.002);
    metrics.reconcileError('ipam');
    metrics.setEngineInfo('native', 2);
    metrics.setLeader('pod-1', true);
    let depth = 4;
    metrics.trackQueue('services', () => depth);
    const text = await metrics.text();
    const expected = [
      'porter_bgp_session_up{peer="192.0.2.1",node="node-a"} 1',
      'porter_bgp_announced_prefixes{peer="192.0.2.1",node="node-a"} 3',
      'porter_ipam_addresses_in_use{pool="pool"} 2',
      'porter_ipam_addresses_total{pool="pool"} 254',
      'porter_reconcile_duration_seconds_count{reconciler="ipam"} 1',
      'porter_reconcile_errors_total{reconciler="ipam"} 1',
      'porter_workqueue_depth{queue="services"} 4',
      'porter_engine_info{implementation="native",threads="2"} 1',
      'porter_leader{identity="pod-1"} 1',
    ];
    for (const row of expected) assert.ok(text.includes(row), `${row} in\n${text}`);
    depth = 0;
    assert.ok((await metrics.text()).includes('porter_workqueue_depth{queue="services"} 0'));
  });

  it('forgets removed peers, pools and queues', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.setSessionUp('192.0.2.1', 'node-a', false);
    metrics.setPoolUsage('pool', 1, 2);
    metrics.trackQueue('q', () => 1);
    metrics.forgetPeer('192.0.2.1', 'node-a');
    metrics.forgetPool('pool');
    metrics.untrackQueue('q');
    const text = await metrics.text();
    assert.equal(line(text, 'porter_bgp_session_up{'), undefined);
    assert.equal(line(text, 'porter_ipam_addresses_in_use{'), undefined);
    assert.equal(line(text, 'porter_workqueue_depth{'), undefined);
  });

  it('keeps one engine info series', async () => {
    const metrics = new Metrics({ defaultMetrics: false });
    metrics.setEngineInfo('ts', 1);
    metrics.setEngineInfo('native', 4);
    const rows = (await metrics.text()).split('\n').filter((row) => row.startsWith('porter_engine_info{'));
    assert.deepEqual(rows, ['porter_engine_info{implementation="native",threads="4"} 1']);
  });

  it('includes process metrics and leaves the global registry alone', async () => {
    const before = (await register.metrics()).length;
    const first = createMetrics();
    const second = new Metrics();
    assert.ok(line(await first.text(), 'process_cpu_user_seconds_total'));
    assert.ok(line(await second.text(), 'porter_bgp_session_up') === undefined);
    assert.equal((await register.metrics()).length, before);
    assert.match(first.contentType, /^text\/plain/);
  });
});
