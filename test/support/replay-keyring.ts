import { Keyring } from '../../crypto/keyring.js';

/**
 * The key the checked-in workflow histories (test/histories) were recorded
 * with. Test-only: it protects nothing but those fixtures.
 */
export const replayKeyring = new Keyring({
  keys: [{ id: 'replay-fixture', key: Buffer.from('c3dpdGNoYm9hcmQtcmVwbGF5LWZpeHR1cmUta2V5ISE=', 'base64') }],
});
