"""Reports, moderator actions and blocks (issue 16). No HTTP here.

- `reports`: a user reports a video, comment or user (fixed reasons, one open report per
  reporter and target, rate-limited); the moderators' queue by weight.
- `actions`: take down / restore videos and comments, suspend / restore users; each audited,
  the owner notified, trending purged (trending.purge_call).
- `blocks`: a block between two users and what it refuses.
"""
