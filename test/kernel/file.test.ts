/** @module test/kernel/file.test: the file sensor on the real kernel (true paths, failures, changes, watch set, odd paths). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { requireBpf } from '../helpers/bpf.js';
import { collect, run, sleep } from '../helpers/collect.js';
import { fileSensor, setFileWatch } from '../../src/sensors/file.js';
import { hasTracepoints } from '../../src/sensors/uring.js';
import { SensorRuntime } from '../../src/sensors/runtime.js';
import { EvalCtx } from '../../src/rules/context.js';
import { eventJson } from '../../src/rules/fields/json.js';
import { lookupField } from '../../src/rules/fields/index.js';
import { BG_VC_KEY, BG_WATCH_L0, BgFileFlag, BgWatchMode } from '../../src/events/generated/layouts.js';
import type { BgEvent, FileEventBase } from '../../src/events/types.js';
import { repoPath } from '../../src/util/paths.js';

const FILEOPS = repoPath('build/progs/fileops');
const OBJECTS = ['dispatch', 'file'];
type FileEv = FileEventBase & { kind: 'open' | 'file_change' };
const CTX = new EvalCtx();
/** The event as opensnoop --json prints it. */
const fileJson = (e: BgEvent) => eventJson(CTX.set(e));
const fileEvents = (evs: BgEvent[], pid: number) => evs.filter((e): e is FileEv => (e.kind === 'open' || e.kind === 'file_change') && e.pid === pid);

/** Run fileops; returns its pid, the syscall it used and its result. */
async function fileops(...args: string[]): Promise<{ pid: number; sys: string; ret: number }> {
	const r = await run(FILEOPS, args);
	const m = /pid=(\d+) sys=(\w+) ret=(-?\d+)/.exec(r.stdout);
	assert.ok(m, `fileops ${args.join(' ')}: ${r.stdout}${r.stderr}`);
	return { pid: Number(m[1]), sys: m[2], ret: Number(m[3]) };
}

test('cat /etc/passwd: one open event with the true path, O_RDONLY, uid, comm, pid', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	let pid = 0;
	const { events, kernel } = await collect([fileSensor], {}, async () => {
		pid = (await run('/bin/cat', ['/etc/passwd'])).pid;
	});
	const evs = fileEvents(events, pid);
	assert.equal(evs.length, 1, `one event, got ${evs.map((e) => e.name).join(', ')}`);
	const e = evs[0];
	assert.equal(e.kind, 'open');
	assert.equal(e.syscall, 'openat');
	assert.equal(e.name, '/etc/passwd');
	assert.equal(e.raw, '/etc/passwd');
	assert.equal(e.nameFromFile, true);
	assert.equal(e.nameTruncated, false);
	assert.equal(e.flags, BgFileFlag.BG_FF_NAME_FILE);
	assert.equal(e.argFlags & 3, 0, 'O_RDONLY');
	assert.equal(e.mode, 0);
	assert.equal(e.ret, 3);
	assert.equal(e.dirfd, -100);
	assert.equal(e.owner, -1);
	assert.equal(e.group, -1);
	assert.equal(e.uid, 0);
	assert.equal(e.gid, 0);
	assert.equal(e.comm, 'cat');
	assert.equal(e.tid, pid);
	assert.equal(e.watch, BgWatchMode.BG_WATCH_READ);
	assert.equal(e.name2, '');
	assert.equal(e.raw2, '');
	assert.equal(e.nameB64, undefined);
	assert.ok(e.cgroupId > 0n);
	assert.ok(Math.abs(e.timeMs - Date.now()) < 10_000);
	const j = fileJson(e);
	assert.equal(j['evt.type'], 'openat');
	assert.equal(j['evt.res'], 'SUCCESS');
	assert.equal(j['evt.failed'], false);
	assert.equal(j['evt.arg.flags'], 'O_RDONLY');
	assert.equal(j['evt.arg.access'], 'O_RDONLY');
	assert.equal(j['fd.name'], '/etc/passwd');
	assert.equal(j['fd.directory'], '/etc');
	assert.equal(j['fd.filename'], 'passwd');
	assert.equal(j['fd.name_raw'], '/etc/passwd');
	assert.equal(j['fd.name_source'], 'file');
	assert.equal(j['fd.num'], 3);
	assert.equal(j['fd.watch'], 'r');
	assert.equal(j['proc.pid'], pid);
	assert.equal(j['proc.name'], 'cat');
	assert.equal(j['user.uid'], 0);
	const st = statSync('/etc/passwd', { bigint: true });
	assert.equal(e.ino, Number(st.ino), 'the opened file\'s inode');
	assert.equal(e.dev, Number(st.dev), 'its file system\'s device as stat() reports it');
	assert.equal(j['fd.ino'], Number(st.ino));
	assert.equal(j['fd.dev'], Number(st.dev));
	// not in the JSON (a container process costs a stat): what rules and trace -o see
	const field = (name: string) => lookupField(name)!.def.extract(CTX.set(e));
	assert.equal(field('fd.on_host'), true);
	assert.equal(field('fd.host_name'), '/etc/passwd');
	assert.ok(kernel.filtered > 0, 'unwatched opens (ld.so.cache, libc) filtered in the kernel');
	assert.equal(kernel.rb_full, 0);
});

