/**
 * @module enforce/safety: `rules validate` warnings for blocking rules that are broad: a kill rule
 * matching the exec of a protected program (init, sshd, the package managers: never killed, but
 * the rule is wrong), or matching every exec (three unrelated programs by unrelated users).
 */
import type { RuleProblem } from '../rules/errors.js';
import type { RuleSet } from '../rules/ruleset.js';
import { EvalCtx } from '../rules/context.js';
import type { ExecEvent } from '../events/types.js';
import { DEFAULT_PROTECTED } from './enforcer.js';

let n = 0;
function exec(exe: string, uid: number): ExecEvent {
	const comm = exe.split('/').pop()!.slice(0, 15);
	n++;
	return {
		kind: 'exec', flags: 0, bootNs: BigInt(n), timeMs: Date.now(), pid: 100000 + n, tid: 100000 + n, cgroupId: 0n,
		ppid: 1, oldTid: 100000 + n, uid, gid: uid, euid: uid, egid: uid, loginuid: uid, sid: 1, ret: 0, argc: 1, stdioSock: 0, enforce: 0,
		startNs: BigInt(n), comm, exe, args: [exe], argsTruncated: false, cwd: '/', tty: '',
		script: '', env: {}, stdioKind: ['none', 'none', 'none'], stdioIno: [0, 0, 0],
		vpid: 100000 + n, pidns: 0, mntns: 0, cgroup: '/', cgroup1: '', cgroupTruncated: false, stdinPath: '',
	};
}

/** Warnings for the kill and deny rules of a rule set (exec kills only: the broadest harm). */
export function broadBlockWarnings(rs: RuleSet): RuleProblem[] {
	const out: RuleProblem[] = [];
	const ctx = new EvalCtx();
	const matches = (pred: (c: EvalCtx) => boolean, e: ExecEvent) => {
		try {
			return pred(ctx.set(e));
		} catch {
			return false;
		}
	};
	const unrelated = [exec('/usr/bin/true', 0), exec('/opt/bg-validate/app', 1000), exec('/home/bg-user/bin/tool', 4242)];
	for (const r of rs.all) {
		if (!r.enabled || r.action !== 'kill') continue;
		if (r.types !== 'any' && !r.types.has('execve')) continue;
		const at = { file: r.pos.file ?? '<rules>', line: r.pos.line, col: r.pos.col, severity: 'warning' as const };
		if (unrelated.every((e) => matches(r.pred, e))) {
			out.push({ ...at, message: `rule ${r.name}: action kill matches every exec (three unrelated programs by three users): a broad kill rule can take a host down (the kill budget limits it)` });
			continue;
		}
		const hit = DEFAULT_PROTECTED.filter((p) => matches(r.pred, exec(p, 0)));
		if (hit.length) out.push({ ...at, message: `rule ${r.name}: action kill matches the exec of protected programs (${hit.join(', ')}): they are never killed, but the condition is broader than meant` });
	}
	return out;
}
