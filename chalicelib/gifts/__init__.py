"""Gifts and coins (issue 14): the ledger, sending gifts, the catalogue, history, the
leaderboard and the audit. No HTTP here."""
