/** @module rules/fields/audit: fields of audit configuration messages sent on a NETLINK_AUDIT socket (audit.*). */
import { defineFields, type FieldDef } from './registry.js';
import type { EvalCtx } from '../context.js';
import type { AuditCtlEvent } from '../../events/types.js';
import { BgAuditFlag } from '../../events/generated/layouts.js';

/** include/uapi/linux/audit.h: the message types the kernel sensor reports, by value. */
const OPS: Readonly<Record<number, string>> = {
	1001: 'set', 1003: 'add', 1004: 'del', 1011: 'add_rule', 1012: 'del_rule', 1014: 'trim', 1015: 'make_equiv', 1017: 'tty_set', 1018: 'set_feature',
};
const AUDIT_SET = 1001;

/** include/uapi/linux/audit.h AUDIT_STATUS_* bits of audit_status.mask, by name. */
const STATUS_BITS: readonly [string, number][] = [
	['enabled', 0x1], ['failure', 0x2], ['pid', 0x4], ['rate_limit', 0x8], ['backlog_limit', 0x10], ['backlog_wait_time', 0x20], ['lost', 0x40], ['backlog_wait_time_actual', 0x80],
];
const BIT = Object.fromEntries(STATUS_BITS) as Record<string, number>;

const au = (c: EvalCtx): AuditCtlEvent | undefined => (c.e.kind === 'audit_ctl' ? c.e : undefined);
/** The AUDIT_SET message when it sets this status value (its mask bit), else undefined. */
const sets = (c: EvalCtx, bit: string): AuditCtlEvent | undefined => {
	const e = au(c);
	return e && e.type === AUDIT_SET && e.flags & BgAuditFlag.BG_AUF_BODY && e.mask & BIT[bit] ? e : undefined;
};
const setField = (name: string, bit: string, desc: string, get: (e: AuditCtlEvent) => number): FieldDef => ({
	name,
	type: 'number',
	sensor: 'kernel',
	desc: `${desc}; only when the message sets it (audit.mask has ${bit}), else absent`,
	extract: (c) => {
		const e = sets(c, bit);
		return e ? get(e) : undefined;
	},
});

defineFields([
	{ name: 'audit.op', type: 'string', sensor: 'kernel', desc: 'the message: set (AUDIT_SET: enable/disable, failure mode, daemon pid, limits), add_rule, del_rule, trim, make_equiv, tty_set, set_feature, or the refused old add/del; queries (auditctl -l, -s) and user records are filtered in the kernel', extract: (c) => (au(c) ? (OPS[au(c)!.type] ?? String(au(c)!.type)) : undefined) },
	{ name: 'audit.msg_type', type: 'number', sensor: 'kernel', desc: 'the netlink message type (AUDIT_SET = 1001, AUDIT_DEL_RULE = 1012, …)', extract: (c) => au(c)?.type },
	{ name: 'audit.acked', type: 'bool', sensor: 'kernel', desc: "the kernel's answer to the message was read from its ack on the sender's socket (kernel memory): evt.res is that answer (SUCCESS: done; EPERM …: refused); false: no ack was queued (a message sent without NLM_F_ACK that succeeded, or the sender read it first) and evt.res is the send's own result", extract: (c) => (au(c) ? (au(c)!.flags & BgAuditFlag.BG_AUF_ACK) !== 0 : undefined) },
	{ name: 'audit.sent', type: 'number', sensor: 'kernel', desc: 'the sendto/sendmsg return value: bytes sent, or -errno', extract: (c) => au(c)?.ret },
	{ name: 'audit.seq', type: 'number', sensor: 'kernel', desc: 'the message sequence number (nlmsg_seq)', extract: (c) => au(c)?.seq },
	{ name: 'audit.index', type: 'number', sensor: 'kernel', desc: "the message's place in its send (0 first; one send can carry several messages)", extract: (c) => au(c)?.index },
	{ name: 'audit.more', type: 'bool', sensor: 'kernel', desc: 'the send held more messages than the sensor walks (8): this is the first one not walked (only its type is known), and the ones after it are not reported', extract: (c) => (au(c) ? (au(c)!.flags & BgAuditFlag.BG_AUF_MORE) !== 0 : undefined) },
	{ name: 'audit.partial', type: 'bool', sensor: 'kernel', desc: 'sendmsg with more than one iovec: only the first was read', extract: (c) => (au(c) ? (au(c)!.flags & BgAuditFlag.BG_AUF_IOV) !== 0 : undefined) },
	{
		name: 'audit.mask',
		type: 'strings',
		sensor: 'kernel',
		desc: 'set: what the message sets (audit_status.mask): enabled, failure, pid, rate_limit, backlog_limit, backlog_wait_time, lost, backlog_wait_time_actual; read from the caller\'s memory at exit',
		extract: (c) => {
			const e = au(c);
			if (!e) return undefined;
			return e.type === AUDIT_SET ? STATUS_BITS.filter(([, b]) => e.mask & b).map(([n]) => n) : [];
		},
	},
	setField('audit.enabled', 'enabled', 'set: the auditing state asked for: 0 off (auditctl -e 0), 1 on, 2 on and locked until reboot', (e) => e.enabled),
	setField('audit.failure', 'failure', 'set: the failure mode asked for: 0 silent, 1 printk, 2 panic', (e) => e.failure),
	setField('audit.pid', 'pid', 'set: the pid asked to become the audit daemon (receives every audit record; 0: none)', (e) => e.auditPid),
	setField('audit.rate_limit', 'rate_limit', 'set: messages per second asked for (0: unlimited)', (e) => e.rateLimit),
	setField('audit.backlog_limit', 'backlog_limit', 'set: queued records asked for', (e) => e.backlogLimit),
	setField('audit.backlog_wait_time', 'backlog_wait_time', 'set: backlog wait time asked for (jiffies)', (e) => e.backlogWaitTime),
	{ name: 'audit.tty_enabled', type: 'number', sensor: 'kernel', desc: 'tty_set: TTY input auditing asked for (0 off, 1 on)', extract: (c) => (au(c)?.type === 1017 && au(c)!.flags & BgAuditFlag.BG_AUF_BODY ? au(c)!.enabled : undefined) },
	{ name: 'audit.feature_mask', type: 'number', sensor: 'kernel', desc: 'set_feature: the features changed (audit_features.mask)', extract: (c) => (au(c)?.type === 1018 && au(c)!.flags & BgAuditFlag.BG_AUF_BODY ? au(c)!.mask : undefined) },
	{ name: 'audit.features', type: 'number', sensor: 'kernel', desc: 'set_feature: their new values (audit_features.features)', extract: (c) => (au(c)?.type === 1018 && au(c)!.flags & BgAuditFlag.BG_AUF_BODY ? au(c)!.enabled : undefined) },
]);
