/** @module util/ip: kernel address bytes (network order) to text. */

/** True when the 16 bytes at off are an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
export function isV4Mapped(buf: Buffer, off: number): boolean {
	for (let i = 0; i < 10; i++) if (buf[off + i] !== 0) return false;
	return buf[off + 10] === 0xff && buf[off + 11] === 0xff;
}

/** Dotted IPv4 from 4 bytes at off. */
export function ipv4ToString(buf: Buffer, off: number): string {
	return `${buf[off]}.${buf[off + 1]}.${buf[off + 2]}.${buf[off + 3]}`;
}

/** RFC 5952 text of the 16-byte IPv6 address at off (longest zero run compressed). */
export function ipv6ToString(buf: Buffer, off: number): string {
	const g: number[] = [];
	for (let i = 0; i < 8; i++) g.push(buf.readUInt16BE(off + i * 2));
	let best = -1;
	let bestLen = 1;
	for (let i = 0; i < 8; ) {
		if (g[i] !== 0) {
			i++;
			continue;
		}
		let j = i;
		while (j < 8 && g[j] === 0) j++;
		if (j - i > bestLen) {
			best = i;
			bestLen = j - i;
		}
		i = j;
	}
	const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
	if (best < 0) return hex(g);
	return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}
