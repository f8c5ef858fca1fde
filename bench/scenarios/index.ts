import type { Scenario } from '../scenario.js';
import { clusters } from './clusters.js';

/** Every scenario, in the order `npm run bench` runs them. Add new ones here. */
export const SCENARIOS: readonly Scenario[] = [clusters];
