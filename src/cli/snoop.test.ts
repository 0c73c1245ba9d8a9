/** @module cli/snoop.test: the shared snoop flags mean and fail the same way in every snoop (parsed before any BPF is loaded). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertOneLineError, bpfguard } from '../../test/helpers/cli.js';

const SNOOPS = ['execsnoop', 'opensnoop', 'privsnoop', 'connsnoop'];

for (const cmd of SNOOPS) {
	test(`${cmd}: -n is a regex with a clean error, -u an unknown user is a clean error, -p a bad pid is a clean error`, () => {
		assertOneLineError(bpfguard([cmd, '-n', '(']), 2, /^error: option '-n, --name <REGEX>' argument '\(' is invalid\. invalid name regex: .*Unterminated group/);
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
