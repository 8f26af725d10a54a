import test from 'ava';
import { SettingsView } from '../../../appliance/src/config/settings.ts';

test('layers: defaults < store < env < cli, each value knows its source', (t) => {
  const s = new SettingsView({
    stored: { frameTimeoutMs: 2000, maxConnectionsPerSource: 3, dataDir: '/ignored' },
    env: { INSTANT_ON_MAX_CONN_PER_SOURCE: '5', INSTANT_ON_ANNOUNCE_PORT: '4000' },
    cli: { announcePort: '4001' },
  });
  const src = Object.fromEntries(s.describe().map((d) => [d.key, d.source]));
  t.is(s.get('frameTimeoutMs'), 2000); t.is(src.frameTimeoutMs, 'store');
  t.is(s.get('maxConnectionsPerSource'), 5); t.is(src.maxConnectionsPerSource, 'env');
  t.is(s.get('announcePort'), 4001); t.is(src.announcePort, 'cli');
  t.is(s.get('dataDir'), './data', 'the data dir cannot come from the store it lives in');
  t.is(s.get('deviceHistoryLimit'), 50); t.is(src.deviceHistoryLimit, 'default');
});

test('invalid values are refused with the key and the source', (t) => {
  t.throws(() => new SettingsView({ env: { INSTANT_ON_ANNOUNCE_PORT: 'http' } }), { message: /announcePort \(from env\)/ });
  t.throws(() => new SettingsView({ cli: { webPort: 70000 } }), { message: /webPort \(from cli\)/ });
});

test('API changes: validated, locked when forced by env or cli, booleans parsed', (t) => {
  const s = new SettingsView({ env: { INSTANT_ON_CAPTURE: 'true' } });
  t.throws(() => s.validateChange('captureUnknownFraming', false), { message: /locked: forced by INSTANT_ON_CAPTURE/ });
  t.throws(() => s.validateChange('nope', 1), { message: /unknown setting/ });
  t.throws(() => s.validateChange('frameTimeoutMs', -5), { message: /frameTimeoutMs/ });
  const c = s.validateChange('acceptAnnouncements', 'false');
  t.deepEqual(c, { key: 'acceptAnnouncements', value: false });
  s.apply(c.key, c.value);
  t.false(s.get('acceptAnnouncements'));
});

test('a password inside a URL setting is never shown', (t) => {
  const s = new SettingsView({ env: { INSTANT_ON_MQTT_URL: 'mqtts://branch:s3cret@127.0.0.1:8883' } });
  const d = s.describe().find((x) => x.key === 'mqttUrl')!;
  t.is(d.value, 'mqtts://branch:***@127.0.0.1:8883');
  t.is(s.get('mqttUrl'), 'mqtts://branch:s3cret@127.0.0.1:8883', 'the running value is intact');
  // Over plain mqtt:// a password would cross the network in clear: refused wherever it comes from.
  t.throws(() => new SettingsView({ env: { INSTANT_ON_MQTT_URL: 'mqtt://branch:s3cret@127.0.0.1:1883' } }), { message: /must be mqtts:\/\// });
});
