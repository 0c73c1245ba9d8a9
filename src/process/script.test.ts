/** @module process/script.test: which file a shell's arguments name as its script, and the script of an exec event. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptOf, shellScriptArg } from './script.js';
import { execEvent } from '../../test/helpers/rules.js';

test('a shell\'s script argument: the first non-option, past options that take a value; none with -c, -s or no file', () => {
	const cases: [string[], string | undefined][] = [
		[['sh', '/tmp/x.sh', 'a'], '/tmp/x.sh'],
		[['bash', '-e', '-x', 'x.sh'], 'x.sh'],
		[['bash', '--norc', '--rcfile', '/r', '-o', 'pipefail', '+O', 'extglob', 'y.sh'], 'y.sh'],
		[['sh', '--', '-weird.sh'], '-weird.sh'],
		[['sh', '-', 'z.sh'], 'z.sh'],
		[['sh', '-c', '/tmp/x.sh'], undefined],
		[['bash', '-ec', 'true', '/tmp/x.sh'], undefined],
		[['sh', '-s', '/tmp/x.sh'], undefined],
		[['sh'], undefined],
		[['sh', '-i'], undefined],
	];
	for (const [args, want] of cases) assert.equal(shellScriptArg(args), want, args.join(' '));
});

test('scriptOf: the kernel\'s #! filename first (relative from the cwd), else a shell\'s file argument, never a non-shell\'s', () => {
	assert.equal(scriptOf(execEvent({ pid: 1, exe: '/usr/bin/python3', args: ['/usr/bin/python3', './x.py'], script: './x.py', cwd: '/tmp/d' })), '/tmp/d/x.py');
	assert.equal(scriptOf(execEvent({ pid: 1, exe: '/usr/bin/dash', args: ['sh', '../x.sh'], cwd: '/tmp/d' })), '/tmp/x.sh');
	assert.equal(scriptOf(execEvent({ pid: 1, exe: '/usr/bin/bash', args: ['bash', '-c', 'x.sh'] })), '');
	assert.equal(scriptOf(execEvent({ pid: 1, exe: '/usr/bin/python3', args: ['python3', '/tmp/x.py'] })), '');
	assert.equal(scriptOf(execEvent({ pid: 1, exe: '/tmp/sh', args: ['sh', '/tmp/x.sh'] })), '/tmp/x.sh');
});
