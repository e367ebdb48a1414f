import dns from 'node:dns';
import net from 'node:net';
import { AppError } from '../http/errors.ts';
import { alwaysDeniedReason, deniedReason } from './address-policy.ts';

/**
 * The one gate for connections to addresses a user chose (job posting import; LLM base URLs may
 * follow). Decides on the resolved IP address, never on the host name's text, and hands back the
 * address it checked so that the connection is pinned to it (no second lookup that DNS rebinding
 * could answer differently).
 */
export interface OutboundOptions {
  /** Operator setting (JOBFORGE_ALLOW_PRIVATE_URLS): private and loopback addresses allowed. */
  allowPrivateAddresses?: boolean;
  /**
   * Exact address and port pairs allowed despite the policy. For tests only: the fixture
   * server's own 127.0.0.1 port, never a whole range.
   */
  allowedTargets?: { address: string; port: number }[];
  /** Resolves a host name to its addresses. Tests replace it so that no test asks real DNS. */
  resolve?: (host: string) => Promise<string[]>;
  /** Whole-request deadline, redirects included (default 10 s). */
  timeoutMs?: number;
  /** Largest body accepted, after decompression (default 2 MiB). */
  maxBytes?: number;
  /** Redirects followed, each one checked again (default 5). */
  maxRedirects?: number;
}

export interface CheckedTarget {
  url: URL;
  /** The checked address the connection must use. */
  address: string;
  family: 4 | 6;
  port: number;
}

export const notAllowed = (host: string, why: string) =>
  new AppError(
    400,
    'address_not_allowed',
    `This address is not allowed: ${host} is ${why}. Job Forge only fetches public web pages.`,
  );

const systemResolve = async (host: string): Promise<string[]> => {
  const found = await dns.promises.lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
};

/** Parses and checks a URL, resolves its host and returns the address to connect to. */
export async function checkTarget(
  raw: string | URL,
  opts: OutboundOptions,
): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AppError(400, 'invalid_url', 'That is not a valid web address.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError(
      400,
      'address_not_allowed',
      `This address is not allowed: only http and https pages can be fetched, not ${url.protocol}.`,
    );
  }
  if (url.username || url.password) {
    throw notAllowed(url.host, 'written with a user name or password');
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  // The WHATWG parser has already turned decimal, octal, hex and short IPv4 forms into dotted
  // quads, and IPv6 into its bracketed canonical form.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  if (net.isIP(host)) {
    addresses = [host];
  } else {
    try {
      // "localhost." is "localhost": resolve the name without its root dot.
      addresses = await (opts.resolve ?? systemResolve)(host.replace(/\.$/, ''));
    } catch {
      throw new AppError(
        422,
        'url_unreachable',
        `The page at ${url.href} could not be reached: the name ${host} was not found.`,
      );
    }
    if (addresses.length === 0) {
      throw new AppError(
        422,
        'url_unreachable',
        `The page at ${url.href} could not be reached: the name ${host} has no address.`,
      );
    }
  }
  // Every address the name has must pass: a name with one public and one private address would
  // otherwise be a coin toss away from the private one.
  for (const address of addresses) {
    const excepted = opts.allowedTargets?.some((t) => t.address === address && t.port === port);
    const why = opts.allowPrivateAddresses ? alwaysDeniedReason(address) : deniedReason(address);
    if (why && !excepted) {
      throw notAllowed(host === address ? host : `${host} (${address})`, why);
    }
  }
  const address = addresses[0]!;
  return { url, address, family: net.isIP(address) === 6 ? 6 : 4, port };
}
