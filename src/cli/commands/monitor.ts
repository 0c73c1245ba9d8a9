/** @module cli/commands/monitor: `bpfguard monitor`, the main job (default rules + user rules → alerts → sinks). */
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { Monitor, type AlertOut } from '../../monitor/monitor.js';
import { requireBpf } from '../preflight.js';
import { StatsReporter, statsBlock, summaryLine } from '../stats.js';
import { repoPath } from '../../util/paths.js';
import { intFlag, untilStopped } from '../run.js';
import { RulesError } from '../../rules/errors.js';
import { CliError } from '../errors.js';
import { PRIORITIES, type Alert, type Priority } from '../../alerts/alert.js';
import type { EventBatch, SinkStats } from '../../sinks/sink.js';
import { ConfigError, loadConfig } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { createSinks, type SinkSet } from '../../sinks/registry.js';
import { MonitorMetrics } from '../../monitor/metrics.js';
import { SdNotifier, monotonicUsec } from '../../service/notify.js';
import { journalLines, type Level } from '../../service/journal.js';
import { resolverFromConfig } from '../../container/config.js';
import { MetricsConfigError, metricsListen, serveMetrics, type MetricsListen } from '../../monitor/metrics-server.js';

interface Opts {
	config?: string;
	rules: string[];
	defaultRules: boolean;
	priority?: string;
	json?: boolean;
	throttle?: number;
	duration?: number;
	stats?: boolean;
	metrics?: string;
	enforce?: boolean;
	cgroup?: string;
	pin?: boolean;
	audit?: boolean;
}

/** The sink set plus, with --json, JSON lines on stdout. */
function outputs(sinks: SinkSet, json: boolean): AlertOut {
	let written = 0;
	return {
		write(a: Alert) {
			sinks.write(a);
			if (json) {
				written++;
				process.stdout.write(`${JSON.stringify(a)}\n`);
			}
		},
		flush: () => sinks.flush(),
		close: () => sinks.close(),
		stats: (): SinkStats => {
			const s = sinks.stats();
			return { ...s, written: s.written + written };
		},
		...(sinks.keepsEvents ? { writeEvents: (b: EventBatch) => sinks.writeEvents(b), eventStats: () => sinks.eventStats() } : {}),
	};
}

function settings(o: Opts): Config {
	let cfg: Config;
	try {
		cfg = loadConfig(o.config);
	} catch (e) {
		if (e instanceof ConfigError) throw new CliError(`monitor: bad config:\n${e.message}`, 'ECONFIG', 2);
		throw e;
	}
	if (o.priority !== undefined) {
		if (!(PRIORITIES as readonly string[]).includes(o.priority)) throw new CliError(`monitor: unknown priority '${o.priority}' (one of ${PRIORITIES.join(', ')})`, 'EBADPRIO', 2);
		cfg.priority = o.priority as Priority;
	}
	if (o.throttle !== undefined) cfg.throttle_s = o.throttle;
	if (!o.defaultRules) cfg.default_rules = false;
	cfg.rules = [...cfg.rules, ...o.rules];
	if (o.json && cfg.sinks.terminal) cfg.sinks.terminal.enabled = false;
	if (o.metrics !== undefined) cfg.metrics.listen = o.metrics;
	if (o.enforce) cfg.enforce = true;
	if (o.cgroup !== undefined) cfg.enforcement.cgroup = o.cgroup;
	if (o.pin) cfg.enforcement.pin = true;
	if (o.audit) {
		if (!cfg.sinks.store) throw new CliError('monitor: --audit keeps events in the audit store, but the config has no sinks.store', 'ENOSTORE', 2);
		cfg.sinks.store.events = true;
	}
	return cfg;
}

