/**
 * @module bench/report-render: `bpfguard report --format html` over a store of RECORDS (default 1M) rule matches:
 * the store's build (records/s, with the report indexes), generation time of the CLI (wall, node start included), and
 * Chromium's load-to-rendered time of the page; optionally the report indexes' one-time build on an existing store.
 * No root. JSON lines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PRIORITIES, type Alert } from '../src/alerts/alert.js';
import { AuditStore } from '../src/store/store.js';
import { REPORT_INDEXES } from '../src/store/report-index.js';
import { buildReport } from '../src/report/report.js';
import { renderHtml } from '../src/report/html.js';
import { repoPath } from '../src/util/paths.js';

const RECORDS = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const CHROMIUM = process.env.BPFGUARD_CHROMIUM ?? '/usr/bin/chromium';
/** Another checkout's bin/bpfguard to time against this one, rounds interleaved (before/after). */
const BASELINE = process.env.BENCH_REPORT_BASELINE;
const T0 = Date.UTC(2025, 0, 1);
const SPAN_MS = 30 * 86_400_000;
const BATCH = 10_000;

const out = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify({ bench: 'report-render', ...o })}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((x) => Number(x.toFixed(2)));

// A skewed mix like a real host's: a few noisy rules, users, executables and hosts, most matches low priority, some throttled.
function alert(j: number): Alert {
	const r = Math.imul(j + 1, 2654435761) >>> 0;
	const skew = (n: number, bits: number) => Math.floor(n * ((((r >>> bits) & 0xffff) / 0x10000) ** 3));
	const timeMs = T0 + Math.floor((j * SPAN_MS) / RECORDS);
	const exe = `/usr/bin/prog${skew(300, 0)}`;
	return {
		id: `b-${j}`,
		time: new Date(timeMs).toISOString(),
		timeMs,
		rule: `Rule ${skew(60, 3)}`,
		priority: PRIORITIES[Math.min(7, 2 + skew(6, 5))],
		tags: ['bench'],
		output: `${exe} did something pid=${j}`,
		fields: { 'proc.pid': j % 100_000, 'user.uid': skew(40, 9), 'user.name': `user${skew(40, 9)}`, 'proc.exepath': exe, 'proc.name': `prog${skew(300, 0)}` },
		action: j % 10 === 9 ? 'log' : 'alert',
		count: j % 7 === 0 ? 4 : 1,
		source: 'syscall',
		hostname: `host-${skew(25, 13)}`,
	};
}

function build(db: string): void {
	const t = performance.now();
	const store = AuditStore.open(db, { create: true });
	for (let i = 0; i < RECORDS; i += BATCH) store.appendAlerts(Array.from({ length: Math.min(BATCH, RECORDS - i) }, (_, k) => alert(i + k)));
	store.close();
	const s = (performance.now() - t) / 1000;
	out({ phase: 'build', records: RECORDS, seconds: Number(s.toFixed(1)), recordsPerS: Math.round(RECORDS / s), dbMiB: Math.round(statSync(db).size / 2 ** 20), load: load() });
}

// The report indexes' one-time build, as a writer does it on a store made before them.
function indexBuild(db: string): void {
	const s = AuditStore.open(db);
	for (const n of REPORT_INDEXES) s.db.exec(`DROP INDEX ${n}`);
	s.close();
	const t = performance.now();
	AuditStore.open(db).close();
	out({ phase: 'index-build', seconds: Number(((performance.now() - t) / 1000).toFixed(1)), load: load() });
}

/**
 * What the report indexes cost a writer: records/s appending n rule matches in batches to a new store with them and
 * to one without (dropped after open), rounds interleaved.
 */
function insertCost(n: number, dir: string): void {
	const rate: Record<string, number[]> = { with: [], without: [] };
	for (let i = 0; i < ROUNDS; i++) {
		for (const mode of ['with', 'without'] as const) {
			const db = join(dir, `insert-${mode}.db`);
			const s = AuditStore.open(db, { create: true });
			if (mode === 'without') for (const x of REPORT_INDEXES) s.db.exec(`DROP INDEX ${x}`);
			const batches = Array.from({ length: Math.ceil(n / BATCH) }, (_, b) => Array.from({ length: Math.min(BATCH, n - b * BATCH) }, (_, k) => alert(b * BATCH + k)));
			const t = performance.now();
			for (const b of batches) s.appendAlerts(b);
			rate[mode].push(n / ((performance.now() - t) / 1000));
			s.close();
			for (const f of [db, `${db}-wal`, `${db}-shm`, `${db}.head`]) rmSync(f, { force: true });
		}
	}
	out({ phase: 'insert-cost', records: n, withIndexesPerS: Math.round(median(rate.with)), withoutPerS: Math.round(median(rate.without)), ratio: Number((median(rate.with) / median(rate.without)).toFixed(2)), load: load() });
}

