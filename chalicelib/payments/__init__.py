"""Buying coins (issue 14): orders, PesaPal API 3.0 (M-Pesa), Stripe Checkout (cards), the
confirmation that credits coins exactly once, and the re-check of pending payments."""
