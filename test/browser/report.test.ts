/**
 * @module test/browser/report.test: `bpfguard report --format html` opened in headless Chromium: no console errors and
 * nothing fetched, every chart drawn with one SVG element per data point, hostile event data shown as text (never
 * markup), no horizontal scrolling at phone width; screenshots under test-output/report/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Alert } from '../../src/alerts/alert.js';
import { AuditStore } from '../../src/store/store.js';
import { bpfguard } from '../helpers/cli.js';
import { launchChromium, testOutputDir } from '../helpers/chromium.js';
import { T0, sampleAlert } from '../helpers/store-fixtures.js';

// Event data an attacker controls (rule names come from rule files; the rest from the process that triggered the rule).
const HOSTILE = {
	rule: `Rule <img src=x onerror="document.title='pwned-rule'">`,
	comm: `<script>document.title='pwned-comm'</script>`,
	user: `</style><iframe srcdoc="pwned-user"></iframe>`,
	host: `evil"><svg onload="document.title='pwned-host'"></svg>\u001b[2J`,
	path: `/tmp/'"><object data="x"></object>/${'A'.repeat(4000)}`,
};

function alerts(): Alert[] {
	const out = Array.from({ length: 40 }, (_, i) => sampleAlert(i));
	const fields = (over: Record<string, string | number>) => ({ 'proc.pid': 7, 'user.uid': 1001, ...over });
	out.push(sampleAlert(40, { id: 'h1', rule: HOSTILE.rule, priority: 'emergency', count: 3, hostname: HOSTILE.host, fields: fields({ 'user.name': HOSTILE.user, 'proc.name': HOSTILE.comm }) }));
	out.push(sampleAlert(41, { id: 'h2', rule: HOSTILE.rule, priority: 'debug', hostname: HOSTILE.host, fields: fields({ 'user.name': 'bob', 'proc.exepath': HOSTILE.path, 'proc.name': 'x' }) }));
	out.push(sampleAlert(44, { id: 'h3', priority: 'critical', timeMs: T0 + 44 * 60_000 + 59_999 }));
	return out;
}

// What the report must draw, counted here from the alerts themselves (the report's keys: user name else uid, executable path else comm).
function expected(as: Alert[]) {
	const f = (a: Alert, k: string) => a.fields[k] as string | number | undefined;
	const distinct = (key: (a: Alert) => string) => new Set(as.map(key)).size;
	const minute = (a: Alert) => Math.floor((a.timeMs - T0) / 60_000);
	const hosts = [...new Set(as.map((a) => a.hostname))];
	return {
		timeSegments: distinct((a) => `${minute(a)} ${a.priority}`),
		rule: distinct((a) => a.rule),
		priority: distinct((a) => a.priority),
		user: distinct((a) => String(f(a, 'user.name') ?? `uid ${f(a, 'user.uid')}`)),
		exe: distinct((a) => String(f(a, 'proc.exepath') ?? f(a, 'proc.name'))),
		host: hosts.length,
		hostBars: Object.fromEntries(hosts.map((h) => [h, new Set(as.filter((a) => a.hostname === h).map(minute)).size])),
		hostPriorities: Object.fromEntries(hosts.map((h) => [h, new Set(as.filter((a) => a.hostname === h).map((a) => a.priority)).size])),
	};
}

const dir = mkdtempSync(join(tmpdir(), 'bg-report-browser-'));
const db = join(dir, 'audit.db');
const page = join(dir, 'report.html');
const ALERTS = alerts();
const store = AuditStore.open(db, { create: true });
store.appendAlerts(ALERTS);
store.close();
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** Opens the report in a fresh page of the given width; collects console messages, page errors, dialogs and requests. */
async function open(b: Browser, width: number, height: number): Promise<{ p: Page; problems: string[]; requests: string[] }> {
	const p = await b.newPage({ viewport: { width, height } });
	const problems: string[] = [];
	const requests: string[] = [];
	p.on('console', (m) => {
		if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
	});
	p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
	p.on('dialog', (d) => {
		problems.push(`dialog: ${d.message()}`);
		void d.dismiss();
	});
	p.on('request', (r) => requests.push(r.url()));
	await p.goto(pathToFileURL(page).href, { waitUntil: 'load' });
	return { p, problems, requests };
}

