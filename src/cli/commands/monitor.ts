/** @module cli/commands/monitor: `bpfguard monitor`, the main job (default rules + user rules → alerts). */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { Monitor, type AlertOut } from '../../monitor/monitor.js';
import { requireBpf } from '../preflight.js';
import { StatsReporter, statsBlock, summaryLine } from '../stats.js';
import { repoPath } from '../../util/paths.js';
import { intFlag } from '../run.js';
import { RulesError } from '../../rules/errors.js';
import { CliError } from '../errors.js';
import { PRIORITIES, type Alert, type Priority } from '../../response/alert.js';
import { escapeText } from '../../sinks/escape.js';

interface Opts {
	rules: string[];
	defaultRules: boolean;
	priority?: string;
	json?: boolean;
	throttle: number;
	duration?: number;
	stats?: boolean;
}

/** Alerts to stdout: human lines (escaped) or JSON lines. */
function stdoutOut(json: boolean): AlertOut {
	let written = 0;
	return {
		write(a: Alert) {
			written++;
			const t = new Date(a.timeMs).toISOString().slice(11, 23);
			process.stdout.write(json ? `${JSON.stringify(a)}\n` : `${t} ${a.priority.toUpperCase()} ${escapeText(a.rule)}: ${escapeText(a.output)}${a.count > 1 ? ` (${a.count}x)` : ''}\n`);
		},
		flush: async () => {},
		close: async () => {},
		stats: () => ({ stdout: { written, failed: 0, dropped: 0, queued: 0 } }),
	};
}

async function run(o: Opts): Promise<void> {
	requireBpf('monitor', ['dispatch', 'process']);
	if (o.priority && !(PRIORITIES as readonly string[]).includes(o.priority)) throw new CliError(`monitor: unknown priority '${o.priority}' (one of ${PRIORITIES.join(', ')})`, 'EBADPRIO', 2);
	const paths = [...(o.defaultRules ? [repoPath('rules')] : []), ...o.rules];
	if (!paths.length) throw new CliError('monitor: no rules (give --rules FILE|DIR or drop --no-default-rules)', 'ENORULES', 2);
	let mon: Monitor;
	try {
		mon = new Monitor({ rulePaths: paths, minPriority: o.priority as Priority | undefined, throttleWindowMs: o.throttle * 1000, out: stdoutOut(!!o.json), log: (m) => process.stderr.write(`monitor: ${m}\n`), watchFiles: true });
	} catch (e) {
		if (e instanceof RulesError) throw new CliError(`monitor: rules have errors:\n${e.message}`, 'ERULES', 1);
		throw e;
	}
	const stats = new StatsReporter('monitor', mon.start((n) => stats.count('event', n)));
	stats.publish();
	const enabled = mon.engine.ruleset.all.filter((r) => r.enabled).length;
	process.stderr.write(`monitor: sensors attached; ${enabled} rules enabled; Ctrl-C to stop\n`);
	process.on('SIGHUP', () => mon.reload());
	await new Promise<void>((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
		if (o.duration) setTimeout(resolve, o.duration * 1000);
	});
	await mon.stop();
	stats.extra = { matches: mon.engine.stats.matches, throttled: mon.throttle.stats.suppressed };
	const snap = stats.snapshot();
	stats.close();
	process.stderr.write(`${o.stats ? statsBlock(snap) : summaryLine(snap)}\nmonitor: ${mon.engine.stats.matches} rule matches, alerts by rule: ${JSON.stringify(mon.alertsByRule)}\n`);
}

/** `bpfguard monitor`. */
export const monitorCommand: CliCommand = {
	name: 'monitor',
	register(program: Command) {
		program
			.command('monitor')
			.description('run the monitor: sensors → rules → alerts (default rules under rules/ plus yours)')
			.option('-r, --rules <FILE|DIR>', 'rules file or directory (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
			.option('--no-default-rules', 'do not load the default rules')
			.option('--priority <PRIORITY>', `lowest priority to alert on (${PRIORITIES.join(', ')})`)
			.option('--json', 'alerts as JSON lines on stdout')
			.option('--throttle <SECONDS>', 'fold repeats of the same alert within this window into one with a count (0: off)', intFlag('throttle', 86400), 10)
			.option('--duration <SECONDS>', 'stop after this many seconds', intFlag('duration', 86400 * 365))
			.option('--stats', 'print all counters at exit')
			.action(run);
	},
};
