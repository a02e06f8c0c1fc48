/** The runtime's options and small pieces that need none of its state (src/notebook/runtime.ts). */
import type { Connector } from '../db/connector';
import type { TsRunner } from './ts-api';
import type { Unit } from './kinds';

/** A connector that can abort the running query (the browser one restarts its worker). */
export type CancellableConnector = Connector & { cancel?: () => Promise<void> };

export const NAME_RE = /^[\p{L}_][\p{L}\p{N}_]*$/u;

export interface RuntimeOptions {
  /** Whether any cell may run: a notebook opened from a file holds every cell until trusted. */
  trusted?: boolean;
  onChange?: (id: string) => void;
  /** How TS cells run: in this process (default; Node), through a sandbox runner (browser), or refused. */
  ts?: 'in-process' | 'refuse' | TsRunner;
  /** The message on a TS cell when `ts` is 'refuse'. */
  tsRefusal?: string;
}

export const paramUnitId = (name: string) => `param:${name}`;

export class CancelledError extends Error {}

export function unitSignature(u: Unit): string {
  return JSON.stringify([u.kind, u.name, u.cell?.source, u.cell?.attrs, u.def]);
}