test('relative, .., symlink and dirfd opens all report the opened file path', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const link = join(tmpdir(), `bg-x-${process.pid}`);
	symlinkSync('/etc/shadow', link);
	const p: Record<string, number> = {};
	try {
		const { events } = await collect([fileSensor], {}, async () => {
			p.rel = (await run('/bin/cat', ['./passwd'], { cwd: '/etc' })).pid;
			p.dotdot = (await run('/bin/cat', ['/etc/../etc/passwd'])).pid;
			p.link = (await run('/bin/cat', [link])).pid;
			p.dirfd = (await fileops('openat-dir', '/etc', 'shadow')).pid;
		});
		const cases: [string, string, string][] = [
			['rel', '/etc/passwd', './passwd'],
			['dotdot', '/etc/passwd', '/etc/../etc/passwd'],
			['link', '/etc/shadow', link],
			['dirfd', '/etc/shadow', 'shadow'],
		];
		for (const [k, name, raw] of cases) {
			const evs = fileEvents(events, p[k]);
			assert.equal(evs.length, 1, `${k}: one event`);
			assert.equal(evs[0].name, name, k);
			assert.equal(evs[0].raw, raw, k);
			assert.equal(evs[0].nameFromFile, true, k);
			assert.ok(evs[0].ret >= 3, k);
		}
		assert.ok(fileEvents(events, p.dirfd)[0].dirfd >= 3, 'dirfd argument kept');
	} finally {
		rmSync(link, { force: true });
	}
});

test('a non-root read of /etc/shadow gives a failed event with EACCES', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	let pid = 0;
	const { events } = await collect([fileSensor], {}, async () => {
		pid = (await run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/cat', '/etc/shadow'])).pid;
	});
	const evs = fileEvents(events, pid).filter((e) => e.name === '/etc/shadow');
	assert.equal(evs.length, 1);
	const e = evs[0];
	assert.equal(e.ret, -13);
	assert.equal(e.raw, '/etc/shadow');
	assert.equal(e.nameFromFile, false);
	assert.equal(e.flags, 0);
	assert.deepEqual([e.ino, e.dev], [0, 0], 'no file identity for a failed open');
	assert.equal(fileJson(e)['fd.ino'], undefined);
	assert.equal(e.uid, 65534);
	assert.equal(e.gid, 65534);
	assert.equal(e.comm, 'cat');
	const j = fileJson(e);
	assert.equal(j['evt.res'], 'EACCES');
	assert.equal(j['evt.rawres'], -13);
	assert.equal(j['evt.failed'], true);
	assert.equal(j['fd.num'], -1);
	assert.equal(j['fd.name_source'], 'arg');
});

test("python3 open('/etc/passwd','r+') shows O_RDWR (the file is not modified)", async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const { events } = await collect([fileSensor], {}, async () => {
		const r = await run('python3', ['-c', "open('/etc/passwd','r+').close()"]);
		assert.equal(r.code, 0, r.stderr);
	});
	const evs = events.filter((e): e is FileEv => e.kind === 'open' && e.comm.startsWith('python') && e.raw === '/etc/passwd');
	assert.equal(evs.length, 1);
	assert.equal(evs[0].argFlags & 3, 2);
	assert.equal(evs[0].watch, BgWatchMode.BG_WATCH_READ | BgWatchMode.BG_WATCH_WRITE);
	assert.equal(fileJson(evs[0])['evt.arg.flags'], 'O_RDWR|O_CLOEXEC');
});

