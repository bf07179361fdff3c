"""Sign-up, log-in and profiles as the unchanged frontend calls them (FRONTEND.md section 1),
and the passwords the old backend stored."""
from __future__ import annotations

import bcrypt
import jwt

from chalicelib import config, passwords
from tests.support.accounts import body, get, login, outbox, post, signup  # noqa: F401
from tests.support.engagement import make_video


def test_the_frontends_signup_and_login_calls_and_what_it_reads(client, outbox, make_user, sql):
    # Signup.jsx:21 sends exactly these four strings, full_name possibly ''.
    created = signup(client, email="Wanjiku@Example.com", username="wanjiku",
                     password="siri-yangu", full_name="")
    assert created["token_type"] == "bearer"
    user = created["user"]  # stored whole in localStorage.user
    assert set(user) >= {"id", "email", "username", "full_name", "role", "avatar_url"}
    assert user["email"] == "wanjiku@example.com" and user["username"] == "wanjiku"
    # Login.jsx:19 sends {email, password}; reads access_token and user.
    response = login(client, email="wanjiku@example.com", password="siri-yangu")
    assert response.status_code == 200
    logged_in = body(response)
    assert logged_in["user"]["id"] == user["id"] and logged_in["user"]["coin_balance"] == 0
    token = logged_in["access_token"]
    # The current backend's form: HS256, sub = users.id, exp 7 days after iat; plus ver.
    claims = jwt.decode(token, config.DEV_JWT_SECRET, algorithms=["HS256"])
    assert claims["sub"] == user["id"] and claims["exp"] - claims["iat"] == 7 * 86400
    assert claims["ver"] == 0
    # Profile.jsx reads these from /auth/me and /auth/user/{id}.
    me = body(get(client, "/auth/me", token))
    for name in ("avatar_url", "username", "full_name", "bio", "followers_count", "following_count", "role"):
        assert name in me
    assert me["email"] == "wanjiku@example.com" and isinstance(me["coin_balance"], int)
    assert me["total_earnings"] == 0
    public = body(get(client, f"/auth/user/{user['id']}", token))
    assert public["username"] == "wanjiku" and public["role"] == "user"
    # ... and the token works on the other routes: a like answers likes_count too.
    video = make_video(sql, make_user(), likes_count=3)
    liked = post(client, f"/videos/{video['id']}/like", token=token)
    assert body(liked) == {"liked": True, "likes_count": 4}


def test_a_user_of_the_old_backend_logs_in_with_todays_password(client, sql):
    password = "Nairobi-" + "x" * 70  # 78 bytes: the old backend hashed the first 72
    old_hash = bcrypt.hashpw(password.encode()[:72], bcrypt.gensalt(12)).decode()
    sql("INSERT INTO users (email, username, password_hash, role, coin_balance, total_earnings)"
        " VALUES ('Otieno@Example.com', 'otieno', %s, 'creator', 250, 12.5)", (old_hash,))
    response = login(client, email="otieno@example.com", password=password)
    assert response.status_code == 200, response.body
    user = body(response)["user"]
    assert user["role"] == "creator" and user["coin_balance"] == 250
    assert user["email"] == "Otieno@Example.com"  # stored as the old backend wrote it
    me = body(get(client, "/auth/me", body(response)["access_token"]))
    assert me["total_earnings"] == 12.5 and me["coin_balance"] == 250
    assert login(client, email="otieno@example.com", password=password[:71]).status_code == 401


def test_new_hashes_verify_the_old_backends_way_at_the_configured_cost(client, outbox, sql, settings_env):
    settings_env(BCRYPT_ROUNDS="5")
    password = "ñandú-" * 12  # 84 bytes: a sign-up refuses it
    assert post(client, "/auth/signup", {"email": "a@x.co", "username": "aaa", "password": password}).status_code == 400
    password = "ñandú-" * 8  # 56 bytes
    signup(client, email="a@x.co", username="aaa", password=password)
    stored = sql("SELECT password_hash FROM users")[0]["password_hash"]
    assert stored.startswith("$2b$05$")
    assert bcrypt.checkpw(password.encode()[:72], stored.encode())  # what the old backend runs
    assert config.settings().bcrypt_rounds == 5
    settings_env(BCRYPT_ROUNDS=None)
    assert config.settings().bcrypt_rounds == 12  # the default


