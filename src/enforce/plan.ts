/**
 * @module enforce/plan: which blocking rules (action kill or deny) the kernel decides at the hook,
 * and how. A rule goes to the kernel only when its whole condition translates exactly: a
 * conjunction of terms the hook can test (exe path, opened path, access, success, uid, process
 * name). Anything else (ancestry, arguments, process-table facts) is decided in user space and
 * killed reactively through a pidfd. The kernel never acts on an event the rule would not match.
 */
import type { Node, ValueNode } from '../rules/ast.js';
import type { CompileEnv } from '../rules/compile.js';
import type { CompiledRule } from '../rules/ruleset.js';
import { BgDenyLimit, BgEnfLimit, BgWatchLimit } from '../events/generated/layouts.js';
import type { WatchMode, WatchName, WatchPath } from '../sensors/options.js';
import { isIP } from 'node:net';

export type BlockMode = 'audit' | 'enforce';

/** Process-name condition of a slot: only these names are targets, or these are spared. */
export interface CommTest {
	how: 'only' | 'spare';
	names: string[];
}

/** A kill rule the kernel decides: one enforcement slot. */
export interface KillSlot {
	slot: number;
	rule: string;
	mode: BlockMode;
	/** exec: kill at sched_process_exec; open: kill at the open's exit. */
	on: 'exec' | 'open';
	/** exec: exe path entries (exact or prefix); open: opened path entries. */
	paths: WatchPath[];
	/** open: base names (fd.filename). */
	names: WatchName[];
	/** open: reads, writes or both. */
	access: WatchMode;
	/** Only a call that succeeded. */
	okOnly: boolean;
	uid?: number;
	notUid?: number;
	comm?: CommTest;
}

/** A deny rule: connects (and unconnected UDP sends) to these destinations fail with EPERM. */
export interface DenySlot {
	slot: number;
	rule: string;
	mode: BlockMode;
	/** Destination addresses (exact; none: every address). */
	addrs: string[];
	/** Destination ports (none: every port). */
	ports: number[];
	proto?: 'tcp' | 'udp';
	comm?: CommTest;
}

/** Everything about the monitor's blocking rules. */
export interface EnforcePlan {
	kill: KillSlot[];
	deny: DenySlot[];
	/** Quarantine rules (decided in user space; the deny hook cuts the quarantined cgroups off). */
	quarantine: string[];
	/** Kill rules decided in user space (reactive pidfd kill), with why not in the kernel. */
	reactive: Map<string, string>;
	/** Rule names by their mode in force. */
	modes: Map<string, BlockMode>;
	/** Problems to tell the user (rules not enforced, slots exhausted). */
	warnings: string[];
}

const EXEC_TYPES = new Set(['execve', 'execveat']);
const OPEN_TYPES = new Set(['open', 'openat', 'openat2', 'creat']);
const KEY_MAX = BgWatchLimit.BG_WATCH_KEY - 1;
const COMM_MAX = 15;

/** The mode a blocking rule runs in: audit unless the monitor enforces and the rule is not pinned to audit. */
export function modeOf(r: Pick<CompiledRule, 'mode'>, enforce: boolean): BlockMode {
	return enforce ? (r.mode ?? 'enforce') : 'audit';
}

/** Plan the blocking rules of a rule set. enforce: the monitor's --enforce switch. */
export function enforcePlan(rules: readonly CompiledRule[], env: CompileEnv, enforce: boolean): EnforcePlan {
	const plan: EnforcePlan = { kill: [], deny: [], quarantine: [], reactive: new Map(), modes: new Map(), warnings: [] };
	for (const r of rules) {
		if (!r.enabled || r.action === 'alert' || r.action === 'log') continue;
		const mode = modeOf(r, enforce);
		plan.modes.set(r.name, mode);
		if (r.action === 'quarantine') {
			plan.quarantine.push(r.name);
			continue;
		}
		if (r.action === 'deny') {
			const d = translateDeny(r, env);
			if (typeof d === 'string') plan.warnings.push(`rule ${r.name}: deny is not enforced: ${d} (a deny must be decided in the kernel: connect/sendto with fd.dip, fd.dport, fd.l4proto and proc.name tests)`);
			else if (plan.deny.length >= BgDenyLimit.BG_DENY_SLOTS) plan.warnings.push(`rule ${r.name}: deny is not enforced: more than ${BgDenyLimit.BG_DENY_SLOTS} deny rules`);
			else plan.deny.push({ ...d, slot: plan.deny.length, rule: r.name, mode });
			continue;
		}
		const t = translate(r, env);
		if (typeof t === 'string') {
			plan.reactive.set(r.name, t);
			continue;
		}
		if (plan.kill.length >= BgEnfLimit.BG_ENF_SLOTS) {
			plan.reactive.set(r.name, `more than ${BgEnfLimit.BG_ENF_SLOTS} kill rules for the kernel`);
			plan.warnings.push(`rule ${r.name}: kill decided in user space (reactive): more than ${BgEnfLimit.BG_ENF_SLOTS} kill rules for the kernel`);
			continue;
		}
		plan.kill.push({ ...t, slot: plan.kill.length, rule: r.name, mode });
	}
	return plan;
}

