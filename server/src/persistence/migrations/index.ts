/**
 * Every migration, in order. Listed explicitly (not globbed) so that the same list works under tsx,
 * jest and compiled JavaScript.
 */
import { CreatePlayer1763769600000 } from './1763769600000-create-player';

export const MIGRATIONS = [CreatePlayer1763769600000];
