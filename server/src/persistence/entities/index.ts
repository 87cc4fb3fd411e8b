/** Every entity, registered with the DataSource. */
import { PlayerEntity } from './player.entity';

export const ENTITIES = [PlayerEntity];
