/** @module sensors/uring.test: the io_uring opcodes the sensors register are the kernel's (build/vmlinux.h, from this kernel's BTF: UAPI values, the same everywhere). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { IORING_OP } from './uring.js';
import { fileSensor } from './file.js';
import { netSensor } from './net.js';
import { repoPath } from '../util/paths.js';

test('IORING_OP: every opcode equals enum io_uring_op of the kernel headers', (t) => {
	const path = repoPath('build/vmlinux.h');
	if (!existsSync(path) && process.env.CI !== 'true') {
		t.skip('no build/vmlinux.h (make all generates it)');
		return;
	}
	const h = readFileSync(path, 'utf8');
	for (const [name, nr] of Object.entries(IORING_OP)) {
		const m = new RegExp(`\\bIORING_OP_${name} = (\\d+),`).exec(h);
		assert.ok(m, `IORING_OP_${name} in enum io_uring_op`);
		assert.equal(nr, Number(m[1]), `IORING_OP_${name}`);
	}
});

test('io_uring handlers: no opcode is claimed twice at one hook across the sensors', () => {
	const seen = new Map<string, string>();
	for (const s of [fileSensor, netSensor]) {
		assert.ok(s.uring?.length, `${s.name} declares io_uring handlers`);
		for (const h of s.uring ?? []) {
			for (const op of h.ops) {
				const k = `${h.hook}:${op}`;
				assert.equal(seen.get(k), undefined, `${k} claimed by ${seen.get(k)} and ${s.name}/${h.prog}`);
				seen.set(k, `${s.name}/${h.prog}`);
			}
		}
	}
	assert.equal(seen.get(`complete:${IORING_OP.CONNECT}`), 'net/bg_net_uring');
	assert.equal(seen.get(`complete:${IORING_OP.OPENAT}`), 'file/bg_file_uring');
});
