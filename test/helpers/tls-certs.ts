/** @module test/helpers/tls-certs: a throwaway CA with server and client certificates, and a rogue self-signed server, made with openssl. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A key and certificate: files and their PEM texts. */
export interface KeyPair {
	keyFile: string;
	certFile: string;
	key: string;
	cert: string;
}

/** Everything a TLS test needs, under one directory. */
export interface TestPki {
	/** The CA certificate file (what a sink's `ca` names) and its PEM. */
	caFile: string;
	ca: string;
	/** Signed by the CA, for 127.0.0.1 and localhost. */
	server: KeyPair;
	/** Self-signed for 127.0.0.1 and localhost: the CA did not sign it. */
	rogue: KeyPair;
	/** Signed by the CA for client authentication, CN=bpfguard-test-client. */
	client: KeyPair;
}

const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const SERVER_EXT = ['basicConstraints = CA:FALSE', 'subjectAltName = IP:127.0.0.1, DNS:localhost', 'extendedKeyUsage = serverAuth'];

function openssl(args: string[]): void {
	const r = spawnSync('openssl', args, { encoding: 'utf8' });
	if (r.error || r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.error?.message ?? r.stderr.trim()}`);
}

// One `openssl req -x509` with its own config file (no dependence on the system openssl.cnf).
function makeCert(dir: string, name: string, cn: string, ext: string[], signer?: KeyPair): KeyPair {
	const cnf = join(dir, `${name}.cnf`);
	writeFileSync(cnf, ['[req]', 'distinguished_name = dn', 'prompt = no', 'x509_extensions = ext', '[dn]', `CN = ${cn}`, '[ext]', ...ext, ''].join('\n'));
	const keyFile = join(dir, `${name}.key`);
	const certFile = join(dir, `${name}.crt`);
	const sign = signer ? ['-CA', signer.certFile, '-CAkey', signer.keyFile] : [];
	openssl(['req', '-x509', ...KEY, '-config', cnf, '-keyout', keyFile, '-out', certFile, '-days', '2', ...sign]);
	return { keyFile, certFile, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}

/** Makes the CA, a server and a client certificate signed by it, and a rogue self-signed server certificate in dir. */
export function makePki(dir: string): TestPki {
	const ca = makeCert(dir, 'ca', 'bpfguard test CA', ['basicConstraints = critical, CA:TRUE', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash']);
	return {
		caFile: ca.certFile,
		ca: ca.cert,
		server: makeCert(dir, 'server', '127.0.0.1', SERVER_EXT, ca),
		rogue: makeCert(dir, 'rogue', '127.0.0.1', SERVER_EXT),
		client: makeCert(dir, 'client', 'bpfguard-test-client', ['basicConstraints = CA:FALSE', 'extendedKeyUsage = clientAuth'], ca),
	};
}
