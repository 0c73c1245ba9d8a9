/** @module cli/snoop.test: the shared snoop flags mean and fail the same way in every snoop (parsed before any BPF is loaded). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from 'commander';
import { assertOneLineError, bpfguard } from '../../test/helpers/cli.js';
import { hostile, withoutBacktracking } from '../../test/helpers/no-backtracking.js';
import { regexFlag } from './snoop.js';

const SNOOPS = ['execsnoop', 'opensnoop', 'privsnoop', 'connsnoop'];

for (const cmd of SNOOPS) {
	test(`${cmd}: -n is a regex with a clean error, -u an unknown user is a clean error, -p a bad pid is a clean error`, () => {
		assertOneLineError(bpfguard([cmd, '-n', '(']), 2, /^error: option '-n, --name <REGEX>' argument '\(' is invalid\. invalid name regex: missing \): \($/);
		assertOneLineError(bpfguard([cmd, '-u', 'no-such-user-xyz']), 2, /^error: option '-u, --uid <UID>' argument 'no-such-user-xyz' is invalid\. unknown user 'no-such-user-xyz'$/);
		assertOneLineError(bpfguard([cmd, '-p', 'abc']), 2, /invalid PID 'abc'/);
	});

	test(`${cmd}: --help lists the shared flags with one meaning`, () => {
		const r = bpfguard([cmd, '--help']);
		assert.equal(r.status, 0, r.stderr);
		const help = r.stdout.replace(/\s+/g, ' ');
		assert.match(help, /-p, --pid <PID> only this process and its descendants \(decided in the kernel\)/);
		assert.match(help, /-n, --name <REGEX> only processes whose name \(comm\) matches REGEX/);
		for (const f of ['-u, --uid <UID>', '--json', '--duration <SECONDS>', '--stats']) assert.ok(help.includes(f), `${cmd} has ${f}`);
	});
}

test('-n and -l (matched against comm and argv) use the linear engine: backtracking patterns are refused, nested quantifiers are fast', () => {
	const refused = (flag: string, v: string, re: RegExp) =>
		assert.throws(() => regexFlag(flag)(v), (e: unknown) => e instanceof InvalidArgumentError && re.test(e.message), v);
	refused('line', '(\\w+) \\1', /^invalid line regex: backreferences are not supported \(RE2 syntax\): \\1$/);
	refused('name', '^(?!sshd)', /^invalid name regex: lookaround is not supported \(RE2 syntax\): \(\?!$/);
	const line = regexFlag('line')('(a+)+$');
	assert.equal(withoutBacktracking(() => line.test(hostile())), false);
	assert.equal(withoutBacktracking(() => line.test(hostile(4096, 'a'))), true);
	assert.equal(withoutBacktracking(() => regexFlag('name')('^ba.h$').test('bash')), true);
});
