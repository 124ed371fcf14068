import { request as httpRequest, type RequestOptions } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { isIP, type LookupFunction } from 'node:net'
import type { VettedTarget } from './url-guard.js'

/**
 * A `lookup` that answers every host name with the vetted address, so the connection goes where the
 * check looked and nowhere else. Node asks for one address or, when it races address families, for
 * all of them (`options.all`).
 */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all)
      (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [
        { address, family },
      ])
    else callback(null, address, family)
  }
}

/**
 * POSTs `body` to the vetted target, connected to its vetted address only: no second DNS lookup, no
 * redirect followed (a 3xx is just a status), TLS SNI and `Host` still the URL's host name. Answers
 * the HTTP status; rejects on network errors and after `timeoutMs`.
 */
export function postPinned(
  target: VettedTarget,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const { url, address, family } = target
  const hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  const https = url.protocol === 'https:'
  const options: RequestOptions & { servername?: string } = {
    method: 'POST',
    host: hostname,
    port: url.port === '' ? (https ? 443 : 80) : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    lookup: pinnedLookup(address, family),
    // A fresh connection each time: a pooled socket is keyed by host name, not by vetted address.
    agent: false,
    signal: AbortSignal.timeout(timeoutMs),
  }
  // SNI names the host; an IP literal host sends none (RFC 6066 allows only names).
  if (https && isIP(hostname) === 0) options.servername = hostname
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)(options, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.on('error', reject)
    req.end(body)
  })
}
