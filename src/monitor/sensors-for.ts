/** @module monitor/sensors-for: which sensors a rule set needs (the evt.type values its rules match and the fields they read). */
import { SENSORS } from '../sensors/registry.js';
import type { Sensor } from '../sensors/sensor.js';
import { EVT_TYPES } from '../rules/event-view.js';
import { lookupFieldRef } from '../rules/fields/index.js';
import type { RuleSet } from '../rules/ruleset.js';

/** The process sensor always (it feeds the process table), plus every sensor producing a needed type or field. */
export function sensorsFor(rules: RuleSet | Set<string> | 'any', fields: Iterable<string> = []): Sensor[] {
	const types = rules instanceof Set || rules === 'any' ? rules : rules.neededTypes();
	const wanted = new Set<string>(['process']);
	const all = rules instanceof Set || rules === 'any' ? [...fields] : [...fields, ...rules.all.filter((r) => r.enabled).flatMap((r) => r.fields)];
	for (const f of all) {
		const s = lookupFieldRef(f)?.def.sensor;
		if (s) wanted.add(s);
	}
	return SENSORS.filter((s) => {
		if (wanted.has(s.name) || types === 'any') return true;
		return [...types].some((t) => s.kinds.includes(EVT_TYPES[t] as never));
	});
}
