/** @module process/users.test: names from passwd and group files, unknown ids, reload on change at most once a second. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserDb } from './users.js';

const PASSWD = [
	'root:x:0:0:root:/root:/bin/bash',
	'# a comment:x:5:5',
	'alice:x:1000:1000:Alice:/home/alice:/bin/sh',
	'broken line',
	'badid:x:abc:1::/:/bin/false',
	'alias:x:1000:1000::/:/bin/sh',
	'',
].join('\n');
const GROUP = ['root:x:0:', 'wheel:x:10:alice', 'staff:x:50:'].join('\n');

function fixture(): { dir: string; passwd: string; group: string } {
	const dir = mkdtempSync(join(tmpdir(), 'bg-users-'));
	const passwd = join(dir, 'passwd');
	const group = join(dir, 'group');
	writeFileSync(passwd, PASSWD);
	writeFileSync(group, GROUP);
	return { dir, passwd, group };
}

test('user and group names by id; unknown ids give the number; odd lines are skipped', (t) => {
	const f = fixture();
	t.after(() => rmSync(f.dir, { recursive: true, force: true }));
	const db = new UserDb({ passwd: f.passwd, group: f.group });
	assert.equal(db.userName(0), 'root');
	assert.equal(db.userName(1000), 'alice', 'the first line of an id wins');
	assert.equal(db.userName(5), '5', 'comment lines are not users');
	assert.equal(db.userName(4242), '4242');
	assert.equal(db.userName(-1), '-1');
	assert.equal(db.groupName(10), 'wheel');
	assert.equal(db.groupName(50), 'staff');
	assert.equal(db.groupName(1000), '1000');
});

test('a changed file is reloaded, but checked at most once per second', (t) => {
	const f = fixture();
	t.after(() => rmSync(f.dir, { recursive: true, force: true }));
	let now = 10_000;
	const db = new UserDb({ passwd: f.passwd, group: f.group, now: () => now });
	assert.equal(db.userName(1000), 'alice');
	assert.equal(db.groupName(60), '60');
	writeFileSync(f.passwd, 'root:x:0:0::/:/bin/sh\nbob:x:1000:1000::/:/bin/sh\n');
	writeFileSync(f.group, `${GROUP}\nops:x:60:\n`);
	utimesSync(f.passwd, new Date(2_000_000_000_000), new Date(2_000_000_000_000));
	utimesSync(f.group, new Date(2_000_000_000_000), new Date(2_000_000_000_000));
	now += 999;
	assert.equal(db.userName(1000), 'alice', 'not checked again within a second');
	assert.equal(db.groupName(60), '60');
	now += 1;
	assert.equal(db.userName(1000), 'bob', 'reloaded after a second');
	assert.equal(db.groupName(60), 'ops');
	assert.equal(db.userName(0), 'root');
});

test('a missing file gives numbers until it appears', (t) => {
	const dir = mkdtempSync(join(tmpdir(), 'bg-users-'));
	t.after(() => rmSync(dir, { recursive: true, force: true }));
	let now = 0;
	const db = new UserDb({ passwd: join(dir, 'passwd'), group: join(dir, 'group'), now: () => now });
	assert.equal(db.userName(0), '0');
	assert.equal(db.groupName(0), '0');
	writeFileSync(join(dir, 'passwd'), PASSWD);
	now += 1000;
	assert.equal(db.userName(0), 'root');
	rmSync(join(dir, 'passwd'));
	now += 1000;
	assert.equal(db.userName(0), '0', 'a removed file forgets its names');
});
