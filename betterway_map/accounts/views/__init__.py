"""Account pages: sign-in and sign-up, the account page, the admin user pages."""