/** Every change op in dir; returns fileops results by op. */
async function changeOps(dir: string): Promise<Record<string, { pid: number; sys: string; ret: number }>> {
	writeFileSync(join(dir, 'a'), 'x');
	writeFileSync(join(dir, 'c'), 'x');
	mkdirSync(join(dir, 'sub'));
	const r: Record<string, { pid: number; sys: string; ret: number }> = {};
	r.rename = await fileops('rename', join(dir, 'a'), join(dir, 'b'));
	r.unlink = await fileops('unlink', join(dir, 'b'));
	r.chmod = await fileops('chmod', join(dir, 'c'), '4755');
	r.chown = await fileops('chown', join(dir, 'c'), '65534', '65534');
	r.fchmod = await fileops('fchmod', join(dir, 'c'), '2700');
	r.symlink = await fileops('symlink', '/etc/shadow', join(dir, 'l'));
	r.link = await fileops('link', join(dir, 'c'), join(dir, 'h'));
	r.truncate = await fileops('truncate', join(dir, 'h'));
	r.ftruncate = await fileops('ftruncate', join(dir, 'h'));
	r.mkdir = await fileops('mkdir', join(dir, 'd'));
	r.rmdir = await fileops('rmdir', join(dir, 'sub'));
	return r;
}

test('changes in a watched directory give one event each; none in an unwatched one; watch set replaced at run time', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const watched = realpathSync(mkdtempSync(join(tmpdir(), 'bg-watched-')));
	const other = realpathSync(mkdtempSync(join(tmpdir(), 'bg-other-')));
	const events: BgEvent[] = [];
	const rt = SensorRuntime.start([fileSensor], { file: { watch: { paths: [], names: [] } } }, (evs) => events.push(...evs));
	let w: Awaited<ReturnType<typeof changeOps>>;
	let o: Awaited<ReturnType<typeof changeOps>>;
	let before = 0;
	try {
		before = (await fileops('creat', join(watched, 'early'))).pid;
		setFileWatch(rt, { paths: [{ path: `${watched}/` }], names: [] });
		w = await changeOps(watched);
		o = await changeOps(other);
		await sleep(150);
	} finally {
		await rt.stop();
		rmSync(watched, { recursive: true, force: true });
		rmSync(other, { recursive: true, force: true });
	}
	assert.equal(fileEvents(events, before).length, 0, 'nothing before the directory was watched');
	for (const [op, r] of Object.entries(o)) assert.equal(fileEvents(events, r.pid).length, 0, `unwatched ${op}`);
	const one = (op: string) => {
		const evs = fileEvents(events, w[op].pid).filter((e) => e.kind === 'file_change');
		assert.equal(evs.length, 1, `${op}: one event`);
		assert.equal(evs[0].syscall, w[op].sys, op);
		assert.equal(evs[0].ret, 0, op);
		assert.equal(evs[0].comm, 'fileops', op);
		assert.equal(evs[0].watch, BgWatchMode.BG_WATCH_WRITE, op);
		return { e: evs[0], j: fileJson(evs[0]) };
	};
	const rn = one('rename');
	assert.equal(rn.e.name, join(watched, 'a'));
	assert.equal(rn.j['evt.arg.oldpath'], join(watched, 'a'));
	assert.equal(rn.j['evt.arg.newpath'], join(watched, 'b'));
	assert.equal(rn.e.raw2, join(watched, 'b'));
	assert.equal(one('unlink').e.name, join(watched, 'b'));
	const ch = one('chmod');
	assert.equal(ch.e.name, join(watched, 'c'));
	assert.equal(ch.j['evt.arg.mode'], '04755');
	assert.equal(ch.j['evt.arg.setid'], 'setuid');
	const co = one('chown');
	assert.equal(co.j['evt.arg.uid'], 65534);
	assert.equal(co.j['evt.arg.gid'], 65534);
	const fc = one('fchmod');
	assert.equal(fc.e.name, join(watched, 'c'));
	assert.equal(fc.e.nameFromFile, true);
	assert.equal(fc.j['evt.arg.setid'], 'setgid');
	const sl = one('symlink');
	assert.equal(sl.e.name, join(watched, 'l'));
	assert.equal(sl.j['evt.arg.target'], '/etc/shadow');
	assert.equal(one('link').j['evt.arg.newpath'], join(watched, 'h'));
	assert.equal(one('truncate').e.name, join(watched, 'h'));
	assert.equal(one('ftruncate').e.nameFromFile, true);
	assert.equal(one('mkdir').j['evt.arg.mode'], '0750');
	assert.equal(one('rmdir').e.name, join(watched, 'sub'));
});

