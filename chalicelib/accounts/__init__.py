"""Accounts (issue 11): sign-up, log-in, profiles, password reset, email verification and
2FA by emailed code. Logic only: no HTTP here (chalicelib/chalice_app/accounts.py)."""
