-- The schema TrendKe's current backend runs on: what the five DDL files of its repository
-- (shared/legacy, applied in their README's order) leave behind, tables, types, constraints,
-- indexes, RLS policies and the view, written so that it is a no-op on the live database
-- and builds the same schema on an empty one. One code path then serves both.
--
-- Left to later migrations on purpose: the counter trigger functions and the increment_* /
-- decrement_* RPCs (0008 defines them for both databases), and the live database's seed
-- rows other than the gift and coin catalogues.

-- Supabase provides auth.uid(); plain Postgres gets the README's shim (the RLS policies below
-- call it). Never replaced where it exists.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                   WHERE n.nspname = 'auth' AND p.proname = 'uid') THEN
        CREATE SCHEMA IF NOT EXISTS auth;
        CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS 'SELECT NULL::uuid';
    END IF;
END $$;

-- ---- SUPABASE_SCHEMA.sql -----------------------------------------------------------------
CREATE TABLE IF NOT EXISTS users (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  email VARCHAR(255) UNIQUE NOT NULL,
  username VARCHAR(100) UNIQUE NOT NULL,
  full_name VARCHAR(255),
  password_hash VARCHAR(255) NOT NULL,
  avatar_url TEXT,
  bio TEXT,
  role VARCHAR(20) DEFAULT 'user' CHECK (role IN ('user', 'creator', 'admin')),
  coin_balance INTEGER DEFAULT 0 CHECK (coin_balance >= 0),
  total_earnings DECIMAL(10,2) DEFAULT 0 CHECK (total_earnings >= 0),
  followers_count INTEGER DEFAULT 0 CHECK (followers_count >= 0),
  following_count INTEGER DEFAULT 0 CHECK (following_count >= 0),
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_users_email ON users(email);
CREATE INDEX IF NOT EXISTS idx_users_username ON users(username);

CREATE TABLE IF NOT EXISTS videos (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  user_id UUID REFERENCES users(id) ON DELETE CASCADE,
  title VARCHAR(255) NOT NULL,
  description TEXT,
  video_url TEXT NOT NULL,
  thumbnail_url TEXT,
  hashtags TEXT[],
  views_count INTEGER DEFAULT 0 CHECK (views_count >= 0),
  likes_count INTEGER DEFAULT 0 CHECK (likes_count >= 0),
  comments_count INTEGER DEFAULT 0 CHECK (comments_count >= 0),
  shares_count INTEGER DEFAULT 0 CHECK (shares_count >= 0),
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_videos_user_id ON videos(user_id);
CREATE INDEX IF NOT EXISTS idx_videos_created_at ON videos(created_at DESC);
CREATE INDEX IF NOT EXISTS idx_videos_hashtags ON videos USING GIN(hashtags);

CREATE TABLE IF NOT EXISTS video_likes (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  video_id UUID REFERENCES videos(id) ON DELETE CASCADE,
  user_id UUID REFERENCES users(id) ON DELETE CASCADE,
  created_at TIMESTAMP DEFAULT NOW(),
  UNIQUE(video_id, user_id)
);
CREATE INDEX IF NOT EXISTS idx_video_likes_video_id ON video_likes(video_id);
CREATE INDEX IF NOT EXISTS idx_video_likes_user_id ON video_likes(user_id);

-- The text is in `comment`; the API's JSON calls it `content`.
CREATE TABLE IF NOT EXISTS video_comments (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  video_id UUID REFERENCES videos(id) ON DELETE CASCADE,
  user_id UUID REFERENCES users(id) ON DELETE CASCADE,
  comment TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_video_comments_video_id ON video_comments(video_id);
CREATE INDEX IF NOT EXISTS idx_video_comments_created_at ON video_comments(created_at DESC);

CREATE TABLE IF NOT EXISTS live_sessions (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  host_id UUID REFERENCES users(id) ON DELETE CASCADE,
  title VARCHAR(255) NOT NULL,
  description TEXT,
  session_type VARCHAR(20) NOT NULL CHECK (session_type IN ('voice', 'camera', 'studio')),
  status VARCHAR(20) DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'active', 'ended')),
  thumbnail_url TEXT,
  access_token TEXT,
  viewer_count INTEGER DEFAULT 0 CHECK (viewer_count >= 0),
  max_participants INTEGER DEFAULT 50 CHECK (max_participants > 0),
  started_at TIMESTAMP,
  ended_at TIMESTAMP,
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_live_sessions_host_id ON live_sessions(host_id);
CREATE INDEX IF NOT EXISTS idx_live_sessions_status ON live_sessions(status);
CREATE INDEX IF NOT EXISTS idx_live_sessions_started_at ON live_sessions(started_at DESC);

CREATE TABLE IF NOT EXISTS gift_types (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  name VARCHAR(100) NOT NULL UNIQUE,
  emoji VARCHAR(10),
  coin_cost INTEGER NOT NULL CHECK (coin_cost > 0),
  animation_url TEXT,
  created_at TIMESTAMP DEFAULT NOW()
);
INSERT INTO gift_types (name, emoji, coin_cost) VALUES
  ('Rose', '🌹', 10), ('Heart', '❤️', 50), ('Star', '⭐', 100), ('Fire', '🔥', 200),
  ('Crown', '👑', 500), ('Diamond', '💎', 1000), ('Rocket', '🚀', 2000)
ON CONFLICT (name) DO NOTHING;

CREATE TABLE IF NOT EXISTS gift_transactions (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  sender_id UUID REFERENCES users(id) ON DELETE SET NULL,
  recipient_id UUID REFERENCES users(id) ON DELETE SET NULL,
  gift_type_id UUID REFERENCES gift_types(id),
  video_id UUID REFERENCES videos(id) ON DELETE SET NULL,
  live_session_id UUID REFERENCES live_sessions(id) ON DELETE SET NULL,
  coin_amount INTEGER NOT NULL CHECK (coin_amount > 0),
  creator_earnings DECIMAL(10,2) NOT NULL CHECK (creator_earnings >= 0),
  platform_fee DECIMAL(10,2) NOT NULL CHECK (platform_fee >= 0),
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_gift_transactions_sender_id ON gift_transactions(sender_id);
CREATE INDEX IF NOT EXISTS idx_gift_transactions_recipient_id ON gift_transactions(recipient_id);
CREATE INDEX IF NOT EXISTS idx_gift_transactions_created_at ON gift_transactions(created_at DESC);

CREATE TABLE IF NOT EXISTS coin_packages (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  name VARCHAR(100) NOT NULL,
  coin_amount INTEGER NOT NULL CHECK (coin_amount > 0),
  price_usd DECIMAL(10,2) NOT NULL CHECK (price_usd > 0),
  bonus_percentage INTEGER DEFAULT 0 CHECK (bonus_percentage >= 0),
  is_active BOOLEAN DEFAULT true,
  created_at TIMESTAMP DEFAULT NOW()
);
-- The live file inserts these with no unique key: only into an empty catalogue, so a live
-- database keeps the packages it has.
INSERT INTO coin_packages (name, coin_amount, price_usd, bonus_percentage)
SELECT * FROM (VALUES
  ('Starter Pack', 100, 0.99, 0), ('Popular Pack', 500, 4.99, 10), ('Value Pack', 1200, 9.99, 20),
  ('Premium Pack', 2500, 19.99, 25), ('Ultimate Pack', 6500, 49.99, 30)) AS p
WHERE NOT EXISTS (SELECT 1 FROM coin_packages);

CREATE TABLE IF NOT EXISTS payment_transactions (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  user_id UUID REFERENCES users(id) ON DELETE SET NULL,
  package_id UUID REFERENCES coin_packages(id),
  amount_usd DECIMAL(10,2) NOT NULL,
  coins_purchased INTEGER NOT NULL,
  payment_provider VARCHAR(50),
  transaction_id VARCHAR(255),
  status VARCHAR(50) DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'failed', 'refunded')),
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_payment_transactions_user_id ON payment_transactions(user_id);
CREATE INDEX IF NOT EXISTS idx_payment_transactions_status ON payment_transactions(status);

CREATE TABLE IF NOT EXISTS notifications (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  user_id UUID REFERENCES users(id) ON DELETE CASCADE,
  type VARCHAR(50) NOT NULL,
  title VARCHAR(255) NOT NULL,
  message TEXT,
  data JSONB,
  is_read BOOLEAN DEFAULT false,
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_notifications_user_id ON notifications(user_id);
CREATE INDEX IF NOT EXISTS idx_notifications_is_read ON notifications(is_read);
CREATE INDEX IF NOT EXISTS idx_notifications_created_at ON notifications(created_at DESC);

CREATE TABLE IF NOT EXISTS follows (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  follower_id UUID REFERENCES users(id) ON DELETE CASCADE,
  following_id UUID REFERENCES users(id) ON DELETE CASCADE,
  created_at TIMESTAMP DEFAULT NOW(),
  UNIQUE(follower_id, following_id),
  CHECK (follower_id != following_id)
);
CREATE INDEX IF NOT EXISTS idx_follows_follower_id ON follows(follower_id);
CREATE INDEX IF NOT EXISTS idx_follows_following_id ON follows(following_id);

-- ---- EXTENDED_SCHEMA.sql -----------------------------------------------------------------
CREATE TABLE IF NOT EXISTS email_verifications (
    id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE(user_id)
);
CREATE INDEX IF NOT EXISTS idx_email_verifications_token ON email_verifications(token);
CREATE INDEX IF NOT EXISTS idx_email_verifications_user_id ON email_verifications(user_id);

CREATE TABLE IF NOT EXISTS password_resets (
    id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE(user_id)
);
CREATE INDEX IF NOT EXISTS idx_password_resets_token ON password_resets(token);
CREATE INDEX IF NOT EXISTS idx_password_resets_user_id ON password_resets(user_id);

CREATE TABLE IF NOT EXISTS two_factor_codes (
    id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ DEFAULT NOW(),
    UNIQUE(user_id)
);
CREATE INDEX IF NOT EXISTS idx_two_factor_codes_user_id ON two_factor_codes(user_id);

ALTER TABLE users
ADD COLUMN IF NOT EXISTS email_verified BOOLEAN DEFAULT FALSE,
ADD COLUMN IF NOT EXISTS two_factor_enabled BOOLEAN DEFAULT FALSE;

CREATE OR REPLACE FUNCTION cleanup_expired_tokens()
RETURNS void AS $$
BEGIN
    DELETE FROM email_verifications WHERE expires_at < NOW();
    DELETE FROM password_resets WHERE expires_at < NOW();
    DELETE FROM two_factor_codes WHERE expires_at < NOW();
END;
$$ LANGUAGE plpgsql;

-- ---- LIVE_MULTI_GUEST_SCHEMA.sql ---------------------------------------------------------
CREATE TABLE IF NOT EXISTS live_participants (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  session_id UUID REFERENCES live_sessions(id) ON DELETE CASCADE,
  user_id UUID REFERENCES users(id) ON DELETE CASCADE,
  role VARCHAR(20) DEFAULT 'viewer' CHECK (role IN ('host', 'cohost', 'guest', 'viewer')),
  status VARCHAR(20) DEFAULT 'active' CHECK (status IN ('active', 'muted', 'kicked', 'left')),
  audio_enabled BOOLEAN DEFAULT true,
  video_enabled BOOLEAN DEFAULT true,
  screen_sharing BOOLEAN DEFAULT false,
  joined_at TIMESTAMP DEFAULT NOW(),
  left_at TIMESTAMP,
  UNIQUE(session_id, user_id)
);
CREATE INDEX IF NOT EXISTS idx_live_participants_session ON live_participants(session_id);
CREATE INDEX IF NOT EXISTS idx_live_participants_user ON live_participants(user_id);
CREATE INDEX IF NOT EXISTS idx_live_participants_role ON live_participants(role);

CREATE TABLE IF NOT EXISTS live_guest_requests (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  session_id UUID REFERENCES live_sessions(id) ON DELETE CASCADE,
  user_id UUID REFERENCES users(id) ON DELETE CASCADE,
  request_type VARCHAR(20) DEFAULT 'guest' CHECK (request_type IN ('guest', 'cohost')),
  status VARCHAR(20) DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'cancelled')),
  message TEXT,
  created_at TIMESTAMP DEFAULT NOW(),
  responded_at TIMESTAMP,
  responded_by UUID REFERENCES users(id),
  UNIQUE(session_id, user_id, request_type)
);
CREATE INDEX IF NOT EXISTS idx_guest_requests_session ON live_guest_requests(session_id);
CREATE INDEX IF NOT EXISTS idx_guest_requests_status ON live_guest_requests(status);

CREATE TABLE IF NOT EXISTS live_chat_messages (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  session_id UUID REFERENCES live_sessions(id) ON DELETE CASCADE,
  user_id UUID REFERENCES users(id) ON DELETE CASCADE,
  message TEXT NOT NULL,
  message_type VARCHAR(20) DEFAULT 'text' CHECK (message_type IN ('text', 'gift', 'system', 'sticker')),
  metadata JSONB,
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_live_chat_session ON live_chat_messages(session_id);
CREATE INDEX IF NOT EXISTS idx_live_chat_created ON live_chat_messages(created_at DESC);

CREATE TABLE IF NOT EXISTS live_session_settings (
  session_id UUID PRIMARY KEY REFERENCES live_sessions(id) ON DELETE CASCADE,
  allow_guests BOOLEAN DEFAULT true,
  require_approval BOOLEAN DEFAULT true,
  max_guests INTEGER DEFAULT 8 CHECK (max_guests > 0 AND max_guests <= 20),
  enable_chat BOOLEAN DEFAULT true,
  enable_gifts BOOLEAN DEFAULT true,
  chat_slow_mode INTEGER DEFAULT 0,
  guest_audio_default BOOLEAN DEFAULT true,
  guest_video_default BOOLEAN DEFAULT true,
  created_at TIMESTAMP DEFAULT NOW()
);

CREATE TABLE IF NOT EXISTS live_reactions (
  id UUID DEFAULT gen_random_uuid() PRIMARY KEY,
  session_id UUID REFERENCES live_sessions(id) ON DELETE CASCADE,
  user_id UUID REFERENCES users(id) ON DELETE CASCADE,
  reaction_type VARCHAR(50) NOT NULL,
  created_at TIMESTAMP DEFAULT NOW()
);
CREATE INDEX IF NOT EXISTS idx_live_reactions_session ON live_reactions(session_id);

ALTER TABLE live_sessions ADD COLUMN IF NOT EXISTS room_name VARCHAR(255);
ALTER TABLE live_sessions ADD COLUMN IF NOT EXISTS webrtc_room_id VARCHAR(255);
ALTER TABLE live_sessions ADD COLUMN IF NOT EXISTS recording_enabled BOOLEAN DEFAULT false;
ALTER TABLE live_sessions ADD COLUMN IF NOT EXISTS recording_url TEXT;
ALTER TABLE live_sessions ADD COLUMN IF NOT EXISTS guest_count INTEGER DEFAULT 0;
ALTER TABLE live_sessions ADD COLUMN IF NOT EXISTS total_gifts_received INTEGER DEFAULT 0;
ALTER TABLE live_sessions ADD COLUMN IF NOT EXISTS peak_viewers INTEGER DEFAULT 0;

CREATE OR REPLACE FUNCTION update_guest_count()
RETURNS TRIGGER AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.role IN ('guest', 'cohost') AND NEW.status = 'active' THEN
        UPDATE live_sessions SET guest_count = guest_count + 1 WHERE id = NEW.session_id;
    ELSIF TG_OP = 'UPDATE' AND OLD.status = 'active' AND NEW.status != 'active' AND NEW.role IN ('guest', 'cohost') THEN
        UPDATE live_sessions SET guest_count = GREATEST(guest_count - 1, 0) WHERE id = NEW.session_id;
    ELSIF TG_OP = 'DELETE' AND OLD.role IN ('guest', 'cohost') AND OLD.status = 'active' THEN
        UPDATE live_sessions SET guest_count = GREATEST(guest_count - 1, 0) WHERE id = OLD.session_id;
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER live_participants_guest_count_trigger
AFTER INSERT OR UPDATE OR DELETE ON live_participants
FOR EACH ROW EXECUTE FUNCTION update_guest_count();

CREATE OR REPLACE FUNCTION update_peak_viewers()
RETURNS TRIGGER AS $$
BEGIN
    IF NEW.viewer_count > COALESCE(NEW.peak_viewers, 0) THEN
        NEW.peak_viewers = NEW.viewer_count;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER live_sessions_peak_viewers_trigger
BEFORE UPDATE ON live_sessions
FOR EACH ROW EXECUTE FUNCTION update_peak_viewers();

ALTER TABLE live_participants ENABLE ROW LEVEL SECURITY;
ALTER TABLE live_guest_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE live_chat_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE live_session_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE live_reactions ENABLE ROW LEVEL SECURITY;

-- CREATE POLICY has no IF NOT EXISTS: each one only where its table lacks it.
DO $$
DECLARE
    p record;
BEGIN
    FOR p IN SELECT * FROM (VALUES
        ('live_participants', 'Users can view participants',
         'FOR SELECT USING (true)'),
        ('live_participants', 'Hosts can manage participants',
         'FOR ALL USING (EXISTS (SELECT 1 FROM live_sessions WHERE id = session_id AND host_id = auth.uid()))'),
        ('live_guest_requests', 'Users can create guest requests',
         'FOR INSERT WITH CHECK (user_id = auth.uid())'),
        ('live_guest_requests', 'Users can view their requests',
         'FOR SELECT USING (user_id = auth.uid() OR EXISTS (SELECT 1 FROM live_sessions WHERE id = session_id AND host_id = auth.uid()))'),
        ('live_guest_requests', 'Hosts can respond to requests',
         'FOR UPDATE USING (EXISTS (SELECT 1 FROM live_sessions WHERE id = session_id AND host_id = auth.uid()))'),
        ('live_chat_messages', 'Everyone can read chat', 'FOR SELECT USING (true)'),
        ('live_chat_messages', 'Users can send messages', 'FOR INSERT WITH CHECK (auth.uid() IS NOT NULL)'),
        ('live_reactions', 'Everyone can react', 'FOR ALL USING (auth.uid() IS NOT NULL)')
    ) AS t(tbl, name, body) LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_policies
                       WHERE schemaname = 'public' AND tablename = p.tbl AND policyname = p.name) THEN
            EXECUTE format('CREATE POLICY %I ON %I %s', p.name, p.tbl, p.body);
        END IF;
    END LOOP;
END $$;

-- Created only where missing: `ls.*` is expanded when a view is made, so replacing the live
-- one after live_sessions gained columns would change its columns.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_views WHERE schemaname = 'public'
                   AND viewname = 'live_sessions_with_guests') THEN
        CREATE VIEW live_sessions_with_guests AS
        SELECT ls.*, u.username AS host_username, u.avatar_url AS host_avatar_url,
            COUNT(DISTINCT lp.id) FILTER (WHERE lp.role IN ('guest', 'cohost') AND lp.status = 'active') AS active_guests,
            COUNT(DISTINCT lgr.id) FILTER (WHERE lgr.status = 'pending') AS pending_requests
        FROM live_sessions ls
        LEFT JOIN users u ON ls.host_id = u.id
        LEFT JOIN live_participants lp ON ls.id = lp.session_id
        LEFT JOIN live_guest_requests lgr ON ls.id = lgr.session_id
        GROUP BY ls.id, u.username, u.avatar_url;
    END IF;
END $$;

-- ---- 003_social_features.sql -------------------------------------------------------------
CREATE INDEX IF NOT EXISTS idx_follows_follower ON follows(follower_id);
CREATE INDEX IF NOT EXISTS idx_follows_following ON follows(following_id);
CREATE INDEX IF NOT EXISTS idx_follows_created ON follows(created_at DESC);