test('changes through a symlinked directory are named where the kernel made them (issue #14)', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const watched = realpathSync(mkdtempSync(join(tmpdir(), 'bg-real-')));
	const other = realpathSync(mkdtempSync(join(tmpdir(), 'bg-via-')));
	const via = join(other, 'e');
	symlinkSync(watched, via); // ln -s WATCHED OTHER/e: OTHER/e/x is WATCHED/x
	let w: Awaited<ReturnType<typeof changeOps>>;
	let up = { pid: 0, sys: '', ret: 0 };
	let same = { pid: 0, sys: '', ret: 0 };
	let sameUnlink = { pid: 0, sys: '', ret: 0 };
	try {
		const { events } = await collect([fileSensor], { file: { watch: { paths: [{ path: `${watched}/` }], names: [] } } }, async () => {
			w = await changeOps(via);
			// ".." after a symlink: OTHER/e/sub2/.. is WATCHED, lexically OTHER/e
			mkdirSync(join(watched, 'sub2'));
			up = await fileops('rename', join(watched, 'c'), join(via, 'sub2', '..', 'moved'));
			// an object named like the directory the call also updates: that directory is not it
			writeFileSync(join(other, basename(watched)), 'x');
			same = await fileops('rename', join(other, basename(watched)), join(watched, basename(watched)));
			sameUnlink = await fileops('unlink', join(watched, basename(watched)));
		});
		const one = (op: string, r = w[op]) => {
			const evs = fileEvents(events, r.pid).filter((e) => e.kind === 'file_change');
			assert.equal(evs.length, 1, `${op}: one event, got ${evs.map((e) => e.name).join(', ')}`);
			assert.equal(evs[0].syscall, r.sys, op);
			assert.equal(evs[0].ret, 0, op);
			assert.equal(evs[0].watch, BgWatchMode.BG_WATCH_WRITE, op);
			return evs[0];
		};
		const real = BgFileFlag.BG_FF_NAME_REAL;
		const st = (p: string) => statSync(p, { bigint: true });
		const rn = one('rename');
		assert.equal(rn.name, join(watched, 'a'), 'rename: the old name, real');
		assert.equal(rn.name2, join(watched, 'b'), 'rename: the new name, real');
		assert.equal(rn.raw, join(via, 'a'), 'the argument as passed');
		assert.equal(rn.raw2, join(via, 'b'));
		assert.equal(rn.flags, real | BgFileFlag.BG_FF_NAME2_REAL);
		assert.equal(fileJson(rn)['evt.arg.newpath'], join(watched, 'b'));
		const ul = one('unlink');
		assert.equal(ul.name, join(watched, 'b'));
		assert.equal(ul.raw, join(via, 'b'));
		assert.equal(ul.flags, real);
		const ch = one('chmod');
		assert.equal(ch.name, join(watched, 'c'));
		assert.equal(ch.flags, real);
		assert.equal(fileJson(ch)['fd.name_source'], 'kernel');
		assert.equal(one('chown').name, join(watched, 'c'));
		assert.equal(one('fchmod').name, join(watched, 'c'), 'fd calls are named from the file, as before');
		const sl = one('symlink');
		assert.equal(sl.name, join(watched, 'l'));
		assert.equal(sl.raw2, '/etc/shadow', 'the symlink target as passed');
		assert.equal(sl.flags, real);
		assert.equal(sl.ino, Number(lstatSync(join(watched, 'l'), { bigint: true }).ino), 'the created inode (the link itself)');
		const ln = one('link');
		assert.equal(ln.name, join(watched, 'c'));
		assert.equal(ln.name2, join(watched, 'h'), 'link: the new name, real');
		assert.equal(ln.flags, real | BgFileFlag.BG_FF_NAME2_REAL);
		const tr = one('truncate');
		assert.equal(tr.name, join(watched, 'h'), 'truncate of a hard-linked file: the name it was called by');
		assert.equal(tr.ino, Number(st(join(watched, 'h')).ino), 'the truncated inode');
		assert.equal(tr.dev, Number(st(join(watched, 'h')).dev));
		const md = one('mkdir');
		assert.equal(md.name, join(watched, 'd'));
		assert.equal(md.ino, Number(st(join(watched, 'd')).ino));
		assert.equal(fileJson(md)['fd.ino'], Number(st(join(watched, 'd')).ino), 'a change the kernel named has the identity of its file');
		assert.equal(fileJson(md)['fd.dev'], Number(st(join(watched, 'd')).dev));
		assert.equal(one('rmdir').name, join(watched, 'sub'));
		const u = one('rename via ..', up);
		assert.equal(u.name, join(watched, 'c'));
		assert.equal(u.name2, join(watched, 'moved'), '".." after a symlink: the real parent');
		const sm = one('rename to a name like its directory\'s', same);
		assert.deepEqual([sm.name, sm.name2, sm.flags], [join(other, basename(watched)), join(watched, basename(watched)), real | BgFileFlag.BG_FF_NAME2_REAL]);
		const su = one('unlink of a name like its directory\'s', sameUnlink);
		assert.deepEqual([su.name, su.flags], [join(watched, basename(watched)), real]);
	} finally {
		rmSync(watched, { recursive: true, force: true });
		rmSync(other, { recursive: true, force: true });
	}
});

