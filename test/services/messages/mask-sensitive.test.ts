import { describe, expect, it } from 'vitest';
import { findSensitive, maskSensitive, passesLuhn } from '../../../services/messages/mask-sensitive.js';

describe('masking card numbers and SSNs in consumer text', () => {
  it('masks a Luhn-valid card number, keeping the last four digits', () => {
    expect(maskSensitive('my card is 4111111111111111 thanks')).toEqual({
      text: 'my card is ************1111 thanks',
      masked: { cards: 1, ssns: 0 },
    });
  });

  it('masks card numbers written with spaces or dashes, keeping the layout', () => {
    expect(maskSensitive('4111 1111 1111 1111').text).toBe('**** **** **** 1111');
    expect(maskSensitive('5500-0000-0000-0004').text).toBe('****-****-****-0004');
    expect(maskSensitive('amex 3782 822463 10005').text).toBe('amex **** ****** *0005');
  });

  it('leaves digit runs that fail the Luhn check alone (order numbers, phone numbers)', () => {
    expect(maskSensitive('order 4111111111111112 and call +14155550123').text).toBe('order 4111111111111112 and call +14155550123');
  });

  it('leaves runs shorter than 13 or longer than 19 digits alone', () => {
    expect(maskSensitive('code 424242424242').text).toBe('code 424242424242');
    expect(maskSensitive('id 42424242424242424242424').text).toBe('id 42424242424242424242424');
  });

  it('masks SSN-like patterns entirely', () => {
    expect(maskSensitive('ssn 123-45-6789 or 123 45 6789').text).toBe('ssn ***-**-**** or *** ** ****');
  });

  it('masks SSN-like patterns with dots, mixed separators and full-width digits', () => {
    expect(maskSensitive('123.45.6789').text).toBe('***.**.****');
    expect(maskSensitive('123-45 6789').text).toBe('***-** ****');
    expect(maskSensitive('１２３－４５－６７８９').text).toBe('***－**－****');
  });

  it('leaves nine digits without separators and phone-shaped groups alone', () => {
    expect(maskSensitive('account 123456789, call 415 555 0123').text).toBe('account 123456789, call 415 555 0123');
  });

  it('masks several numbers in one message and counts them', () => {
    const result = maskSensitive('4111111111111111, 5555555555554444 and 078-05-1120');
    expect(result.text).toBe('************1111, ************4444 and ***-**-****');
    expect(result.masked).toEqual({ cards: 2, ssns: 1 });
  });

  it('masks card numbers separated by dots, several spaces or mixed separators', () => {
    expect(maskSensitive('4111.1111.1111.1111').text).toBe('****.****.****.1111');
    expect(maskSensitive('4111  1111   1111 1111').text).toBe('****  ****   **** 1111');
    expect(maskSensitive('4111-1111 1111.1111').text).toBe('****-**** ****.1111');
    expect(maskSensitive('4111 - 1111 - 1111 - 1111').text).toBe('**** - **** - **** - 1111');
  });

  it('masks card numbers written in full-width digits (U+FF10–U+FF19)', () => {
    expect(maskSensitive('カード４１１１１１１１１１１１１１１１です')).toEqual({ text: 'カード************１１１１です', masked: { cards: 1, ssns: 0 } });
    expect(maskSensitive('４１１１ １１１１ １１１１ １１１１').text).toBe('**** **** **** １１１１');
  });

  it('finds a card number next to other digit groups or glued to letters', () => {
    expect(maskSensitive('call 555 4111 1111 1111 1111').text).toBe('call 555 **** **** **** 1111');
    expect(maskSensitive('CARD4111111111111111x').text).toBe('CARD************1111x');
  });

  it('reads + and at most 15 digits as an E.164 phone number, even when Luhn-valid', () => {
    expect(passesLuhn('4479111234565') && passesLuhn('861391234567890')).toBe(true);
    expect(maskSensitive('call +4479111234565 or +861391234567890').text).toBe('call +4479111234565 or +861391234567890');
    expect(maskSensitive('+4111111111111111').text).toBe('+************1111');
  });

  it('findSensitive counts without changing anything', () => {
    expect(findSensitive('pay with 4111 1111 1111 1111, ssn 078-05-1120')).toEqual({ cards: 1, ssns: 1 });
    expect(findSensitive('order 4111111111111112, call +14155550123 at 10.30')).toEqual({ cards: 0, ssns: 0 });
  });

  it('implements Luhn', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
  });
});
