/** @module util/dns: the query name of a DNS message (display only: it came from user memory). */

const MAX_NAME = 255;

/**
 * The first question's name of a DNS message, labels joined by '.' (bytes as latin1),
 * or null when the bytes are not a query with a well-formed first question.
 */
export function dnsQueryName(b: Buffer): string | null {
	if (b.length < 12 || b[2] & 0x80) return null; // too short, or a response (QR set)
	if (b.readUInt16BE(4) < 1) return null; // QDCOUNT
	const labels: string[] = [];
	let off = 12;
	let total = 0;
	for (;;) {
		if (off >= b.length) return null;
		const len = b[off];
		if (len === 0) break;
		if (len & 0xc0) return null; // compression pointers do not occur in a first question
		if (off + 1 + len > b.length) return null;
		total += len + 1;
		if (total > MAX_NAME) return null;
		labels.push(b.toString('latin1', off + 1, off + 1 + len));
		off += 1 + len;
	}
	if (off + 5 > b.length) return null; // QTYPE and QCLASS must follow
	return labels.length ? labels.join('.') : '.';
}
