/**
 * Where the token signing secret comes from. Production sets TOKEN_SECRET; a developer who does not
 * gets a random secret generated once into $FELT_DATA_DIR/token-secret, so that tokens survive a
 * restart of `npm start` without anyone having to invent a secret.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

/** Size of a generated secret. */
export const GENERATED_SECRET_BYTES = 48;
/** File name of the generated secret inside FELT_DATA_DIR. */
export const TOKEN_SECRET_FILE = 'token-secret';

/** The parts of the configuration this module reads. */
export interface TokenSecretConfig {
  TOKEN_SECRET?: string | undefined;
  FELT_DATA_DIR: string;
}

/** Returns the signing key: TOKEN_SECRET when set, otherwise the generated file (created on first use). */
export function resolveTokenSecret(config: TokenSecretConfig, logger?: Logger): Buffer {
  if (config.TOKEN_SECRET) return Buffer.from(config.TOKEN_SECRET, 'utf8');
  const file = path.join(config.FELT_DATA_DIR, TOKEN_SECRET_FILE);
  const existing = readSecretFile(file, logger);
  if (existing) return existing;
  mkdirSync(config.FELT_DATA_DIR, { recursive: true });
  const secret = randomBytes(GENERATED_SECRET_BYTES);
  try {
    // 'wx' fails if another process created the file meanwhile; then that process's secret wins.
    writeFileSync(file, secret.toString('base64url') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const raced = readSecretFile(file, logger);
    if (raced) return raced;
    throw new Error(`${file} exists but does not hold a usable secret; delete it to generate a new one`, { cause: error });
  }
  logger?.warn({ file }, 'TOKEN_SECRET unset: generated a development token secret');
  return secret;
}

function readSecretFile(file: string, logger?: Logger): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const secret = Buffer.from(text, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(text) || secret.length < 32) {
    throw new Error(`${file} does not hold a usable secret; delete it to generate a new one`);
  }
  // A secret readable by other users is a secret shared with them; tighten it rather than refuse to start.
  if ((statSync(file).mode & 0o077) !== 0) {
    chmodSync(file, 0o600);
    logger?.warn({ file }, 'token secret file was readable by others; mode set to 0600');
  }
  return secret;
}
