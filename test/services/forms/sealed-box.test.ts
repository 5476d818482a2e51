import { describe, expect, it } from 'vitest';
import { openAnswers, requesterKeys, sealAnswers } from '../../../services/forms/off-record/sealed-box.js';

const answers = { cvv: '731' };

describe('off-the-record answers sealed for one requester', () => {
  it('open with the key pair they were sealed for', () => {
    const keys = requesterKeys();
    const sealed = sealAnswers(answers, { formId: 'form-1', requesterPublicKey: keys.publicKey });
    expect(openAnswers(sealed, { formId: 'form-1', keys })).toEqual(answers);
  });

  it('carry no value in the clear', () => {
    const sealed = sealAnswers({ cvv: '987654' }, { formId: 'form-1', requesterPublicKey: requesterKeys().publicKey });
    expect(JSON.stringify(sealed)).not.toContain('987654');
    expect(Buffer.from(sealed.ciphertext, 'base64').toString('latin1')).not.toContain('987654');
  });

  it('do not open with any other key pair', () => {
    const sealed = sealAnswers(answers, { formId: 'form-1', requesterPublicKey: requesterKeys().publicKey });
    expect(() => openAnswers(sealed, { formId: 'form-1', keys: requesterKeys() })).toThrow();
  });

  it('do not open as the answers of another form', () => {
    const keys = requesterKeys();
    const sealed = sealAnswers(answers, { formId: 'form-1', requesterPublicKey: keys.publicKey });
    expect(() => openAnswers(sealed, { formId: 'form-2', keys })).toThrow();
  });

  it('do not open once altered', () => {
    const keys = requesterKeys();
    const sealed = sealAnswers(answers, { formId: 'form-1', requesterPublicKey: keys.publicKey });
    const bytes = Buffer.from(sealed.ciphertext, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    expect(() => openAnswers({ ...sealed, ciphertext: bytes.toString('base64') }, { formId: 'form-1', keys })).toThrow();
  });
});
