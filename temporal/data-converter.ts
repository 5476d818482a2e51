import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import type { Keyring } from '../crypto/keyring.js';
import { EncryptionCodec } from './encryption-codec.js';

const failureConverterPath = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));

/**
 * The one data converter of Switchboard: the worker, every client and the codec
 * server use it, so nothing leaves a process unencrypted into Temporal.
 */
export function createDataConverter(keyring: Keyring): DataConverter {
  return {
    payloadCodecs: [new EncryptionCodec(keyring)],
    failureConverterPath,
  };
}
