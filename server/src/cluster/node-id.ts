/**
 * This process's name in the cluster. It mirrors the scale-out contract for `NODE_ID` (D1 adds it to
 * config.ts; the integrator then reads it from there): standalone defaults to the hostname, so a
 * restarted single process is recognised as itself; clustered defaults to hostname and pid.
 */
import { hostname } from 'node:os';

/** The node id from `env`: NODE_ID when set, else the contract's default for the run mode. */
export function nodeIdOf(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NODE_ID) return env.NODE_ID;
  const clustered = !!env.REDIS_URL || Number(env.FELT_WORKERS ?? '1') > 1 || env.FELT_CLUSTER_WORKER === '1';
  return clustered ? `${hostname()}-${process.pid}` : hostname();
}
