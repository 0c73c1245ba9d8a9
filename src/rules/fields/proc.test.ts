/** @module rules/fields/proc.test: proc.*, user.* and group.* come from the process table first, else from what the event carries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldValues } from './index.js';
import { EvalCtx } from '../context.js';
import { execEvent, fixture } from '../../../test/helpers/rules.js';
import { sampleEvents } from '../../../test/helpers/events.js';
import type { BgEvent } from '../../events/types.js';

const REFS = ['proc.name', 'proc.ppid', 'proc.exepath', 'proc.cmdline', 'user.uid', 'user.euid', 'group.gid', 'group.egid', 'proc.sname'];
const sample = (kind: BgEvent['kind']) => sampleEvents().find((e) => e.kind === kind)!;

test('without a process table, each kind gives what its record carries', () => {
	const c = new EvalCtx();
	const got = (kind: BgEvent['kind']) => Object.values(fieldValues(REFS, c.set(sample(kind))));
	assert.deepEqual(got('exec'), ['echo', 99, '/bin/echo', 'echo json marker two', 1000, 0, 1001, 0, null]);
	assert.deepEqual(got('priv_exec'), ['setids', 299, '/tmp/bg/setids', null, 1000, 0, 1001, 1001, null]);
	assert.deepEqual(got('open'), ['cat', null, null, null, 1000, null, 1001, null, null]);
	assert.deepEqual(got('net_connect'), ['curl', null, null, null, 1000, null, null, null, null]);
	assert.deepEqual(got('fork'), ['sh', 199, null, null, null, null, null, null, null]);
});

test('with a process table, the table wins; a process it does not know falls back to the event', () => {
	const f = fixture();
	f.apply(execEvent({ pid: 400, args: ['/bin/bash'], uid: 7, gid: 8 }));
	const open = { ...sample('open'), pid: 400, comm: 'renamed' } as BgEvent;
	assert.deepEqual(Object.values(fieldValues(['proc.name', 'proc.exepath', 'user.uid', 'group.gid'], f.apply(open))), ['bash', '/bin/bash', 7, 8]);
	const unknown = { ...sample('open'), pid: 401 } as BgEvent;
	assert.deepEqual(Object.values(fieldValues(['proc.name', 'proc.exepath', 'user.uid', 'group.gid'], f.apply(unknown))), ['cat', null, 1000, 1001]);
});
