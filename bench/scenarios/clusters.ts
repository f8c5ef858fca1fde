import pg from 'pg';
import { hash } from '../data.js';
import { rawHandler, type Scenario } from '../scenario.js';

/**
 * France Clusters federates about a hundred clusters: one federation and 99 members; the larger
 * size is a federation of a thousand (the same themes and regions, numbered). Inserted in an
 * order unrelated to their names, then `ANALYZE`d.
 */
const SIZES = [100, 1_000];
const THEMES = [
  'Numérique',
  'Cybersécurité',
  'Robotique',
  'Photonique',
  'Images & Réseaux',
  'Logiciel libre',
  'IA',
  'Data',
  'Industrie 4.0',
  'Santé numérique',
  'Fintech',
];
const REGIONS = [
  'Occitanie',
  'Bretagne',
  'Normandie',
  'Grand Est',
  'Hauts-de-France',
  'Île-de-France',
  'Nouvelle-Aquitaine',
  'Auvergne-Rhône-Alpes',
  "Provence-Alpes-Côte d'Azur",
];

function slugify(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

export const clusters: Scenario = {
  name: 'clusters',
  description:
    '{ clusters { name } } over all clusters (1 federation + the others its members), vs `select name from cluster order by name, id`',
  sizes: SIZES,
  sizeUnit: 'clusters',

  async load(databaseUrl, _run, size = SIZES[0]) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ id: string }>(
        `insert into cluster (id, created_at, updated_at, name, slug, kind, status, region)
         values (gen_random_uuid(), now(), now(), 'France Clusters', 'france-clusters', 'FEDERATION', 'ACTIVE', null) returning id`,
      );
      const federationId = rows[0].id;
      const names: string[] = [];
      const slugs: string[] = [];
      const statuses: string[] = [];
      const regions: string[] = [];
      const combinations = THEMES.length * REGIONS.length;
      // Member i, inserted at a place unrelated to its name (a hash of i decides the order).
      const order = Array.from({ length: size - 1 }, (_, i) => i).sort((a, b) => hash(a, 11) - hash(b, 11));
      for (const i of order) {
        const theme = THEMES[i % THEMES.length];
        const region = REGIONS[Math.floor(i / THEMES.length) % REGIONS.length];
        const name = i < combinations ? `${theme} ${region}` : `${theme} ${region} ${Math.floor(i / combinations) + 1}`;
        names.push(name);
        slugs.push(slugify(name));
        // A few dissolved clusters (merged ones below): `clusters` lists them too.
        statuses.push(i % 31 === 12 ? 'DISSOLVED' : 'ACTIVE');
        regions.push(region);
      }
      await client.query(
        `insert into cluster (id, created_at, updated_at, name, slug, kind, status, region, parent_id)
         select gen_random_uuid(), now(), now(), name, slug, 'CLUSTER', status::cluster_status, region, $5
         from unnest($1::text[], $2::text[], $3::text[], $4::text[]) as t(name, slug, status, region)`,
        [names, slugs, statuses, regions, federationId],
      );
      // A merged cluster names its successor (a check constraint): every 23rd merges into the next one.
      const merged = slugs.filter((_, i) => i % 23 === 7);
      const successors = slugs.filter((_, i) => i % 23 === 8);
      await client.query(
        `update cluster c set status = 'MERGED', successor_id = s.id, merged_at = now()
         from unnest($1::text[], $2::text[]) as m(slug, successor_slug)
         join cluster s on s.slug = m.successor_slug
         where c.slug = m.slug`,
        [merged, successors],
      );
      await client.query('commit');
      await client.query('analyze cluster');
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    } finally {
      await client.end();
    }
  },

  graphql: { query: '{ clusters { name } }' },

  raw: {
    method: 'GET',
    path: '/raw/clusters',
    handler: (pool) =>
      rawHandler(async () => {
        // Prepared once per connection (a named statement), as the API may prepare its own.
        const { rows } = await pool.query<{ name: string }>({ name: 'clusters', text: 'select name from cluster order by name, id' });
        return { data: { clusters: rows } };
      }),
  },
};
