-- Live sessions over API Gateway WebSockets (issue 17): one row per open socket, so any
-- Lambda can fan a message out to a session's connections (the old backend kept them in one
-- process's memory). Rows go on $disconnect, on GoneException, or with their session.
CREATE TABLE IF NOT EXISTS live_connections (
  connection_id TEXT PRIMARY KEY,
  session_id UUID NOT NULL REFERENCES live_sessions(id) ON DELETE CASCADE,
  user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  username TEXT NOT NULL,
  role VARCHAR(20) NOT NULL DEFAULT 'viewer' CHECK (role IN ('host', 'cohost', 'guest', 'viewer')),
  audio_enabled BOOLEAN NOT NULL DEFAULT true,
  video_enabled BOOLEAN NOT NULL DEFAULT true,
  -- The management endpoint that reaches this socket (https://{api}.execute-api.../{stage},
  -- or the local gateway's): any Lambda, HTTP or scheduled, can then post to it.
  endpoint TEXT NOT NULL,
  connected_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);

CREATE INDEX IF NOT EXISTS idx_live_connections_session ON live_connections(session_id, user_id);
CREATE INDEX IF NOT EXISTS idx_live_connections_user ON live_connections(user_id);

ALTER TABLE live_connections ENABLE ROW LEVEL SECURITY;

-- When a session last had its host connected: the sweep ends sessions whose host is gone.
ALTER TABLE live_sessions ADD COLUMN IF NOT EXISTS host_seen_at TIMESTAMP;
