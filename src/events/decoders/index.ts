/** @module events/decoders/index: every record decoder by kind (one line per domain). */
import type { Decoder, TypePeek } from '../decode.js';
import { PROCESS_DECODERS, PROCESS_KINDS, PROCESS_TYPES } from './process.js';
import { PRIV_DECODERS, PRIV_KINDS, PRIV_TYPES } from './priv.js';
import { FILE_DECODERS, FILE_KINDS, FILE_TYPES } from './file.js';
import { NET_DECODERS, NET_KINDS, NET_TYPES } from './net.js';

/** Record kind → decoder. */
export const DECODERS: ReadonlyMap<number, Decoder> = new Map<number, Decoder>([...PROCESS_DECODERS, ...PRIV_DECODERS, ...FILE_DECODERS, ...NET_DECODERS]);

/** Record kind → its evt.type read without decoding (for the gate in front of the decoders). */
export const TYPE_PEEKS: ReadonlyMap<number, TypePeek> = new Map<number, TypePeek>([...PROCESS_TYPES, ...PRIV_TYPES, ...FILE_TYPES, ...NET_TYPES]);

/** Event kind name ('exec', 'priv_call', …) → record kind number. */
export const KIND_NUMBERS: ReadonlyMap<string, number> = new Map<string, number>([...PROCESS_KINDS, ...PRIV_KINDS, ...FILE_KINDS, ...NET_KINDS].map(([k, n]) => [n, k]));
