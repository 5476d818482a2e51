import { readFileSync } from 'node:fs';

const markers = {
  certificate: /-----BEGIN CERTIFICATE-----/,
  'private key': /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/,
};

/** A PEM file named by `variable`, read once at start-up; what is wrong with it goes into `problems`, naming both. */
export function readPem(variable: string, file: string, kind: keyof typeof markers, problems: string[]): Buffer | undefined {
  try {
    const pem = readFileSync(file);
    if (!markers[kind].test(pem.toString('latin1'))) problems.push(`${variable}: ${file} holds no PEM ${kind}`);
    return pem;
  } catch (error) {
    problems.push(`${variable}: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}
