// A serverless plugin for `serverless offline` only (listed after it in serverless.yml), so the
// local server answers as API Gateway does where serverless-offline decides otherwise:
//
// - CORS is the API's (KELPIE_ALLOWED_ORIGINS, never credentials), as API Gateway leaves it to the
//   function when no `provider.httpApi.cors` is set. serverless-offline adds its own answer then:
//   any Origin echoed with `allow-credentials: true`, preflights rewritten to 200. That hook is the
//   one onPreResponse extension of its HTTP server whose source sets
//   `access-control-allow-credentials`; it is not registered.
// - A body sent without a Content-Type reaches the function without one (serverless-offline fills
//   in `application/json`, so the API read it as JSON). HTTP lets a recipient take such a body as
//   `application/octet-stream` (RFC 9110, 8.3), which is what the function is told, and it answers 415.
//
// test/integration/offline.test.ts holds both answers (and fails if an upgrade moves the hook).
'use strict';

const path = require('node:path');

/** Whether `method` is serverless-offline's CORS extension (the only one that sets credentials). */
function isOfflineCors(event, method) {
  return event === 'onPreResponse' && typeof method === 'function' && String(method).includes('access-control-allow-credentials');
}

/** Names the type of a body that came without one, before serverless-offline would call it JSON. */
function typeUntypedBody(request, h) {
  const headers = request.headers;
  const hasBody = Number(headers['content-length'] ?? 0) > 0 || headers['transfer-encoding'] !== undefined;
  if (hasBody && !headers['content-type']) {
    // Both forms: hapi reads `headers`, serverless-offline builds the event from `rawHeaders`.
    headers['content-type'] = 'application/octet-stream';
    request.raw.req.rawHeaders.push('content-type', 'application/octet-stream');
  }
  return h.continue;
}

/** Patches the prototype of hapi's server (the copy serverless-offline loads), once. */
function patchOfflineServer() {
  const offline = path.join(__dirname, '..', 'node_modules', 'serverless-offline');
  const hapi = require(require.resolve('@hapi/hapi', { paths: [offline] }));
  const prototype = Object.getPrototypeOf(hapi.server({ autoListen: false }));
  if (prototype.ext.kelpieEdge) return;
  const ext = prototype.ext;
  prototype.ext = function kelpieExt(event, method, options) {
    if (!isOfflineCors(event, method)) return ext.call(this, event, method, options);
    return ext.call(this, 'onRequest', typeUntypedBody);
  };
  prototype.ext.kelpieEdge = true;
}

class OfflineEdge {
  constructor() {
    this.hooks = { 'before:offline:start': patchOfflineServer, 'before:offline:start:init': patchOfflineServer };
  }
}

module.exports = OfflineEdge;
