/** @module test/bpf/normpath.test: the kernel's lexical path normalisation (bpf/file/normpath.bpf.h) under BPF_PROG_TEST_RUN. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBpf } from '../helpers/bpf.js';
import { harnessObject, lazyHarness } from '../helpers/harness.js';
import { BgLimit } from '../../src/events/generated/layouts.js';

const OBJECTS = [harnessObject('normpath')];
const harness = lazyHarness('normpath', 'bg_t_norm', 'bg_t_norm');
after(() => harness.close());

/** Normalise path bytes in the kernel: the result, and whether the normaliser made it (else the input was kept). */
function norm(path: string | Buffer): { out: string; normed: boolean | 'deep' } {
	const h = harness.get();
	const bytes = Buffer.isBuffer(path) ? path : Buffer.from(path, 'latin1');
	const { retval, rec } = h.run((b, l) => {
		b.writeUInt32LE(bytes.length, l.len);
		bytes.copy(b, l.path);
	});
	assert.equal(retval, 0, 'harness ran');
	const len = rec.readUInt32LE(h.layout.len);
	return { out: rec.subarray(h.layout.path, h.layout.path + len).toString('latin1'), normed: ([false, true, 'deep'] as const)[rec.readUInt32LE(h.layout.normed)] };
}

const CASES: [string, string][] = [
	['/etc/passwd', '/etc/passwd'],
	['/etc//passwd', '/etc/passwd'],
	['//etc///passwd', '/etc/passwd'],
	['/etc/./passwd', '/etc/passwd'],
	['/./etc/././passwd', '/etc/passwd'],
	['/tmp/../etc/cron.d/x', '/etc/cron.d/x'],
	['/a/b/c/../../d', '/a/d'],
	['/a/b/..', '/a'],
	['/a/b/../', '/a'],
	['/etc/ssh/', '/etc/ssh'],
	['/a/.', '/a'],
	['/..', '/'],
	['/../etc/passwd', '/etc/passwd'],
	['/../../../etc/shadow', '/etc/shadow'],
	['/a/../../b', '/b'],
	['/', '/'],
	['//', '/'],
	['/.', '/'],
	['/...', '/...'],
	['/a/..b/.c/...', '/a/..b/.c/...'],
	['/home/u/.ssh/./../.ssh//authorized_keys', '/home/u/.ssh/authorized_keys'],
];

for (const [input, want] of CASES) {
	test(`normalise ${JSON.stringify(input)} → ${JSON.stringify(want)}`, (t) => {
		if (!requireBpf(t, OBJECTS)) return;
		assert.deepEqual(norm(input), { out: want, normed: true });
	});
}

test('bytes that are not UTF-8 pass through unchanged', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const raw = Buffer.from([0x2f, 0x74, 0xff, 0x2f, 0x2e, 0x2f, 0x80, 0x0a]); // "/t\xff/./\x80\n"
	assert.deepEqual(norm(raw), { out: '/t\xff/\x80\n', normed: true });
});

test('a relative or empty path is left as it is', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	assert.deepEqual(norm('etc/../passwd'), { out: 'etc/../passwd', normed: false });
	assert.deepEqual(norm(''), { out: '', normed: false });
});

test('length limit: a path of BG_PATH_MAX - 1 bytes is normalised, one of BG_PATH_MAX is left as it is', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const max = BgLimit.BG_PATH_MAX;
	const tail = '/../etc/shadow';
	const fits = `/${'d'.repeat(max - 2 - tail.length)}${tail}`;
	assert.equal(fits.length, max - 1);
	assert.deepEqual(norm(fits), { out: '/etc/shadow', normed: true });
	const over = `/${'d'.repeat(max - 1 - tail.length)}${tail}`;
	assert.equal(over.length, max);
	assert.deepEqual(norm(over), { out: over, normed: false });
});

test('depth limit: 128 components are kept; one more after them leaves the path as it is, reported as too deep', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const deep = (n: number) => '/a'.repeat(n);
	assert.deepEqual(norm(deep(128)), { out: deep(128), normed: true });
	assert.deepEqual(norm(`${deep(126)}/x/..`), { out: deep(126), normed: true }, '127 kept, then one dropped');
	assert.deepEqual(norm(`${deep(127)}/x/..`), { out: `${deep(127)}/x/..`, normed: 'deep' }, 'a 129th after 128 kept');
	assert.deepEqual(norm(`${deep(128)}/..`), { out: `${deep(128)}/..`, normed: 'deep' });
	// depth counts the components kept, not those seen: 300 in and out stay shallow
	assert.deepEqual(norm(`${'/a/..'.repeat(300)}/etc/passwd`), { out: '/etc/passwd', normed: true });
});