def test_a_malformed_stored_hash_is_a_wrong_password_not_a_500(client, make_user):
    make_user("demo_old", email="demo@old.example", password_hash="!")
    response = login(client, email="demo@old.example", password="anything")
    assert response.status_code == 401 and body(response) == {"detail": "Incorrect email or password"}


def test_demo_users_log_in_with_the_documented_password(client, database_url):
    import psycopg

    from devtools import seed

    with psycopg.connect(database_url, autocommit=True) as conn:
        seed.seed(conn, seed.SeedSizes(users=2, videos=1, likes=0, comments=0, follows=0))
    assert passwords.DEMO_PASSWORD == "trendke-demo"
    assert login(client, email="demo1@trendke.example", password="trendke-demo").status_code == 200
    assert login(client, email="demo2@trendke.example", password="nope-nope").status_code == 401


def test_emails_are_unique_ignoring_case_also_against_the_old_backends_rows(client, outbox, sql):
    signup(client, email="Mixed@Example.COM", username="mixed")
    assert sql("SELECT email FROM users")[0]["email"] == "mixed@example.com"
    again = post(client, "/auth/signup", {"email": "MIXED@example.com", "username": "other", "password": "secret1"})
    assert again.status_code == 400 and body(again) == {"detail": "Email already registered"}
    sql("INSERT INTO users (email, username, password_hash) VALUES ('Legacy@Example.com', 'legacy', '!')")
    legacy = post(client, "/auth/signup", {"email": "legacy@example.com", "username": "fresh", "password": "secret1"})
    assert body(legacy) == {"detail": "Email already registered"}
    taken = post(client, "/auth/signup", {"email": "new@example.com", "username": "LEGACY", "password": "secret1"})
    assert taken.status_code == 400 and body(taken) == {"detail": "Username already taken"}
    assert sql("SELECT count(*) AS n FROM users")[0]["n"] == 2


def test_the_public_profile_shows_nothing_private_and_is_the_same_for_everybody(client, outbox, make_user):
    owner = make_user("kamau", coin_balance=99, total_earnings=5)
    me = signup(client)
    anonymous = get(client, f"/auth/user/{owner['id']}")
    signed = get(client, f"/auth/user/{owner['id']}", me["access_token"])
    forged = get(client, f"/auth/user/{owner['id']}", "not-a-token")
    assert anonymous.status_code == signed.status_code == forged.status_code == 200
    assert anonymous.body == signed.body == forged.body
    assert anonymous.headers["Cache-Control"].startswith("public") and "ETag" in anonymous.headers
    shown = body(anonymous)
    for secret in ("email", "password_hash", "coin_balance", "total_earnings", "token_version"):
        assert secret not in shown
    missing = get(client, "/auth/user/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and body(missing) == {"detail": "User not found"}
    assert get(client, "/auth/user/kamau").status_code == 400


def test_patch_me_changes_username_full_name_and_bio_under_the_same_rules(client, outbox, make_user, sql):
    make_user("taken_name")
    token = signup(client)["access_token"]

    def patch(payload):
        return client.http.patch("/v1/me", headers={"Content-Type": "application/json",
                                                     "Authorization": "Bearer " + token}, body=payload)

    import json

    ok = patch(json.dumps({"username": "Wanjiku_K", "full_name": " Wanjiku K ", "bio": "Msanii"}))
    assert ok.status_code == 200, ok.body
    assert body(ok)["username"] == "Wanjiku_K" and body(ok)["full_name"] == "Wanjiku K"
    assert body(get(client, "/auth/me", token))["bio"] == "Msanii"
    before = sql("SELECT username, full_name, bio FROM users WHERE email = 'wanjiku@example.com'")
    for bad in ({"username": "TAKEN_NAME"}, {"username": "no"}, {"email": "x@y.z"}, {"bio": 5},
                {"bio": "x" * 501}, {}, []):
        response = patch(json.dumps(bad))
        assert response.status_code == 400 and "detail" in body(response), bad
    assert sql("SELECT username, full_name, bio FROM users WHERE email = 'wanjiku@example.com'") == before
