/** @module util/ip.test: address text for IPv4, IPv6 and IPv4-mapped bytes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isV4Mapped, ipv4ToString, ipv6ToString } from './ip.js';

const v6 = (hex: string) => Buffer.from(hex, 'hex');

test('ipv6 text compresses the longest zero run (RFC 5952)', () => {
	assert.equal(ipv6ToString(v6('00000000000000000000000000000001'), 0), '::1');
	assert.equal(ipv6ToString(v6('00000000000000000000000000000000'), 0), '::');
	assert.equal(ipv6ToString(v6('20010db8000000000001000000000001'), 0), '2001:db8::1:0:0:1');
	assert.equal(ipv6ToString(v6('fe800000000000000000000000000001'), 0), 'fe80::1');
	assert.equal(ipv6ToString(v6('20010db8000100020003000400050006'), 0), '2001:db8:1:2:3:4:5:6');
	assert.equal(ipv6ToString(v6('20010db8000000010001000100010001'), 0), '2001:db8:0:1:1:1:1:1');
});

test('ipv4 and v4-mapped detection', () => {
	const b = v6('00000000000000000000ffff7f000001');
	assert.equal(isV4Mapped(b, 0), true);
	assert.equal(ipv4ToString(b, 12), '127.0.0.1');
	assert.equal(isV4Mapped(v6('00000000000000000000000000000001'), 0), false);
	assert.equal(isV4Mapped(v6('00000000000000000000fffe7f000001'), 0), false);
});
