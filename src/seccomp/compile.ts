/** @module seccomp/compile: a validated profile → the launcher's line spec, evaluated for one host like Docker/Podman do. */
import type { Action, Arch, Profile, SyscallEntry } from './profile.js';
import { OPS } from './profile.js';
import { kernelVersion, type Host } from './host.js';

const EPERM = 1;
const TOKEN: Record<Action, string> = {
	SCMP_ACT_ALLOW: 'allow', SCMP_ACT_ERRNO: 'errno', SCMP_ACT_KILL: 'kill_thread', SCMP_ACT_KILL_PROCESS: 'kill_process',
	SCMP_ACT_KILL_THREAD: 'kill_thread', SCMP_ACT_TRAP: 'trap', SCMP_ACT_LOG: 'log', SCMP_ACT_TRACE: 'trace',
};

/** The spec text for the launcher and, for each spec line (1-based), the profile place it came from. */
export interface CompiledSpec {
	readonly text: string;
	readonly places: readonly string[];
	/** How many syscall entries includes/excludes left out for this host. */
	readonly skipped: number;
}

/** "errno 1", "allow 0": an action with its data, as the launcher reads it. */
function actionWord(a: Action, ret: number | null | undefined): string {
	const data = a === 'SCMP_ACT_ERRNO' || a === 'SCMP_ACT_TRACE' ? (ret ?? EPERM) : 0;
	return `${TOKEN[a]} ${data}`;
}

function archToken(a: Arch): string {
	return a.slice('SCMP_ARCH_'.length).toLowerCase();
}

function atLeast(k: readonly [number, number], v: string): boolean {
	const [maj, min] = kernelVersion(v);
	return k[0] > maj || (k[0] === maj && k[1] >= min);
}

/** Whether an entry applies on this host (containers/common pkg/seccomp's rules). */
export function applies(s: SyscallEntry, host: Host): boolean {
	const inc = s.includes;
	if (inc) {
		if (inc.arches?.length && !inc.arches.includes(host.goArch)) return false;
		if (inc.caps?.some((c) => !host.caps.has(c))) return false;
		if (inc.minKernel && !atLeast(host.kernel, inc.minKernel)) return false;
	}
	const exc = s.excludes;
	if (exc) {
		if (exc.arches?.includes(host.goArch)) return false;
		if (exc.caps?.some((c) => host.caps.has(c))) return false;
		if (exc.minKernel && atLeast(host.kernel, exc.minKernel)) return false;
	}
	return true;
}

/** Architectures to add: `architectures`, else the archMap entry of the native one with its sub-architectures. */
export function archesFor(p: Profile, host: Host): Arch[] {
	if (p.architectures?.length) return [...p.architectures];
	const m = p.archMap?.find((e) => e.architecture === host.arch);
	return m ? [m.architecture, ...(m.subArchitectures ?? [])] : [];
}

/** Rule lines of one entry's name: one line, or one per condition when an argument index repeats (as runc does). */
function ruleLines(act: string, name: string, args: NonNullable<SyscallEntry['args']>): string[] {
	const cond = (a: (typeof args)[number]) => `${a.index} ${OPS.indexOf(a.op as (typeof OPS)[number]) + 1} ${a.value} ${a.valueTwo ?? 0}`;
	const seen = new Set(args.map((a) => a.index));
	if (seen.size < args.length) return args.map((a) => `rule ${act} ${name} 1 ${cond(a)}`);
	return [`rule ${act} ${name} ${args.length}${args.map((a) => ` ${cond(a)}`).join('')}`];
}

/** Compiles a profile for a host; rules with the default action are left out (libseccomp refuses them). */
export function compileProfile(p: Profile, host: Host): CompiledSpec {
	const lines: string[] = [];
	const places: string[] = [];
	const push = (l: string, place: string) => {
		lines.push(l);
		places.push(place);
	};
	const def = actionWord(p.defaultAction, p.defaultErrnoRet);
	push(`default ${def}`, 'defaultAction');
	archesFor(p, host).forEach((a, i) => push(`arch ${archToken(a)}`, p.architectures?.length ? `architectures[${i}]` : 'archMap'));
	let skipped = 0;
	(p.syscalls ?? []).forEach((s, i) => {
		if (!applies(s, host)) {
			skipped++;
			return;
		}
		const act = actionWord(s.action as Action, s.errnoRet);
		if (act === def) return;
		const names = s.names?.length ? s.names : [s.name as string];
		names.forEach((n, j) => {
			const place = s.names?.length ? `syscalls[${i}].names[${j}]` : `syscalls[${i}].name`;
			for (const l of ruleLines(act, n, s.args ?? [])) push(l, place);
		});
	});
	return { text: `${lines.join('\n')}\n`, places, skipped };
}
