/**
 * A fusion sends each collège of an absorbed cluster to a collège of the absorbing cluster
 * (`college.successor_id`). What was allocated to a collège (subsidies) follows it: the successor's
 * representatives read it, through any number of successive fusions. History is not rewritten —
 * allocations keep naming the collège they were made to.
 */

/** SQL subquery: the collège `?` and every collège whose members moved into it, directly or through earlier fusions. */
export const COLLEGE_AND_PREDECESSORS = `with recursive lineage(id) as (
    select ?::uuid
    union
    select c.id from college c join lineage l on c.successor_id = l.id
  ) select id from lineage`;

/** SQL subquery: the collèges `seed` selects (one column) and those their members moved to since, through successive fusions. */
export function collegesAndSuccessors(seed: string): string {
  return `with recursive lineage(id) as (
    ${seed}
    union
    select c.successor_id from college c join lineage l on c.id = l.id where c.successor_id is not null
  ) select id from lineage`;
}
