/** @module test/bpf/testrun.test: the native BPF_PROG_TEST_RUN binding (progTestRun): return value, ctx in and out, errors. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { requireBpf } from '../helpers/bpf.js';
import { btfLayout, harnessObject } from '../helpers/harness.js';
import { addon, type NativeBpfObject } from '../../src/bridge/addon.js';
import { bpfObjectPath } from '../../src/util/paths.js';

const OBJECTS = [harnessObject('testrun')];
let loaded: NativeBpfObject | undefined;
after(() => loaded?.close());

function obj(): NativeBpfObject {
	if (!loaded) {
		loaded = new (addon().BpfObject)(bpfObjectPath(harnessObject('testrun')));
		loaded.load();
	}
	return loaded;
}

test('a syscall program: retval, and the ctx it wrote comes back as ctxOut', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const l = btfLayout(bpfObjectPath(harnessObject('testrun')), 'bg_t_ctx');
	for (const v of [0, 20, 0x7fffffff]) {
		const ctx = Buffer.alloc(l.SIZE);
		ctx.writeUInt32LE(v, l.in);
		const r = obj().progTestRun('bg_t_sys', ctx);
		assert.equal(r.retval, (v + 7) >>> 0);
		assert.ok(r.ctxOut, 'ctxOut');
		assert.equal(r.ctxOut.readUInt32LE(l.in), v);
		assert.equal(r.ctxOut.readUInt32LE(l.out), (v * 2 + 1) >>> 0);
		assert.equal(r.dataOut, null);
		assert.equal(ctx.readUInt32LE(l.out), 0, 'the caller’s buffer is not written');
	}
});

test('a raw tracepoint program: its arguments as ctx, no ctxOut', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const args = Buffer.alloc(8);
	args.writeBigUInt64LE(41n);
	const r = obj().progTestRun('bg_t_rawtp', args);
	assert.deepEqual(r, { retval: 42, ctxOut: null, dataOut: null, durationNs: 0 });
});

test('errors carry code, errno and op', (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	// the kernel refuses repeat for raw tracepoint programs, and a ctx smaller than what the program reads
	assert.throws(() => obj().progTestRun('bg_t_rawtp', Buffer.alloc(8), null, 2), { code: 'EINVAL', errno: 22, op: 'test run bg_t_rawtp' });
	assert.throws(() => obj().progTestRun('bg_t_sys', Buffer.alloc(4)), { code: 'EINVAL', op: 'test run bg_t_sys' });
	assert.throws(() => obj().progTestRun('bg_t_none'), { code: 'ENOENT', op: 'find program bg_t_none' });
	const unloaded = new (addon().BpfObject)(bpfObjectPath(harnessObject('testrun')));
	try {
		assert.throws(() => unloaded.progTestRun('bg_t_sys', Buffer.alloc(8)), { code: 'EBADF', op: 'test run bg_t_sys: not loaded' });
	} finally {
		unloaded.close();
	}
});
