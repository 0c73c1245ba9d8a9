/**
 * @module cli/snoop-containers: the snoops' container options (--container ID|NAME, --containers-only, --host-only,
 * --show-container). With any of them a snoop keeps a process table (the process sensor's fork, exec and exit records,
 * seeded from /proc), so a process that exits at once still has its container; without them nothing changes.
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { BgEvent } from '../events/types.js';
import { ProcessTable } from '../process/table.js';
import { listPids } from '../process/procfs.js';
import { EvalCtx } from '../rules/context.js';
import { containerFacts } from '../rules/fields/container.js';
import { metaValue } from '../rules/fields/container-meta.js';
import { containerResolver } from '../container/resolver.js';
import { processSensor } from '../sensors/process.js';
import type { Sensor } from '../sensors/sensor.js';
import type { SensorFilter } from '../sensors/options.js';
import { escapeText } from '../sinks/escape.js';
import { CliError } from './errors.js';

/** The container flags after parsing. */
export interface ContainerFlags {
	/** --container: a container id (full, 12 hex digits or a prefix of at least 4) or name. */
	container?: string;
	containersOnly?: boolean;
	hostOnly?: boolean;
	/** --show-container: a CONTAINER column (its name when known, else its id; host). */
	showContainer?: boolean;
}

const HEX = /^[0-9a-f]{4,64}$/;
/** Width of the CONTAINER column. */
const WIDTH = 16;
/** Running containers asked for their names at start (--container NAME), at most. */
const MAX_NAMED = 64;

function containerArg(v: string): string {
	if (!v || v.length > 253 || /[\s\u0000-\u001f]/.test(v)) throw new InvalidArgumentError(`invalid container '${escapeText(v)}': expected an id or a name`);
	return v;
}

/** Add --container, --containers-only, --host-only and --show-container to a snoop. */
export function containerOptions(cmd: Command): Command {
	return cmd
		.option('--container <ID|NAME>', "only this container's processes: its id (full, 12 hex digits or a prefix) or its name", containerArg)
		.option('--containers-only', 'only processes in containers')
		.option('--host-only', 'only processes on the host (not in a container)')
		.option('--show-container', 'include a CONTAINER column: the container name (or id), host for a host process');
}

/** What a snoop does about containers: the context its JSON and columns read, and the container filter. */
export class SnoopContainers {
	/** Context for every event's fields (JSON lines, the column): with the table when one is kept. */
	readonly ctx: EvalCtx;
	private readonly table?: ProcessTable;
	/** --container NAME: the 12-hex ids found to carry that name. */
	private readonly named = new Set<string>();

	private constructor(private readonly o: ContainerFlags) {
		if (o.containersOnly && o.hostOnly) throw new CliError('--containers-only and --host-only exclude each other', 'bad_flags', 2);
		if (o.container !== undefined || o.containersOnly || o.hostOnly || o.showContainer) {
			this.table = new ProcessTable();
			this.table.seed();
		}
		this.ctx = new EvalCtx(this.table);
	}

	/** The options' state; with --container NAME, the running containers' names are asked for first (at most 1 s). */
	static async create(o: ContainerFlags): Promise<SnoopContainers> {
		const s = new SnoopContainers(o);
		if (o.container !== undefined && !HEX.test(o.container)) await s.findNamed(o.container);
		return s;
	}

	/** The snoop's sensors, with the process sensor for the table when one is kept. */
	sensors(list: Sensor[]): Sensor[] {
		return this.table && !list.includes(processSensor) ? [...list, processSensor] : list;
	}

	/** The snoop's kernel filter, with fork and exit records when a table is kept. */
	filter(f: SensorFilter): SensorFilter {
		return this.table ? { ...f, process: { ...f.process, lifecycle: true } } : f;
	}

	/** Apply a process record to the table (call for every event, before keep()). */
	observe(e: BgEvent): void {
		if (this.table && (e.kind === 'fork' || e.kind === 'exec' || e.kind === 'exit')) this.table.apply(e);
	}

	/** Whether the event passes the container filter; sets ctx to it. */
	keep(e: BgEvent): boolean {
		this.ctx.set(e);
		if (!this.table) return true;
		const o = this.o;
		if (!o.container && !o.containersOnly && !o.hostOnly) return true;
		const id = containerFacts(this.ctx).container;
		if (o.hostOnly) return id.id === 'host';
		if (id.id === 'host' || id.id === '<NA>') return false;
		if (o.containersOnly) return true;
		const want = o.container!;
		if (HEX.test(want) && (id.fullId.startsWith(want) || id.id.startsWith(want.slice(0, 12)))) return true;
		if (this.named.has(id.id) || id.id === want) return true;
		// a container started after the snoop: its name once its metadata came (looked up in the background)
		if (metaValue('container.name', undefined, id.id, false) === want) {
			this.named.add(id.id);
			return true;
		}
		return false;
	}

	/** The CONTAINER header cell (with its separator), or '' without --show-container. */
	header(): string {
		return this.o.showContainer ? `${'CONTAINER'.padEnd(WIDTH)} ` : '';
	}

	/** The event's CONTAINER cell (with its separator; call after keep()), or '' without --show-container. */
	column(): string {
		if (!this.o.showContainer) return '';
		const id = containerFacts(this.ctx).container.id;
		const name = id === 'host' || id === '<NA>' ? id : metaValue('container.name', undefined, id, false);
		const shown = typeof name === 'string' && name && !name.startsWith('<') ? name : id;
		return `${escapeText(shown).padEnd(WIDTH)} `;
	}

	/** --container NAME: ask the runtimes about the containers running now; the ones with that name match. */
	private async findNamed(name: string): Promise<void> {
		const ids = new Set<string>();
		for (const pid of listPids('/proc')) {
			const id = this.table!.containerOf(pid).container.id;
			if (/^[0-9a-f]{12}$/.test(id)) ids.add(id);
			if (ids.size >= MAX_NAMED) break;
		}
		const r = containerResolver();
		const asked = Promise.all([...ids].map(async (id) => {
			const c = await r.resolve(id);
			if (c && 'meta' in c && c.meta.name === name) this.named.add(id);
		}));
		await Promise.race([asked, new Promise((res) => setTimeout(res, 1000).unref())]);
	}
}