/** Where to serve metrics (undefined: off); a refused address is a one-line error (exit 2). */
function metricsAddress(cfg: Config): MetricsListen | undefined {
	const m = cfg.metrics;
	if (m.listen === undefined) return undefined;
	try {
		return metricsListen(m.listen, { allowRemote: m.allow_remote, token: m.token, tokenFile: m.token_file });
	} catch (e) {
		if (e instanceof MetricsConfigError) throw new CliError(`monitor: ${e.message}`, e.code, 2);
		throw e;
	}
}

async function start(cfg: Config, json: boolean, metrics?: MonitorMetrics): Promise<{ mon: Monitor; sinks: SinkSet }> {
	const paths = [...(cfg.default_rules ? [repoPath('rules')] : []), ...cfg.rules];
	if (!paths.length) throw new CliError('monitor: no rules (give --rules FILE|DIR or keep the default rules)', 'ENORULES', 2);
	const sinks = createSinks(cfg.sinks);
	try {
		const health = { lossIntervalS: cfg.health.loss_interval_s, heartbeatS: cfg.health.heartbeat_s };
		const audit = sinks.keepsEvents;
		const mon = new Monitor({ rulePaths: paths, minPriority: cfg.priority, throttleWindowMs: cfg.throttle_s * 1000, out: outputs(sinks, json), log: (m, level) => say(level ?? 'warning', m), watchFiles: true, execEnv: cfg.exec_env, health, metrics, audit, enforce: cfg.enforce, enforcement: { protect: cfg.enforcement.protect, budget: cfg.enforcement.kill_budget, cgroup: cfg.enforcement.cgroup, pin: cfg.enforcement.pin }, containers: { resolver: resolverFromConfig(cfg.containers), holdMs: cfg.containers.hold_ms } });
		await sinks.start();
		for (const w of sinks.warnings) process.stderr.write(`monitor: warning: ${w}\n`);
		return { mon, sinks };
	} catch (e) {
		if (e instanceof RulesError) throw new CliError(`monitor: rules have errors:\n${e.message}`, 'ERULES', 1);
		throw e;
	}
}

/** One message on stderr (level prefixes when journald reads it). */
function say(level: Level, msg: string): void {
	process.stderr.write(journalLines(level, `monitor: ${msg}`));
}

/** SIGHUP: reload the rules, telling systemd (RELOADING=1 … READY=1) when it runs the monitor. */
function reloader(mon: Monitor, sd: SdNotifier): () => void {
	return () => {
		sd.notify({ RELOADING: 1, MONOTONIC_USEC: monotonicUsec(), STATUS: 'reloading rules' });
		const ok = mon.reload();
		const enabled = mon.engine.ruleset.all.filter((r) => r.enabled).length;
		sd.notify({ READY: 1, STATUS: ok ? `rules reloaded: ${enabled} rules enabled` : `rules reload rejected; ${enabled} previous rules still running` });
	};
}

