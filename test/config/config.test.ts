import t from 'tap';
import { ConfigError, loadConfig, seedDemoEnabled } from '../../src/config/config.ts';

t.test('defaults', async (t) => {
  const c = loadConfig({});
  t.match(c, { PORT: 3000, HOST: '127.0.0.1', SIGNER: 'file', TRUST_DIR: './certs/trust', LOG_LEVEL: 'info' });
  t.equal(c.DATABASE_URL, undefined);
  t.equal(seedDemoEnabled(c), true, 'demo seed on the embedded database');
  t.equal(seedDemoEnabled(loadConfig({ DATABASE_URL: 'postgres://x/y' })), false, 'no demo seed on a server');
  t.equal(seedDemoEnabled(loadConfig({ DATABASE_URL: 'postgres://x/y', SEED_DEMO: 'true' })), true);
  t.equal(loadConfig({ PORT: '' }).PORT, 3000, 'an empty variable counts as unset');
});

t.test('one clear message per bad value, all at once', async (t) => {
  const err = t.throws(() =>
    loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SIGNER: 'usb', SEED_DEMO: 'yes', LOG_LEVEL: 'loud' }),
  ) as ConfigError;
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
  t.same(err.problems.map((p) => p.split(':')[0]), ['PKCS11_MODULE', 'PKCS11_TOKEN_LABEL', 'PKCS11_KEY_LABEL', 'PKCS11_PIN']);
  t.doesNotThrow(() =>
    loadConfig({ SIGNER: 'pkcs11', PKCS11_MODULE: '/m.so', PKCS11_TOKEN_LABEL: 't', PKCS11_KEY_LABEL: 'k', PKCS11_PIN_FILE: '/pin' }),
  );
});