type Term = Extract<Node, { type: 'cmp' | 'list' }>;
type Translation = Omit<KillSlot, 'slot' | 'rule' | 'mode'>;

/** The rule as a kernel slot, or why it cannot be one. */
function translate(r: CompiledRule, env: CompileEnv): Translation | string {
	if (r.types === 'any') return 'it can match any event type';
	const types = [...r.types];
	const on = types.every((t) => EXEC_TYPES.has(t)) ? 'exec' : types.every((t) => OPEN_TYPES.has(t)) ? 'open' : undefined;
	if (!on) return `its event types (${types.join(', ')}) are not all execs or all opens`;
	const terms: { t: Term; neg: boolean }[] = [];
	const bad = flatten(r.condition, env, false, terms, []);
	if (bad) return bad;
	const out: Translation = { on, paths: [], names: [], access: 'rw', okOnly: false };
	let pathTerms = 0;
	let acc = 3;
	for (const { t, neg } of terms) {
		const f = t.field.name;
		const values = t.type === 'cmp' ? [t.value.text] : expand(t.values, env);
		const op = t.op;
		if (f === 'evt.type' && !neg && (op === '=' || op === 'in')) continue; // r.types already says which
		if (f === 'evt.dir' && !neg && op === '=' && values[0] === '<') continue;
		if ((f === 'evt.res' && !neg && op === '=' && values[0] === 'SUCCESS') || (f === 'evt.failed' && !neg && op === '=' && values[0] === 'false')) {
			if (on === 'open') out.okOnly = true; // an exec hook only sees execs that succeeded
			continue;
		}
		if (on === 'open' && !neg && op === '=' && values[0] === 'true' && (f === 'evt.is_open_read' || f === 'evt.is_open_write')) {
			acc &= f === 'evt.is_open_read' ? 1 : 2;
			continue;
		}
		if (f === 'user.uid' && (op === '=' || op === '!=') && /^\d+$/.test(values[0])) {
			const not = neg !== (op === '!=');
			if (not ? out.notUid !== undefined : out.uid !== undefined) return 'more than one user.uid test of a kind';
			if (not) out.notUid = Number(values[0]);
			else out.uid = Number(values[0]);
			continue;
		}
		if (f === 'proc.name' && (op === '=' || op === '!=' || op === 'in')) {
			const spare = neg !== (op === '!=');
			if (out.comm) return 'more than one proc.name test';
			if (values.length > BgEnfLimit.BG_ENF_COMMS) return `proc.name test of more than ${BgEnfLimit.BG_ENF_COMMS} names`;
			if (values.some((v) => !v || Buffer.byteLength(v) > COMM_MAX)) return `a proc.name longer than ${COMM_MAX} bytes never matches a process name`;
			out.comm = { how: spare ? 'spare' : 'only', names: values };
			continue;
		}
		const pathField = on === 'exec' ? f === 'proc.exepath' : f === 'fd.name';
		if (pathField && !neg && (op === '=' || op === 'in' || op === 'startswith' || op === 'pmatch')) {
			if (++pathTerms > 1) return 'more than one path test';
			for (const v of values) {
				if (!v.startsWith('/') || Buffer.byteLength(v) + 1 > KEY_MAX) return `path '${v}' is not absolute or too long for the kernel`;
				if (op === 'startswith') out.paths.push({ path: v, mode: 'rw' });
				else if (op === 'pmatch') out.paths.push({ path: v, exact: true, mode: 'rw' }, { path: v.endsWith('/') ? v : `${v}/`, mode: 'rw' });
				else out.paths.push({ path: v, exact: true, mode: 'rw' });
			}
			continue;
		}
		if (on === 'open' && f === 'fd.filename' && !neg && (op === '=' || op === 'in')) {
			if (++pathTerms > 1) return 'more than one path test';
			for (const v of values) {
				if (!v || v.includes('/') || Buffer.byteLength(v) >= BgWatchLimit.BG_WATCH_NAME) return `file name '${v}' cannot be watched`;
				out.names.push({ name: v, where: 'base', mode: 'rw' });
			}
			continue;
		}
		return `the kernel cannot test '${neg ? 'not ' : ''}${f} ${op}'`;
	}
	if (!pathTerms) {
		if (on === 'open') return 'it has no fd.name or fd.filename test (every open)';
		out.paths.push({ path: '/', mode: 'rw' }); // every exec
	}
	if (!acc) return 'it asks for reads and writes at once';
	out.access = acc === 1 ? 'r' : acc === 2 ? 'w' : 'rw';
	return out;
}

