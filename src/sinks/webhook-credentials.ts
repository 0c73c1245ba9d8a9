/** @module sinks/webhook-credentials: the webhook's bearer token (inline, file or environment) and TLS files, read once at start and checked. */
import { readFile } from 'node:fs/promises';
import { secretProblem, trustProblem } from '../util/file-trust.js';
import { SinkError, errorCode } from './errors.js';
import type { TlsMaterial } from './http-post.js';

/** Where the token and TLS files come from (file paths; at most one token source). */
export interface CredentialSources {
	token?: string;
	tokenFile?: string;
	tokenEnv?: string;
	ca?: string;
	cert?: string;
	key?: string;
}

// A header value: visible ASCII only (no space, CR or LF that would split or forge headers).
const TOKEN_RE = /^[\x21-\x7e]+$/;

function fail(what: string, cause: string, code = 'EUNSAFE'): never {
	throw new SinkError(`read webhook ${what}: ${cause}`, code, 'webhook');
}

// Reads a file after its check: secret (not readable by others) or trusted (not writable by others).
async function readChecked(what: string, file: string, secret: boolean): Promise<string> {
	const unsafe = secret ? secretProblem(file) : trustProblem(file);
	if (unsafe) fail(`${what} ${file}`, unsafe);
	try {
		return await readFile(file, 'utf8');
	} catch (e) {
		return fail(`${what} ${file}`, errorCode(e), errorCode(e));
	}
}

/** The bearer token, if any: inline, from tokenFile (trailing newline dropped) or from the variable tokenEnv. */
export async function readToken(s: CredentialSources): Promise<string | undefined> {
	let token = s.token;
	if (s.tokenFile !== undefined) token = (await readChecked('tokenFile', s.tokenFile, true)).trim();
	if (s.tokenEnv !== undefined) {
		token = process.env[s.tokenEnv];
		if (!token) fail(`tokenEnv ${s.tokenEnv}`, 'not set or empty', 'ENOTOKEN');
	}
	if (token !== undefined && !TOKEN_RE.test(token)) fail('token', 'empty, or holds spaces or control characters', 'EBADTOKEN');
	return token;
}

/** The PEM texts of ca, cert (not writable by others) and key (not readable by others). */
export async function readTls(s: CredentialSources): Promise<TlsMaterial> {
	const tls: TlsMaterial = {};
	if (s.ca !== undefined) tls.ca = await readChecked('ca', s.ca, false);
	if (s.cert !== undefined) tls.cert = await readChecked('cert', s.cert, false);
	if (s.key !== undefined) tls.key = await readChecked('key', s.key, true);
	return tls;
}
