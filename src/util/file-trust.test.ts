/** @module util/file-trust.test: who may own or write a file the monitor (root) reads: modes, owners, user private groups, sticky directories, secrets. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from './paths.js';
import { secretProblem, trustPolicy, trustProblem, type TrustPolicy } from './file-trust.js';
import { requireRoot } from '../../test/helpers/bpf.js';

const dir = mkdtempSync(join(tmpdir(), 'bg-trust-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const AS_ROOT: TrustPolicy = { checkOwner: true, owners: new Set([0, 1000]) };

function made(name: string, mode: number, uid = 0, gid = 0): string {
	const p = join(dir, name);
	writeFileSync(p, 'x\n');
	chmodSync(p, mode);
	chownSync(p, uid, gid);
	return p;
}

test('the default rules of the repository pass (git checks out 0644, or 0664 under umask 002, owned by whoever cloned)', () => {
	assert.equal(trustProblem(repoPath('rules')), undefined);
});

test('world-writable is refused; group-writable only when the group is root\'s or the owner\'s private group (gid = uid)', (t) => {
	if (!requireRoot(t)) return; // chown needs root
	assert.match(trustProblem(made('w', 0o646), AS_ROOT) ?? '', /^writable by others \(mode 0646\); fix: chmod go-w /);
	assert.equal(trustProblem(made('g0', 0o664, 0, 0), AS_ROOT), undefined);
	assert.equal(trustProblem(made('upg', 0o664, 1000, 1000), AS_ROOT), undefined, 'umask 002 clone by user 1000 (group 1000)');
	assert.match(trustProblem(made('shared', 0o664, 1000, 100), AS_ROOT) ?? '', /^writable by group 100 \(mode 0664\); fix: chmod go-w /);
	assert.equal(trustProblem(made('ro', 0o444, 1000, 100), AS_ROOT), undefined);
});

test('as root, the owner must be root or a trusted user (the invoking user, the owner of the install); not checked otherwise', (t) => {
	if (!requireRoot(t)) return; // chown needs root
	const p = made('other', 0o644, 2000, 2000);
	assert.match(trustProblem(p, AS_ROOT) ?? '', /^owned by uid 2000, not root or the invoking user; fix: chown root /);
	assert.equal(trustProblem(p, { checkOwner: false, owners: new Set([0]) }), undefined);
	assert.equal(trustProblem(made('mine', 0o644, 1000, 1000), AS_ROOT), undefined);
	assert.ok(trustPolicy({ SUDO_UID: '1234' }).owners.has(1234));
	assert.ok(!trustPolicy({ SUDO_UID: '12ab' }).owners.has(12));
	assert.ok(trustPolicy({}).owners.has(0));
	assert.ok(trustPolicy({}).owners.has(statSync(repoPath('package.json')).uid), 'the owner of the install');
});

test('the directory holding a file: writable by others is refused unless sticky (others cannot replace the file)', (t) => {
	if (!requireRoot(t)) return; // chown needs root
	const d = join(dir, 'd');
	mkdirSync(d);
	const p = join(d, 'f');
	writeFileSync(p, 'x\n');
	chmodSync(d, 0o777);
	assert.equal(trustProblem(p, AS_ROOT), `directory ${d} is writable by others (mode 0777); fix: chmod go-w ${d}`);
	chmodSync(d, 0o1777);
	assert.equal(trustProblem(p, AS_ROOT), undefined);
	assert.equal(trustProblem(d, AS_ROOT), `directory ${d} is writable by others (mode 1777); fix: chmod go-w ${d}`, 'a listed directory: sticky does not stop new files');
	assert.equal(trustProblem(join(d, 'missing')), undefined, 'a missing file is left to the reader (ENOENT)');
});

test('a secret (token file, client key) must not be readable by group or others, and passes the same owner checks', (t) => {
	if (!requireRoot(t)) return; // chown needs root
	assert.match(secretProblem(made('s1', 0o640), AS_ROOT) ?? '', /^readable by group or others \(mode 0640\); fix: chmod 600 /);
	assert.match(secretProblem(made('s2', 0o604), AS_ROOT) ?? '', /^readable by group or others/);
	assert.match(secretProblem(made('s3', 0o600, 2000, 0), AS_ROOT) ?? '', /^owned by uid 2000/);
	assert.equal(secretProblem(made('s4', 0o600), AS_ROOT), undefined);
	assert.equal(secretProblem(made('s5', 0o400, 1000, 1000), AS_ROOT), undefined);
});
