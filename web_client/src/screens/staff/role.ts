import type { Messages } from '../../i18n/en';
import type { AccountRole } from '../../lib/staff';

export function roleName(m: Messages, role: AccountRole): string {
  return role === 'admin' ? m.roleAdmin : role === 'facilitator' ? m.roleFacilitator : m.roleReviewer;
}
