/** @module monitor/sensors-for: which sensors a rule set needs (the evt.type values its rules match and the fields they read). */
import { SENSORS } from '../sensors/registry.js';
import type { Sensor } from '../sensors/sensor.js';
import type { EventKind } from '../events/types.js';
import type { NetNeeds } from '../sensors/net.js';
import { netComms } from '../rules/pushdown.js';
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

/** The network evt.type values some enabled rule evaluates (undefined: a rule takes any type). */
function netTypesFor(rules: RuleSet): string[] | undefined {
	const types = rules.neededTypes();
	if (types === 'any') return undefined;
	return [...types].filter((t) => EVT_TYPES[t]?.startsWith('net_'));
}

/**
 * The network record kinds some enabled rule evaluates (undefined: every kind, when a rule
 * takes any event type). The net sensor drops the others in the kernel.
 */
export function netKindsFor(rules: RuleSet): EventKind[] | undefined {
	const types = netTypesFor(rules);
	return types && kindsOf(types);
}

const kindsOf = (types: readonly string[]): EventKind[] => [...new Set(types.map((t) => EVT_TYPES[t] as EventKind))];

/** What the net sensor must emit for the rules: record kinds and process names. */
export function netNeedsFor(rules: RuleSet): NetNeeds {
	const types = netTypesFor(rules);
	if (!types) return {};
	return { kinds: kindsOf(types), comms: netComms(rules, types) };
}