test('a failed relative open is joined to the cwd and reports the errno', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bg-fail-')));
	let pid = 0;
	try {
		const { events } = await collect([fileSensor], { file: { watch: { paths: [{ path: `${dir}/` }], names: [] } } }, async () => {
			pid = (await run('/bin/cat', ['missing'], { cwd: dir })).pid;
		});
		const evs = fileEvents(events, pid);
		assert.equal(evs.length, 1);
		assert.equal(evs[0].name, join(dir, 'missing'));
		assert.equal(evs[0].raw, 'missing');
		assert.equal(evs[0].ret, -2);
		assert.equal(fileJson(evs[0])['evt.res'], 'ENOENT');
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('home .ssh directories and shell rc base names are watched by name', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const home = realpathSync(mkdtempSync(join(tmpdir(), 'bg-home-')));
	mkdirSync(join(home, '.ssh'));
	writeFileSync(join(home, '.ssh', 'id_ed25519'), 'k');
	writeFileSync(join(home, '.bashrc'), 'k');
	writeFileSync(join(home, 'notes'), 'k');
	const p: number[] = [];
	try {
		const { events } = await collect([fileSensor], {}, async () => {
			for (const f of ['.ssh/id_ed25519', '.bashrc', 'notes']) p.push((await run('/bin/cat', [join(home, f)])).pid);
		});
		assert.equal(fileEvents(events, p[0])[0]?.name, join(home, '.ssh', 'id_ed25519'));
		assert.equal(fileEvents(events, p[1])[0]?.name, join(home, '.bashrc'));
		assert.equal(fileEvents(events, p[2]).length, 0, 'an ordinary file is not watched');
	} finally {
		rmSync(home, { recursive: true, force: true });
	}
});

test('paths with spaces, newlines, non-UTF-8 bytes and 4,000 bytes are reported exactly', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bg-odd-')));
	const bad = Buffer.concat([Buffer.from(`${dir}/bad-`), Buffer.from([0xff, 0xfe, 0x41]), Buffer.from('.txt')]);
	let long = dir;
	while (long.length < 3800) long += `/${'d'.repeat(190)}`;
	mkdirSync(long, { recursive: true });
	long += `/${'f'.repeat(4000 - long.length - 1)}`;
	const names: (string | Buffer)[] = [`${dir}/with space`, `${dir}/new\nline`, bad, long];
	try {
		const { events, kernel } = await collect([fileSensor], { file: { all: true, pid: process.pid } }, async () => {
			for (const n of names) closeSync(openSync(n, 'w'));
		});
		const mine = fileEvents(events, process.pid).filter((e) => e.kind === 'open' && e.name.startsWith(dir));
		assert.equal(mine.length, 4, mine.map((e) => e.name).join('\n'));
		assert.equal(mine[0].name, `${dir}/with space`);
		assert.equal(mine[1].name, `${dir}/new\nline`);
		assert.equal(mine[2].name, `${dir}/bad-\\xff\\xfeA.txt`);
		assert.deepEqual(Buffer.from(mine[2].nameB64!, 'base64'), bad);
		assert.deepEqual(Buffer.from(fileJson(mine[2])['fd.name_b64'] as string, 'base64'), bad);
		assert.equal(mine[3].name.length, 4000);
		assert.equal(mine[3].name, long);
		assert.equal(mine[3].raw, long);
		assert.equal(mine[3].nameTruncated, false);
		assert.equal(fileJson(mine[1])['fd.filename'], 'new\nline');
		assert.ok(mine.every((e) => e.nameFromFile && (e.argFlags & 0o1103) === 0o1101), 'O_WRONLY|O_CREAT|O_TRUNC');
		assert.equal(kernel.path_trunc, 0);
		assert.equal(kernel.rb_full, 0);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
});

test('open verdicts are cached, and the cache never hides a file that became watched (new watch set, renamed ancestor)', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'bg-vc-')));
	const plain = join(root, 'plain');
	const watched = join(root, 'watched');
	mkdirSync(plain);
	writeFileSync(join(plain, 'f'), 'x');
	writeFileSync(join(root, 'g'), 'y');
	const events: BgEvent[] = [];
	const rt = SensorRuntime.start([fileSensor], { file: { watch: { paths: [{ path: `${watched}/` }], names: [] } } }, (evs) => events.push(...evs));
	const opened = (path: string) => events.filter((e) => e.kind === 'open' && e.name === path).length;
	let filtered0 = 0;
	let filtered1 = 0;
	try {
		await fileops('open', join(plain, 'f'), '0');
		await fileops('open', join(root, 'g'), '0');
		filtered0 = rt.kernelStats().filtered;
		for (let i = 0; i < 5; i++) await fileops('open', join(plain, 'f'), '0');
		filtered1 = rt.kernelStats().filtered;
		const kgen = () => rt.object('file').mapLookup('bg_watch_gen', Buffer.alloc(4))!.readBigUInt64LE(0);
		const g0 = kgen();
		renameSync(plain, watched); // the ancestor moves under the watched prefix; f's dentry and parent stay
		assert.ok(kgen() - g0 >= 2n, 'verdicts dropped at the rename’s entry and again at its exit');
		assert.equal(rt.object('file').mapLookup('bg_watch_gen', Buffer.from([2, 0, 0, 0]))!.readBigInt64LE(0), 0n, 'no rename in progress after it returned');
		await fileops('open', join(watched, 'f'), '0');
		setFileWatch(rt, { paths: [{ path: `${watched}/` }, { path: join(root, 'g'), exact: true }], names: [] });
		await fileops('open', join(root, 'g'), '0');
		await sleep(150);
	} finally {
		await rt.stop();
		rmSync(root, { recursive: true, force: true });
	}
	assert.equal(opened(join(plain, 'f')), 0, 'unwatched opens stay in the kernel');
	assert.ok(filtered1 - filtered0 >= 5, 'repeated opens are rejected in the kernel');
	assert.equal(opened(join(watched, 'f')), 1, 'after the rename the cached verdict is not used');
	assert.equal(opened(join(root, 'g')), 1, 'after a new watch set the cached verdict is not used');
});

