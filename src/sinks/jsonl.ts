/** @module sinks/jsonl: JSON-lines audit file (0600) with size-based rotation and batched writes. */
import { constants } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Alert } from '../alerts/alert.js';
import type { Sink, SinkStats } from './sink.js';
import { SinkError, errorCode } from './errors.js';

/** Where and how the JSON-lines sink writes. */
export interface JsonlOptions {
	path: string;
	/** Rotate before a write would take the file past this size (a single larger line still goes in). */
	maxBytes?: number;
	/** Rotated files kept: path.1 (newest) … path.keep; 0 keeps none. */
	keep?: number;
	/** Also record log-action matches (default true: this is the audit log). */
	logs?: boolean;
	/** fsync on flush, rotation and close. */
	fsync?: boolean;
	/** Longest time a line waits in memory (default 100 ms); 64 KiB pending writes at once. */
	flushIntervalMs?: number;
	/** Lines waiting past this many bytes (disk stalled) are dropped and counted. Default 16 MiB. */
	maxPendingBytes?: number;
}

const BATCH_BYTES = 64 * 1024;
const APPEND = constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW;

/** Appends one JSON object per line; write() only buffers, a timer or 64 KiB moves lines to disk. */
export class JsonlSink implements Sink {
	readonly name = 'jsonl';
	readonly acceptsLogs: boolean;
	private readonly path: string;
	private readonly maxBytes: number;
	private readonly keep: number;
	private readonly fsync: boolean;
	private readonly interval: number;
	private readonly maxPending: number;
	private readonly s: SinkStats = { written: 0, failed: 0, dropped: 0, queued: 0 };
	private fh?: FileHandle;
	private size = 0;
	// File length to cut back to before the next write: a torn line whose truncate failed.
	private torn?: number;
	private lines: string[] = [];
	private sizes: number[] = [];
	private pendingBytes = 0;
	private timer?: NodeJS.Timeout;
	private running?: Promise<void>;
	private closing?: Promise<void>;

	constructor(opts: JsonlOptions) {
		this.path = opts.path;
		this.maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
		this.keep = opts.keep ?? 5;
		this.acceptsLogs = opts.logs ?? true;
		this.fsync = opts.fsync ?? false;
		this.interval = opts.flushIntervalMs ?? 100;
		this.maxPending = opts.maxPendingBytes ?? 16 * 1024 * 1024;
	}

	/** Creates the directory (0700) if missing and opens the file (0600). */
	async start(): Promise<void> {
		try {
			await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
			await this.open();
		} catch (e) {
			throw new SinkError(`open jsonl file ${this.path}: ${(e as Error).message}`, errorCode(e), this.name);
		}
	}

	private async open(): Promise<void> {
		const fh = await open(this.path, APPEND, 0o600); // O_NOFOLLOW: never append through a planted symlink
		await fh.chmod(0o600);
		this.size = (await fh.stat()).size;
		this.fh = fh;
	}

	write(a: Alert): void {
		const line = `${JSON.stringify(a)}\n`;
		const n = Buffer.byteLength(line);
		if (this.closing || this.pendingBytes + n > this.maxPending) {
			this.s.dropped++;
			return;
		}
		this.lines.push(line);
		this.sizes.push(n);
		this.pendingBytes += n;
		this.s.queued++;
		if (this.pendingBytes >= BATCH_BYTES) void this.kick();
		else if (!this.timer) {
			this.timer = setTimeout(() => void this.kick(), this.interval);
		}
	}

	private kick(): Promise<void> {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.running ??= this.drain().finally(() => (this.running = undefined));
		return this.running;
	}

	private async drain(): Promise<void> {
		while (this.lines.length > 0) {
			const lines = this.lines;
			const sizes = this.sizes;
			this.lines = [];
			this.sizes = [];
			this.pendingBytes = 0;
			const done = await this.writeLines(lines, sizes);
			if (done < lines.length) {
				this.s.failed++;
				this.s.dropped += lines.length - done;
				this.s.queued -= lines.length - done;
			}
		}
	}

	// Writes lines in chunks that fit the current file, rotating between; returns how many are whole on disk.
	private async writeLines(lines: string[], sizes: number[]): Promise<number> {
		let i = 0;
		try {
			if (!this.fh) await this.open();
			while (i < lines.length) {
				if (this.size > 0 && this.size + sizes[i] > this.maxBytes) await this.rotate();
				let j = i + 1;
				let bytes = sizes[i];
				while (j < lines.length && this.size + bytes + sizes[j] <= this.maxBytes) bytes += sizes[j++];
				const whole = await this.writeChunk(Buffer.from(lines.slice(i, j).join('')), sizes, i, j);
				this.s.written += whole;
				this.s.queued -= whole;
				i += whole;
				if (i < j) break;
			}
		} catch {
			await this.fh?.close().catch(() => {});
			this.fh = undefined;
		}
		return i;
	}

	// One chunk of lines i..j: write() may take fewer bytes than asked (a full disk takes what fits, then ENOSPC).
	// A torn last line is cut off again, so the file only ever holds whole lines; returns the lines whole on disk.
	private async writeChunk(buf: Buffer, sizes: number[], i: number, j: number): Promise<number> {
		const fh = this.fh!;
		if (this.torn !== undefined) {
			await fh.truncate(this.torn);
			this.size = this.torn;
			this.torn = undefined;
		}
		let off = 0;
		try {
			while (off < buf.length) {
				const { bytesWritten } = await fh.write(buf, off, buf.length - off);
				if (bytesWritten <= 0) break;
				off += bytesWritten;
			}
		} catch {
			/* ENOSPC, EIO…: what landed is measured below */
		}
		let whole = 0;
		let bytes = 0;
		while (i + whole < j && bytes + sizes[i + whole] <= off) bytes += sizes[i + whole++];
		if (bytes < off) {
			// O_APPEND: the file ends at size + off; cut the torn line (retried before the next write if this fails).
			this.torn = this.size + bytes;
			await fh.truncate(this.torn).then(() => (this.torn = undefined), () => {});
		}
		this.size += bytes;
		return whole;
	}

	private async rotate(): Promise<void> {
		if (this.torn !== undefined) await this.fh!.truncate(this.torn);
		this.torn = undefined;
		if (this.fsync) await this.fh!.sync();
		await this.fh!.close();
		this.fh = undefined;
		if (this.keep === 0) await rm(this.path, { force: true });
		else {
			for (let i = this.keep - 1; i >= 1; i--) await renameIfExists(`${this.path}.${i}`, `${this.path}.${i + 1}`);
			await rename(this.path, `${this.path}.1`);
		}
		await this.open();
	}

	/** Writes every buffered line (and fsyncs when configured). */
	async flush(): Promise<void> {
		for (let i = 0; i < 1000 && (this.lines.length > 0 || this.running); i++) await this.kick();
		if (this.fsync) await this.fh?.sync().catch(() => void this.s.failed++);
	}

	async close(): Promise<void> {
		this.closing ??= (async () => {
			await this.flush();
			await this.fh?.close().catch(() => void this.s.failed++);
			this.fh = undefined;
		})();
		return this.closing;
	}

	stats(): SinkStats {
		return { ...this.s };
	}
}

async function renameIfExists(from: string, to: string): Promise<void> {
	try {
		await rename(from, to);
	} catch (e) {
		if (errorCode(e) !== 'ENOENT') throw e;
	}
}
