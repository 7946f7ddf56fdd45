"""Accounts: sign-in, sessions, roles, passwords, two-factor, API tokens, the
audit log and the site admin's user pages. The lowest capability: every other
one may import it, it imports none of them."""
