import t from 'tap';
import { ConfigError, loadConfig, seedDemoEnabled } from '../../src/config/config.ts';

t.test('defaults', async (t) => {
  const c = loadConfig({});
  t.match(c, { PORT: 3000, HOST: '127.0.0.1', SIGNER: 'file', NODE_ENV: 'development', TRUST_DIR: 'data/trust', TRUST_PROXY: false, LOG_LEVEL: 'info' });
  t.equal(c.trustDirIsDefault, true);
  t.equal(loadConfig({ DATA_DIR: '/srv/receipts' }).TRUST_DIR, '/srv/receipts/trust', 'the trust store follows the data directory');
  t.match(loadConfig({ TRUST_DIR: '/etc/receipts/trust' }), { TRUST_DIR: '/etc/receipts/trust', trustDirIsDefault: false });
  t.equal(c.DATABASE_URL, undefined);
  t.equal(seedDemoEnabled(c), true, 'demo seed on the embedded database');
  t.equal(seedDemoEnabled(loadConfig({ DATABASE_URL: 'postgres://x/y' })), false, 'no demo seed on a server');
  t.equal(seedDemoEnabled(loadConfig({ DATABASE_URL: 'postgres://x/y', SEED_DEMO: 'true' })), true);
  t.equal(loadConfig({ PORT: '' }).PORT, 3000, 'an empty variable counts as unset');
});

t.test('one clear message per bad value, all at once', async (t) => {
  const err = t.throws(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SIGNER: 'usb', SEED_DEMO: 'yes', LOG_LEVEL: 'loud' })) as ConfigError;
  t.ok(err instanceof ConfigError);
  t.equal(err.problems.length, 5);
  t.match(err.problems[0], /^PORT="eighty": /);
  t.match(err.message, /DATABASE_URL="mysql:\/\/x": must be a postgres:\/\/ URL/);
  t.match(err.message, /SIGNER="usb": /);
  t.match(err.message, /SEED_DEMO="yes": /);
  t.match(err.message, /LOG_LEVEL="loud": /);
});

t.test('the PKCS#11 signer needs its module, labels and a PIN', async (t) => {
  const err = t.throws(() => loadConfig({ SIGNER: 'pkcs11' })) as ConfigError;
  t.same(
    err.problems.map((p) => p.split(':')[0]),
    ['PKCS11_MODULE', 'PKCS11_TOKEN_LABEL', 'PKCS11_KEY_LABEL', 'PKCS11_PIN'],
  );
  t.doesNotThrow(() => loadConfig({ SIGNER: 'pkcs11', PKCS11_MODULE: '/m.so', PKCS11_TOKEN_LABEL: 't', PKCS11_KEY_LABEL: 'k', PKCS11_PIN_FILE: '/pin' }));
});

t.test('production: PUBLIC_URL and a real signer are required', async (t) => {
  const err = t.throws(() => loadConfig({ NODE_ENV: 'production' })) as ConfigError;
  t.same(err.problems, [
    'PUBLIC_URL: is required when NODE_ENV=production',
    'SIGNING_KEY_FILE: is required when NODE_ENV=production (the development signer is refused)',
    'SIGNING_CERT_FILE: is required when NODE_ENV=production (the development signer is refused)',
  ]);
  t.doesNotThrow(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://bienlai.example.vn', SIGNING_KEY_FILE: '/k', SIGNING_CERT_FILE: '/c' }));
  const trustAll = t.throws(() =>
    loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://bienlai.example.vn', SIGNING_KEY_FILE: '/k', SIGNING_CERT_FILE: '/c', TRUST_PROXY: 'true' }),
  ) as ConfigError;
  t.match(trustAll.message, 'TRUST_PROXY="true": true is refused when NODE_ENV=production: name the proxies (IPs/CIDRs) or their hop count');
  t.doesNotThrow(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://bienlai.example.vn', SIGNING_KEY_FILE: '/k', SIGNING_CERT_FILE: '/c', TRUST_PROXY: '10.0.0.0/8' }));
  const shifted = t.throws(() =>
    loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://bienlai.example.vn', SIGNING_KEY_FILE: '/k', SIGNING_CERT_FILE: '/c', DEMO_CLOCK_START: '2026-11-25T23:59:00+07:00' }),
  ) as ConfigError;
  t.match(shifted.message, 'DEMO_CLOCK_START="2026-11-25T23:59:00+07:00": is refused when NODE_ENV=production: documents are dated by the real clock');
  t.equal(loadConfig({ DEMO_CLOCK_START: '2026-11-25T23:59:00+07:00' }).DEMO_CLOCK_START, '2026-11-25T23:59:00+07:00', 'in development it is taken');
  const noOffset = t.throws(() => loadConfig({ DEMO_CLOCK_START: '2026-11-25T23:59:00' })) as ConfigError;
  t.match(noOffset.message, 'DEMO_CLOCK_START');
  t.doesNotThrow(() =>
    loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://bienlai.example.vn', SIGNER: 'pkcs11', PKCS11_MODULE: '/m.so', PKCS11_TOKEN_LABEL: 't', PKCS11_KEY_LABEL: 'k', PKCS11_PIN: '1' }),
  );
  t.match((t.throws(() => loadConfig({ NODE_ENV: 'staging' })) as ConfigError).problems[0], /^NODE_ENV="staging": /);
});

t.test('TRUST_PROXY: off, on, hops, or addresses', async (t) => {
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY, true);
  t.equal(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY, 2);
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.5, 192.168.0.0/16,::1' }).TRUST_PROXY, ['10.0.0.5', '192.168.0.0/16', '::1']);
  for (const bad of ['yes', '10.0.0.300', '10.0.0.0/33', 'proxy.local']) {
    const err = t.throws(() => loadConfig({ TRUST_PROXY: bad })) as ConfigError;
    t.match(err.problems[0], new RegExp(`^TRUST_PROXY="${bad.replace(/\./g, '\\.')}": must be false, true, a hop count, or IP addresses/CIDR ranges`), bad);
  }
});

t.test('.env in the working directory is read; the environment wins over it', async (t) => {
  const { environment } = await import('../../src/config/config.ts');
  const { tempDir } = await import('../helpers/temp.ts');
  const { writeFile } = await import('node:fs/promises');
  const dir = await tempDir(t, 'receipts-env-');
  t.same(environment(dir, { PORT: '4000' }), { PORT: '4000' }, 'no .env: the environment as it is');
  await writeFile(`${dir}/.env`, '# the center\nPORT=3100\nTAX_TRANSPORT=off\nPUBLIC_URL="https://bienlai.example.vn"\n');
  const env = environment(dir, { PORT: '4000' });
  t.same(env, { PORT: '4000', TAX_TRANSPORT: 'off', PUBLIC_URL: 'https://bienlai.example.vn' });
  const config = loadConfig(env);
  t.equal(config.PORT, 4000);
  t.equal(config.TAX_TRANSPORT, 'off');
  t.equal(config.PUBLIC_URL, 'https://bienlai.example.vn');
  await writeFile(`${dir}/.env`, 'PORT=not-a-port\n');
  const bad = t.throws(() => loadConfig(environment(dir, {}))) as ConfigError;
  t.match(bad.message, 'PORT="not-a-port"', 'a bad value in .env is named like one in the environment');
});
