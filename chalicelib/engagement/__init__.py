"""Engagement writes (issue 6): likes, comments, views, shares, follows and the counters
they move. No HTTP here: routes in chalicelib/chalice_app/ call these functions."""
