/** @module rules/pushdown/index.test: the kernel-filter step: which sensors, network record kinds and priv no-op policy a condition set needs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelPlan, netNeedsFor, privNoopRules, sensorsFor } from './index.js';
import { loadRules } from '../load.js';
import { commKey, netSkipMask, netStateMask } from '../../sensors/net.js';
import { repoPath } from '../../util/paths.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function rulesOf(yaml: string) {
	const dir = mkdtempSync(join(tmpdir(), 'bg-sf-'));
	try {
		writeFileSync(join(dir, 'r.yaml'), yaml);
		return loadRules([join(dir, 'r.yaml')]).ruleset;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const rule = (name: string, cond: string) => `- rule: ${name}\n  desc: d\n  condition: ${cond}\n  output: o\n  priority: warning\n`;

test('default rules: every sensor, and of the network records only connects and their results', () => {
	const { ruleset } = loadRules([repoPath('rules')]);
	assert.deepEqual(sensorsFor(ruleset).map((s) => s.name).sort(), ['file', 'inject', 'kernel', 'net', 'priv', 'process', 'seccomp']);
	assert.deepEqual(netNeedsFor(ruleset).kinds, ['net_connect', 'net_outcome']);
});

test('the kernel and injection sensors load only for rules on their evt.types or fields', () => {
	const names = (cond: string) => sensorsFor(rulesOf(rule('r', cond))).map((s) => s.name);
	assert.ok(!names('evt.type = execve').includes('kernel'));
	assert.ok(names('evt.type = finit_module').includes('kernel'));
	assert.ok(names('evt.type = bpf').includes('kernel'));
	assert.ok(names('bpf.prog_type = kprobe').includes('kernel'));
	assert.ok(!names('evt.type = execve').includes('inject'));
	assert.ok(names('evt.type = ptrace').includes('inject'));
	assert.ok(names('target.own = false').includes('inject'));
});

test('net kinds follow evt.type; a rule on any type needs every kind', () => {
	const kinds = (cond: string) => netNeedsFor(rulesOf(rule('r', cond))).kinds;
	assert.deepEqual(kinds('evt.type in (accept, connect_result) and fd.sport = 22')?.slice().sort(), ['net_accept', 'net_outcome']);
	assert.deepEqual(kinds('evt.type = execve'), []);
	assert.equal(kinds('fd.dport = 4444'), undefined);
});

test('kernelPlan: the default rules load every sensor, drop no-op identity calls, watch paths, and take only connects and their results', () => {
	const p = kernelPlan(loadRules([repoPath('rules')]).ruleset);
	assert.deepEqual(p.sensors.map((s) => s.name).sort(), ['file', 'inject', 'kernel', 'net', 'priv', 'process', 'seccomp']);
	assert.deepEqual(p.filter.priv, { noopCalls: false, hotChecks: false });
	assert.ok(p.filter.file?.watch?.paths.some((w) => w.path === '/etc/shadow'));
	assert.equal(p.file.allFiles, false);
	assert.deepEqual(p.filter.net?.needs?.kinds, ['net_connect', 'net_outcome']);
});

test('kernelPlan: one trace-like condition on opens under /tmp loads file+process and watches /tmp/ only', () => {
	const p = kernelPlan(rulesOf(rule('t', 'evt.type = openat and fd.name startswith /tmp/')));
	assert.deepEqual(p.sensors.map((s) => s.name).sort(), ['file', 'process']);
	assert.deepEqual(p.filter.file?.watch, { paths: [{ path: '/tmp/', mode: 'rw' }], names: [] });
	assert.deepEqual(p.filter.file?.allSyscalls, []);
});

test('netSkipMask: a bit per kind not wanted, none without a list', () => {
	assert.equal(netSkipMask(undefined), 0);
	assert.equal(netSkipMask(['net_connect']), 0b1111110);
	assert.equal(netSkipMask(['net_connect', 'net_accept', 'net_outcome', 'net_close', 'net_listen', 'net_bind', 'net_send']), 0);
});

test('netNeedsFor: the default rules need connects of shells, netcat and interpreters, and refused connects of any process', () => {
	const { ruleset } = loadRules([repoPath('rules')]);
	const n = netNeedsFor(ruleset);
	assert.deepEqual(n.kinds, ['net_connect', 'net_outcome']);
	assert.deepEqual(n.states, ['refused']);
	for (const c of ['bash', 'sh', 'nc', 'socat', 'python3', 'perl']) assert.ok(n.comms?.includes(c), c);
	assert.ok(!n.comms?.includes('curl'));
});

test('process names: and takes a constrained side, or needs every side that can match a network record, not/other ops take any', () => {
	const comms = (...conds: string[]) => netNeedsFor(rulesOf(conds.map((c, i) => rule(`r${i}`, c)).join(''))).comms;
	assert.deepEqual(comms('evt.type = connect and proc.name in (nc, socat) and fd.dport = 1'), ['nc', 'socat']);
	assert.deepEqual(comms('evt.type = connect and (proc.name = a or proc.name = b)', 'evt.type = accept and proc.name = c'), ['a', 'b', 'c']);
	assert.deepEqual(comms('(evt.type = connect and proc.name = a) or (evt.type = execve and proc.name = b)'), ['a']);
	assert.equal(comms('evt.type = connect and proc.name = a', 'evt.type = connect and not proc.name = b'), undefined);
	assert.equal(comms('evt.type = connect and proc.name startswith py'), undefined);
	assert.equal(comms('evt.type = connect and proc.pname = a'), undefined);
	assert.deepEqual(comms('evt.type = execve and proc.name = a'), [], 'no rule takes network records: no name passes');
});

test('connect states: a rule of any process name constrained by net.state adds its states beside the names; any other state test takes everything', () => {
	const needs = (...conds: string[]) => netNeedsFor(rulesOf(conds.map((c, i) => rule(`r${i}`, c)).join('')));
	const n = needs('evt.type = connect and proc.name = nc', 'evt.type in (connect, connect_result) and net.state in (refused, timeout)');
	assert.deepEqual([n.comms, n.states], [['nc'], ['refused', 'timeout']]);
	assert.deepEqual(netStateMask(n.states), (1 << 3) | (1 << 4));
	assert.equal(needs('evt.type = connect and net.state = refused').comms?.length, 0, 'names filter on, none listed: only the states pass');
	assert.equal(needs('evt.type = connect and net.state != refused').comms, undefined);
	assert.equal(needs('evt.type = connect and net.state = bogus').comms, undefined, 'a state the kernel cannot name takes everything');
});

test('commKey: 16 bytes NUL-padded; names longer than a comm cannot match', () => {
	assert.deepEqual(commKey('nc'), Buffer.from('nc\0\0\0\0\0\0\0\0\0\0\0\0\0\0', 'latin1'));
	assert.equal(commKey('x'.repeat(15))?.length, 16);
	assert.equal(commKey('x'.repeat(16)), null);
	assert.equal(commKey(''), null);
});

test('privNoopRules: the default rules need no no-op identity calls; a rule that does not imply a change does', () => {
	assert.deepEqual(privNoopRules(loadRules([repoPath('rules')]).ruleset), []);
	const names = (...conds: string[]) => privNoopRules(rulesOf(conds.map((c, i) => rule(`r${i}`, c)).join('')));
	assert.deepEqual(names('evt.type = setuid and priv.becomes_root = true'), []);
	assert.deepEqual(names('evt.type = setuid and (priv.becomes_root = true or priv.gained_caps intersects (cap_sys_admin))'), []);
	assert.deepEqual(names('evt.type = setuid and priv.target_uid = 0'), ['r0']);
	assert.deepEqual(names('(evt.type = setuid and priv.becomes_root = true) or (evt.type = setgid and user.uid = 0)'), ['r0']);
	assert.deepEqual(names('evt.type = execve and user.uid = 0'), []);
	assert.deepEqual(names('user.uid = 0'), ['r0'], 'a rule on any type can match them');
});