// Wall ms of one `report --format html --out FILE` run (node start included).
function generate(bin: string, db: string, html: string): number {
	const t = performance.now();
	const r = spawnSync(process.execPath, [bin, 'report', '--db', db, '--format', 'html', '--out', html], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`report failed: ${r.stderr}`);
	return performance.now() - t;
}

// In this process: buildReport + renderHtml, wall and CPU ms (CPU time is stretched less by other load than wall time).
function inProcess(db: string): { wallMs: number; cpuMs: number; bytes: number } {
	const store = AuditStore.open(db, { readonly: true });
	try {
		const c = process.cpuUsage();
		const t = performance.now();
		const bytes = renderHtml(buildReport(store, {})).length;
		const u = process.cpuUsage(c);
		return { wallMs: Math.round(performance.now() - t), cpuMs: Math.round((u.user + u.system) / 1000), bytes };
	} finally {
		store.close();
	}
}

async function browse(html: string): Promise<Record<string, number>[]> {
	const { chromium } = await import('playwright-core');
	const b = await chromium.launch({ executablePath: CHROMIUM });
	const rounds: Record<string, number>[] = [];
	try {
		for (let i = 0; i < ROUNDS; i++) {
			const p = await b.newPage({ viewport: { width: 1280, height: 900 } });
			const t = performance.now();
			await p.goto(pathToFileURL(html).href, { waitUntil: 'load' });
			// two animation frames after load: the first frame with the charts has been painted
			const rects = await p.evaluate(() => new Promise<number>((res) => requestAnimationFrame(() => requestAnimationFrame(() => res(document.querySelectorAll('svg rect').length)))));
			const wall = performance.now() - t;
			const nav = await p.evaluate(() => {
				const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
				const fcp = performance.getEntriesByName('first-contentful-paint')[0];
				return { loadEventEnd: n.loadEventEnd, fcp: fcp?.startTime ?? -1 };
			});
			rounds.push({ wallMs: Math.round(wall), loadEventEndMs: Math.round(nav.loadEventEnd), firstPaintMs: Math.round(nav.fcp), rects });
			await p.close();
		}
	} finally {
		await b.close();
	}
	return rounds;
}

async function main(): Promise<void> {
	const dir = mkdtempSync(join(process.env.BENCH_REPORT_DIR ?? tmpdir(), 'bg-bench-report-'));
	const db = process.env.BENCH_REPORT_DB ?? join(dir, 'audit.db');
	const html = join(dir, 'report.html');
	try {
		out({ phase: 'start', records: RECORDS, rounds: ROUNDS, load: load() });
		if (process.env.BENCH_REPORT_INSERT) insertCost(Number(process.env.BENCH_REPORT_INSERT), dir);
		if (!existsSync(db)) build(db);
		if (process.env.BENCH_REPORT_INDEX_BUILD === '1') indexBuild(db);
		const bins: [string, string][] = [['this', repoPath('bin/bpfguard')], ...(BASELINE ? [['baseline', BASELINE] as [string, string]] : [])];
		const ms: Record<string, number[]> = Object.fromEntries(bins.map(([n]) => [n, []]));
		for (let i = 0; i < ROUNDS; i++) for (const [n, bin] of bins) ms[n].push(generate(bin, db, html));
		const ip = Array.from({ length: ROUNDS }, () => inProcess(db));
		out({ phase: 'generate-in-process', medianWallMs: median(ip.map((r) => r.wallMs)), medianCpuMs: median(ip.map((r) => r.cpuMs)), rounds: ip, load: load() });
		for (const [n] of bins) out({ phase: 'generate', bin: n, medianMs: Math.round(median(ms[n])), roundsMs: ms[n].map(Math.round), load: load() });
		generate(repoPath('bin/bpfguard'), db, html);
		out({ phase: 'page', bytes: statSync(html).size });
		if (!existsSync(CHROMIUM)) {
			out({ phase: 'browser', skipped: `${CHROMIUM} not installed` });
			return;
		}
		const rounds = await browse(html);
		out({ phase: 'browser', medianWallMs: median(rounds.map((r) => r.wallMs)), rounds, load: load() });
	} finally {
		if (process.env.BENCH_REPORT_KEEP === '1') out({ kept: dir });
		else rmSync(dir, { recursive: true, force: true });
	}
}

await main();
