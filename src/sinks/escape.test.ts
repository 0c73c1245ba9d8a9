/** @module sinks/escape.test: escaping of event data for human output. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeText, formatArg } from './escape.js';

test('newlines, tabs, ESC and other controls are escaped', () => {
	assert.equal(escapeText('a\nb\tc\r\u001b[31m\u0000\u007f'), 'a\\nb\\tc\\r\\e[31m\\x00\\x7f');
});

test('bidi overrides and line separators are escaped', () => {
	assert.equal(escapeText('x\u202ey\u2028z\u2066'), 'x\\u202ey\\u2028z\\u2066');
});

test('plain text and non-ASCII letters are unchanged', () => {
	assert.equal(escapeText('/etc/passwd'), '/etc/passwd');
	assert.equal(escapeText('héllo 中文'), 'héllo 中文');
});

test('formatArg quotes and escapes quotes on request', () => {
	assert.equal(formatArg('b c', true), '"b c"');
	assert.equal(formatArg('say "hi"', true), '"say \\"hi\\""');
	assert.equal(formatArg('a\nb', false), 'a\\nb');
});
