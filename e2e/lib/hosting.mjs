// The production hosting rules as deploy/template.yaml declares them, for the e2e static server: the
// CloudFront response headers policy (HSTS, CSP with frame-ancestors, nosniff, DENY, no referrer,
// Permissions-Policy, COOP) and the CloudFront Function that answers deep links with index.html, run as
// written. Every browser test thereby runs under the production policy; only the CSP's connect-src is
// pointed at the local sign-in server instead of Cognito's regional endpoint.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ROOT } from './local-server.mjs';

// CloudFormation's short tags (!Sub, !If …) are not YAML the parser knows: their values are read as the
// untagged scalars and lists, which is all that is needed here (a !Sub string keeps its ${…}).
export const template = parse(readFileSync(`${ROOT}/deploy/template.yaml`, 'utf8'), { logLevel: 'silent' });

const policy = template.Resources.SecurityHeaders.Properties.ResponseHeadersPolicyConfig;
const security = policy.SecurityHeadersConfig;

// The template's Content-Security-Policy header, with `${AWS::Region}` as written, without managed
// login's origin (a `!Sub` variable added to connect-src when the stack has a managed-login domain).
const cspSub = security.ContentSecurityPolicy.ContentSecurityPolicy;
export const TEMPLATE_CSP = (Array.isArray(cspSub) ? cspSub[0] : cspSub).replace('${ManagedLoginSource}', '');

// Parses a policy into {directive: [sources]} in order.
export function directives(csp) {
  return Object.fromEntries(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name, sources];
  }));
}

const joinPolicy = (parsed) => Object.entries(parsed).map(([name, sources]) => [name, ...sources].join(' ')).join('; ');

// The header set CloudFront adds to every answer, connect-src pointed at `connectSources`.
export function productionHeaders(connectSources) {
  const csp = directives(TEMPLATE_CSP);
  csp['connect-src'] = ["'self'", ...connectSources];
  const hsts = security.StrictTransportSecurity;
  const headers = {
    'Strict-Transport-Security': `max-age=${hsts.AccessControlMaxAgeSec}${hsts.IncludeSubdomains ? '; includeSubDomains' : ''}${hsts.Preload ? '; preload' : ''}`,
    'Content-Security-Policy': joinPolicy(csp),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': security.FrameOptions.FrameOption,
    'Referrer-Policy': security.ReferrerPolicy.ReferrerPolicy,
  };
  for (const item of policy.CustomHeadersConfig?.Items ?? []) headers[item.Header] = item.Value;
  return headers;
}

// The deep-link function of the distribution, compiled from the template's code.
const functionCode = template.Resources.DeepLinkFunction.Properties.FunctionCode;
// eslint-disable-next-line no-new-func
const handler = new Function(`${functionCode}\nreturn handler;`)();

// The URI CloudFront asks the bucket for, given the one the browser asked for.
export function originUri(uri) {
  return handler({ version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: '127.0.0.1' }, request: { method: 'GET', uri, querystring: {}, headers: {}, cookies: {} } }).uri;
}
