/** @module sinks/spool: a bounded on-disk FIFO of JSON records (segment files + a cursor) that survives restarts. */
import { constants } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

/** How big the spool may grow. */
export interface SpoolOptions {
	/** Bound on the segment files; past it the oldest segment is dropped and its undelivered records counted. */
	maxBytes: number;
	/** Size at which the active segment is sealed (default min(1 MiB, maxBytes/8)). */
	segmentBytes?: number;
	/** Delay before a moved cursor is written to disk (default 200 ms; close() writes it at once). */
	cursorDelayMs?: number;
}

/** Position of the next undelivered record: segment sequence number and record index in it. */
export interface Cursor {
	seq: number;
	line: number;
}

interface Segment {
	seq: number;
	bytes: number;
	records: number;
}

const APPEND = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;
const SEG_RE = /^(\d{16})\.seg$/;
const segName = (seq: number): string => `${String(seq).padStart(16, '0')}.seg`;

// Complete, parseable lines of a segment file (a torn last line after a crash is not a record).
function parseRecords(text: string): { records: string[]; corrupt: number } {
	const lines = text.split('\n');
	lines.pop();
	const records: string[] = [];
	let corrupt = 0;
	for (const l of lines) {
		try {
			JSON.parse(l);
			records.push(l);
		} catch {
			corrupt++;
		}
	}
	return { records, corrupt };
}

/** An append that did not land whole: the first `appended` records are in the spool, the rest are not. */
export class SpoolWriteError extends Error {
	readonly code: string;
	constructor(
		dir: string,
		readonly appended: number,
		cause?: unknown,
	) {
		const code = (cause as { code?: string } | undefined)?.code ?? 'ESHORTWRITE';
		super(`append to spool ${dir}: ${cause instanceof Error ? cause.message : 'short write'}`, { cause });
		this.code = code;
	}
}

// Writes buf until done or the file refuses more; off is how many bytes landed.
async function writeAll(fh: FileHandle, buf: Buffer): Promise<{ off: number; error?: unknown }> {
	let off = 0;
	try {
		while (off < buf.length) {
			const { bytesWritten } = await fh.write(buf, off, buf.length - off);
			if (bytesWritten <= 0) return { off };
			off += bytesWritten;
		}
	} catch (error) {
		return { off, error };
	}
	return { off };
}

// How many of records (each followed by a newline) fit whole in the first `off` bytes, and their length.
function wholeRecords(records: string[], off: number): { n: number; bytes: number } {
	let n = 0;
	let bytes = 0;
	while (n < records.length) {
		const len = Buffer.byteLength(records[n]) + 1;
		if (bytes + len > off) break;
		bytes += len;
		n++;
	}
	return { n, bytes };
}

/**
 * Records are appended to the newest segment and read from the cursor; ack() moves the cursor and deletes
 * consumed segments. Delivery from it is at least once: a crash may replay records acked in the last cursorDelayMs.
 * Every operation is serialized. Directory 0700, files 0600.
 */
export class Spool {
	/** Records dropped because the bound was exceeded or a line was unreadable. */
	dropped = 0;
	/** Undelivered records found on disk at open. */
	recovered = 0;
	private segs: Segment[] = [];
	private cursor: Cursor = { seq: 0, line: 0 };
	private head?: { seq: number; records: string[] };
	private fh?: FileHandle;
	private lock: Promise<unknown> = Promise.resolve();
	private cursorTimer?: NodeJS.Timeout;
	// The active segment may end in a torn record: the next append starts a new segment.
	private torn = false;
	private readonly segmentBytes: number;

	private constructor(
		private readonly dir: string,
		private readonly opts: SpoolOptions,
	) {
		this.segmentBytes = opts.segmentBytes ?? Math.max(4096, Math.min(1 << 20, Math.floor(opts.maxBytes / 8)));
	}

