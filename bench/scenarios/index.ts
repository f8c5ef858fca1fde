import type { Scenario } from '../scenario.js';
import { clusters } from './clusters.js';
import { members } from './members.js';
import { treasury } from './treasury.js';
import { vote } from './vote.js';

/** Every scenario, in the order `npm run bench` runs them. Add new ones here. */
export const SCENARIOS: readonly Scenario[] = [clusters, members, treasury, vote];
