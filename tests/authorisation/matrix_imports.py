"""Matrix cases for the import pages: an ORUK feed and a spreadsheet of venues
or groups, for organisation admins (into their own organisations: checked
by the service, tests/interop/test_oruk_import_pages.py) and site admins."""

from tests.authorisation.matrix import Case, roles

IMPORTERS = roles("org_admin", "site_admin")

CASES = [
    Case("oruk_import.upload", allowed=IMPORTERS),
    Case("oruk_import.upload", method="POST", allowed=IMPORTERS, data={"organisation_id": ""}),
    Case("register_import.upload", allowed=IMPORTERS),
    Case("register_import.upload", method="POST", allowed=IMPORTERS, data={"kind": "spaces"}),
]