test('a verdict cached by a read never hides the write that follows it (file watched for writes only, opened again and again in one process on one CPU)', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'bg-l0-')));
	const f = join(root, 'f');
	writeFileSync(f, 'x');
	const events: BgEvent[] = [];
	const rt = SensorRuntime.start([fileSensor], { file: { watch: { paths: [{ path: f, exact: true, mode: 'w' }], names: [] } } }, (evs) => events.push(...evs));
	const pids: number[] = [];
	let slotHeld = false;
	// the first CPU this test may run on (the slot is per CPU)
	const cpu = Number(/Cpus_allowed_list:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0);
	const stride = Math.ceil(BG_WATCH_L0.SIZE / 8) * 8;
	try {
		// Three reads (rejected; the verdict lands in this CPU's last-verdict slot), an append, a
		// read; then the slot must name this file (inode number) with the write-only verdict.
		// Another process opening something on that CPU in between overwrites it: up to 5 attempts.
		for (let i = 0; i < 5 && !slotHeld; i++) {
			const r = await run('/usr/bin/taskset', ['-c', String(cpu), '/bin/sh', '-c', ': <"$1"; : <"$1"; : <"$1"; echo y >>"$1"; : <"$1"', 'sh', f]);
			assert.equal(r.code, 0, `taskset: ${r.stderr}`);
			pids.push(r.pid);
			const slot = rt.object('file').mapLookup('bg_watch_l0', Buffer.alloc(4))!.subarray(cpu * stride);
			slotHeld = slot.readBigUInt64LE(BG_WATCH_L0.k + BG_VC_KEY.ino) === statSync(f, { bigint: true }).ino && slot.readBigUInt64LE(BG_WATCH_L0.mode) === BigInt(BgWatchMode.BG_WATCH_WRITE);
		}
		await sleep(150);
	} finally {
		await rt.stop();
		rmSync(root, { recursive: true, force: true });
	}
	const mine = events.filter((e) => e.kind === 'open' && e.name === f);
	assert.equal(mine.length, pids.length, `one event per attempt, the append: ${mine.map((e) => (e.kind === 'open' ? `flags ${e.flags} pid ${e.pid}` : e.kind)).join(', ')}`);
	for (const e of mine) {
		assert.equal(e.kind === 'open' && e.flags & 0o3, 1, 'O_WRONLY');
		assert.ok(pids.includes(e.pid), `pid ${e.pid} is one of the shells`);
	}
	assert.ok(slotHeld, 'the last-verdict slot of CPU 0 held this file, watched for writes only');
});

