/** @module cli/commands/privsnoop: trace identity changes (setuid… capset, setuid/file-capability execs, unexplained changes). */
import type { CliCommand } from '../command.js';
import { privSensor } from '../../sensors/priv.js';
import type { BgEvent, PrivEvent } from '../../events/types.js';
import { escapeText } from '../../sinks/escape.js';
import { errnoName } from '../../util/errno.js';
import { SystemPaths } from '../../process/system-paths.js';
import { changeSummary, isUnusual, privType } from '../../process/priv-facts.js';
import { SnoopContainers } from '../snoop-containers.js';
import { eventJson } from '../../rules/fields/json.js';
import { runTracing } from '../run.js';
import { commonFilter, snoopFlags, type SnoopFlags } from '../snoop.js';

interface Opts extends SnoopFlags {
	hotChecks?: boolean;
}

const HEADER = `${'!'} ${'TIME'.padEnd(8)} ${'PID'.padEnd(7)} ${'UID'.padEnd(6)} ${'GID'.padEnd(6)} ${'TARGET'.padEnd(28)} ${'COMM'.padEnd(16)} ${'EXE'.padEnd(24)} RESULT`;

/** TARGET column: the call with its requested ids, "execve", or where a drift was seen. */
export function privTarget(e: PrivEvent): string {
	if (e.kind === 'priv_exec') return 'execve';
	if (e.kind === 'priv_drift') return `unexplained@${privType(e)}`;
	if (e.syscall === 'capset') return `capset(eff=0x${e.reqEff.toString(16)},prm=0x${e.reqPrm.toString(16)})`;
	return `${e.syscall}(${e.args.map((a) => (a === 0xffffffff ? -1 : a)).join(',')})`;
}

/** RESULT column: 0 or the errno name, then what changed. */
export function privResult(e: PrivEvent): string {
	const res = e.kind === 'priv_call' ? (e.ret >= 0 ? String(e.ret) : errnoName(e.ret)) : '';
	return [res, changeSummary(e.old, e.new)].filter(Boolean).join(' ');
}

/** One table line; `!` marks an unusual root transition or an unexplained change. */
export function privLine(e: PrivEvent, unusual: boolean, colour: boolean): string {
	const line = [
		unusual ? '!' : ' ',
		new Date(e.timeMs).toTimeString().slice(0, 8),
		String(e.pid).padEnd(7),
		String(e.old.uid).padEnd(6),
		String(e.old.gid).padEnd(6),
		privTarget(e).padEnd(28),
		escapeText(e.comm).padEnd(16),
		escapeText(e.exe).padEnd(24),
		privResult(e),
	].join(' ');
	return unusual && colour ? `\u001b[1;31m${line}\u001b[0m` : line;
}


/** -u here means a user on either side of the change (uid or euid, before or after): decided in user space. */
function wanted(e: PrivEvent, o: Opts): boolean {
	if (o.uid !== undefined && ![e.old.uid, e.old.euid, e.new.uid, e.new.euid].includes(o.uid)) return false;
	return !o.name || o.name.test(e.comm);
}

async function run(o: Opts): Promise<void> {
	const paths = new SystemPaths();
	const colour = process.stdout.isTTY === true;
	// --json: the record's rule fields (proc.*, user.* from the event; from a process table with a container option)
	const sc = await SnoopContainers.create(o);
	await runTracing({
		command: 'privsnoop',
		sensors: sc.sensors([privSensor]),
		filter: sc.filter({ ...commonFilter(o, false), priv: { hotChecks: o.hotChecks === true } }),
		durationS: o.duration,
		verboseStats: o.stats,
		onReady: () => {
			if (!o.json) process.stdout.write(`${sc.header()}${HEADER}\n`);
		},
		onEvents: (evs: BgEvent[], stats) => {
			let out = '';
			for (const e of evs) {
				sc.observe(e);
				if (e.kind !== 'priv_call' && e.kind !== 'priv_exec' && e.kind !== 'priv_drift') continue;
				stats.count(e.kind);
				if (!wanted(e, o)) continue;
				if (!sc.keep(e)) continue;
				out += o.json ? `${JSON.stringify(eventJson(sc.ctx))}\n` : `${sc.column()}${privLine(e, isUnusual(e, paths), colour)}\n`;
			}
			if (out) process.stdout.write(out);
		},
	});
}

/** `bpfguard privsnoop`. */
export const privsnoopCommand: CliCommand = {
	name: 'privsnoop',
	register(program) {
		const cmd = program
			.command('privsnoop')
			.description('trace identity changes: setuid…capset with requested ids, setuid/file-capability execs, unexplained credential changes (! = root by a non-package binary, or unexplained)');
		snoopFlags(cmd, { uid: 'only events where this user (uid or name) is the uid or euid, before or after', json: 'evt.type, priv.new_euid, ...' })
			.option('--hot-checks', 'also compare credentials at the exit of common syscalls (read, write, openat, …): an exploit\'s change is seen sooner; costs those syscalls a few percent')
			.action(run);
	},
};
