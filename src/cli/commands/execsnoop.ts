/** @module cli/commands/execsnoop: trace exec() calls like BCC's execsnoop (TIME PCOMM PID PPID RET ARGS). */
import { Option } from 'commander';
import type { CliCommand } from '../command.js';
import { processSensor } from '../../sensors/process.js';
import type { BgEvent, ExecEvent } from '../../events/types.js';
import { escapeText, formatArg } from '../../sinks/escape.js';
import { errnoName } from '../../util/errno.js';
import { eventJson } from '../../rules/fields/json.js';
import { runTracing, intFlag } from '../run.js';
import { commonFilter, regexFlag, snoopFlags, type SnoopFlags } from '../snoop.js';
import type { Matcher } from '../../rules/regex.js';
import { SnoopContainers } from '../snoop-containers.js';

interface Opts extends SnoopFlags {
	timestamp?: boolean;
	time?: boolean;
	fails?: boolean;
	/** -l: the argument line matches (RE2: linear time on attacker-chosen argv). */
	line?: Matcher;
	quote?: boolean;
	printUid?: boolean;
	maxArgs: number;
}

function hhmmss(ms: number): string {
	const d = new Date(ms);
	return d.toTimeString().slice(0, 8);
}


function tableLine(e: ExecEvent, o: Opts, t0: number): string {
	const cols: string[] = [];
	if (o.time) cols.push(hhmmss(e.timeMs).padEnd(8));
	if (o.timestamp) cols.push(((e.timeMs - t0) / 1000).toFixed(3).padEnd(8));
	if (o.printUid) cols.push(String(e.uid).padEnd(6));
	cols.push(escapeText(e.comm).padEnd(16), String(e.pid).padEnd(7), String(e.ppid).padEnd(7));
	cols.push(String(e.ret).padEnd(3));
	const args = e.args.slice(0, o.maxArgs).map((a) => formatArg(a, !!o.quote));
	if (e.ret !== 0 && args.length === 0) args.push(escapeText(e.exe));
	if (e.argsTruncated || e.args.length > o.maxArgs) args.push('...');
	cols.push(args.join(' '));
	return cols.join(' ');
}

function header(o: Opts): string {
	const cols: string[] = [];
	if (o.time) cols.push('TIME'.padEnd(8));
	if (o.timestamp) cols.push('TIME(s)'.padEnd(8));
	if (o.printUid) cols.push('UID'.padEnd(6));
	cols.push('PCOMM'.padEnd(16), 'PID'.padEnd(7), 'PPID'.padEnd(7), 'RET', 'ARGS');
	return cols.join(' ');
}

async function run(o: Opts): Promise<void> {
	const t0 = Date.now();
	// --json: the exec's rule fields (proc.*, user.* from the event; from a process table with a container option)
	const sc = await SnoopContainers.create(o);
	await runTracing({
		command: 'execsnoop',
		sensors: sc.sensors([processSensor]),
		filter: sc.filter({ ...commonFilter(o), failedOnly: o.fails, process: { lifecycle: false } }),
		durationS: o.duration,
		verboseStats: o.stats,
		onReady: () => {
			if (!o.json) process.stdout.write(`${sc.header()}${header(o)}\n`);
		},
		onEvents: (evs: BgEvent[], stats) => {
			let out = '';
			for (const e of evs) {
				sc.observe(e);
				if (e.kind !== 'exec') continue;
				stats.count('exec');
				if (o.name && !o.name.test(e.comm)) continue;
				if (o.line && !o.line.test(e.args.join(' '))) continue;
				if (!sc.keep(e)) continue;
				out += o.json ? `${JSON.stringify(eventJson(sc.ctx))}\n` : `${sc.column()}${tableLine(e, o, t0)}\n`;
			}
			if (out) process.stdout.write(out);
		},
	});
}

/** `bpfguard execsnoop`. */
export const execsnoopCommand: CliCommand = {
	name: 'execsnoop',
	register(program) {
		const cmd = program
			.command('execsnoop')
			.description('trace exec() syscalls, successful and failed (argv read from the new process at exec)')
			.option('-T, --time', 'include a time column (HH:MM:SS)')
			.option('-t, --timestamp', 'include a timestamp column (seconds since start)')
			.option('-x, --fails', 'only failed execs')
			.option('-U, --print-uid', 'include a UID column');
		snoopFlags(cmd, { json: 'proc.pid, proc.args, ...' })
			.option('-l, --line <REGEX>', 'only commands whose argument line matches', regexFlag('line'))
			.option('-q, --quote', 'quote each argument')
			.addOption(new Option('--max-args <N>', 'arguments to print').default(20).argParser(intFlag('max-args', 128)))
			.action(run);
	},
};
