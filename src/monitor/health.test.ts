/** @module monitor/health.test: the agent's own records: loss rate-limited with counts, heartbeat, start and stop, and the default rules that turn them into alerts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Health, lossCounters } from './health.js';
import { loadRules } from '../rules/load.js';
import { RuleEngine } from '../rules/engine.js';
import { repoPath } from '../util/paths.js';
import { fixture } from '../../test/helpers/rules.js';
import type { Alert } from '../alerts/alert.js';

function clock() {
	let t = 1_700_000_000_000;
	return { now: () => t, advance: (s: number) => (t += s * 1000) };
}

test('loss: a record when something new is lost, at most one per interval, with the counts since the previous one', () => {
	const c = clock();
	const h = new Health({ lossIntervalS: 10, heartbeatS: 0 }, c.now, () => 1n);
	assert.deepEqual(h.tick({ ringbuf_full: 0, sink_dropped: 0 }, {}, 0), [], 'nothing lost: nothing said');
	c.advance(1);
	const [r1] = h.tick({ ringbuf_full: 5, sink_dropped: 0 }, {}, 0);
	assert.equal(r1.what, 'loss');
	assert.equal(r1.total, 5);
	assert.deepEqual(r1.counts, { ringbuf_full: 5 });
	assert.equal(r1.reason, 'ringbuf_full=5');
	c.advance(3);
	assert.deepEqual(h.tick({ ringbuf_full: 9, sink_dropped: 2 }, {}, 0), [], 'rate-limited: counted, not yet said');
	c.advance(7);
	const [r2] = h.tick({ ringbuf_full: 12, sink_dropped: 2 }, {}, 0);
	assert.deepEqual(r2.counts, { ringbuf_full: 7, sink_dropped: 2 });
	assert.equal(r2.total, 9);
	assert.equal(r2.windowS, 10);
	c.advance(1);
	const [r3] = h.tick({ ringbuf_full: 13, sink_dropped: 2 }, {}, 0, true);
	assert.deepEqual(r3.counts, { ringbuf_full: 1 }, 'at stop the last losses are said at once');
});

test('heartbeat every heartbeatS with the totals; start and stop with reason and uptime', () => {
	const c = clock();
	const h = new Health({ lossIntervalS: 10, heartbeatS: 60 }, c.now, () => 1n);
	const s = h.start('sensors process; 3 rules', { sensors: 1, rules: 3 });
	assert.deepEqual([s.kind, s.what, s.reason, s.pid], ['agent', 'start', 'sensors process; 3 rules', process.pid]);
	c.advance(59);
	assert.deepEqual(h.tick({}, { events: 10 }, 10), []);
	c.advance(1);
	const [hb] = h.tick({}, { events: 12 }, 12);
	assert.deepEqual([hb.what, hb.total, hb.uptimeS, hb.counts.events], ['heartbeat', 12, 60, 12]);
	c.advance(5);
	const st = h.stop('SIGTERM', { events: 13, lost: 0 }, 13);
	assert.deepEqual([st.what, st.reason, st.uptimeS, st.total], ['stop', 'SIGTERM', 65, 13]);
});

test('lossCounters names every cause the monitor can see', () => {
	const l = lossCounters({ rb_full: 3, no_scratch: 1, compat_syscall: 2, emitted: 100 }, { unknownKind: 4, oversize: 5, handlerErrors: 6 }, 7);
	assert.deepEqual(l, { ringbuf_full: 3, no_scratch: 1, compat_syscall_undecoded: 2, priv_no_store: 0, net_track_fail: 0, seccomp_no_state: 0, seccomp_no_handler: 0, io_uring_cq_overflow: 0, decode_unknown_kind: 4, decode_oversize: 5, handler_error: 6, sink_dropped: 7 });
	const audit = lossCounters({}, { unknownKind: 0, oversize: 0, handlerErrors: 0 }, 0, 9);
	assert.equal(audit.audit_dropped, 9, 'with the audit trail on: events the store could not keep');
});

test('the default rules turn a loss into a critical alert and start/stop/heartbeat into notices (heartbeat: audit log only)', () => {
	const { ruleset } = loadRules([repoPath('rules')]);
	const { table, ctx } = fixture();
	const engine = new RuleEngine(ruleset, table, ctx.users);
	const c = clock();
	const h = new Health({ lossIntervalS: 10, heartbeatS: 60 }, c.now, () => 1n);
	const alerts: Alert[] = [];
	engine.process([h.start('sensors process; 3 rules', { sensors: 1, rules: 3 })], (a) => alerts.push(a));
	c.advance(60);
	engine.process(h.tick({ ringbuf_full: 4, sink_dropped: 1 }, { events: 9 }, 9), (a) => alerts.push(a));
	engine.process([h.stop('SIGINT', { events: 9 }, 9)], (a) => alerts.push(a));
	assert.deepEqual(alerts.map((a) => [a.rule, a.priority, a.action, a.source]), [
		['bpfguard started', 'notice', 'alert', 'internal'],
		['bpfguard lost events', 'critical', 'alert', 'internal'],
		['bpfguard heartbeat', 'notice', 'log', 'internal'],
		['bpfguard stopped', 'notice', 'alert', 'internal'],
	]);
	assert.equal(alerts[1].output, 'bpfguard lost 5 events or alerts in the last 60 s (causes="ringbuf_full=4 sink_dropped=1")');
	assert.equal(alerts[1].fields['evt.type'], 'bpfguard_loss');
	assert.equal(alerts[1].fields['proc.pid'], process.pid);
	assert.match(alerts[3].output, /^bpfguard stopped \(reason=SIGINT uptime=60 s totals=events=9\)$/);
});