const NET_TYPES = new Set(['connect', 'sendto']);

/** A deny rule as a deny slot, or why it cannot be one. */
function translateDeny(r: CompiledRule, env: CompileEnv): Omit<DenySlot, 'slot' | 'rule' | 'mode'> | string {
	if (r.types === 'any' || ![...r.types].every((t) => NET_TYPES.has(t))) return 'its event types are not connect or sendto';
	const terms: { t: Term; neg: boolean }[] = [];
	const bad = flatten(r.condition, env, false, terms, []);
	if (bad) return bad;
	const out: Omit<DenySlot, 'slot' | 'rule' | 'mode'> = { addrs: [], ports: [] };
	let addrTerms = 0;
	let portTerms = 0;
	for (const { t, neg } of terms) {
		const f = t.field.name;
		const values = t.type === 'cmp' ? [t.value.text] : expand(t.values, env);
		const op = t.op;
		const eq = !neg && (op === '=' || op === 'in');
		if (f === 'evt.type' && eq) continue;
		if (f === 'fd.dip' && eq) {
			if (++addrTerms > 1) return 'more than one fd.dip test';
			for (const v of values) if (!isIP(v)) return `'${v}' is not an IP address`;
			out.addrs.push(...values);
			continue;
		}
		if (f === 'fd.dport' && eq) {
			if (++portTerms > 1) return 'more than one fd.dport test';
			if (values.length > BgDenyLimit.BG_DENY_PORTS) return `more than ${BgDenyLimit.BG_DENY_PORTS} ports`;
			for (const v of values) if (!/^\d+$/.test(v) || Number(v) > 65535) return `'${v}' is not a port`;
			out.ports.push(...values.map(Number));
			continue;
		}
		if (f === 'fd.l4proto' && !neg && op === '=' && (values[0] === 'tcp' || values[0] === 'udp')) {
			if (out.proto) return 'more than one fd.l4proto test';
			out.proto = values[0];
			continue;
		}
		if (f === 'proc.name' && (op === '=' || op === '!=' || op === 'in')) {
			if (out.comm) return 'more than one proc.name test';
			if (values.length > BgEnfLimit.BG_ENF_COMMS) return `proc.name test of more than ${BgEnfLimit.BG_ENF_COMMS} names`;
			out.comm = { how: neg !== (op === '!=') ? 'spare' : 'only', names: values };
			continue;
		}
		return `the kernel cannot test '${neg ? 'not ' : ''}${f} ${op}'`;
	}
	return out;
}

/** The conjunction's leaves (macros expanded); a reason when it is not a plain conjunction. */
function flatten(n: Node, env: CompileEnv, neg: boolean, out: { t: Term; neg: boolean }[], stack: string[]): string | undefined {
	switch (n.type) {
		case 'and':
			if (neg) return n.children.length === 1 ? flatten(n.children[0], env, neg, out, stack) : "a 'not' over several tests";
			for (const c of n.children) {
				const bad = flatten(c, env, neg, out, stack);
				if (bad) return bad;
			}
			return undefined;
		case 'or':
			return n.children.length === 1 ? flatten(n.children[0], env, neg, out, stack) : "an 'or'";
		case 'not':
			return flatten(n.child, env, !neg, out, stack);
		case 'macro': {
			const m = env.macros.get(n.name);
			if (!m || stack.includes(n.name)) return `macro ${n.name}`;
			return flatten(m, env, neg, out, [...stack, n.name]);
		}
		case 'cmp':
		case 'list':
			out.push({ t: n, neg });
			return undefined;
		default:
			return `a '${n.type}' test`;
	}
}

function expand(vals: readonly ValueNode[], env: CompileEnv): string[] {
	return vals.flatMap((v) => (!v.quoted && env.lists.get(v.text)) || [v.text]);
}
