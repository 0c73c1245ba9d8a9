/** @module test/helpers/monitor: run the real monitor (default rules, real sensors) around an action and keep its alerts. */
import { Monitor, type MonitorOptions } from '../../src/monitor/monitor.js';
import type { Alert } from '../../src/alerts/alert.js';
import { repoPath } from '../../src/util/paths.js';
import { sleep } from './collect.js';

const PROGS = repoPath('build/progs/');

/**
 * The checkout may live below /tmp (CI clones anywhere): then the test helper programs in
 * build/progs themselves raise the temporary-directory rule. That alert is the environment's,
 * not the test's, and is left out; a test of that rule runs its own copy elsewhere.
 */
function environmental(a: Alert): boolean {
	return a.rule === 'Executable run from a temporary directory' && String(a.fields['proc.exepath'] ?? '').startsWith(PROGS);
}

/**
 * Start the monitor with the given rule paths (default: the shipped rules) and options, run action
 * (it sees the alerts and log lines so far), wait settleMs (default 200) for the last records, stop; returns every alert and log line.
 */
export async function withMonitor(
	action: (live: { alerts: Alert[]; logs: string[] }) => Promise<void>,
	rulePaths = [repoPath('rules')],
	o: { settleMs?: number; monitor?: Omit<Partial<MonitorOptions>, 'rulePaths' | 'out' | 'log'> } = {},
): Promise<{ alerts: Alert[]; logs: string[]; mon: Monitor }> {
	const alerts: Alert[] = [];
	const logs: string[] = [];
	const mon = new Monitor({
		rulePaths,
		throttleWindowMs: 0,
		...o.monitor,
		log: (m) => logs.push(m),
		out: { write: (a) => (environmental(a) ? undefined : alerts.push(a)), flush: async () => {}, close: async () => {}, stats: () => ({ written: alerts.length, failed: 0, dropped: 0, queued: 0 }) },
	});
	mon.start();
	try {
		await action({ alerts, logs });
		await sleep(o.settleMs ?? 200);
	} finally {
		await mon.stop();
	}
	return { alerts, logs, mon };
}