test('the HTML report in Chromium: no console errors, nothing fetched, every chart drawn from the data, hostile data as text', async (t) => {
	const b = await launchChromium(t);
	if (!b) return;
	try {
		const r = bpfguard(['report', '--db', db, '--format', 'html', '--out', page, '--bucket', '1m']);
		assert.deepEqual([r.status, r.stderr], [0, '']);
		const { p, problems, requests } = await open(b, 1280, 900);
		await p.screenshot({ path: join(testOutputDir('report'), 'report-desktop.png'), fullPage: true });
		assert.deepEqual(problems, []);
		assert.deepEqual(requests, [pathToFileURL(page).href]);
		const x = expected(ALERTS);
		const count = (sel: string) => p.locator(sel).count();
		assert.equal(await count('svg[data-chart="time"] rect.seg'), x.timeSegments);
		for (const d of ['rule', 'priority', 'user', 'exe', 'host'] as const) assert.equal(await count(`svg[data-chart="${d}"] rect.bar`), Math.min(10, x[d]), d);
		assert.equal(await count('article.host'), x.host);
		for (const [host, bars] of Object.entries(x.hostBars)) {
			const card = p.locator('article.host').filter({ has: p.getByRole('heading', { name: host.replace(/\u001b/g, '\\e'), exact: true }) });
			assert.equal(await card.locator('svg[data-chart="host-time"] rect.bar').count(), bars, host);
			assert.equal(await card.locator('svg[data-chart="host-priority"] rect.seg').count(), x.hostPriorities[host], host);
		}
		// drawn: every data rectangle has a size on the screen; the most severe segment of a column sits lowest
		const sizes = await p.locator('svg.chart rect').evaluateAll((rs) => rs.map((e) => e.getBoundingClientRect()).map((q) => q.width > 0 && q.height > 0));
		assert.ok(sizes.length > 100 && sizes.every(Boolean));
		// hostile strings are text in the page, never elements, handlers or styles
		const dom = await p.evaluate(() => ({
			title: document.title,
			injected: document.querySelectorAll('img, iframe, object, script, svg[onload], [onerror], [onload]').length,
			styles: document.querySelectorAll('style').length,
			text: document.body.innerText,
		}));
		assert.deepEqual([dom.title, dom.injected, dom.styles], ['bpfguard audit report', 0, 1]);
		for (const s of [HOSTILE.rule, HOSTILE.comm, HOSTILE.user, HOSTILE.host.replace('\u001b', '\\e')]) assert.ok(dom.text.includes(s), s);
		assert.ok(dom.text.includes(HOSTILE.path.slice(0, 60)));
	} finally {
		await b.close();
	}
});

test('the HTML report at phone width (375x812): no horizontal scrolling, charts as wide as the screen', async (t) => {
	const b = await launchChromium(t);
	if (!b) return;
	try {
		const r = bpfguard(['report', '--db', db, '--format', 'html', '--out', page]);
		assert.equal(r.status, 0, r.stderr);
		const { p, problems } = await open(b, 375, 812);
		await p.screenshot({ path: join(testOutputDir('report'), 'report-phone.png'), fullPage: true });
		assert.deepEqual(problems, []);
		const w = await p.evaluate(() => ({ doc: document.documentElement.scrollWidth, body: document.body.scrollWidth, view: window.innerWidth }));
		assert.deepEqual(w, { doc: 375, body: 375, view: 375 });
		const charts = await p.locator('svg.chart').evaluateAll((ss) => ss.map((s) => s.getBoundingClientRect()).map((q) => [q.left >= 0, q.right <= 375]));
		assert.ok(charts.length >= 6 && charts.every(([l, r]) => l && r));
	} finally {
		await b.close();
	}
});