async function run(o: Opts): Promise<void> {
	requireBpf('monitor', ['dispatch', 'process']);
	const cfg = settings(o);
	const listen = metricsAddress(cfg);
	const metrics = listen ? new MonitorMetrics() : undefined;
	const { mon, sinks } = await start(cfg, !!o.json, metrics);
	const stats = new StatsReporter('monitor', mon.start((n) => stats.count('event', n)));
	const server = metrics && listen ? await listenMetrics(mon, metrics, listen) : undefined;
	const refresh = () => {
		stats.extra = { matches: mon.engine.stats.matches, throttled: mon.throttle.stats.suppressed, folded: mon.aggregator.stats.folded, heldBelowShape: mon.aggregator.stats.held, sinkDropped: sinks.stats().dropped, sinkQueued: sinks.stats().queued };
		for (const [k, v] of Object.entries(mon.containerStats())) stats.extra[`container${k[0].toUpperCase()}${k.slice(1)}`] = v;
		if (sinks.keepsEvents) {
			const ev = sinks.eventStats();
			Object.assign(stats.extra, { auditWritten: ev.written, auditDropped: ev.dropped, auditQueued: ev.queued });
		}
	};
	const timer = setInterval(refresh, 1000);
	timer.unref();
	stats.publish();
	const enabled = mon.engine.ruleset.all.filter((r) => r.enabled).length;
	const attached = `sensors attached (${mon.sensors.map((s) => s.name).join(', ')}); ${enabled} rules enabled`;
	say('info', `${attached}; sinks: ${sinks.sinks.map((s) => s.name).join(', ') || 'none'}${sinks.keepsEvents ? '; audit trail: every event to the store' : ''}; Ctrl-C to stop`);
	const sd = new SdNotifier();
	sd.notify({ READY: 1, STATUS: attached });
	if (sd.error) say('warning', sd.error);
	const reason = await untilStopped({ durationS: o.duration, onHup: reloader(mon, sd) });
	sd.notify({ STOPPING: 1, STATUS: `stopping (${reason})` });
	clearInterval(timer);
	server?.close();
	server?.closeAllConnections(); // a scraper's keep-alive connection must not hold the exit
	await mon.stop(reason);
	refresh();
	const snap = stats.snapshot();
	stats.close();
	process.stderr.write(`${o.stats ? statsBlock(snap) : summaryLine(snap)}\nmonitor: ${mon.engine.stats.matches} rule matches; alerts by rule: ${JSON.stringify(mon.alertsByRule)}; sinks: ${JSON.stringify(sinks.stats())}${sinks.keepsEvents ? `; audit trail: ${JSON.stringify(sinks.eventStats())}` : ''}\n`);
}

/** Serve /metrics; a failure to listen stops the monitor with one line. */
async function listenMetrics(mon: Monitor, metrics: MonitorMetrics, l: MetricsListen): Promise<import('node:http').Server> {
	try {
		const server = await serveMetrics(metrics, l);
		const a = server.address();
		const where = a && typeof a === 'object' ? (a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`) : `${l.host}:${l.port}`;
		say('info', `metrics on http://${where}/metrics${l.token ? ' (bearer token required)' : ''}`);
		return server;
	} catch (e) {
		await mon.stop('metrics listen failed');
		throw new CliError(`monitor: cannot listen for metrics on ${l.host}:${l.port}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, 'EMETRICS', 2);
	}
}

/** `bpfguard monitor`. */
export const monitorCommand: CliCommand = {
	name: 'monitor',
	register(program: Command) {
		program
			.command('monitor')
			.description('run the monitor: sensors → rules → alerts to the terminal, a JSON-lines audit file, syslog or a webhook')
			.option('-c, --config <FILE>', 'configuration file (YAML: rules, priority, throttle_s, sinks)')
			.option('-r, --rules <FILE|DIR>', 'rules file or directory (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
			.option('--no-default-rules', 'do not load the default rules')
			.option('--priority <PRIORITY>', `lowest priority to alert on (${PRIORITIES.join(', ')})`)
			.option('--json', 'alerts as JSON lines on stdout (instead of the terminal sink)')
			.option('--enforce', 'blocking rules (action kill, deny) act; without it they report what they would have blocked (audit)')
			.option('--cgroup <PATH>', 'deny rules fence only this cgroup v2 directory (default: the cgroup v2 root, every process)')
			.option('--pin', 'with --enforce: deny rules and quarantines stay in force after the monitor stops (bpfguard enforce list|remove)')
			.option('--throttle <SECONDS>', 'fold repeats of the same alert within this window into one with a count (0: off)', intFlag('throttle', 86400))
			.option('--duration <SECONDS>', 'stop after this many seconds', intFlag('duration', 86400 * 365))
			.option('--stats', 'print all counters at exit')
			.option('--metrics <HOST:PORT>', 'serve Prometheus metrics on http://HOST:PORT/metrics (loopback unless the config allows remote)')
			.option('--audit', 'audit trail: keep every event that passes the kernel filter in the audit store, not only rule matches (sinks.store.events: true)')
			.action(run);
	},
};
