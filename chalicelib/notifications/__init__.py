"""Notifications (issue 13): an outbox the writes append to, a materialiser that groups its
events into notifications, and the reads (list, unread count, read, read-all)."""