test('directory verdicts: new files in a clean directory stay in the kernel, yet base names, directory names, byte prefixes and new watch sets still match', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'bg-dc-')));
	const files = ['a', 'b', 'c', 'authorized_keys', 'subway', 'late'];
	mkdirSync(join(root, '.ssh'));
	mkdirSync(join(root, 'deep'));
	for (const f of files) writeFileSync(join(root, f), 'x');
	writeFileSync(join(root, '.ssh', 'k1'), 'x');
	writeFileSync(join(root, '.ssh', 'k2'), 'x');
	writeFileSync(join(root, 'deep', 'x'), 'x');
	const ws = { paths: [{ path: join(root, 'sub') }, { path: join(root, 'deep', 'y'), exact: true }], names: [{ name: 'authorized_keys', where: 'base' as const }, { name: '.ssh', where: 'dir' as const }] };
	const events: BgEvent[] = [];
	const rt = SensorRuntime.start([fileSensor], { file: { watch: ws } }, (evs) => events.push(...evs));
	const opened = (path: string) => events.filter((e) => e.kind === 'open' && e.name === path).length;
	let filtered0 = 0;
	let filtered1 = 0;
	try {
		await fileops('open', join(root, 'a'), '0'); // walked: the directory's verdict is cached
		filtered0 = rt.kernelStats().filtered;
		for (const f of ['b', 'c']) await fileops('open', join(root, f), '0');
		filtered1 = rt.kernelStats().filtered;
		for (const f of ['authorized_keys', 'subway', '.ssh/k1', '.ssh/k2', 'deep/x']) await fileops('open', join(root, f), '0');
		setFileWatch(rt, { ...ws, paths: [...ws.paths, { path: join(root, 'late'), exact: true }] });
		await fileops('open', join(root, 'late'), '0');
		await sleep(150);
	} finally {
		await rt.stop();
		rmSync(root, { recursive: true, force: true });
	}
	for (const f of ['a', 'b', 'c', 'deep/x']) assert.equal(opened(join(root, f)), 0, `${f} is not watched`);
	assert.ok(filtered1 - filtered0 >= 2, 'new files in a clean directory are rejected in the kernel');
	assert.equal(opened(join(root, 'authorized_keys')), 1, 'a watched base name in a clean directory');
	assert.equal(opened(join(root, 'subway')), 1, 'a byte prefix ending in the directory (like /etc/cron)');
	assert.equal(opened(join(root, '.ssh', 'k1')), 1, 'a watched directory name');
	assert.equal(opened(join(root, '.ssh', 'k2')), 1, 'a watched directory name, second file');
	assert.equal(opened(join(root, 'late')), 1, 'after a new watch set the directory verdict is not used');
});

test('a bind mount cannot make a watched file look unwatched (verdicts are per mount)', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'bg-bind-')));
	const watched = join(root, 'watched');
	const alias = join(root, 'alias');
	mkdirSync(watched);
	mkdirSync(alias);
	writeFileSync(join(watched, 'secret'), 'x');
	writeFileSync(join(watched, 'other'), 'x');
	const mount = await run('/bin/mount', ['--bind', watched, alias]);
	assert.equal(mount.code, 0, `mount --bind: ${mount.stderr}`);
	const events: BgEvent[] = [];
	const rt = SensorRuntime.start([fileSensor], { file: { watch: { paths: [{ path: `${watched}/` }], names: [] } } }, (evs) => events.push(...evs));
	const opened = (path: string) => events.filter((e) => e.kind === 'open' && e.name === path).length;
	try {
		await fileops('open', join(alias, 'other'), '0'); // the alias directory's verdict: clean
		await fileops('open', join(alias, 'secret'), '0'); // and this file's, through the alias
		await fileops('open', join(watched, 'secret'), '0');
		await fileops('open', join(watched, 'other'), '0');
		await sleep(150);
	} finally {
		await rt.stop();
		await run('/bin/umount', [alias]);
		rmSync(root, { recursive: true, force: true });
	}
	// the watched directory is also watched by identity (bg_watch_ino): its files are reported
	// under the alias path too, as a container's bind mount of a host directory is
	assert.equal(opened(join(alias, 'other')), 1, 'a file of the watched directory through the alias');
	assert.equal(opened(join(alias, 'secret')), 1, 'the alias path reaches the watched file by identity');
	assert.equal(opened(join(watched, 'secret')), 1, 'the watched path is reported after the alias was opened');
	assert.equal(opened(join(watched, 'other')), 1, 'the watched directory is not taken for the clean alias');
});