	/** Opens (creating, 0700) the spool in dir and counts what an earlier run left undelivered; refuses a directory others may write. */
	static async open(dir: string, opts: SpoolOptions): Promise<Spool> {
		await mkdir(dir, { recursive: true, mode: 0o700 });
		const st = await stat(dir);
		// Anyone who can write here could plant records that we would forward as alerts.
		const euid = process.geteuid?.();
		const why =
			st.uid !== euid ? `owned by uid ${st.uid}, not this user (uid ${euid}); fix: chown ${euid} ${dir}`
			: (st.mode & 0o022) !== 0 ? `writable by group or others (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')}); fix: chmod 700 ${dir}`
			: undefined;
		if (why) throw Object.assign(new Error(`open spool ${dir}: ${why}`), { code: 'EUNSAFE' });
		const sp = new Spool(dir, opts);
		await sp.load();
		return sp;
	}

	private async load(): Promise<void> {
		try {
			const c = JSON.parse(await readFile(join(this.dir, 'cursor.json'), 'utf8')) as Partial<Cursor>;
			if (Number.isSafeInteger(c.seq) && Number.isSafeInteger(c.line)) this.cursor = { seq: c.seq!, line: c.line! };
		} catch {
			/* no cursor yet: start at the oldest segment */
		}
		const seqs = (await readdir(this.dir)).flatMap((f) => (SEG_RE.test(f) ? [Number(SEG_RE.exec(f)![1])] : [])).sort((a, b) => a - b);
		for (const seq of seqs) {
			if (seq < this.cursor.seq) {
				await rm(join(this.dir, segName(seq)), { force: true });
				continue;
			}
			const text = await readFile(join(this.dir, segName(seq)), 'utf8');
			const { records, corrupt } = parseRecords(text);
			this.dropped += corrupt;
			this.segs.push({ seq, bytes: Buffer.byteLength(text), records: records.length });
		}
		const first = this.segs[0];
		if (first && this.cursor.seq < first.seq) this.cursor = { seq: first.seq, line: 0 };
		if (first) this.cursor.line = Math.min(this.cursor.line, first.records);
		this.recovered = this.pending;
		// Never append after a possibly torn line: new records go to a fresh segment.
		await this.newSegment((seqs.at(-1) ?? this.cursor.seq - 1) + 1);
	}

	private async newSegment(seq: number): Promise<void> {
		await this.fh?.close();
		this.fh = await open(join(this.dir, segName(seq)), APPEND, 0o600);
		this.segs.push({ seq, bytes: 0, records: 0 });
		if (this.segs.length === 1) this.cursor = { seq, line: 0 };
	}

	/** Records not yet acked. */
	get pending(): number {
		let n = 0;
		for (const s of this.segs) n += s.records;
		return n - (this.segs.length > 0 && this.segs[0].seq === this.cursor.seq ? this.cursor.line : 0);
	}

	/** Bytes of segment files on disk. */
	get bytes(): number {
		return this.segs.reduce((a, s) => a + s.bytes, 0);
	}

	private run<T>(fn: () => Promise<T>): Promise<T> {
		const p = this.lock.then(fn);
		this.lock = p.catch(() => {});
		return p;
	}

	/**
	 * Appends records (JSON texts without newlines), then enforces the bound by dropping the oldest segments.
	 * A short write (full disk) keeps the records that landed whole, cuts the torn one off and throws a
	 * SpoolWriteError saying how many were appended; the caller keeps the rest.
	 */
	append(records: string[]): Promise<void> {
		return this.run(async () => {
			if (records.length === 0) return;
			let active = this.segs.at(-1)!;
			if (active.bytes >= this.segmentBytes || this.torn) {
				await this.newSegment(active.seq + 1);
				active = this.segs.at(-1)!;
				this.torn = false;
			}
			const buf = Buffer.from(`${records.join('\n')}\n`);
			const { off, error } = await writeAll(this.fh!, buf);
			const { n, bytes } = wholeRecords(records, off);
			if (bytes < off) {
				// Cut the torn record; if that fails too, seal the segment (a reader drops an unterminated last line).
				await this.fh!.truncate(active.bytes + bytes).catch(() => (this.torn = true));
			}
			active.bytes += bytes;
			active.records += n;
			if (this.head?.seq === active.seq) this.head.records.push(...records.slice(0, n));
			await this.enforceBound();
			if (n < records.length) throw new SpoolWriteError(this.dir, n, error);
		});
	}

