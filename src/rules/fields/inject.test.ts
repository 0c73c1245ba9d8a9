/** @module rules/fields/inject.test: target.* of ptrace and process_vm records (from the record) and of /proc/PID/mem opens (pid from the path, the rest from the process table). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldValues } from './index.js';
import { EvalCtx } from '../context.js';
import { execEvent, fixture } from '../../../test/helpers/rules.js';
import { sampleEvents } from '../../../test/helpers/events.js';
import type { BgEvent, OpenEvent } from '../../events/types.js';

const TARGET = ['target.pid', 'target.tid', 'target.name', 'target.exepath', 'target.uid', 'target.own', 'target.other_user', 'target.exact'];
const samples = (kind: BgEvent['kind']) => sampleEvents().filter((e) => e.kind === kind);
const open = (pid: number, name: string, uid = 0): OpenEvent => ({ ...(samples('open')[0] as OpenEvent), pid, tid: pid, uid, name });

test('ptrace and process_vm records: the target from the record; none found: the pid argument only', () => {
	const c = new EvalCtx();
	const [attach, , seize] = samples('ptrace');
	assert.deepEqual(Object.values(fieldValues(TARGET, c.set(attach))), [812, 812, 'ssh-agent', '/usr/bin/ssh-agent', 1000, false, true, true]);
	assert.deepEqual(Object.values(fieldValues(['ptrace.request', 'ptrace.write'], c.set(attach))), ['attach', false]);
	assert.deepEqual(Object.values(fieldValues(TARGET, c.set(seize))), [99999, 99999, null, null, null, null, null, null]);
	const [read, write] = samples('procmem');
	assert.deepEqual(Object.values(fieldValues(['procmem.write', 'procmem.iovcnt', 'target.own', 'target.exact'], c.set(read))), [false, 1, false, false]);
	assert.deepEqual(Object.values(fieldValues(['procmem.write', 'target.other_user'], c.set(write))), [true, true]);
});

test('/proc/PID/mem opens: own for the caller itself and its descendants, foreign otherwise; other files have no target', () => {
	const f = fixture();
	f.apply(execEvent({ pid: 500, args: ['/usr/bin/dumper'], uid: 0 }));
	f.apply(execEvent({ pid: 501, ppid: 500, args: ['/usr/bin/sleep'], uid: 0 }));
	f.apply(execEvent({ pid: 600, ppid: 1, args: ['/usr/bin/ssh-agent'], uid: 1000 }));
	const got = (e: BgEvent) => Object.values(fieldValues(TARGET, f.apply(e)));
	assert.deepEqual(got(open(500, '/proc/500/mem')), [500, 500, 'dumper', '/usr/bin/dumper', 0, true, false, false]);
	assert.deepEqual(got(open(500, '/proc/501/task/502/mem')), [501, 502, 'sleep', '/usr/bin/sleep', 0, true, false, false]);
	assert.deepEqual(got(open(500, '/proc/600/mem')), [600, 600, 'ssh-agent', '/usr/bin/ssh-agent', 1000, false, true, false]);
	assert.deepEqual(got(open(501, '/proc/500/mem')).slice(5, 7), [false, false], 'a parent is not its child\'s own');
	assert.deepEqual(got(open(500, '/proc/700/mem')), [700, 700, null, null, null, null, null, false], 'a process the table does not know: no verdict');
	assert.deepEqual(got(open(500, '/proc/500/maps')), [null, null, null, null, null, null, null, null]);
	assert.deepEqual(got(open(500, '/dev/mem')), [null, null, null, null, null, null, null, null]);
});