test('paths built from arguments are normalised: ../ cannot hide a watched file, ./ failures are matched', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'bg-norm-')));
	const watched = join(root, 'watched');
	const other = join(root, 'other');
	mkdirSync(watched);
	mkdirSync(other);
	writeFileSync(join(watched, 'f'), 'x');
	const events: BgEvent[] = [];
	const rt = SensorRuntime.start([fileSensor], { file: { watch: { paths: [{ path: `${watched}/` }, { path: '/etc/shadow', exact: true }], names: [] } } }, (evs) => events.push(...evs));
	let unlinkPid = 0;
	let catPid = 0;
	try {
		unlinkPid = (await run(FILEOPS, ['unlink', '../watched/./f'], { cwd: other })).pid;
		catPid = (await run('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', '/bin/cat', './shadow'], { cwd: '/etc' })).pid;
		await sleep(150);
	} finally {
		await rt.stop();
		rmSync(root, { recursive: true, force: true });
	}
	const un = events.filter((e): e is FileEv => e.kind === 'file_change' && e.pid === unlinkPid);
	assert.equal(un.length, 1, 'the unlink through .. is reported');
	assert.equal(un[0].name, join(watched, 'f'));
	assert.equal(un[0].raw, '../watched/./f');
	const cat = events.filter((e): e is FileEv => e.kind === 'open' && e.pid === catPid && e.ret < 0);
	assert.equal(cat.length, 1, 'the failed relative open is reported');
	assert.equal(cat[0].name, '/etc/shadow');
	assert.equal(cat[0].ret, -13);
});

test('a path too deep to normalise in the kernel (130 components before its ..) cannot hide a watched file: sent flagged, normalised in user space', async (t) => {
	if (!requireBpf(t, OBJECTS)) return;
	const root = realpathSync(mkdtempSync(join(tmpdir(), 'bg-deep-')));
	const watched = join(root, 'watched');
	mkdirSync(watched);
	writeFileSync(join(watched, 'f'), 'x');
	const depth = 130;
	const deepDir = join(root, ...Array<string>(depth).fill('a'));
	mkdirSync(deepDir, { recursive: true });
	// root/a/a/…/a/../../…/watched/f: more components kept than the kernel normaliser holds.
	const sneaky = `${deepDir}/${'../'.repeat(depth)}watched/f`;
	const events: BgEvent[] = [];
	const rt = SensorRuntime.start([fileSensor], { file: { watch: { paths: [{ path: `${watched}/` }], names: [] } } }, (evs) => events.push(...evs));
	let chmodPid = 0;
	let failPid = 0;
	let plainPid = 0;
	try {
		const r = await run(FILEOPS, ['chmod', sneaky, '4755']);
		assert.equal(r.code, 0, r.stderr);
		chmodPid = r.pid;
		// a failed call changed nothing the kernel could name: its text is what there is
		failPid = (await run(FILEOPS, ['chmod', sneaky.replace(/f$/, 'missing'), '4755'])).pid;
		plainPid = (await run(FILEOPS, ['chmod', `${root}/a/../x-unwatched`, '755'])).pid;
		await sleep(150);
	} finally {
		await rt.stop();
		rmSync(root, { recursive: true, force: true });
	}
	const ch = events.filter((e): e is FileEv => e.kind === 'file_change' && e.pid === chmodPid);
	assert.equal(ch.length, 1, 'the deep chmod of a watched file is reported');
	assert.equal(ch[0].name, join(watched, 'f'));
	assert.equal(ch[0].raw, sneaky);
	assert.equal(ch[0].mode & 0o7777, 0o4755);
	if (hasTracepoints(['inode_set_ctime_to_ts', 'ctime_ns_xchg', 'ctime_xchg_skip'])) assert.equal(ch[0].flags, BgFileFlag.BG_FF_NAME_REAL, 'named by the kernel: no text to normalise');
	else assert.ok(ch[0].flags & BgFileFlag.BG_FF_NAME_DEEP, 'flagged: not normalised in the kernel');
	const fl = events.filter((e): e is FileEv => e.kind === 'file_change' && e.pid === failPid);
	assert.equal(fl.length, 1, 'the failed deep chmod in a watched directory is reported');
	assert.equal(fl[0].ret, -2);
	assert.equal(fl[0].name, join(watched, 'missing'), 'normalised in user space');
	assert.ok(fl[0].flags & BgFileFlag.BG_FF_NAME_DEEP, 'flagged: not normalised in the kernel');
	assert.equal(events.filter((e) => e.pid === plainPid).length, 0, 'a shallow path outside the watch set stays in the kernel');
});
