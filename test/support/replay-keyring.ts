import { Keyring } from '../../crypto/keyring.js';

/**
 * The key the checked-in workflow histories (test/histories) were recorded
 * with. Test-only: it protects nothing but those fixtures.
 */
const key = 'c3dpdGNoYm9hcmQtcmVwbGF5LWZpeHR1cmUta2V5ISE=';
export const replayKeyring = new Keyring({ keys: [{ id: 'replay-fixture', key: Buffer.from(key, 'base64') }] });
/** The same key as an ENCRYPTION_KEYS value, to record histories through a whole system. */
export const replayFixtureKeys = `replay-fixture:${key}`;