	private async enforceBound(): Promise<void> {
		while (this.bytes > this.opts.maxBytes && this.segs.length > 1) {
			const old = this.segs.shift()!;
			this.dropped += old.records - (old.seq === this.cursor.seq ? this.cursor.line : 0);
			await rm(join(this.dir, segName(old.seq)), { force: true });
			if (this.cursor.seq <= old.seq) this.moveCursor({ seq: this.segs[0].seq, line: 0 });
		}
	}

	/** Up to max records from the cursor (one segment at most) and the cursor after them. */
	peek(max: number): Promise<{ records: string[]; end: Cursor }> {
		return this.run(async () => {
			await this.skipConsumed();
			let seg = this.segs[0];
			while (this.head?.seq !== seg.seq) {
				const text = await readFile(join(this.dir, segName(seg.seq)), 'utf8');
				this.head = { seq: seg.seq, records: parseRecords(text).records };
				// Fewer readable records than appended (the file was cut or corrupted): count them lost and move
				// on, so a reader never waits for records that are not there.
				const missing = seg.records - this.head.records.length;
				if (missing > 0) {
					this.dropped += missing;
					seg.records -= missing;
					this.cursor.line = Math.min(this.cursor.line, seg.records);
					await this.skipConsumed();
					seg = this.segs[0];
				}
			}
			const records = this.head.records.slice(this.cursor.line, this.cursor.line + max);
			return { records, end: { seq: seg.seq, line: this.cursor.line + records.length } };
		});
	}

	// Drops fully consumed segments (never the active one) from the front.
	private async skipConsumed(): Promise<void> {
		while (this.segs.length > 1 && this.segs[0].seq === this.cursor.seq && this.cursor.line >= this.segs[0].records) {
			const old = this.segs.shift()!;
			await rm(join(this.dir, segName(old.seq)), { force: true });
			this.moveCursor({ seq: this.segs[0].seq, line: 0 });
		}
	}

	/** Marks records before end as delivered; ignored if the bound already dropped their segment. */
	ack(end: Cursor): Promise<void> {
		return this.run(async () => {
			if (end.seq !== this.cursor.seq || end.line <= this.cursor.line) return;
			this.moveCursor(end);
			await this.skipConsumed();
		});
	}

	private moveCursor(c: Cursor): void {
		this.cursor = c;
		if (this.head && this.head.seq !== c.seq) this.head = undefined;
		if (!this.cursorTimer) {
			// A failed write (full disk) keeps the older cursor on disk: a restart replays, at least once; the next move retries.
			this.cursorTimer = setTimeout(() => void this.run(() => this.saveCursor()).catch(() => {}), this.opts.cursorDelayMs ?? 200);
		}
	}

	private async saveCursor(): Promise<void> {
		clearTimeout(this.cursorTimer);
		this.cursorTimer = undefined;
		const file = join(this.dir, 'cursor.json');
		await writeFile(`${file}.tmp`, JSON.stringify(this.cursor), { mode: 0o600 });
		await rename(`${file}.tmp`, file);
	}

	/** Writes the cursor now. */
	sync(): Promise<void> {
		return this.run(() => this.saveCursor());
	}

	/** Writes the cursor and closes the active segment; the spool stays on disk for the next run. */
	close(): Promise<void> {
		return this.run(async () => {
			try {
				await this.saveCursor();
			} finally {
				await this.fh?.close();
				this.fh = undefined;
			}
		});
	}
}
