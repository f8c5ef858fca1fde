import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to development on the embedded database, migrating and seeding, introspection and explorer on', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      env: 'development',
      port: 4000,
      databaseUrl: undefined,
      migrateOnStart: true,
      seedDemo: true,
      introspection: true,
      explorer: true,
      corsOrigins: [],
    });
    expect(config.dataDir).toMatch(/\.data$/);
  });

  it('in production turns introspection and the explorer off and never seeds, even on the embedded database', () => {
    const config = loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'true' });
    expect(config).toMatchObject({ introspection: false, explorer: false, seedDemo: false, migrateOnStart: true });
    expect(loadConfig({ NODE_ENV: 'production', GRAPHQL_INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('listens on loopback only outside production, on every interface in production, on HOST when set', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'test' }).host).toBe('127.0.0.1');
    expect(loadConfig({ NODE_ENV: 'production' }).host).toBe('0.0.0.0');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ NODE_ENV: 'production', HOST: '10.1.2.3' }).host).toBe('10.1.2.3');
  });

  it('with DATABASE_URL migrates at start only when asked', () => {
    const url = 'postgresql://u:p@db:5432/collegia';
    expect(loadConfig({ DATABASE_URL: url }).migrateOnStart).toBe(false);
    expect(loadConfig({ DATABASE_URL: url, MIGRATE_ON_START: 'true' }).migrateOnStart).toBe(true);
  });

  it('parses the CORS allow-list and the embedded port', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example,', EMBEDDED_PG_PORT: '54329' });
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.embeddedPgPort).toBe(54329);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ MIGRATE_ON_START: 'maybe' }, /MIGRATE_ON_START/],
    [{ GRAPHQL_MAX_DEPTH: '1' }, /GRAPHQL_MAX_DEPTH/],
  ])('refuses %p naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
