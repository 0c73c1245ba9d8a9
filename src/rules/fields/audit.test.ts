/** @module rules/fields/audit.test: the audit.* fields and the default audit rules on synthetic process trees (auditd's own start and stop, augenrules at boot, an attacker's auditctl). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../load.js';
import { RuleEngine } from '../engine.js';
import { fieldValues } from './index.js';
import { repoPath } from '../../util/paths.js';
import { BgAuditFlag } from '../../events/generated/layouts.js';
import type { AuditCtlEvent, BgEvent } from '../../events/types.js';
import type { Alert } from '../../alerts/alert.js';
import { execEvent, fixture } from '../../../test/helpers/rules.js';

const ACK_BODY = BgAuditFlag.BG_AUF_ACK | BgAuditFlag.BG_AUF_BODY;

function msg(pid: number, p: Partial<AuditCtlEvent>): AuditCtlEvent {
	return {
		kind: 'audit_ctl', flags: ACK_BODY, bootNs: 1n, timeMs: 1_700_000_000_000, pid, tid: pid, cgroupId: 1n,
		nr: 44, syscall: 'sendto', ret: 60, err: 0, type: 1001, nlflags: 5, seq: 1, mask: 0, enabled: 0, failure: 0, auditPid: 0,
		rateLimit: 0, backlogLimit: 0, backlogWaitTime: 0, uid: 0, ppid: 1, index: 0, comm: 'auditctl', exe: '/usr/sbin/auditctl', ...p,
	};
}

/** Processes: systemd (1) → augenrules (10, a dash script) → auditctl (11); systemd → auditd (20); bash (30) → auditctl (31); bash → a fake auditd in /tmp (32). */
function tree(): BgEvent[] {
	return [
		execEvent({ pid: 1, ppid: 0, args: ['/usr/lib/systemd/systemd'] }),
		execEvent({ pid: 10, ppid: 1, args: ['/bin/sh', '/usr/sbin/augenrules', '--load'], exe: '/usr/bin/dash', comm: 'augenrules', script: '/usr/sbin/augenrules' }),
		execEvent({ pid: 11, ppid: 10, args: ['/usr/sbin/auditctl', '-R', '/etc/audit/audit.rules'] }),
		execEvent({ pid: 20, ppid: 1, args: ['/usr/sbin/auditd'] }),
		execEvent({ pid: 30, ppid: 1, args: ['/usr/bin/bash'] }),
		execEvent({ pid: 31, ppid: 30, args: ['/usr/sbin/auditctl', '-D'] }),
		execEvent({ pid: 32, ppid: 30, args: ['/tmp/auditd'] }),
	];
}

function alertsOf(events: BgEvent[]): string[] {
	const { table, ctx } = fixture();
	const engine = new RuleEngine(loadRules([repoPath('rules')]).ruleset, table, ctx.users);
	const out: Alert[] = [];
	engine.process([...tree(), ...events], (a) => out.push(a));
	return out.filter((a) => a.fields['evt.type'] === 'audit_ctl').map((a) => `${a.fields['proc.pid']} ${a.rule} ${a.priority}`);
}

test('audit rules deleted alert, except in the rules load at auditd start (augenrules under systemd); adding rules never does', () => {
	assert.deepEqual(alertsOf([msg(11, { type: 1012 }), msg(11, { type: 1011 }), msg(31, { type: 1012 }), msg(31, { type: 1012, err: -2 }), msg(31, { type: 1011 })]), [
		'31 Linux audit rules deleted error',
		'31 Linux audit rules deleted error',
	]);
});

test("auditd registering itself and enabling auditing is quiet; its stop is a notice; anyone else's disable, pid or silent failure mode alerts", () => {
	const auditd = { comm: 'auditd', exe: '/usr/sbin/auditd' };
	assert.deepEqual(
		alertsOf([
			msg(20, { ...auditd, mask: 0x5, enabled: 1, auditPid: 20 }),
			msg(20, { ...auditd, mask: 0x5, enabled: 0, auditPid: 0 }),
			msg(31, { mask: 0x1, enabled: 0 }),
			msg(31, { mask: 0x1, enabled: 1 }),
			msg(32, { comm: 'auditd', exe: '/tmp/auditd', mask: 0x4, auditPid: 32 }),
			msg(31, { mask: 0x2, failure: 0 }),
			msg(11, { mask: 0x2, failure: 1 }),
			msg(31, { mask: 0x10, backlogLimit: 8192 }),
		]),
		['20 Audit daemon detached notice', '31 Linux auditing disabled critical', '32 Audit daemon replaced error', '31 Audit failure mode set to silent warning'],
	);
});

test('a value AUDIT_SET does not set is absent, not 0; evt.res is the kernel answer when acked, else the send result', () => {
	const { ctx } = fixture();
	const v = (e: AuditCtlEvent, f: string[]) => fieldValues(f, ctx.set(e));
	assert.deepEqual(v(msg(31, { mask: 0x4, auditPid: 7 }), ['audit.mask', 'audit.enabled', 'audit.pid', 'evt.res']), { 'audit.mask': ['pid'], 'audit.enabled': null, 'audit.pid': 7, 'evt.res': 'SUCCESS' });
	assert.deepEqual(v(msg(31, { mask: 0x1, err: -1 }), ['audit.op', 'audit.enabled', 'evt.res', 'evt.failed', 'audit.sent']), { 'audit.op': 'set', 'audit.enabled': 0, 'evt.res': 'EPERM', 'evt.failed': true, 'audit.sent': 60 });
	assert.deepEqual(v(msg(31, { type: 1012, err: undefined, flags: BgAuditFlag.BG_AUF_TYPE_USER }), ['audit.op', 'audit.acked', 'evt.rawres']), { 'audit.op': 'del_rule', 'audit.acked': false, 'evt.rawres': 60 });
	assert.deepEqual(v(msg(31, { mask: 0x1, flags: BgAuditFlag.BG_AUF_ACK }), ['audit.enabled']), { 'audit.enabled': null }, 'values not read: absent');
});
