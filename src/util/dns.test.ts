/** @module util/dns.test: query names from DNS messages, and refusals of what is not a query. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnsQueryName } from './dns.js';

function query(name: string, flags = 0x0100): Buffer {
	const hdr = Buffer.alloc(12);
	hdr.writeUInt16BE(0x1234, 0);
	hdr.writeUInt16BE(flags, 2);
	hdr.writeUInt16BE(1, 4);
	const parts = name === '.' ? [] : name.split('.');
	const q = Buffer.concat([...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p, 'latin1')])), Buffer.from([0, 0, 1, 0, 1])]);
	return Buffer.concat([hdr, q]);
}

test('the first question name of a query', () => {
	assert.equal(dnsQueryName(query('www.example.com')), 'www.example.com');
	assert.equal(dnsQueryName(query('.')), '.');
});

test('not a query: too short, a response, truncated, pointer, over 255 bytes', () => {
	assert.equal(dnsQueryName(Buffer.alloc(5)), null);
	assert.equal(dnsQueryName(query('a.example', 0x8180)), null);
	assert.equal(dnsQueryName(query('www.example.com').subarray(0, 20)), null);
	const ptr = query('a');
	ptr[12] = 0xc0;
	assert.equal(dnsQueryName(ptr), null);
	assert.equal(dnsQueryName(query(Array.from({ length: 5 }, () => 'x'.repeat(60)).join('.'))), null);
});
