/** @module sinks/config.test: the webhook schema refuses a bearer token in clear text to another host, conflicting token sources and TLS files without https. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebhookConfig } from './config.js';
import { createSinks } from './registry.js';

const base = { spoolDir: '/var/lib/bpfguard/spool' };

function problems(cfg: object): string[] {
	const r = WebhookConfig.safeParse({ ...base, ...cfg });
	return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

test('a bearer token over plain http to a non-loopback host is refused, from any token source', () => {
	for (const tok of [{ token: 't' }, { tokenFile: '/etc/bpfguard/token' }, { tokenEnv: 'BG_TOKEN' }]) {
		for (const url of ['http://alerts.example.com/in', 'http://10.0.0.8:8080/in', 'http://[2001:db8::1]/in', 'http://127.0.0.1.example.com/in']) {
			assert.deepEqual(problems({ url, ...tok }), [
				'url: refuse to send the bearer token over plain http to a non-loopback host: use https, or set allowInsecure: true',
			], `${url} ${JSON.stringify(tok)}`);
		}
	}
});

test('loopback http, https, no token, or allowInsecure: true are accepted', () => {
	for (const url of ['http://127.0.0.1:8080/a', 'http://127.8.9.10/a', 'http://localhost:9/a', 'http://[::1]:8080/a', 'https://alerts.example.com/a']) {
		assert.deepEqual(problems({ url, token: 't' }), [], url);
	}
	assert.deepEqual(problems({ url: 'http://alerts.example.com/in' }), []);
	assert.deepEqual(problems({ url: 'http://alerts.example.com/in', token: 't', allowInsecure: true }), []);
});

test('allowInsecure with a token over plain http: the sink carries a warning for the start banner', () => {
	const sinks = createSinks({ webhook: { ...base, url: 'http://alerts.example.com/in', token: 't', allowInsecure: true } });
	assert.deepEqual(sinks.warnings, [
		'webhook: sends its bearer token in clear text to http://alerts.example.com (allowInsecure: true); use https',
	]);
	assert.deepEqual(createSinks({ webhook: { ...base, url: 'https://alerts.example.com/in', token: 't' } }).warnings, []);
});

test('one token source at most; ca, cert and key only with https; cert and key together; no credentials in the url', () => {
	assert.deepEqual(problems({ url: 'https://a.example/in', token: 't', tokenEnv: 'X' }), ['token: give one of token, tokenFile, tokenEnv']);
	assert.deepEqual(problems({ url: 'http://127.0.0.1/in', ca: '/etc/ca.crt' }), ['ca: ca, cert and key need an https url']);
	assert.deepEqual(problems({ url: 'https://a.example/in', cert: '/etc/c.crt' }), ['cert: cert and key go together (client certificate and its private key)']);
	assert.deepEqual(problems({ url: 'https://a.example/in', ca: '/etc/ca.crt', cert: '/etc/c.crt', key: '/etc/c.key', tokenFile: '/etc/t' }), []);
	assert.deepEqual(problems({ url: 'https://a.example/in', tokenEnv: 'not a name' }), ['tokenEnv: expected an environment variable name']);
	assert.deepEqual(problems({ url: 'https://user:pw@a.example/in' }), ['url: credentials in the url: use token, tokenFile or tokenEnv']);
	assert.deepEqual(problems({ url: 'not a url', token: 't' }), ['url: Invalid url', 'url: expected an http or https url']);
});
