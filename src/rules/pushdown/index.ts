/**
 * @module rules/pushdown/index: the one kernel-filter step: from a condition set (the monitor's
 * rules, trace's condition) to the sensors to load and what each reports (watch set, net needs,
 * priv no-op policy). Everything else is filtered in the kernel and never crosses to user space.
 */
import { SENSORS } from '../../sensors/registry.js';
import type { Sensor } from '../../sensors/sensor.js';
import type { SensorFilter } from '../../sensors/options.js';
import { EVT_TYPES } from '../../events/table.js';
import { lookupFieldRef } from '../fields/index.js';
import { neededTypes, type ConditionSet } from './conditions.js';
import { filePushdown, type FilePushdown } from './file.js';
import { netNeedsFor } from './net.js';
import { privNoopRules } from './priv.js';

export { neededTypes, type Condition, type ConditionSet } from './conditions.js';
export { filePushdown, mergeWatch, type FilePushdown } from './file.js';
export { netComms, netNeedsFor } from './net.js';
export { privNoopRules } from './priv.js';

/** The sensors and their kernel filters for a condition set. */
export interface KernelPlan {
	sensors: Sensor[];
	filter: SensorFilter;
	/** The file sensor's part, with the conditions that cost every open (for a warning). */
	file: FilePushdown;
	/** Conditions that can match identity syscalls that changed nothing (the kernel then sends them). */
	privNoop: string[];
}

/** The process sensor always (it feeds the process table), plus every sensor producing a needed evt.type or field. */
export function sensorsFor(cs: ConditionSet | Set<string> | 'any', fields: Iterable<string> = []): Sensor[] {
	const set = cs instanceof Set || cs === 'any' ? undefined : cs;
	const types = set ? neededTypes(set) : (cs as Set<string> | 'any');
	const wanted = new Set<string>(['process']);
	const all = set ? [...fields, ...set.all.filter((r) => r.enabled).flatMap((r) => r.fields)] : [...fields];
	for (const f of all) {
		const s = lookupFieldRef(f)?.def.sensor;
		if (s) wanted.add(s);
	}
	return SENSORS.filter((s) => wanted.has(s.name) || types === 'any' || [...types].some((t) => EVT_TYPES.get(t)?.sensor === s.name));
}

/** The one kernel-filter step: sensors to load and what each must report for these conditions. */
export function kernelPlan(cs: ConditionSet): KernelPlan {
	const file = filePushdown(cs);
	const privNoop = privNoopRules(cs);
	return {
		sensors: sensorsFor(cs),
		file,
		privNoop,
		filter: {
			priv: { noopCalls: privNoop.length > 0, hotChecks: false },
			file: { watch: file.watch, allSyscalls: file.allSyscalls },
			net: { needs: netNeedsFor(cs) },
		},
	};
}
