/** @module test/helpers/store-fixtures: sample alerts and temporary stores for the store, report and CLI tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert, Priority } from '../../src/alerts/alert.js';
import { AuditStore } from '../../src/store/store.js';

/** Base time of sample alerts: 2025-01-02T03:00:00Z. */
export const T0 = Date.UTC(2025, 0, 2, 3, 0, 0);

interface Who {
	rule: string;
	priority: Priority;
	user: string;
	uid: number;
	exe: string;
	tags: string[];
	host: string;
}

const WHO: readonly Who[] = [
	{ rule: 'Read sensitive file', priority: 'warning', user: 'alice', uid: 1000, exe: '/usr/bin/cat', tags: ['T1003', 'filesystem'], host: 'web-1' },
	{ rule: 'Shell spawned by web server', priority: 'critical', user: 'www-data', uid: 33, exe: '/bin/bash', tags: ['T1059', 'process'], host: 'web-1' },
	{ rule: 'Privilege escalation', priority: 'error', user: 'root', uid: 0, exe: '/usr/bin/sudo', tags: ['T1548'], host: 'db-1' },
	{ rule: 'Outbound connection', priority: 'notice', user: 'alice', uid: 1000, exe: '/usr/bin/curl', tags: ['network'], host: 'db-1' },
];

/** Sample alert i: kind i % 4 (rule, user, exe, host above), one minute apart from T0, pid 1000 + i. */
export function sampleAlert(i: number, over: Partial<Alert> = {}): Alert {
	const w = WHO[i % WHO.length];
	const timeMs = T0 + i * 60_000;
	return {
		id: `rec-${i}`,
		time: new Date(timeMs).toISOString(),
		timeMs,
		rule: w.rule,
		priority: w.priority,
		tags: w.tags,
		output: `${w.exe} by ${w.user} pid=${1000 + i} marker-${i}`,
		fields: { 'proc.pid': 1000 + i, 'user.uid': w.uid, 'user.name': w.user, 'proc.exepath': w.exe, 'proc.name': w.exe.slice(w.exe.lastIndexOf('/') + 1) },
		action: i % 10 === 9 ? 'log' : 'alert',
		count: 1,
		source: 'syscall',
		hostname: w.host,
		...over,
	};
}

/** A new store in a fresh temporary directory holding sample alerts 0..n-1; cleanup() closes and removes it. */
export function tempStore(n: number): { store: AuditStore; dir: string; path: string; cleanup: () => void } {
	const dir = mkdtempSync(join(tmpdir(), 'bg-store-'));
	const path = join(dir, 'db', 'audit.db');
	const store = AuditStore.open(path, { create: true });
	if (n > 0) store.appendAlerts(Array.from({ length: n }, (_, i) => sampleAlert(i)));
	return {
		store,
		dir,
		path,
		cleanup: () => {
			store.close();
			rmSync(dir, { recursive: true, force: true });
		},
	};
}
