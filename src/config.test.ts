import { checkServerConfig, ConfigError, loadConfig } from './config.js';

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
    [{ SMTP_URL: 'http://mail.example.org' }, /SMTP_URL/],
    [{ SMTP_URL: 'not a url' }, /SMTP_URL/],
    [{ PUBLIC_URL: 'collegia.example.org' }, /PUBLIC_URL/],
    [{ NOTIFICATION_POLL_MS: '0' }, /NOTIFICATION_POLL_MS/],
    [{ DAILY_JOBS_HOUR: '24' }, /DAILY_JOBS_HOUR/],
  ])('refuses %p naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('sends mail to the local mailbox unless SMTP_URL is set; links point to PUBLIC_URL', () => {
    const local = loadConfig({ DATA_DIR: '/tmp/collegia-data' });
    expect(local.mail).toMatchObject({
      smtpUrl: null,
      dir: '/tmp/collegia-data/mail',
      publicUrl: 'http://localhost:4000',
      worker: true,
      scheduler: true,
    });
    const smtp = loadConfig({
      SMTP_URL: 'smtps://u:p@mail.example.org:465',
      PUBLIC_URL: 'https://collegia.example.org/',
      MAIL_FROM: 'FSD <noreply@fsd.example>',
    });
    expect(smtp.mail).toMatchObject({
      smtpUrl: 'smtps://u:p@mail.example.org:465',
      publicUrl: 'https://collegia.example.org',
      from: 'FSD <noreply@fsd.example>',
    });
    // Tests start the worker and the scheduler themselves.
    expect(loadConfig({ NODE_ENV: 'test' }).mail).toMatchObject({ worker: false, scheduler: false });
  });

  it('refuses to serve in production with mail going nowhere chosen', () => {
    expect(() => checkServerConfig(loadConfig({ NODE_ENV: 'production' }))).toThrow(/SMTP_URL must be set in production/);
    expect(() => checkServerConfig(loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://mail:25' }))).not.toThrow();
    expect(() => checkServerConfig(loadConfig({ NODE_ENV: 'production', MAIL_DIR: '/var/mail/collegia' }))).not.toThrow();
    // An instance that does not deliver (NOTIFICATION_WORKER=false) needs neither.
    expect(() => checkServerConfig(loadConfig({ NODE_ENV: 'production', NOTIFICATION_WORKER: 'false' }))).not.toThrow();
  });
});
