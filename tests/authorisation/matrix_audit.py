"""Matrix cases for the audit log: only site admins read it or download it
(the download needs a fresh sign-in, proved in tests/accounts/test_audit_viewer.py)."""

from tests.authorisation.matrix import Case, roles

SITE_ADMIN = roles("site_admin")

CASES = [
    Case("audit.index", allowed=SITE_ADMIN),
    Case("audit.export", allowed=SITE_ADMIN),
]
