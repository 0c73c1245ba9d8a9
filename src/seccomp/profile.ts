/** @module seccomp/profile: reads and validates an OCI / Docker seccomp JSON profile, with the place of every problem. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { jsonErrorOffset } from './json-where.js';

/** Actions of the OCI runtime spec that bpfguard builds with libseccomp. */
export const ACTIONS = [
	'SCMP_ACT_ALLOW', 'SCMP_ACT_ERRNO', 'SCMP_ACT_KILL', 'SCMP_ACT_KILL_PROCESS', 'SCMP_ACT_KILL_THREAD',
	'SCMP_ACT_TRAP', 'SCMP_ACT_LOG', 'SCMP_ACT_TRACE',
] as const;
/** Argument comparisons, in libseccomp's enum scmp_compare order (SCMP_CMP_NE = 1). */
export const OPS = ['SCMP_CMP_NE', 'SCMP_CMP_LT', 'SCMP_CMP_LE', 'SCMP_CMP_EQ', 'SCMP_CMP_GE', 'SCMP_CMP_GT', 'SCMP_CMP_MASKED_EQ'] as const;
/** Architectures, as the profile names them (SCMP_ARCH_*); libseccomp's token is the lowercased rest. */
export const ARCHES = [
	'SCMP_ARCH_X86', 'SCMP_ARCH_X86_64', 'SCMP_ARCH_X32', 'SCMP_ARCH_ARM', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_MIPS',
	'SCMP_ARCH_MIPS64', 'SCMP_ARCH_MIPS64N32', 'SCMP_ARCH_MIPSEL', 'SCMP_ARCH_MIPSEL64', 'SCMP_ARCH_MIPSEL64N32',
	'SCMP_ARCH_PPC', 'SCMP_ARCH_PPC64', 'SCMP_ARCH_PPC64LE', 'SCMP_ARCH_S390', 'SCMP_ARCH_S390X',
	'SCMP_ARCH_PARISC', 'SCMP_ARCH_PARISC64', 'SCMP_ARCH_RISCV64',
] as const;

export type Action = (typeof ACTIONS)[number];
export type Op = (typeof OPS)[number];
export type Arch = (typeof ARCHES)[number];

const u64 = z.number().int('must be an integer').nonnegative().refine(Number.isSafeInteger, 'must be below 2^53');
const errnoRet = z.number().int().min(0).max(4095);
const enumOf = <T extends readonly [string, ...string[]]>(vals: T, what: string) =>
	z.string().refine((s): s is T[number] => (vals as readonly string[]).includes(s), (s) => ({ message: `unknown ${what} ${JSON.stringify(s)}` }));

const argSchema = z.object({
	index: z.number().int().min(0).max(5),
	value: u64,
	valueTwo: u64.optional(),
	op: enumOf(OPS, 'argument op'),
});
const filterSchema = z.object({
	caps: z.array(z.string()).nullish(),
	arches: z.array(z.string()).nullish(),
	minKernel: z.string().regex(/^\d+\.\d+/, 'must be a kernel version like "4.8"').nullish(),
});
const syscallSchema = z
	.object({
		names: z.array(z.string().regex(/^[a-z0-9_]+$/, 'must be a syscall name')).nullish(),
		name: z.string().regex(/^[a-z0-9_]+$/, 'must be a syscall name').nullish(),
		action: enumOf(ACTIONS, 'action'),
		errnoRet: errnoRet.nullish(),
		args: z.array(argSchema).nullish(),
		includes: filterSchema.nullish(),
		excludes: filterSchema.nullish(),
	})
	.refine((s) => (s.names?.length ?? 0) > 0 || !!s.name, { message: 'needs "names"' });
const profileSchema = z.object({
	defaultAction: enumOf(ACTIONS, 'action'),
	defaultErrnoRet: errnoRet.nullish(),
	architectures: z.array(enumOf(ARCHES, 'architecture')).nullish(),
	archMap: z.array(z.object({ architecture: enumOf(ARCHES, 'architecture'), subArchitectures: z.array(enumOf(ARCHES, 'architecture')).nullish() })).nullish(),
	syscalls: z.array(syscallSchema).nullish(),
});

/** A profile as validated (OCI field names; optional fields may be null or absent). */
export type Profile = z.infer<typeof profileSchema> & { defaultAction: Action };
export type SyscallEntry = z.infer<typeof syscallSchema>;

/** A profile problem: `where` is "file:line:col" for JSON syntax, "file: JSON.path" otherwise. */
export class ProfileError extends Error {
	readonly code = 'EPROFILE';
	constructor(readonly where: string, readonly cause0: string, readonly more = 0) {
		super(`read profile ${where}: ${cause0}${more ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}`);
		this.name = 'ProfileError';
	}
}

/** "syscalls[3].names[2]" from a zod path. */
export function jsonPath(path: readonly (string | number)[]): string {
	let s = '';
	for (const p of path) s += typeof p === 'number' ? `[${p}]` : s ? `.${p}` : p;
	return s || '(top level)';
}

function lineCol(text: string, pos: number): string {
	const before = text.slice(0, pos).split('\n');
	return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** Parses profile text; throws ProfileError naming the first problem's place. */
export function parseProfile(text: string, file: string): Profile {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		const at = jsonErrorOffset(text);
		const pos = at < 0 ? text.length : at;
		const what = pos >= text.length ? 'unexpected end of input' : `unexpected ${JSON.stringify(text[pos])}`;
		throw new ProfileError(`${file}:${lineCol(text, pos)}`, `bad JSON: ${what}`);
	}
	const r = profileSchema.safeParse(raw);
	if (!r.success) {
		const [first, ...rest] = r.error.issues;
		throw new ProfileError(`${file}: ${jsonPath(first.path)}`, first.message.charAt(0).toLowerCase() + first.message.slice(1), rest.length);
	}
	return r.data as Profile;
}

/** Reads and parses a profile file. */
export function loadProfile(file: string): Profile {
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
	} catch (e) {
		throw new ProfileError(file, (e as Error).message.split(',')[0]);
	}
	return parseProfile(text, file);
}
