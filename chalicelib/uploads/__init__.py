"""Direct uploads to Cloudinary and the video lifecycle (pending -> ready | failed, deleted).

No HTTP here (what a user may ask for is chalicelib/schema/uploads.py), `signing` builds the parameters
the server alone chooses, `service` starts an upload (limits, idempotency, the pending row),
`notifications` verifies and applies Cloudinary's webhooks, `lifecycle` deletes videos,
destroys assets and runs the sweep.
"""
