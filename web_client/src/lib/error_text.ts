// What a person reads when the server refuses a request: the error code in the UI language,
// never the server's own (English) message. Pure; one sentence per code of the protocol.
import type { Messages } from '../i18n/en';
import type { ErrorCode } from './protocol';

export function errorText(m: Messages, code: ErrorCode): string {
  switch (code) {
    case 'closed':
      return m.refusedClosed;
    case 'not_allowed':
    case 'unauthorized':
      return m.refusedNotAllowed;
    case 'not_found':
      return m.errNotFound;
    case 'conflict':
      return m.errConflict;
    case 'rate_limited':
      return m.errRateLimited;
    case 'server_error':
      return m.errServer;
    case 'too_large':
      return m.errTooLarge;
    case 'version':
      return m.errVersion;
    default:
      // bad_json, bad_request, unknown_type, and codes from a newer server
      return m.errBadRequest;
  }
}
