// HTTPS for `serve`: the given certificate, or a self-signed one created once in the data directory.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where the certificate is, for clients that must trust it (NODE_EXTRA_CA_CERTS, browsers). */
  certPath: string;
  /** True when this call created the certificate. */
  created: boolean;
}

/**
 * Loads `certPath`/`keyPath` when given; otherwise the data directory's self-signed certificate,
 * creating it on first use for localhost, 127.0.0.1, ::1, this host's name and `extraNames`.
 */
export async function loadOrCreateCertificate(dataDir: string, options: { certPath?: string; keyPath?: string; extraNames?: string[] } = {}): Promise<TlsMaterial> {
  if (options.certPath || options.keyPath) {
    if (!options.certPath || !options.keyPath) throw new Error('--tls-cert and --tls-key go together');
    return { cert: readFileSync(options.certPath, 'utf8'), key: readFileSync(options.keyPath, 'utf8'), certPath: options.certPath, created: false };
  }
  const dir = join(dataDir, 'tls');
  const certPath = join(dir, 'gatelog-selfsigned.crt');
  const keyPath = join(dir, 'gatelog-selfsigned.key');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8'), certPath, created: false };
  }
  const names = [...new Set(['localhost', hostname(), ...(options.extraNames ?? [])])].filter((n) => !/^[\d.:]+$/.test(n));
  const ips = ['127.0.0.1', '::1', ...(options.extraNames ?? []).filter((n) => /^[\d.:]+$/.test(n))];
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 825 * 86_400_000);
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'Gatelog (self-signed)' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      // A CA flag lets clients trust this one certificate as their own root (NODE_EXTRA_CA_CERTS).
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...names.map((value) => ({ type: 2 as const, value })), ...ips.map((ip) => ({ type: 7 as const, ip }))] },
    ],
  });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyPath, pems.private, { mode: 0o600 });
  writeFileSync(certPath, pems.cert, { mode: 0o644 });
  return { cert: pems.cert, key: pems.private, certPath, created: true };
}
