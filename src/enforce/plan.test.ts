import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRules } from '../rules/load.js';
import { repoPath } from '../util/paths.js';
import { enforcePlan, modeOf } from './plan.js';
import { denyEntries, ip6Bytes } from './deny.js';

/** The plan of these rules (after the shipped macros), enforcing unless told. */
function planOf(rules: string, enforce = true) {
	const dir = mkdtempSync(join(tmpdir(), 'bg-plan-'));
	try {
		const f = join(dir, 'r.yaml');
		writeFileSync(f, rules);
		const { ruleset } = loadRules([repoPath('rules/00-macros.yaml'), f]);
		return enforcePlan(ruleset.all, ruleset.env, enforce);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

const rule = (name: string, condition: string, action = 'kill', extra = '') => `- rule: ${name}\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: critical\n  action: ${action}\n${extra}`;

test('exec and open kill rules the hook can test become kernel slots, exactly', () => {
	const p = planOf(
		rule('tmp exec', 'spawned_process and proc.exepath startswith /tmp/ and user.uid != 0') +
			rule('shadow', 'open_read and fd.name = /etc/shadow and not proc.name in (sshd, python3)') +
			rule('every exec', 'evt.type = execve'),
	);
	assert.deepEqual(p.reactive, new Map());
	assert.deepEqual(
		p.kill.map((s) => ({ slot: s.slot, rule: s.rule, on: s.on, paths: s.paths, access: s.access, okOnly: s.okOnly, uid: s.uid, notUid: s.notUid, comm: s.comm })),
		[
			{ slot: 0, rule: 'tmp exec', on: 'exec', paths: [{ path: '/tmp/', mode: 'rw' }], access: 'rw', okOnly: false, uid: undefined, notUid: 0, comm: undefined },
			{ slot: 1, rule: 'shadow', on: 'open', paths: [{ path: '/etc/shadow', exact: true, mode: 'rw' }], access: 'r', okOnly: true, uid: undefined, notUid: undefined, comm: { how: 'spare', names: ['sshd', 'python3'] } },
			{ slot: 2, rule: 'every exec', on: 'exec', paths: [{ path: '/', mode: 'rw' }], access: 'rw', okOnly: false, uid: undefined, notUid: undefined, comm: undefined },
		],
	);
});

test('a kill rule the kernel cannot decide exactly is reactive, with the reason', () => {
	const p = planOf(
		rule('web shell', 'spawned_process and proc.name = sh and proc.pname = nginx') +
			rule('or', 'spawned_process and (proc.exepath startswith /tmp/ or proc.exepath startswith /dev/shm/)') +
			rule('every open', 'evt.type = openat') +
			rule('mixed', 'evt.type in (execve, openat) and fd.name = /x'),
	);
	assert.deepEqual(p.kill, []);
	assert.deepEqual([...p.reactive.keys()], ['web shell', 'or', 'every open', 'mixed']);
	assert.match(p.reactive.get('web shell')!, /proc\.pname/);
	assert.match(p.reactive.get('or')!, /'or'/);
	assert.match(p.reactive.get('every open')!, /no fd.name/);
});

test('audit unless the monitor enforces; mode: audit pins audit; alert and log rules are not blocking', () => {
	const rules = rule('a', 'spawned_process and proc.exepath = /x') + rule('b', 'spawned_process and proc.exepath = /y', 'kill', '  mode: audit\n') + rule('c', 'spawned_process', 'alert');
	assert.deepEqual([...planOf(rules, false).modes], [['a', 'audit'], ['b', 'audit']]);
	assert.deepEqual([...planOf(rules, true).modes], [['a', 'enforce'], ['b', 'audit']]);
	assert.equal(modeOf({ mode: 'enforce' }, false), 'audit', 'a rule cannot enforce when the monitor does not');
});

test('deny rules: destinations, ports, protocol, names; what the kernel cannot decide is a warning', () => {
	const p = planOf(rule('discard', 'evt.type in (connect, sendto) and fd.dip in (127.0.0.1, "::1") and fd.dport = 9 and fd.l4proto = tcp', 'deny') + rule('no', 'evt.type = connect and proc.pname = x', 'deny'));
	assert.deepEqual(p.deny.map((d) => ({ addrs: d.addrs, ports: d.ports, proto: d.proto })), [{ addrs: ['127.0.0.1', '::1'], ports: [9], proto: 'tcp' }]);
	assert.equal(p.warnings.length, 1);
	assert.match(p.warnings[0], /rule no: deny is not enforced: .*proc\.pname/);
});

test('deny entries: exact addresses carry the slots of every-address rules (the trie answers the longest match)', () => {
	const e = denyEntries([
		{ slot: 0, rule: 'a', mode: 'enforce', addrs: ['10.0.0.1', '::1'], ports: [] },
		{ slot: 1, rule: 'b', mode: 'enforce', addrs: [], ports: [25] },
	]);
	assert.deepEqual([...e.v4].sort(), [['0000000000000000', 2], ['200000000a000001', 3]]);
	assert.equal(e.v6.get(`80000000${'00'.repeat(15)}01`), 3);
	assert.equal(ip6Bytes('::ffff:127.0.0.1').toString('hex'), '00000000000000000000ffff7f000001');
	assert.equal(ip6Bytes('2001:db8::1').toString('hex'), '20010db8000000000000000000000001');
});
