/** @module events/syscalls.test: the ia32 routes to a 64-bit syscall (what bg_ia32_sys is filled with). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { arch } from 'node:os';
import { IA32_SOCKETCALL, ia32Routes, syscallNameIn } from './syscalls.js';

test('ia32 routes: the same name (16-bit ids when a ...32 twin exists), the ...32/...64 twins, the socketcall call', (t) => {
	if (arch() !== 'x64') {
		assert.deepEqual(ia32Routes('setuid'), []);
		return t.skip('x86_64 only');
	}
	const r = (uid16: boolean, socketcall: boolean) => (nr: number) => ({ nr, uid16, socketcall });
	assert.deepEqual(ia32Routes('setuid'), [23, 213].map((nr, i) => r(i === 0, false)(nr)));
	assert.deepEqual(ia32Routes('setresuid'), [r(true, false)(164), r(false, false)(208)]);
	assert.deepEqual(ia32Routes('open'), [r(false, false)(5)]);
	assert.deepEqual(ia32Routes('openat'), [r(false, false)(295)]);
	assert.deepEqual(ia32Routes('connect'), [r(false, false)(362), r(false, true)(3)]);
	assert.deepEqual(ia32Routes('accept'), [r(false, true)(5)], 'no direct ia32 accept: only SYS_ACCEPT');
	assert.deepEqual(ia32Routes('truncate'), [r(false, false)(92), r(false, false)(193)], 'truncate64 too');
	assert.deepEqual(ia32Routes('no_such_call'), []);
	assert.equal(IA32_SOCKETCALL, 102);
	for (const x of ia32Routes('setgid')) if (!x.socketcall) assert.match(syscallNameIn(x.nr, 'i386'), /^setgid(32)?$/);
});
